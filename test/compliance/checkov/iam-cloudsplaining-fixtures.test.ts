import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { SsoadminPermissionSetInlinePolicy } from "@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy";
import { Fn, TerraformStack, TerraformVariable } from "cdktf";
import { IamNoCredentialsExposure, IamNoDataExfiltration, IamNoPrivilegeEscalation } from "../../../lib/compliance/rules/iam-escalation";
import { IamNoStarResourceForRestrictableActions, IamNoUnconstrainedPermissionsManagement, IamNoUnconstrainedWrite } from "../../../lib/compliance/rules/iam-resource-constraints";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures of the cloudsplaining checks, translated one construct per fixture:
 *   resources: tests/terraform/checks/resource/aws/example_{IAMPermissionsManagement (CKV_AWS_289), IAMWriteAccess (CKV_AWS_290),
 *     IAMStarResourcePolicyDocument (CKV_AWS_355), IAMPrivilegeEscalation (CKV_AWS_286), IAMDataExfiltration (CKV_AWS_288),
 *     IAMCredentialsExposure (CKV_AWS_287)}/main.tf;
 *   data sources: tests/terraform/checks/data/aws/example_{CloudsplainingPermissionsManagement (CKV_AWS_109), CloudsplainingIAMWrite
 *     (CKV_AWS_111), ResourcePolicyDocument (CKV_AWS_356), CloudSplainingPrivilegeEscalation (CKV_AWS_110),
 *     CloudSplainingDataExfiltration (CKV_AWS_108), CloudSplainingCredentialsExposure (CKV_AWS_107)}/main.tf.
 * Heredoc policies with trailing commas inside Action lists (IAMWriteAccess, IAMDataExfiltration, IAMCredentialsExposure) are not
 * JSON; checkov's parser accepts them; they are translated without those commas. The resources that the fixtures reference
 * (aws_iam_role.test_role, aws_iam_user.lb, aws_iam_group.my_developers, the SSO instance and permission set) are given as names.
 */
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allow = (actions: string[], resource: string, extra: object = {}) => ({ Effect: "Allow", Action: actions, Resource: resource, ...extra });
const document = (s: TerraformStack, id: string, ...statement: DataAwsIamPolicyDocumentStatement[]) => new DataAwsIamPolicyDocument(s, id, { version: "2012-10-17", statement });

