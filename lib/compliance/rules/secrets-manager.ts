import { ComplianceRule, Outcome, ResourceView, RuleOutcome } from "../rule-model";
import { block, isAwsManagedKey, isLiteralString, isSet, literalNumber, shown } from "../private/attributes";

/*
 * Rules over Secrets Manager secrets (aws_secretsmanager_secret) and their rotation (aws_secretsmanager_secret_rotation).
 * Sources: bridgecrewio/checkov@03d5fdad checkov/terraform/checks/resource/aws/SecretManagerSecretEncrypted.py (CKV_AWS_149),
 * checkov/terraform/checks/graph_checks/aws/SecretsAreRotated.yaml (CKV2_AWS_57),
 * checkov/terraform/checks/resource/aws/SecretManagerSecret90days.py (CKV_AWS_304).
 */

/** Secrets Manager secrets are encrypted under a customer-managed KMS key. */
export const SecretsManagerCmk = {
  id: "SecretsManagerCmk",
  description: "Secrets Manager secrets set kms_key_id to a customer-managed KMS key (not aws/secretsmanager).",
  explanation:
    "Without kms_key_id a secret is encrypted under the AWS managed key aws/secretsmanager, whose key policy lets every principal of " +
    "the account with secretsmanager:GetSecretValue decrypt it; a customer key's policy is a second, auditable gate (and can be " +
    "disabled to revoke every copy at once).",
  resourceTypes: ["aws_secretsmanager_secret"],
  checkov: ["CKV_AWS_149"],
  cdkNag: ["SecretsManagerUsingKMSKey"],
  evaluate: ({ resource }): RuleOutcome => {
    const key = resource.config.kms_key_id;
    // checkov fails any kms_key_id containing "aws/"; an AWS managed alias is what it means.
    if (!isSet(key) || isAwsManagedKey(key) || (isLiteralString(key) && key.includes("aws/"))) {
      return Outcome.nonCompliant(`kms_key_id is ${shown(key, "unset (the AWS managed key aws/secretsmanager)")}; set it to a customer-managed KMS key ARN whose policy lets Secrets Manager use it.`);
    }
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** The longest rotation interval in days that a rate() expression gives, as checkov reads it; undefined when not a rate(). */
function rateDays(expression: string): number | undefined {
  const m = /^rate\((\d+)\s+(days?|hours?|minutes?)\)/.exec(expression);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2].startsWith("day") ? n : m[2].startsWith("hour") ? n / 24 : n / 1440;
}

/** Why a rotation's schedule exceeds maxDays, or undefined when it does not (checkov's reading: a cron() always passes). */
function scheduleProblem(rotation: ResourceView, max: number): string | undefined {
  const rules = block(rotation.config.rotation_rules);
  const days = literalNumber(rules?.automatically_after_days);
  if (days !== undefined && days <= max) return undefined;
  const schedule = rules?.schedule_expression;
  if (isLiteralString(schedule)) {
    // checkov passes every cron(); it cannot bound it without a calendar, nor can this rule.
    if (schedule.startsWith("cron(")) return undefined;
    const d = rateDays(schedule);
    if (d !== undefined && d <= max) return undefined;
    return `rotation_rules.schedule_expression is ${JSON.stringify(schedule)}, longer than ${max} days`;
  }
  if (days !== undefined) return `rotation_rules.automatically_after_days is ${days}, more than ${max}`;
  return `rotation_rules is ${shown(rules?.automatically_after_days ?? rules?.schedule_expression)}, which cannot be checked at synth time`;
}

/** Secrets Manager secrets rotate automatically, at most every maxDays. */
export const SecretsManagerRotation = {
  id: "SecretsManagerRotation",
  description: "Every Secrets Manager secret has an aws_secretsmanager_secret_rotation, and every rotation's rotation_rules rotate within maxDays (90).",
  explanation:
    "A secret that never rotates stays valid for as long as anyone who ever read it (a leaked CI log, a former operator, a copied " +
    "pod environment) keeps it. Rotation bounds that window; 90 days is checkov's bound and the common policy. A secret is reported " +
    "when no rotation names it (checkov's CKV2_AWS_57), a rotation when its schedule is too long (checkov's CKV_AWS_304, which judges " +
    "aws_secretsmanager_secret_rotation: checkov@03d5fdad:checkov/terraform/checks/resource/aws/SecretManagerSecret90days.py).",
  resourceTypes: ["aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation"],
  checkov: ["CKV2_AWS_57", "CKV_AWS_304"],
  params: { maxDays: 90 },
  notEvaluatedNote: "the owner of the secrets (Secrets Manager) of this app",
  evaluate: ({ resource, stack, params }): RuleOutcome => {
    const max = Number(params.maxDays ?? 90);
    const schedule = `rotation_rules { automatically_after_days = ${max} } or a rate()/cron() schedule_expression within ${max} days`;
    if (resource.type === "aws_secretsmanager_secret_rotation") {
      const problem = scheduleProblem(resource, max);
      return problem ? Outcome.nonCompliant(`${problem}; set ${schedule}.`) : Outcome.compliant();
    }
    const rotations = stack.attachedTo("aws_secretsmanager_secret_rotation", "secret_id", resource, resource.config.name);
    if (rotations.length > 0) return Outcome.compliant();
    return Outcome.nonCompliant(`no aws_secretsmanager_secret_rotation names this secret, so it never rotates; add one with a rotation_lambda_arn (or a managed rotation) and ${schedule}.`);
  },
} as const satisfies ComplianceRule;

/** Rules over Secrets Manager. */
export const SECRETS_MANAGER_RULES = [SecretsManagerCmk, SecretsManagerRotation] as const satisfies readonly ComplianceRule[];
