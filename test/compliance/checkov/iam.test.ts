import { Fn } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamNoAdminPolicy, IamNoFullServiceAccess, IamRoleTrustNoWildcard } from "../../../lib/compliance/rules/iam";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov's own fixtures for the IAM checks the library claims, translated into cdktf stacks. Sources:
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/example_IAMRoleAllowAssumeFromAccount/main.tf (CKV_AWS_61),
 * tests/terraform/checks/data/aws/example_AdminPolicyDocument/main.tf (CKV_AWS_1) and example_StarActionPolicyDocument/main.tf (CKV_AWS_49).
 */

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("CKV_AWS_61 fixtures (IamRoleTrustNoWildcard)", () => {
  const failing = ["fail", "fail2", "fail3", "fail4"];
  const passing = ["pass", "pass2", "pass3"];
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(IamRoleTrustNoWildcard, (s) => {
      const role = (id: string, assumeRolePolicy: string) => new IamRole(s, id, { name: `${id}-default`, assumeRolePolicy });
      role("fail", doc({ Action: "sts:AssumeRole", Principal: { AWS: "123123123123" }, Effect: "Allow", Sid: "" }));
      role("fail2", doc({ Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123123123123:root" }, Effect: "Allow", Sid: "" }));
      role("fail3", Fn.jsonencode({ Version: "2012-10-17", Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Sid: "", Principal: { AWS: ["arn:aws:iam::123456789012:role/role-name", "123456789012"] } }] }));
      role("fail4", Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          { Action: "sts:AssumeRole", Effect: "Allow", Sid: "", Principal: { AWS: ["arn:aws:iam::123456789012:role/role-name"] } },
          { Action: "sts:AssumeRole", Effect: "Allow", Sid: "", Principal: { AWS: ["123456789012"] } },
        ],
      }));
      // Provider 5.100 refuses "" at plan (assume_role_policy must be JSON); synthesized as written.
      role("pass2", "");
      role("pass", doc({ Action: "sts:AssumeRole", Principal: { Service: "ecs-tasks.amazonaws.com" }, Effect: "Allow", Sid: "" }));
      role("pass3", Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          { Action: "sts:AssumeRole", Effect: "Deny", Sid: "", Principal: { AWS: ["123456789012"] } },
          { Action: "sts:AssumeRole", Effect: "Allow", Sid: "", Principal: { AWS: ["arn:aws:iam::123456789012:role/role-name"] } },
        ],
      }));
      // Deliberate difference: a condition on the statement is honoured (checkov fails a root principal whatever its conditions).
      role("root-with-mfa", doc({ Action: "sts:AssumeRole", Principal: { AWS: "arn:aws:iam::123123123123:root" }, Effect: "Allow", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }));
    });
  });

  it("detects every failing fixture (4/4), jsonencode ones included, and accepts every passing one (0/3 flagged)", () => {
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });

  it("accepts a root principal under a condition, where checkov fails it (documented leniency)", () => {
    expect(v["root-with-mfa"]).toBe("compliant");
  });
});

describe("CKV_AWS_60 semantics (IamRoleTrustNoWildcard)", () => {
  it("flags AWS \"*\" and accepts it only under a principal-scoping condition", () => {
    const v = verdicts(IamRoleTrustNoWildcard, (s) => {
      new IamRole(s, "fail", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) });
      new IamRole(s, "fail-list", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:role/a", "*"] }, Action: "sts:AssumeRole" }) });
      new IamRole(s, "scoped", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }) });
      new IamRole(s, "arn-scoped", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/ci-*" } } }) });
      new IamRole(s, "any-account-arn", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci" } } }) });
      new IamRole(s, "deny", { assumeRolePolicy: doc({ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) });
    });
    expect(v).toEqual({ "fail": "non-compliant", "fail-list": "non-compliant", "scoped": "compliant", "arn-scoped": "compliant", "any-account-arn": "non-compliant", "deny": "compliant" });
  });
});

describe("CKV_AWS_1 fixtures (IamNoAdminPolicy on data.aws_iam_policy_document)", () => {
  it("detects both failing documents (2/2) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(IamNoAdminPolicy, (s) => {
      new DataAwsIamPolicyDocument(s, "pass", { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["s3:Describe*"], resources: ["*"] }] });
      new DataAwsIamPolicyDocument(s, "fail", { version: "2012-10-17", statement: [{ effect: "Allow", actions: ["*"], resources: ["*"] }] });
      new DataAwsIamPolicyDocument(s, "no_effect", { version: "2012-10-17", statement: [{ actions: ["*"], resources: ["*"] }] });
      // Fixture "list" (Terraform 0.11 `statement = [...]` repeated with interpolated lists) is not valid for provider 5.100: not translated.
    });
    expect(misses(v, ["fail", "no_effect"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_49 semantics (IamNoFullServiceAccess on data.aws_iam_policy_document)", () => {
  it("flags Action \"*\" in any document, \"<service>:*\" only in identity statements (no principals)", () => {
    const v = verdicts(IamNoFullServiceAccess, (s) => {
      new DataAwsIamPolicyDocument(s, "star", { statement: [{ actions: ["*"], resources: ["arn:aws:s3:::b"] }] });
      new DataAwsIamPolicyDocument(s, "service-star", { statement: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b"] }] });
      new DataAwsIamPolicyDocument(s, "key-policy", { statement: [{ actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] }] });
      new DataAwsIamPolicyDocument(s, "deny", { statement: [{ effect: "Deny", actions: ["*"], resources: ["*"] }] });
      new DataAwsIamPolicyDocument(s, "scoped", { statement: [{ actions: ["s3:GetObject"], resources: ["*"] }] });
    });
    expect(v).toEqual({ "star": "non-compliant", "service-star": "non-compliant", "key-policy": "compliant", "deny": "compliant", "scoped": "compliant" });
  });
});
