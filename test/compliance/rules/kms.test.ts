import { Fn, TerraformStack, Testing, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { ComplianceRule, RuleOutcome } from "../../../lib/compliance/rule-model";
import { stackViewOf } from "../../../lib/compliance/private/stack-view";
import { KMS_RULES, KMSKeyEnabled, KMSKeyExplicitPolicy, KMSKeyPolicyNoWildcardPrincipal, KMSKeyRotationEnabled } from "../../../lib/compliance/rules/kms";
import { AuditTrail } from "../../../lib/security/audit-trail";
import { EncryptionKey } from "../../../lib/security/encryption-key";
import { SecureBucket } from "../../../lib/security/secure-bucket";
import { evaluateRule } from "../rule-harness";

const ROOT = "arn:aws:iam::123456789012:root";
const policy = (...statements: object[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const adminStatement = { Sid: "Root", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" };

describe("KMSKeyRotationEnabled", () => {
  it("passes a symmetric key with rotation on", () => {
    const { byId } = evaluateRule(KMSKeyRotationEnabled, (s) => new KmsKey(s, "k", { enableKeyRotation: true }));
    expect(byId.k.status).toBe("compliant");
  });

  it("flags a symmetric key without rotation, naming enable_key_rotation", () => {
    const { byId } = evaluateRule(KMSKeyRotationEnabled, (s) => {
      new KmsKey(s, "unset", { customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT" });
      new KmsKey(s, "off", { enableKeyRotation: false });
    });
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("enable_key_rotation is unset") });
    expect(byId.unset.message).toContain("set enable_key_rotation = true");
    expect(byId.off.message).toContain("enable_key_rotation is false");
  });

  it("does not apply to asymmetric, HMAC or custom-key-store keys, which KMS cannot rotate", () => {
    const { byId } = evaluateRule(KMSKeyRotationEnabled, (s) => {
      new KmsKey(s, "rsa", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
      new KmsKey(s, "ecc", { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
      new KmsKey(s, "hmac", { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" });
      new KmsKey(s, "cloudhsm", { customKeyStoreId: "cks-1234567890abcdef0" });
    });
    for (const id of ["rsa", "ecc", "hmac", "cloudhsm"]) expect(byId[id].status).toBe("not-applicable");
  });
});

describe("KMSKeyPolicyNoWildcardPrincipal", () => {
  it("passes key policies that name their principals, and Deny statements for everyone", () => {
    const deny = { Sid: "DenyAll", Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" };
    const { byId } = evaluateRule(KMSKeyPolicyNoWildcardPrincipal, (s) => {
      const k = new KmsKey(s, "inline", { policy: policy(adminStatement, deny) });
      new KmsKey(s, "separate", {});
      new KmsKeyPolicy(s, "attached", { keyId: k.keyId, policy: policy(adminStatement) });
    });
    expect(byId.inline.status).toBe("compliant");
    expect(byId.attached.status).toBe("compliant");
  });

  it("flags an Allow for Principal \"*\" in aws_kms_key and aws_kms_key_policy, naming the statement", () => {
    const { byId } = evaluateRule(KMSKeyPolicyNoWildcardPrincipal, (s) => {
      new KmsKey(s, "bare", { policy: policy(adminStatement, { Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }) });
      const k = new KmsKey(s, "k", {});
      new KmsKeyPolicy(s, "aws-star", { keyId: k.keyId, policy: policy({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }) });
    });
    expect(byId.bare).toEqual({ status: "non-compliant", message: expect.stringContaining('Principal "*" in statement "Everyone"') });
    expect(byId["aws-star"]).toEqual({ status: "non-compliant", message: expect.stringContaining("statement #1") });
  });

  it("does not apply to a key without a policy attribute (KMSKeyExplicitPolicy covers it)", () => {
    const { byId } = evaluateRule(KMSKeyPolicyNoWildcardPrincipal, (s) => new KmsKey(s, "k", {}));
    expect(byId.k.status).toBe("not-applicable");
  });

  it("reads a policy written with Fn.jsonencode of literal values", () => {
    const { byId } = evaluateRule(KMSKeyPolicyNoWildcardPrincipal, (s) => {
      new KmsKey(s, "k", { policy: Fn.jsonencode({ Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*", Principal: { AWS: "*" } }] }) });
    });
    expect(byId.k).toEqual({ status: "non-compliant", message: expect.stringContaining("statement #1") });
  });

  it("flags a policy known only at apply rather than passing it unseen", () => {
    const { byId } = evaluateRule(KMSKeyPolicyNoWildcardPrincipal, (s) => {
      new KmsKey(s, "k", { policy: Fn.jsonencode(new TerraformVariable(s, "doc", {}).value) });
    });
    expect(byId.k).toEqual({ status: "non-compliant", message: expect.stringContaining("policy is not a JSON policy document") });
  });
});

describe("KMSKeyEnabled", () => {
  it("passes keys left enabled (the default) or enabled explicitly", () => {
    const { byId } = evaluateRule(KMSKeyEnabled, (s) => {
      new KmsKey(s, "default", {});
      new KmsKey(s, "on", { isEnabled: true });
    });
    expect(byId.default.status).toBe("compliant");
    expect(byId.on.status).toBe("compliant");
  });

  it("flags a disabled key, naming is_enabled", () => {
    const { byId } = evaluateRule(KMSKeyEnabled, (s) => new KmsKey(s, "k", { isEnabled: false }));
    expect(byId.k).toEqual({ status: "non-compliant", message: expect.stringContaining("is_enabled is false") });
  });
});

describe("KMSKeyExplicitPolicy", () => {
  it("passes a key with a policy attribute or with an aws_kms_key_policy for it", () => {
    const { byId } = evaluateRule(KMSKeyExplicitPolicy, (s) => {
      new KmsKey(s, "inline", { policy: policy(adminStatement) });
      const k = new KmsKey(s, "separate", {});
      new KmsKeyPolicy(s, "separate-policy", { keyId: k.keyId, policy: policy(adminStatement) });
    });
    expect(byId.inline.status).toBe("compliant");
    expect(byId.separate.status).toBe("compliant");
  });

  it("flags a key left with the KMS default policy, even when another key has an aws_kms_key_policy", () => {
    const { byId } = evaluateRule(KMSKeyExplicitPolicy, (s) => {
      new KmsKey(s, "bare", {});
      const other = new KmsKey(s, "other", {});
      new KmsKeyPolicy(s, "other-policy", { keyId: other.keyId, policy: policy(adminStatement) });
    });
    expect(byId.bare).toEqual({ status: "non-compliant", message: expect.stringContaining("policy is unset and no aws_kms_key_policy") });
    expect(byId.other.status).toBe("compliant");
  });
});

describe("the library's EncryptionKey", () => {
  let outcomes: Array<{ rule: string; key: string; outcome: RuleOutcome }>;

  beforeAll(() => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "rules");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new EncryptionKey(stack, "plain", { purpose: "data" });
    const granted = new EncryptionKey(stack, "granted", { purpose: "eks-secrets", rotationPeriodInDays: 90 });
    granted.grantUse("NodesUseKey", ["arn:aws:iam::123456789012:role/nodes"]);
    granted.grantCloudWatchLogs("/aws/eks/*");
    granted.grantEbsForAutoScaling();
    granted.grantService("SnsUsesKey", "sns.amazonaws.com", ["kms:GenerateDataKey*", "kms:Decrypt"]);
    // AuditTrail adds CloudTrail and CloudWatch Logs statements to its own key.
    const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    new AuditTrail(stack, "trail", { name: "ml-audit", accessLogBucket: logs });
    const view = stackViewOf("rules", JSON.parse(Testing.synth(stack)));
    const rules: readonly ComplianceRule[] = KMS_RULES;
    outcomes = rules.flatMap((rule) => view.resources
      .filter((r) => r.mode === "managed" && rule.resourceTypes.includes(r.type))
      .map((resource) => ({ rule: rule.id, key: resource.path, outcome: rule.evaluate({ resource, stack: view, params: { ...rule.params } }) })));
  });

  it("is compliant with every KMS rule by default and after its grant methods", () => {
    expect(outcomes.length).toBe(KMS_RULES.length * 3);
    for (const o of outcomes) expect({ ...o, status: o.outcome.status }).toEqual({ ...o, status: "compliant" });
  });
});
