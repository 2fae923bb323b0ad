import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamPolicyAttachment } from "@cdktf/provider-aws/lib/iam-policy-attachment";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamUserPolicy } from "@cdktf/provider-aws/lib/iam-user-policy";
import { IamUserPolicyAttachment } from "@cdktf/provider-aws/lib/iam-user-policy-attachment";
import { SsoadminManagedPolicyAttachment } from "@cdktf/provider-aws/lib/ssoadmin-managed-policy-attachment";
import { SsoadminPermissionSetInlinePolicy } from "@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy";
import { IamNoAdminPolicy, IamNoAdministratorAccessAttachment, IamNoFullServiceAccess } from "../../../lib/compliance/rules/iam";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures:
 *   tests/terraform/checks/resource/aws/example_IAMAdminPolicyDocument/iam.tf (CKV_AWS_62),
 *   test_IAMStarActionPolicyDocument.py (CKV_AWS_63, inline confs),
 *   example_IAMManagedAdminPolicy/IAMManagedAdminPolicy.tf (CKV_AWS_274).
 */
const doc = (...statements: object[]) => JSON.stringify({ Statement: statements, Version: "2012-10-17" });
const sso = { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef" };

describe("CKV_AWS_62 fixtures (IamNoAdminPolicy)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoAdminPolicy, (s) => {
      const reads = doc(
        { Action: ["s3:ListBucket*", "s3:HeadBucket", "s3:Get*"], Effect: "Allow", Resource: ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "arn:aws:s3:::b2", "arn:aws:s3:::b2/*"], Sid: "" },
        { Action: "s3:PutObject*", Effect: "Allow", Resource: "arn:aws:s3:::b1/*", Sid: "" },
      );
      const mixed = doc({ Action: ["s3:HeadBucket", "*"], Effect: "Allow", Resource: ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "*"], Sid: "" });
      const policy = (id: string, p: string) => new IamPolicy(s, id, { name: id, path: "/", policy: p });
      policy("pass1", reads);
      policy("fail1", mixed);
      policy("fail2", doc({ Action: ["*"], Effect: "Allow", Resource: ["*"], Sid: "" }));
      policy("fail3", doc({ Action: "*", Effect: "Allow", Resource: "*", Sid: "" }));
      policy("fail4", doc({ Action: "*", Resource: "*", Sid: "" })); // no Effect: Allow is IAM's default reading here, as checkov's
      policy("pass2", doc({ Action: "*", Effect: "Deny", Resource: "*", Sid: "" }));
      new SsoadminPermissionSetInlinePolicy(s, "sso_pass1", { ...sso, inlinePolicy: reads });
      new SsoadminPermissionSetInlinePolicy(s, "sso_fail1", { ...sso, inlinePolicy: mixed });
    });
  });

  it("detects every failing fixture (5/5) and flags no passing one (0/3)", () => {
    expect(misses(v, ["fail1", "fail2", "fail3", "fail4", "sso_fail1"], ["pass1", "pass2", "sso_pass1"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_63 fixtures (IamNoFullServiceAccess)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoFullServiceAccess, (s) => {
      const one = (action: unknown, resource: unknown = "abc*") => JSON.stringify({ Version: "2012-10-17", Statement: [{ Action: action, Effect: "Allow", Resource: resource }] });
      new IamPolicy(s, "test_success", { policy: one(["ec2:Describe*"]) });
      new IamPolicy(s, "test_success_service_star", { policy: one("ec2:*") });
      new IamPolicy(s, "test_failure", { policy: one(["*"]) });
      new IamUserPolicy(s, "test_failure_multiple_statements", {
        name: "test",
        user: "${aws_iam_user.lb.name}",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "SqsAllow", Effect: "Allow", Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListDeadLetterSourceQueues", "sqs:ListQueues", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SendMessageBatch"], Resource: "*" },
            { Sid: "ALL", Effect: "Allow", Action: ["*"], Resource: ["${var.my_resource_arn}"] },
          ],
        }),
      });
      new SsoadminPermissionSetInlinePolicy(s, "test_sso_failure", { ...sso, inlinePolicy: one(["*"]) });
      new SsoadminPermissionSetInlinePolicy(s, "test_sso_success", { ...sso, inlinePolicy: one(["ec2:Describe*"]) });
    });
  });

  it("detects every failing fixture (3/3); flags test_success_service_star (\"ec2:*\"), deliberately stricter (1/3)", () => {
    expect(misses(v, ["test_failure", "test_failure_multiple_statements", "test_sso_failure"], ["test_success", "test_success_service_star", "test_sso_success"]))
      .toEqual({ undetected: [], flagged: ["test_success_service_star"] });
  });
});

describe("CKV_AWS_274 fixtures (IamNoAdministratorAccessAttachment)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamNoAdministratorAccessAttachment, (s) => {
      const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }] });
      const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
      const s3 = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
      const fail1 = new IamRole(s, "role_fail1", { name: "fail1", assumeRolePolicy: trust, managedPolicyArns: [admin] });
      new IamPolicyAttachment(s, "fail2", { name: "fail2", roles: [fail1.name], policyArn: admin });
      new IamRolePolicyAttachment(s, "fail3", { role: fail1.name, policyArn: admin });
      new IamUserPolicyAttachment(s, "fail4", { user: "user", policyArn: admin });
      new IamGroupPolicyAttachment(s, "fail5", { group: "group", policyArn: admin });
      new SsoadminManagedPolicyAttachment(s, "fail6", { ...sso, managedPolicyArn: admin });
      const pass1 = new IamRole(s, "role_pass1", { name: "pass1", assumeRolePolicy: trust, managedPolicyArns: [s3] });
      // The fixture's `role` (not an argument of aws_iam_policy_attachment) written as `roles`.
      new IamPolicyAttachment(s, "pass2", { name: "pass2", roles: [pass1.name], policyArn: s3 });
      new IamRolePolicyAttachment(s, "pass3", { role: pass1.name, policyArn: s3 });
      new IamUserPolicyAttachment(s, "pass4", { user: "user", policyArn: s3 });
      new IamGroupPolicyAttachment(s, "pass5", { group: "group", policyArn: s3 });
      new SsoadminManagedPolicyAttachment(s, "pass7", { ...sso, managedPolicyArn: "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess" });
    });
  });

  it("detects every failing fixture (6/6) and flags no passing one (0/6); pass6 (no policy_arn, required by provider 5.100) is not translatable", () => {
    const failing = ["role_fail1", "fail2", "fail3", "fail4", "fail5", "fail6"];
    const passing = ["role_pass1", "pass2", "pass3", "pass4", "pass5", "pass7"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});
