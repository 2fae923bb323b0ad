import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { Fn } from "cdktf";
import { KMSKeyEnabled, KMSKeyExplicitPolicy, KMSKeyPolicyNoWildcardPrincipal, KMSKeyRotationEnabled } from "../../../lib/compliance/rules/kms";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures for the KMS rules:
 *   tests/terraform/checks/resource/aws/example_KMSRotation/main.tf (CKV_AWS_7),
 *   tests/terraform/checks/resource/aws/example_KMSKeyWildcardPrincipal/{fail,pass}.tf (CKV_AWS_33),
 *   tests/terraform/checks/resource/aws/example_KMSKeyIsEnabled/main.tf (CKV_AWS_227),
 *   tests/terraform/graph/checks/resources/KmsKeyPolicyIsDefined/main.tf (CKV2_AWS_64).
 * Heredoc policies with a trailing comma after the last statement (fail_0, and the three CKV_AWS_227 keys) are not JSON;
 * they are translated without that comma.
 */
const doc = (...statements: Array<Record<string, unknown>>) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const stmt = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: principal, Action: "kms:*", Resource: "*", ...extra });
const root = stmt({ AWS: "arn:aws:iam::111122223333:root" });

describe("CKV_AWS_7 fixtures (KMSKeyRotationEnabled)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(KMSKeyRotationEnabled, (s) => {
      const base = { description: "KMS key 1", deletionWindowInDays: 10 };
      new KmsKey(s, "pass1", { ...base, enableKeyRotation: true });
      new KmsKey(s, "pass2", { ...base, customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: true });
      new KmsKey(s, "unknown1", { ...base, customerMasterKeySpec: "RSA_2048" });
      new KmsKey(s, "unknown2", { ...base, customerMasterKeySpec: "RSA_3072" });
      new KmsKey(s, "unknown2b", { ...base, customerMasterKeySpec: "RSA_4096" }); // checkov's fixture repeats the name unknown2
      new KmsKey(s, "fail1", base);
      new KmsKey(s, "fail2", { ...base, enableKeyRotation: false });
      new KmsKey(s, "fail3", { ...base, customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: false });
      new KmsKey(s, "fail4", { ...base, customerMasterKeySpec: "SYMMETRIC_DEFAULT" });
    });
  });

  it("detects every failing fixture (4/4) and flags no passing one (0/2)", () => {
    expect(misses(v, ["fail1", "fail2", "fail3", "fail4"], ["pass1", "pass2"])).toEqual({ undetected: [], flagged: [] });
  });

  it("does not judge the asymmetric keys checkov reports as unknown", () => {
    expect([v.unknown1, v.unknown2, v.unknown2b]).toEqual(["not-applicable", "not-applicable", "not-applicable"]);
  });
});

describe("CKV_AWS_33 fixtures (KMSKeyPolicyNoWildcardPrincipal)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(KMSKeyPolicyNoWildcardPrincipal, (s) => {
      const key = (id: string, ...statements: Array<Record<string, unknown>>) => new KmsKey(s, id, { description: "description", policy: doc(...statements) });
      key("fail_0", root, stmt({ AWS: "*" }));
      key("fail_1", stmt(["foo", "*"]));
      key("fail_2", stmt("*"));
      key("fail_3", stmt(["foo", "*"]));
      key("fail_4", root, stmt({ AWS: ["arn:aws:iam::111122223333:root", "*"] }));
      key("pass_0", root);
      key("pass_1", { ...stmt({ AWS: "*" }), Effect: "Deny" });
      key("pass_2", stmt("foo"));
      key("pass_3", stmt(["foo", "bar"]));
      key(
        "pass_4",
        stmt({ AWS: "arn:aws:iam::111122223333:root" }, { Sid: "Enable IAM User Permissions", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }),
        stmt({ AWS: "*" }, { Sid: "RestrictWildcardPrincipalToAccount", Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } } }),
      );
    });
  });

  it("detects every failing fixture (5/5), including a bare principal list containing \"*\", and flags no passing one (0/5)", () => {
    const failing = ["fail_0", "fail_1", "fail_2", "fail_3", "fail_4"];
    const passing = ["pass_0", "pass_1", "pass_2", "pass_3", "pass_4"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_227 fixtures (KMSKeyEnabled)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(KMSKeyEnabled, (s) => {
      const base = { description: "description", policy: doc(root, stmt({ AWS: "*" })), tags: { test: "Fail" } };
      new KmsKey(s, "fail", { ...base, isEnabled: false });
      new KmsKey(s, "pass", { ...base, isEnabled: true });
      new KmsKey(s, "pass2", base);
    });
  });

  it("detects the failing fixture (1/1) and flags no passing one (0/2)", () => {
    expect(misses(v, ["fail"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV2_AWS_64 fixtures (KMSKeyExplicitPolicy)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(KMSKeyExplicitPolicy, (s) => {
      const policy = Fn.jsonencode({ Id: "example", Statement: [{ Action: "kms:*", Effect: "Allow", Principal: { AWS: "*" }, Resource: "*", Sid: "Enable IAM User Permissions" }], Version: "2012-10-17" });
      const pass = new KmsKey(s, "pass", { enableKeyRotation: true });
      new KmsKey(s, "pass2", { enableKeyRotation: true, policy });
      new KmsKeyPolicy(s, "pike", { keyId: pass.id, policy });
      new KmsKey(s, "fail", { enableKeyRotation: true });
    });
  });

  it("detects the failing fixture (1/1) and flags no passing one (0/2), the policy of `pass` given by an aws_kms_key_policy", () => {
    expect(misses(v, ["fail"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: [] });
  });
});
