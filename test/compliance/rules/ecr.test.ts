import { Fn, TerraformVariable } from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrRepositoryPolicy } from "@cdktf/provider-aws/lib/ecr-repository-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { ECR_RULES, EcrImmutableTags, EcrKmsEncryption, EcrRepositoryPolicyNoPublic, EcrScanOnPush } from "../../../lib/compliance/rules/ecr";
import { evaluateRule } from "../rule-harness";

const policy = (...statements: object[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

describe("EcrImmutableTags", () => {
  it("passes a repository with immutable tags", () => {
    const { byId } = evaluateRule(EcrImmutableTags, (s) => new EcrRepository(s, "r", { name: "models", imageTagMutability: "IMMUTABLE" }));
    expect(byId.r.status).toBe("compliant");
  });

  it("flags mutable tags, explicit or by default, naming image_tag_mutability", () => {
    const { byId } = evaluateRule(EcrImmutableTags, (s) => {
      new EcrRepository(s, "default", { name: "a" });
      new EcrRepository(s, "mutable", { name: "b", imageTagMutability: "MUTABLE" });
    });
    expect(byId.default).toEqual({ status: "non-compliant", message: expect.stringContaining('image_tag_mutability is unset (default "MUTABLE")') });
    expect(byId.mutable).toEqual({ status: "non-compliant", message: expect.stringContaining('image_tag_mutability is "MUTABLE"') });
  });
});

describe("EcrScanOnPush", () => {
  it("passes a repository that scans images on push", () => {
    const { byId } = evaluateRule(EcrScanOnPush, (s) => new EcrRepository(s, "r", { name: "models", imageScanningConfiguration: { scanOnPush: true } }));
    expect(byId.r.status).toBe("compliant");
  });

  it("flags a repository without scan on push, naming image_scanning_configuration.scan_on_push", () => {
    const { byId } = evaluateRule(EcrScanOnPush, (s) => {
      new EcrRepository(s, "unset", { name: "a" });
      new EcrRepository(s, "off", { name: "b", imageScanningConfiguration: { scanOnPush: false } });
    });
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("image_scanning_configuration.scan_on_push is unset") });
    expect(byId.off).toEqual({ status: "non-compliant", message: expect.stringContaining("image_scanning_configuration.scan_on_push is false") });
  });
});

describe("EcrKmsEncryption", () => {
  it("passes a repository encrypted with KMS", () => {
    const { byId } = evaluateRule(EcrKmsEncryption, (s) => {
      const key = new KmsKey(s, "key", { enableKeyRotation: true });
      new EcrRepository(s, "r", { name: "models", encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }] });
    });
    expect(byId.r.status).toBe("compliant");
  });

  it("flags AES256 encryption, explicit or by default, naming encryption_configuration.encryption_type", () => {
    const { byId } = evaluateRule(EcrKmsEncryption, (s) => {
      new EcrRepository(s, "default", { name: "a" });
      new EcrRepository(s, "aes", { name: "b", encryptionConfiguration: [{ encryptionType: "AES256" }] });
    });
    expect(byId.default).toEqual({ status: "non-compliant", message: expect.stringContaining('encryption_configuration.encryption_type is unset (default "AES256")') });
    expect(byId.aes).toEqual({ status: "non-compliant", message: expect.stringContaining('encryption_configuration.encryption_type is "AES256"') });
  });
});

describe("EcrRepositoryPolicyNoPublic", () => {
  it("passes a policy that lets named accounts pull", () => {
    const { byId } = evaluateRule(EcrRepositoryPolicyNoPublic, (s) => {
      const repo = new EcrRepository(s, "repo", { name: "models" });
      new EcrRepositoryPolicy(s, "p", { repository: repo.name, policy: policy({ Sid: "ProdPulls", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: PULL }) });
    });
    expect(byId.p.status).toBe("compliant");
  });

  it("flags an Allow for Principal \"*\", naming the statement", () => {
    const { byId } = evaluateRule(EcrRepositoryPolicyNoPublic, (s) => {
      const repo = new EcrRepository(s, "repo", { name: "models" });
      new EcrRepositoryPolicy(s, "bare", { repository: repo.name, policy: policy({ Sid: "AnyonePulls", Effect: "Allow", Principal: "*", Action: PULL }) });
      new EcrRepositoryPolicy(s, "aws-star", { repository: repo.name, policy: policy({ Effect: "Allow", Principal: { AWS: "*" }, Action: PULL }) });
    });
    expect(byId.bare).toEqual({ status: "non-compliant", message: expect.stringContaining('Principal "*" in statement "AnyonePulls"') });
    expect(byId["aws-star"]).toEqual({ status: "non-compliant", message: expect.stringContaining("statement #1") });
  });

  it("reads a policy written with Fn.jsonencode of literal values", () => {
    const { byId } = evaluateRule(EcrRepositoryPolicyNoPublic, (s) => {
      const repo = new EcrRepository(s, "repo", { name: "models" });
      new EcrRepositoryPolicy(s, "p", { repository: repo.name, policy: Fn.jsonencode({ Statement: [{ Effect: "Allow", Action: PULL, Principal: "*" }] }) });
    });
    expect(byId.p).toEqual({ status: "non-compliant", message: expect.stringContaining("statement #1") });
  });

  it("flags a policy known only at apply rather than passing it unseen", () => {
    const { byId } = evaluateRule(EcrRepositoryPolicyNoPublic, (s) => {
      const repo = new EcrRepository(s, "repo", { name: "models" });
      new EcrRepositoryPolicy(s, "p", { repository: repo.name, policy: Fn.jsonencode(new TerraformVariable(s, "doc", {}).value) });
    });
    expect(byId.p).toEqual({ status: "non-compliant", message: expect.stringContaining("policy is not a JSON policy document") });
  });
});

it("exports every ECR rule in ECR_RULES", () => {
  expect(ECR_RULES.map((r) => r.id)).toEqual(["EcrImmutableTags", "EcrScanOnPush", "EcrKmsEncryption", "EcrRepositoryPolicyNoPublic"]);
});
