import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { Fn, TerraformLocal } from "cdktf";
import { EcrImmutableTags, EcrKmsEncryption, EcrRepositoryPolicyNoPublic, EcrScanOnPush } from "../../../lib/compliance/rules/ecr";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures for the ECR rules:
 *   tests/terraform/checks/resource/aws/example_ECRImmutableTags/main.tf (CKV_AWS_51),
 *   tests/terraform/checks/resource/aws/test_ECRImageScanning.py (CKV_AWS_163, inline resource_conf),
 *   tests/terraform/checks/resource/aws/test_ECRRepositoryEncrypted.py (CKV_AWS_136, inline HCL),
 *   tests/terraform/checks/resource/aws/example_ECRPolicy/main.tf (CKV_AWS_32).
 */
describe("CKV_AWS_51 fixtures (EcrImmutableTags)", () => {
  it("detects every failing fixture (2/2) and flags no passing one (0/1)", () => {
    const v = verdicts(EcrImmutableTags, (s) => {
      new EcrRepository(s, "enabled", { name: "example", imageTagMutability: "IMMUTABLE" });
      new EcrRepository(s, "default", { name: "example" });
      new EcrRepository(s, "disabled", { name: "example", imageTagMutability: "MUTABLE" });
    });
    expect(misses(v, ["default", "disabled"], ["enabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_163 fixtures (EcrScanOnPush)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/1)", () => {
    const v = verdicts(EcrScanOnPush, (s) => {
      new EcrRepository(s, "test_failure", { name: "bar", imageTagMutability: "MUTABLE" });
      new EcrRepository(s, "test_success", { name: "bar", imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } });
    });
    expect(misses(v, ["test_failure"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_136 fixtures (EcrKmsEncryption)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/1)", () => {
    const v = verdicts(EcrKmsEncryption, (s) => {
      const base = { name: "bar", imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true } };
      new EcrRepository(s, "test_failure", base);
      new EcrRepository(s, "test_success", { ...base, encryptionConfiguration: [{ encryptionType: "KMS" }] });
    });
    expect(misses(v, ["test_failure"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_32 fixtures (EcrRepositoryPolicyNoPublic)", () => {
  const actions = [
    "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:DescribeRepositories", "ecr:GetRepositoryPolicy", "ecr:ListImages",
    "ecr:DeleteRepository", "ecr:BatchDeleteImage", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
  ];
  const readActions = ["ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer", "ecr:ListImages"];
  const heredoc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2008-10-17", Statement: [{ Sid: "new policy", Effect: "Allow", Action: actions, ...statement }] });
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(EcrRepositoryPolicyNoPublic, (s) => {
      const repo = (id: string, name: string) => new EcrRepository(s, id, { name }).name;
      const orgIds = new TerraformLocal(s, "org_ids", ["o-aaaaaaaaaa", "o-bbbbbbbbbb"]);
      new EcrRepositoryPolicy(s, "fail", { repository: repo("public", "public_repo"), policy: heredoc({ Principal: "*" }) });
      new EcrRepositoryPolicy(s, "pass", {
        repository: repo("private", "private_repo"),
        policy: heredoc({ Principal: { AWS: ["arn:aws:iam::123456789012:user/pull-user-1", "arn:aws:iam::123456789012:user/pull-user-2"] } }),
      });
      new EcrRepositoryPolicy(s, "empty", { repository: repo("empty-repo", "nopolicy_repo"), policy: "" });
      new EcrRepositoryPolicy(s, "pass_conditional", {
        repository: repo("conditional_ok", "conditional_ok_repo"),
        policy: heredoc({ Principal: "*", Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-12345678" } } }),
      });
      new EcrRepositoryPolicy(s, "fail_conditional", {
        repository: repo("conditional_bad", "conditional_bad_repo"),
        policy: heredoc({ Principal: "*", Condition: { "ForAllValues:StringEquals": { "aws:username": "pull-user-1" } } }),
      });
      const encoded = (statement: Record<string, unknown>) => Fn.jsonencode({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Action: readActions, ...statement }] });
      new EcrRepositoryPolicy(s, "cond_any_pass", {
        repository: "example",
        policy: encoded({ Principal: "*", Condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": orgIds.expression } } }),
      });
      new EcrRepositoryPolicy(s, "pass_without_principal", {
        repository: "example",
        policy: encoded({ Condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": orgIds.expression } } }),
      });
      new EcrRepositoryPolicy(s, "cond_equals_pass", {
        repository: "example",
        policy: encoded({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-xxxxxxxxxxx" } } }),
      });
    });
  });

  it("detects every failing fixture (2/2) and flags no passing one read from a policy document (0/5)", () => {
    const passing = ["pass", "pass_conditional", "cond_any_pass", "pass_without_principal", "cond_equals_pass"];
    expect(misses(v, ["fail", "fail_conditional"], passing)).toEqual({ undetected: [], flagged: [] });
  });

  it("flags `empty` (policy = \"\"), which checkov passes: a policy it cannot read fails closed, as the rule's message states", () => {
    expect(v.empty).toBe("non-compliant");
  });
});
