import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchConfiguration } from "@cdktf/provider-aws/lib/launch-configuration";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecretsmanagerSecretRotation } from "@cdktf/provider-aws/lib/secretsmanager-secret-rotation";
import { TerraformVariable } from "cdktf";
import { LaunchTemplateImdsHopLimit, LaunchTemplateNoPublicIp } from "../../../lib/compliance/rules/ec2";
import { GithubOidcTrustScoped } from "../../../lib/compliance/rules/github-oidc";
import { SecretsManagerRotation } from "../../../lib/compliance/rules/secrets-manager";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures:
 *   tests/terraform/checks/resource/aws/example_EC2PublicIP/main.tf (CKV_AWS_88),
 *   example_LaunchTemplateMetadataHop/main.tf (CKV_AWS_341), example_SecretManagerSecret90days/main.tf (CKV_AWS_304),
 *   tests/terraform/checks/data/aws/example_GithubActionsOIDCTrustPolicy/main.tf (CKV_AWS_358).
 */

describe("CKV_AWS_88 fixtures (LaunchTemplateNoPublicIp)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(LaunchTemplateNoPublicIp, (s) => {
      const instance = { ami: "ami-12345", instanceType: "t3.micro" };
      const template = { imageId: "ami-12345", instanceType: "t3.micro" };
      new Instance(s, "instance_default", instance);
      new Instance(s, "instance_private", { ...instance, associatePublicIpAddress: false });
      new LaunchTemplate(s, "template_default", template);
      new LaunchTemplate(s, "template_private", { ...template, networkInterfaces: [{ associatePublicIpAddress: "false" }] });
      new Instance(s, "instance_public", { ...instance, associatePublicIpAddress: true });
      new LaunchTemplate(s, "template_public", { ...template, networkInterfaces: [{ associatePublicIpAddress: "true" }] });
      // The for_each fixtures (public_foreach, public_foreach_loop, ...) expand per key: written as one instance per key and value.
      new Instance(s, "public_foreach_key1", { ...instance, associatePublicIpAddress: true });
      new Instance(s, "public_foreach_key2", { ...instance, associatePublicIpAddress: false });
      new Instance(s, "public_foreach_loop_key3", { ...instance, associatePublicIpAddress: true });
      new Instance(s, "public_foreach_loop_key4", { ...instance, associatePublicIpAddress: true });
      new Instance(s, "public_foreach_loop_list_of_dicts_public", { ...instance, associatePublicIpAddress: true });
      new Instance(s, "public_foreach_loop_list_of_dicts_private", { ...instance, associatePublicIpAddress: false });
    });
  });

  it("detects every failing fixture (6/6) and flags no passing one (0/6)", () => {
    const failing = ["instance_public", "template_public", "public_foreach_key1", "public_foreach_loop_key3", "public_foreach_loop_key4", "public_foreach_loop_list_of_dicts_public"];
    const passing = ["instance_default", "instance_private", "template_default", "template_private", "public_foreach_key2", "public_foreach_loop_list_of_dicts_private"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_341 fixtures (LaunchTemplateImdsHopLimit)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(LaunchTemplateImdsHopLimit, (s) => {
      const lc = { imageId: "ami-12345", instanceType: "m4.large", spotPrice: "0.001", lifecycle: { createBeforeDestroy: true } };
      new LaunchConfiguration(s, "lc_pass", { ...lc, metadataOptions: { httpPutResponseHopLimit: 1 } });
      new LaunchConfiguration(s, "lc_pass2", lc);
      new LaunchConfiguration(s, "lc_fail", { ...lc, metadataOptions: { httpPutResponseHopLimit: 2 } });
      // The launch templates' other arguments (CPU, licences, user data ...) do not bear on the check.
      const lt = { name: "foo", imageId: "ami-test", instanceType: "t2.micro", networkInterfaces: [{ associatePublicIpAddress: "true" }] };
      const options = { httpEndpoint: "enabled", httpTokens: "required", instanceMetadataTags: "enabled" };
      new LaunchTemplate(s, "lt_pass", { ...lt, metadataOptions: { ...options, httpPutResponseHopLimit: 1 } });
      new LaunchTemplate(s, "lt_pass2", { ...lt, metadataOptions: options });
      new LaunchTemplate(s, "lt_fail", { ...lt, metadataOptions: { ...options, httpPutResponseHopLimit: 2 } });
    });
  });

  it("detects both failing fixtures (2/2); the two without a hop limit are flagged (deliberately stricter: AMIs with ImdsSupport v2.0 default to 2)", () => {
    expect(misses(v, ["lc_fail", "lt_fail"], ["lc_pass", "lt_pass"])).toEqual({ undetected: [], flagged: [] });
    expect([v.lc_pass2, v.lt_pass2]).toEqual(["non-compliant", "non-compliant"]);
  });
});

