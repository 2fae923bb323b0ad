import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { EksSupportedVersion } from "../../../lib/compliance/rules/eks-version";
import { GithubOidcTrustScoped } from "../../../lib/compliance/rules/github-oidc";
import { IamNoCredentialsExposure, IamNoDataExfiltration, IamNoPrivilegeEscalation } from "../../../lib/compliance/rules/iam-escalation";
import { SecurityGroupNoUnrestrictedEgress } from "../../../lib/compliance/rules/network-egress";
import { RdsCaCertificate, RdsMysqlTlsRequired, RdsPostgresQueryLogging } from "../../../lib/compliance/rules/rds-engines";
import { SecretsManagerCmk, SecretsManagerRotation } from "../../../lib/compliance/rules/secrets-manager";
import { SnsTopicPolicyNoUnconditionedCrossAccount } from "../../../lib/compliance/rules/sns-access";
import { Ec2UserDataNoSecrets } from "../../../lib/compliance/rules/user-data";
import { evaluateRule } from "../rule-harness";

/*
 * Cases are checkov's fixtures (bridgecrewio/checkov@03d5fdad tests/terraform/checks/resource/aws/example_<Check>/ and
 * tests/terraform/graph/checks/resources/<Check>/), rewritten as cdktf resources.
 */

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const TRUST_EC2 = doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });

describe("IamNoPrivilegeEscalation (CKV_AWS_286)", () => {
  const { byId } = evaluateRule(IamNoPrivilegeEscalation, (stack) => {
    // example_IAMPrivilegeEscalation: privilege_escalation (fail), passing (pass).
    new IamPolicy(stack, "privilege_escalation", { name: "pe", policy: doc({ Effect: "Allow", Action: ["iam:UpdateLoginProfile"], Resource: "*" }) });
    new IamPolicy(stack, "passing", { name: "ok", policy: doc({ Effect: "Allow", Action: ["lambda:CreateFunction"], Resource: "s3" }) });
    new IamPolicy(stack, "passrole-lambda", { name: "pr", policy: doc({ Effect: "Allow", Action: ["iam:PassRole", "lambda:Create*", "lambda:InvokeFunction"], Resource: "*" }) });
    const bounded = new IamRole(stack, "bounded-role", { assumeRolePolicy: TRUST_EC2, permissionsBoundary: "arn:aws:iam::123456789012:policy/boundary" });
    const boundedPolicy = new IamPolicy(stack, "held-by-bounded", { name: "b", policy: doc({ Effect: "Allow", Action: ["iam:CreatePolicyVersion"], Resource: "*" }) });
    new IamRolePolicyAttachment(stack, "attach", { role: bounded.name, policyArn: boundedPolicy.arn });
  });

  it("passes a grant scoped to named resources (checkov's passing fixture)", () => expect(byId.passing.status).toBe("compliant"));
  it("flags iam:UpdateLoginProfile on \"*\" (checkov's failing fixture), naming the method", () => {
    expect(byId.privilege_escalation).toMatchObject({ status: "non-compliant", message: expect.stringContaining("UpdateLoginProfile") });
  });
  it("flags iam:PassRole with a new Lambda function granted by pattern", () => {
    expect(byId["passrole-lambda"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("PassExistingRoleToNewLambdaThenInvoke") });
  });
  it("treats a policy held only by roles with a permissions_boundary as bounded", () => expect(byId["held-by-bounded"].status).toBe("compliant"));
});

