import { ComplianceRule, Outcome, RuleContext } from "../rule-model";
import { hasEntry, isFalse, isSet, literalNumber } from "../private/attributes";

/** CloudWatch Logs group encrypted with a customer-managed KMS key. */
export const LogGroupEncrypted = {
  id: "LogGroupEncrypted",
  description: "The log group encrypts its events with a customer-managed KMS key.",
  explanation:
    "CloudWatch Logs encrypts with a service key by default, which any principal with logs:GetLogEvents can read through. " +
    "A customer-managed key makes reading the logs also depend on the key policy, and lets access be revoked by disabling the key.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  checkov: ["CKV_AWS_158"],
  cdkNag: ["CloudWatchLogGroupEncrypted"],
  evaluate: ({ resource }: RuleContext) =>
    isSet(resource.config.kms_key_id)
      ? Outcome.compliant()
      : Outcome.nonCompliant("kms_key_id is not set, so events are encrypted only with the CloudWatch Logs service key; set kms_key_id to the ARN of a customer-managed KMS key whose policy lets logs.<region>.amazonaws.com use it for this group."),
} as const satisfies ComplianceRule;

/** CloudWatch Logs group keeps events long enough. */
export const LogGroupRetention = {
  id: "LogGroupRetention",
  description: "The log group has an explicit retention of at least minDays, or never expires (0).",
  explanation:
    "Without retention_in_days the retention is whatever the console default is and nobody decided it; below a year it loses the " +
    "history that PCI DSS 10.7, NIST AU-11 and incident investigations need. AWS Config's cw-loggroup-retention-period-check uses 365 days.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  checkov: ["CKV_AWS_66", "CKV_AWS_338"],
  cdkNag: ["CloudWatchLogGroupRetentionPeriod"],
  params: { minDays: 365 },
  evaluate: ({ resource, params }: RuleContext) => {
    const minDays = Number(params.minDays ?? 365);
    const raw = resource.config.retention_in_days;
    if (!isSet(raw)) return Outcome.nonCompliant(`retention_in_days is not set, so no retention was decided; set retention_in_days to at least ${minDays} (or 0 to never expire).`);
    const days = literalNumber(raw);
    if (days === undefined) return Outcome.nonCompliant(`retention_in_days is the expression "${String(raw)}", which cannot be checked at synth; set a literal of at least ${minDays} (or 0 to never expire).`);
    if (days !== 0 && days < minDays) return Outcome.nonCompliant(`retention_in_days is ${days}, so events are deleted after less than ${minDays} days; set retention_in_days to at least ${minDays} (or 0 to never expire).`);
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

const ACTION_LISTS = ["alarm_actions", "ok_actions", "insufficient_data_actions"] as const;

/** CloudWatch alarm notifies someone when it changes state. */
export const AlarmActionsEnabled = {
  id: "AlarmActionsEnabled",
  description: "The alarm has its actions enabled and at least one action (alarm, OK or insufficient-data).",
  explanation: "An alarm without actions, or with actions disabled, changes state silently: the condition it watches for is detected and nobody is told.",
  resourceTypes: ["aws_cloudwatch_metric_alarm"],
  checkov: ["CKV_AWS_319"],
  cdkNag: ["CloudWatchAlarmAction"],
  evaluate: ({ resource }: RuleContext) => {
    const problems: string[] = [];
    if (isFalse(resource.config.actions_enabled)) problems.push("actions_enabled is false, so the alarm never notifies; remove actions_enabled or set it to true");
    if (!ACTION_LISTS.some((a) => hasEntry(resource.config[a]))) problems.push(`${ACTION_LISTS.join(", ")} are all empty, so a state change reaches nobody; add an SNS topic ARN (or another action) to alarm_actions`);
    return problems.length === 0 ? Outcome.compliant() : Outcome.nonCompliant(`${problems.join("; ")}.`);
  },
} as const satisfies ComplianceRule;

/** Every CloudWatch rule. */
export const CLOUDWATCH_RULES = [LogGroupEncrypted, LogGroupRetention, AlarmActionsEnabled] as const satisfies readonly ComplianceRule[];