describe("CKV_AWS_304 fixtures (SecretsManagerRotation on aws_secretsmanager_secret_rotation)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(SecretsManagerRotation, (s) => {
      const base = { secretId: "${aws_secretsmanager_secret.example.id}", rotationLambdaArn: "${aws_lambda_function.example.arn}" };
      const days = new TerraformVariable(s, "days", { type: "number" });
      const rotation = (id: string, rules: { automaticallyAfterDays?: number; scheduleExpression?: string }) =>
        new SecretsmanagerSecretRotation(s, id, { ...base, rotationRules: rules });
      rotation("pass", { automaticallyAfterDays: 30 });
      rotation("fail", { automaticallyAfterDays: 91 });
      rotation("fail_2", { automaticallyAfterDays: days.numberValue });
      rotation("pass_scheduled_hours", { scheduleExpression: "rate(4 hours)" });
      rotation("pass_scheduled_days", { scheduleExpression: "rate(89 days)" });
      rotation("pass_scheduled_days_90", { scheduleExpression: "rate(90 days)" });
      rotation("fail_scheduled_days", { scheduleExpression: "rate(180 days)" });
      rotation("pass_scheduled_cron", { scheduleExpression: "cron(0 12 * * ? *)" });
    });
  });

  it("detects every failing fixture (3/3) and flags no passing one (0/5)", () => {
    const passing = ["pass", "pass_scheduled_hours", "pass_scheduled_days", "pass_scheduled_days_90", "pass_scheduled_cron"];
    expect(misses(v, ["fail", "fail_2", "fail_scheduled_days"], passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_358 fixtures (GithubOidcTrustScoped on data.aws_iam_policy_document)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(GithubOidcTrustScoped, (s) => {
      const provider = (account: string) => [{ type: "Federated", identifiers: [`arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`] }];
      const sub = (test: string, value: string, variable = "token.actions.githubusercontent.com:sub"): DataAwsIamPolicyDocumentStatementCondition => ({ test, values: [value], variable });
      const aud = sub("StringEquals", "sts.amazonaws.com", "token.actions.githubusercontent.com:aud");
      // The fixtures write `action`, which provider 5.100 does not know: written as `actions`.
      const trust = (id: string, condition: DataAwsIamPolicyDocumentStatementCondition[], account = "123456123456") =>
        new DataAwsIamPolicyDocument(s, id, { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["sts:AssumeRoleWithWebIdentity"], principals: provider(account), condition }] });
      trust("pass_aud_first", [sub("StringEquals", "sts.pass_aud_first.com", "token.actions.githubusercontent.com:aud"), sub("StringLike", "repo:org/our-repo-name:*")], "000000000000");
      new DataAwsIamPolicyDocument(s, "pass1", { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping", "dynamodb:CreateTable"], resources: ["*"] }] });
      trust("pass2", [sub("StringLike", "repo:myOrg/myRepo:*"), aud]);
      trust("pass3", [sub("StringEquals", "repo:myOrg/myRepo:ref:refs/heads/MyBranch"), aud]);
      trust("fail1", []);
      trust("fail2", [sub("StringEquals", "invalid")]);
      trust("fail-wildcard", [sub("StringEquals", "*")]);
      trust("fail-abusable", [sub("StringEquals", "workflow:github-actions:repo:myOrg/myRepo:ref:refs/heads/MyBranch")]);
      trust("fail-wildcard-assertion", [sub("StringEquals", "repo:*")]);
      trust("fail-misused-repo", [sub("StringEquals", "repo:myOrg*")]);
      trust("pass-org-only", [sub("StringEquals", "repo:myOrg/*")]);
      trust("pass-gh-org", [sub("StringEquals", "repo:myOrg/myRepo:ref:refs/heads/MyBranch", "token.actions.githubusercontent.com/github-org:sub"), aud]);
    });
  });

  it("detects every failing fixture (6/6) and flags no passing one (0/6)", () => {
    const failing = ["fail1", "fail2", "fail-wildcard", "fail-abusable", "fail-wildcard-assertion", "fail-misused-repo"];
    const passing = ["pass_aud_first", "pass1", "pass2", "pass3", "pass-org-only", "pass-gh-org"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});