describe("IamNoDataExfiltration (CKV_AWS_288)", () => {
  const { byId } = evaluateRule(IamNoDataExfiltration, (stack) => {
    new IamPolicy(stack, "pass", { policy: doc({ Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"], Resource: "*" }) });
    new IamPolicy(stack, "fail", { policy: doc({ Effect: "Allow", Action: ["iam:PassRole", "ssm:GetParameter", "s3:GetObject", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue", "s3:PutObject", "ec2:CreateTags"], Resource: "*" }) });
    new IamPolicy(stack, "scoped", { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::models/*" }) });
  });

  it("passes checkov's pass fixture and a bucket-scoped read", () => {
    expect(byId.pass.status).toBe("compliant");
    expect(byId.scoped.status).toBe("compliant");
  });
  it("flags checkov's fail fixture, listing the read actions", () => {
    expect(byId.fail).toMatchObject({ status: "non-compliant", message: expect.stringContaining("\"secretsmanager:getsecretvalue\"") });
  });
});

describe("IamNoCredentialsExposure (CKV_AWS_287)", () => {
  const { byId } = evaluateRule(IamNoCredentialsExposure, (stack) => {
    new IamPolicy(stack, "allowed_action", { policy: doc({ Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }) });
    new IamPolicy(stack, "deny", { policy: doc({ Effect: "Deny", Action: ["*"], Resource: "*", Sid: "DenyOutsideCallers", Condition: { NotIpAddress: { "aws:SourceIp": "1.2.3.4/16" }, Bool: { "aws:ViaAWSService": "false" } } }) });
    new IamPolicy(stack, "fail", { policy: doc({ Effect: "Allow", Action: ["s3:GetObject", "iam:CreateAccessKey"], Resource: "*" }) });
    const data = new DataAwsIamPolicyDocument(stack, "assume-any", { statement: [{ actions: ["sts:AssumeRole"], resources: ["*"] }] });
    new IamPolicy(stack, "assume-any-role", { policy: data.json });
  });

  it("passes ecr:GetAuthorizationToken (excluded by checkov) and a Deny", () => {
    expect(byId.allowed_action.status).toBe("compliant");
    expect(byId.deny.status).toBe("compliant");
  });
  it("flags iam:CreateAccessKey on \"*\", and sts:AssumeRole on \"*\" read from a policy document", () => {
    expect(byId.fail).toMatchObject({ status: "non-compliant", message: expect.stringContaining("iam:createaccesskey") });
    expect(byId["assume-any-role"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("sts:assumerole") });
  });
});

describe("GithubOidcTrustScoped (CKV_AWS_393, CKV_AWS_358)", () => {
  const gh = (sub: unknown, extra: object = {}) => doc({
    Effect: "Allow",
    Principal: { Federated: "arn:aws:iam::123456123456:oidc-provider/token.actions.githubusercontent.com" },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, ...(sub === undefined ? {} : { StringLike: { "token.actions.githubusercontent.com:sub": sub } }), ...extra },
  });
  const { byId } = evaluateRule(GithubOidcTrustScoped, (stack) => {
    // example_GithubActionsOIDCTrustPolicyOnRole: pass_aud_first, pass1, pass2; failing shapes of its fail* roles.
    new IamRole(stack, "pass_aud_first", { assumeRolePolicy: gh("repo:org/our-repo-name:*") });
    new IamRole(stack, "pass1", { assumeRolePolicy: TRUST_EC2 });
    new IamRole(stack, "pass2", { assumeRolePolicy: gh("repo:myOrg/myRepo:*") });
    new IamRole(stack, "fail-wildcard", { assumeRolePolicy: gh("*") });
    new IamRole(stack, "fail-no-sub", { assumeRolePolicy: gh(undefined) });
    new IamRole(stack, "fail-abusable", { assumeRolePolicy: gh("workflow:deploy") });
    new IamRole(stack, "fail-org-wildcard", { assumeRolePolicy: gh("repo:myOrg*") });
  });

  it("passes a sub pinned to an owner/repository, and roles not trusting GitHub are not applicable", () => {
    expect(byId.pass_aud_first.status).toBe("compliant");
    expect(byId.pass2.status).toBe("compliant");
    expect(byId.pass1.status).toBe("not-applicable");
  });
  it("flags \"*\", a missing sub, an abusable leading claim and an owner wildcard", () => {
    expect(byId["fail-wildcard"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("is \"*\"") });
    expect(byId["fail-no-sub"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("without a token.actions.githubusercontent.com:sub condition") });
    expect(byId["fail-abusable"].status).toBe("non-compliant");
    expect(byId["fail-org-wildcard"].status).toBe("non-compliant");
  });
});

describe("EksSupportedVersion (CKV_AWS_339)", () => {
  const { byId } = evaluateRule(EksSupportedVersion, (stack) => {
    const base = { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-a"] } };
    new EksCluster(stack, "supported", { ...base, name: "a", version: "1.33" });
    new EksCluster(stack, "retired", { ...base, name: "b", version: "1.21" });
  });
  it("passes a supported version", () => expect(byId.supported.status).toBe("compliant"));
  it("flags a retired version", () => expect(byId.retired).toMatchObject({ status: "non-compliant", message: expect.stringContaining("\"1.21\"") }));
});

describe("SecurityGroupNoUnrestrictedEgress (CKV_AWS_382)", () => {
  const { byId } = evaluateRule(SecurityGroupNoUnrestrictedEgress, (stack) => {
    new SecurityGroup(stack, "fail2", { name: "x", egress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0, protocol: "-1" }] });
    new SecurityGroup(stack, "https-only", { name: "y", egress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" }] });
    new SecurityGroupRule(stack, "pass-rule", { cidrBlocks: ["0.0.0.0/0"], fromPort: 80, toPort: 80, protocol: "tcp", securityGroupId: "sg-12345", type: "egress" });
    new VpcSecurityGroupEgressRule(stack, "pass-vpc-rule", { securityGroupId: "sg-12345", cidrIpv4: "0.0.0.0/0", fromPort: 80, ipProtocol: "tcp", toPort: 80 });
    new VpcSecurityGroupEgressRule(stack, "fail-vpc-rule", { securityGroupId: "sg-12345", cidrIpv6: "::/0", ipProtocol: "-1" });
  });
  it("passes egress limited to named ports (checkov's pass fixtures)", () => {
    for (const id of ["https-only", "pass-rule", "pass-vpc-rule"]) expect(byId[id].status).toBe("compliant");
  });
  it("flags all protocols to 0.0.0.0/0 or ::/0 (checkov's fail2)", () => {
    expect(byId.fail2).toMatchObject({ status: "non-compliant", message: expect.stringContaining("0.0.0.0/0") });
    expect(byId["fail-vpc-rule"].status).toBe("non-compliant");
  });
});

describe("SecretsManagerCmk (CKV_AWS_149) and SecretsManagerRotation (CKV2_AWS_57, CKV_AWS_304)", () => {
  const cmk = evaluateRule(SecretsManagerCmk, (stack) => {
    new SecretsmanagerSecret(stack, "cmk", { name: "a", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/abcd" });
    new SecretsmanagerSecret(stack, "default-key", { name: "b" });
    new SecretsmanagerSecret(stack, "aws-managed", { name: "c", kmsKeyId: "alias/aws/secretsmanager" });
  }).byId;
  const rotation = evaluateRule(SecretsManagerRotation, (stack) => {
    const rotated = new SecretsmanagerSecret(stack, "rotated", { name: "r" });
    new SecretsmanagerSecretRotation(stack, "rotation", { secretId: rotated.id, rotationLambdaArn: "arn:aws:lambda:us-east-1:123456789012:function:rotate", rotationRules: { automaticallyAfterDays: 30 } });
    const slow = new SecretsmanagerSecret(stack, "slow", { name: "s" });
    new SecretsmanagerSecretRotation(stack, "slow-rotation", { secretId: slow.id, rotationRules: { scheduleExpression: "rate(100 days)" } });
    new SecretsmanagerSecret(stack, "never", { name: "n" });
  }).byId;

  it("passes a customer key; flags no key and the AWS managed alias", () => {
    expect(cmk.cmk.status).toBe("compliant");
    expect(cmk["default-key"].status).toBe("non-compliant");
    expect(cmk["aws-managed"].status).toBe("non-compliant");
  });
  it("passes rotation within 90 days; flags a secret without rotation, and a rotation on rate(100 days) (where checkov's CKV_AWS_304 reports it)", () => {
    expect(rotation.rotated.status).toBe("compliant");
    expect(rotation.rotation.status).toBe("compliant");
    expect(rotation.never).toMatchObject({ status: "non-compliant", message: expect.stringContaining("never rotates") });
    expect(rotation.slow.status).toBe("compliant");
    expect(rotation["slow-rotation"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("rate(100 days)") });
  });
});

describe("Ec2UserDataNoSecrets (CKV_AWS_46)", () => {
  const script = (id: string, secret: string) => `#! /bin/bash\nsudo apt-get update\nexport AWS_ACCESS_KEY_ID=${id}\nexport AWS_SECRET_ACCESS_KEY=${secret}\nexport AWS_DEFAULT_REGION=us-west-2\n`;
  const { byId } = evaluateRule(Ec2UserDataNoSecrets, (stack) => {
    new Instance(stack, "pass", { ami: "ami-04169656fea786776", instanceType: "t2.nano", userData: script("FOO", "bar") });
    new Instance(stack, "fail", { ami: "ami-04169656fea786776", instanceType: "t2.nano", userData: script("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") });
  });
  it("passes user data without key material (checkov's pass)", () => expect(byId.pass.status).toBe("compliant"));
  it("flags an access key pair in user data (checkov's fail)", () => expect(byId.fail.status).toBe("non-compliant"));
});

describe("RDS: RdsCaCertificate (CKV_AWS_211), RdsMysqlTlsRequired (CKV2_AWS_69), RdsPostgresQueryLogging (CKV2_AWS_30)", () => {
  const build = (stack: import("cdktf").TerraformStack) => {
    const base = { instanceClass: "db.t3.micro", allocatedStorage: 20, username: "admin", manageMasterUserPassword: true };
    new DbInstance(stack, "ca-current", { ...base, engine: "postgres", caCertIdentifier: "rds-ca-rsa2048-g1" });
    new DbInstance(stack, "ca-expired", { ...base, engine: "postgres", caCertIdentifier: "rds-ca-2019" });
    const mysqlTls = new DbParameterGroup(stack, "mysql-tls", { name: "mysql-tls", family: "mysql8.0", parameter: [{ name: "require_secure_transport", value: "1" }] });
    new DbInstance(stack, "mysql-secure", { ...base, engine: "mysql", parameterGroupName: mysqlTls.name });
    new DbInstance(stack, "mysql-default", { ...base, engine: "mysql" });
    const logged = new DbParameterGroup(stack, "pg-logged", { name: "pg-logged", family: "postgres17", parameter: [{ name: "log_statement", value: "ddl" }, { name: "log_min_duration_statement", value: "1000" }] });
    new DbInstance(stack, "pg-logged-db", { ...base, engine: "postgres", parameterGroupName: logged.name });
    const quiet = new DbParameterGroup(stack, "pg-quiet", { name: "pg-quiet", family: "postgres17", parameter: [{ name: "rds.force_ssl", value: "1" }] });
    new DbInstance(stack, "pg-quiet-db", { ...base, engine: "postgres", parameterGroupName: quiet.name });
  };
  const ca = evaluateRule(RdsCaCertificate, build).byId;
  const tls = evaluateRule(RdsMysqlTlsRequired, build).byId;
  const logging = evaluateRule(RdsPostgresQueryLogging, build).byId;

  it("passes a current CA and flags rds-ca-2019", () => {
    expect(ca["ca-current"].status).toBe("compliant");
    expect(ca["ca-expired"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("rds-ca-2019") });
  });
  it("passes MySQL with require_secure_transport = 1, flags the default group, skips PostgreSQL", () => {
    expect(tls["mysql-secure"].status).toBe("compliant");
    expect(tls["mysql-default"].status).toBe("non-compliant");
    expect(tls["ca-current"].status).toBe("not-applicable");
  });
  it("passes a PostgreSQL group with log_statement and log_min_duration_statement, flags one without", () => {
    expect(logging["pg-logged-db"].status).toBe("compliant");
    expect(logging["pg-quiet-db"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("log_statement or log_min_duration_statement") });
  });
});

describe("SnsTopicPolicyNoUnconditionedCrossAccount (CKV_AWS_385)", () => {
  const { byId } = evaluateRule(SnsTopicPolicyNoUnconditionedCrossAccount, (stack) => {
    const topic = new SnsTopic(stack, "topic", { name: "t" });
    const grant = (extra: object = {}) => doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "SNS:Publish", Resource: "*", ...extra });
    new SnsTopicPolicy(stack, "fail", { arn: topic.arn, policy: grant() });
    new SnsTopicPolicy(stack, "pass", { arn: topic.arn, policy: grant({ Condition: { StringEquals: { "aws:SourceOwner": "123456789012" } } }) });
  });
  it("passes an account grant with a condition", () => expect(byId.pass.status).toBe("compliant"));
  it("flags an account grant without one", () => expect(byId.fail.status).toBe("non-compliant"));
});
