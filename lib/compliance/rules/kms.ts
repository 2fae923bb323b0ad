import { show } from "../../private/validation";
import { ComplianceRule, Outcome } from "../rule-model";
import { isFalse, isLiteralString, isSet, isTrue } from "../private/attributes";
import { Statement, isPrincipalScoped, isPublicAllow, readPolicyStatements, statementName } from "../private/policy";

/**
 * isPublicAllow, plus "*" under any principal kind or in a bare principal list (`"Principal": ["foo", "*"]`, read as kinds
 * "0", "1", ...), which checkov's CKV_AWS_33 fixtures fail (checkov@03d5fdad:tests/terraform/checks/resource/aws/example_KMSKeyWildcardPrincipal/fail.tf, fail_1).
 */
const isOpenAllow = (s: Statement): boolean =>
  isPublicAllow(s) || (s.effect === "Allow" && Object.values(s.principals).some((ids) => ids.includes("*")) && !isPrincipalScoped(s));

/** Automatic rotation of a symmetric encryption key's material. */
export const KMSKeyRotationEnabled = {
  id: "KMSKeyRotationEnabled",
  description: "Symmetric encryption KMS keys rotate their key material automatically.",
  explanation:
    "Rotation limits how much data one key version protects and how long a leaked version stays useful; NIST 800-53 SC-12 " +
    "and PCI DSS 3.6.4 expect cryptoperiods. KMS rotates only symmetric encryption keys outside custom key stores, so " +
    "asymmetric, HMAC and custom-key-store keys are not applicable.",
  resourceTypes: ["aws_kms_key"],
  checkov: ["CKV_AWS_7"],
  cdkNag: ["KMSBackingKeyRotationEnabled", "AwsSolutions-KMS5"],
  evaluate: ({ resource }) => {
    const c = resource.config;
    const spec = c.customer_master_key_spec ?? "SYMMETRIC_DEFAULT";
    const usage = c.key_usage ?? "ENCRYPT_DECRYPT";
    // KMS refuses automatic rotation for these keys (KMS Developer Guide, "Rotating AWS KMS keys").
    if (isLiteralString(spec) && spec !== "SYMMETRIC_DEFAULT") return Outcome.notApplicable();
    if (isLiteralString(usage) && usage !== "ENCRYPT_DECRYPT") return Outcome.notApplicable();
    if (isSet(c.custom_key_store_id) || isSet(c.xks_key_id)) return Outcome.notApplicable();
    if (isTrue(c.enable_key_rotation)) return Outcome.compliant();
    const now = c.enable_key_rotation === undefined ? "unset (KMS default: no rotation)" : show(c.enable_key_rotation);
    return Outcome.nonCompliant(`enable_key_rotation is ${now}; set enable_key_rotation = true so that KMS rotates the key material every rotation_period_in_days (default 365).`);
  },
} as const satisfies ComplianceRule;

/** No key policy statement lets every principal use or manage the key. */
export const KMSKeyPolicyNoWildcardPrincipal = {
  id: "KMSKeyPolicyNoWildcardPrincipal",
  description: "KMS key policies have no Allow statement for the wildcard principal \"*\" unless a principal-scoping condition (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID, ...) confines it.",
  explanation:
    "A key policy that allows Principal \"*\" lets any AWS account (and, without conditions, anyone who can sign a request) " +
    "use or manage the key, so whoever reaches the ciphertext can decrypt it. Name the account root, roles or service principals, or confine " +
    "the statement to your account or organization (kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID). checkov's CKV_AWS_33 passes a " +
    "statement with any condition; this rule requires a principal-scoping one (deliberately stricter).",
  resourceTypes: ["aws_kms_key", "aws_kms_key_policy"],
  checkov: ["CKV_AWS_33"],
  evaluate: ({ resource, stack }) => {
    const policy = resource.config.policy;
    // Without a policy the key has KMS's default policy (account root only); KMSKeyExplicitPolicy reports that.
    if (!isSet(policy)) return Outcome.notApplicable();
    const statements = readPolicyStatements(stack, policy);
    if (!statements) {
      return Outcome.nonCompliant("policy is not a JSON policy document this rule can read (e.g. a variable, or jsonencode() of values known only at apply), so its principals cannot be checked; give policy as JSON text, or suppress this finding with a reason.");
    }
    const open = statements.filter(isOpenAllow);
    if (open.length === 0) return Outcome.compliant();
    const names = open.map((s) => statementName(s, statements.indexOf(s))).join(", ");
    return Outcome.nonCompliant(`policy allows Principal "*" in statement ${names}; name the account root, roles or service principals that need the key instead.`);
  },
} as const satisfies ComplianceRule;

/** The key is usable. */
export const KMSKeyEnabled = {
  id: "KMSKeyEnabled",
  description: "KMS keys are enabled.",
  explanation:
    "A disabled key cannot decrypt: everything encrypted under it (volumes, buckets, secrets, logs) becomes unreadable " +
    "until it is enabled again, and a disabled key is often a key left behind on its way to deletion.",
  resourceTypes: ["aws_kms_key"],
  checkov: ["CKV_AWS_227"],
  evaluate: ({ resource }) => {
    const v = resource.config.is_enabled;
    if (isFalse(v)) {
      return Outcome.nonCompliant("is_enabled is false, so nothing encrypted under the key can be decrypted; remove is_enabled or set it to true.");
    }
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** The key has a policy written by its owner, not KMS's default. */
export const KMSKeyExplicitPolicy = {
  id: "KMSKeyExplicitPolicy",
  description: "KMS keys have an explicit key policy (policy attribute or an aws_kms_key_policy).",
  explanation:
    "Without a policy KMS applies its default key policy, which hands the key to the account root and so to any IAM " +
    "policy in the account that grants kms:*; an explicit policy states who may use and manage the key, where an auditor can read it.",
  resourceTypes: ["aws_kms_key"],
  checkov: ["CKV2_AWS_64"],
  evaluate: ({ resource, stack }) => {
    if (isSet(resource.config.policy)) return Outcome.compliant();
    if (stack.attachedTo("aws_kms_key_policy", "key_id", resource).length > 0) return Outcome.compliant();
    return Outcome.nonCompliant("policy is unset and no aws_kms_key_policy has a key_id referring to this key, so KMS applies its default key policy; set policy, or add an aws_kms_key_policy for the key.");
  },
} as const satisfies ComplianceRule;

/** Rules for KMS keys. */
export const KMS_RULES = [KMSKeyRotationEnabled, KMSKeyPolicyNoWildcardPrincipal, KMSKeyEnabled, KMSKeyExplicitPolicy] as const satisfies readonly ComplianceRule[];