describe("CKV_AWS_289 / CKV_AWS_109 fixtures (IamNoUnconstrainedPermissionsManagement)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoUnconstrainedPermissionsManagement, (s) => {
      new IamPolicy(s, "pass", { policy: doc(allow(["s3:*"], "arn:aws:s3:::example")) });
      new IamPolicy(s, "fail", { policy: doc(allow(["iam:*"], "*")) });
      document(s, "data_pass", { effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::example"] });
      document(s, "data_fail", { effect: "Allow", actions: ["iam:*"], resources: ["*"] });
    });
  });

  it("detects the failing resource and data source (2/2) and flags no passing one (0/2)", () => {
    expect(misses(v, ["fail", "data_fail"], ["pass", "data_pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_290 / CKV_AWS_111 fixtures (IamNoUnconstrainedWrite)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoUnconstrainedWrite, (s) => {
      new IamPolicy(s, "restrictable", { policy: doc(allow(["s3:*"], "arn:aws:s3:::bucket")) });
      new IamPolicy(s, "unrestrictable", { policy: doc(allow(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*")) });
      new IamPolicy(s, "fail", { policy: doc(allow(["s3:*"], "*")) });
      document(s, "data_restrictable", { effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::bucket"] });
      document(s, "data_unrestrictable", { effect: "Allow", actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], resources: ["*"] });
      document(s, "data_fail", { effect: "Allow", actions: ["s3:*"], resources: ["*"] });
    });
  });

  it("detects the failing resource and data source (2/2) and flags no passing one (0/4): actions without resource types pass on \"*\"", () => {
    expect(misses(v, ["fail", "data_fail"], ["restrictable", "unrestrictable", "data_restrictable", "data_unrestrictable"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_355 / CKV_AWS_356 fixtures (IamNoStarResourceForRestrictableActions)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoStarResourceForRestrictableActions, (s) => {
      const star = Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Action: ["ec2:Describe*"], Effect: "Allow", Resource: "*" }] });
      const scoped = Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Action: ["ec2:Describe*"], Effect: "Allow", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*" }] });
      const unrestrictable = Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Action: ["s3:ListAllMyBuckets"], Effect: "Allow", Resource: "*" }] });
      const policy = { name: "test_policy", path: "/", description: "My test policy" };
      new IamPolicy(s, "aws_iam_policy__fail", { ...policy, policy: star });
      new IamPolicy(s, "aws_iam_policy__pass", { ...policy, policy: scoped });
      new IamPolicy(s, "aws_iam_policy__pass_unrestrictable", { ...policy, policy: unrestrictable });
      new IamRolePolicy(s, "aws_iam_role_policy__fail", { name: "test_policy", role: "test_role", policy: star });
      new IamRolePolicy(s, "aws_iam_role_policy__pass", { name: "test_policy", role: "test_role", policy: scoped });
      new IamUserPolicy(s, "aws_iam_user_policy__fail", { name: "test", user: "lb", policy: star });
      new IamUserPolicy(s, "aws_iam_user_policy__pass", { name: "test", user: "lb", policy: scoped });
      new IamGroupPolicy(s, "aws_iam_group_policy__fail", { name: "my_developer_policy", group: "my_developers", policy: star });
      new IamGroupPolicy(s, "aws_iam_group_policy__pass", { name: "my_developer_policy", group: "my_developers", policy: scoped });
      const sso = { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef" };
      new SsoadminPermissionSetInlinePolicy(s, "aws_ssoadmin_permission_set_inline_policy__pass", { ...sso, inlinePolicy: scoped });
      new SsoadminPermissionSetInlinePolicy(s, "aws_ssoadmin_permission_set_inline_policy__fail", { ...sso, inlinePolicy: star });

      const bucket = new TerraformVariable(s, "s3_bucket_name", { type: "string" });
      document(s, "data__fail", { effect: "Allow", actions: ["s3:Describe*"], resources: ["*"] });
      document(s, "data__pass2", { effect: "Deny", actions: ["s3:Describe*"], resources: ["*"] });
      new DataAwsIamPolicyDocument(s, "data__pass", {
        statement: [
          { sid: "1", actions: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], resources: ["arn:aws:s3:::*"] },
          { actions: ["s3:ListBucket"], resources: [`arn:aws:s3:::${bucket.stringValue}`], condition: [{ test: "StringLike", variable: "s3:prefix", values: ["", "home/", "home/&{aws:username}/"] }] },
          { actions: ["s3:*"], resources: [`arn:aws:s3:::${bucket.stringValue}/home/&{aws:username}`, `arn:aws:s3:::${bucket.stringValue}/home/&{aws:username}/*`] },
        ],
      });
      document(s, "data__pass_unrestrictable", { effect: "Allow", actions: ["s3:ListAllMyBuckets"], resources: ["*"] });
      new DataAwsIamPolicyDocument(s, "data__pass_condition", {
        statement: [{ actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: ["*"], condition: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ["arn"] }] }],
      });
    });
  });

  it("detects every failing fixture (6/6: five resource types and the data source) and flags no passing one (0/10)", () => {
    const types = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_ssoadmin_permission_set_inline_policy"];
    const failing = [...types.map((t) => `${t}__fail`), "data__fail"];
    const passing = [...types.map((t) => `${t}__pass`), "aws_iam_policy__pass_unrestrictable", "data__pass", "data__pass2", "data__pass_unrestrictable", "data__pass_condition"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_286 / CKV_AWS_110 fixtures (IamNoPrivilegeEscalation)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoPrivilegeEscalation, (s) => {
      new IamPolicy(s, "privilege_escalation", { policy: doc(allow(["iam:UpdateLoginProfile"], "*")) });
      new IamPolicy(s, "passing", { policy: doc(allow(["lambda:CreateFunction"], "s3")) });
      document(s, "data_pass", { effect: "Allow", actions: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"], resources: ["*"] });
      document(s, "data_fail", { effect: "Allow", actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable", "dynamodb:PutItem"], resources: ["*"] });
    });
  });

  it("detects the failing resource and data source (2/2) and flags no passing one (0/2)", () => {
    expect(misses(v, ["privilege_escalation", "data_fail"], ["passing", "data_pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_288 / CKV_AWS_108 fixtures (IamNoDataExfiltration)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    const failing = ["iam:PassRole", "ssm:GetParameter", "s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue", "s3:PutObject", "ec2:CreateTags"];
    const passing = ["lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"];
    v = verdicts(IamNoDataExfiltration, (s) => {
      new IamPolicy(s, "pass", { policy: doc(allow(passing, "*")) });
      new IamPolicy(s, "fail", { policy: doc(allow(failing, "*")) });
      document(s, "data_pass", { effect: "Allow", actions: passing, resources: ["*"] });
      document(s, "data_fail", { effect: "Allow", actions: failing, resources: ["*"] });
    });
  });

  it("detects the failing resource and data source (2/2) and flags no passing one (0/2)", () => {
    expect(misses(v, ["fail", "data_fail"], ["pass", "data_pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_287 / CKV_AWS_107 fixtures (IamNoCredentialsExposure)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    const deny = { Sid: "DenyOutsideCallers", Effect: "Deny", Action: ["*"], Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "1.2.3.4/16" }, Bool: { "aws:ViaAWSService": "false" } } };
    const creates = ["lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"];
    v = verdicts(IamNoCredentialsExposure, (s) => {
      new IamPolicy(s, "allowed_action", { policy: doc(allow(["ecr:GetAuthorizationToken"], "*")) });
      new IamPolicy(s, "deny", { policy: doc(deny) });
      new IamPolicy(s, "pass", { policy: doc(allow(creates, "*")) });
      new IamPolicy(s, "fail", { policy: doc(allow(["s3:GetObject", "iam:CreateAccessKey"], "*")) });
      document(s, "data_allowed_action", { effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
      new DataAwsIamPolicyDocument(s, "data_deny", {
        version: "2012-10-17",
        statement: [{ sid: "DenyOutsideCallers", effect: "Deny", actions: ["*"], resources: ["*"], condition: [
          { test: "NotIpAddress", variable: "aws:SourceIp", values: ["1.2.3.4/16"] },
          { test: "Bool", variable: "aws:ViaAWSService", values: ["false"] },
        ] }],
      });
      document(s, "data_pass", { effect: "Allow", actions: creates, resources: ["*"] });
      document(s, "data_fail", { effect: "Allow", actions: ["s3:GetObject", "iam:CreateAccessKey"], resources: ["*"] });
    });
  });

  it("detects the failing resource and data source (2/2) and flags no passing one (0/6)", () => {
    const passing = ["allowed_action", "deny", "pass", "data_allowed_action", "data_deny", "data_pass"];
    expect(misses(v, ["fail", "data_fail"], passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("identity-policy documents written as data sources", () => {
  it("judge a document through the aws_iam_policy that uses it, and leave statements that name principals out", () => {
    const v = verdicts(IamNoUnconstrainedWrite, (s) => {
      const used = document(s, "used", { effect: "Allow", actions: ["s3:PutObject"], resources: ["*"] });
      new IamPolicy(s, "user", { policy: used.json });
      document(s, "key_policy", { effect: "Allow", actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111122223333:root"] }] });
    });
    expect(v).toEqual({ used: "not-applicable", user: "non-compliant", key_policy: "not-applicable" });
  });
});
