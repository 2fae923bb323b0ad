import { show } from "../../private/validation";
import { ComplianceRule, Outcome, ResourceView, RuleContext, StackView } from "../rule-model";
import { Block, blocks, isFalse, isSet, isTrue, listOf, literalNumber, objectLockRetentionDays, objectLocksOf } from "../private/attributes";

/** "is not set" or "is <value>", for messages. */
const state = (v: unknown): string => (v === undefined || v === null ? "is not set" : `is ${show(v)}`);

const TRAIL = ["aws_cloudtrail"] as const;

/** CloudTrail log files encrypted with a customer-managed KMS key. */
export const CloudTrailEncrypted = {
  id: "CloudTrailEncrypted",
  description: "The trail encrypts its log files with a customer-managed KMS key.",
  explanation:
    "Without kms_key_id CloudTrail writes log files with SSE-S3 only, so anyone who can read the bucket reads the audit record. " +
    "A KMS key adds a second, separately audited permission and lets access to the logs be revoked by key policy.",
  resourceTypes: TRAIL,
  checkov: ["CKV_AWS_35"],
  cdkNag: ["CloudTrailEncryptionEnabled"],
  evaluate: ({ resource }: RuleContext) =>
    isSet(resource.config.kms_key_id)
      ? Outcome.compliant()
      : Outcome.nonCompliant("kms_key_id is not set, so log files are encrypted with SSE-S3 only; set kms_key_id to the ARN of a customer-managed KMS key that grants cloudtrail.amazonaws.com kms:GenerateDataKey*."),
} as const satisfies ComplianceRule;

/** CloudTrail log file integrity validation. */
export const CloudTrailLogFileValidation = {
  id: "CloudTrailLogFileValidation",
  description: "The trail writes signed digest files so that altered or deleted log files can be detected.",
  explanation:
    "Log file validation makes CloudTrail deliver hourly digest files signed with SHA-256 and RSA; without them nobody can prove " +
    "that the audit record was not modified or truncated after delivery.",
  resourceTypes: TRAIL,
  checkov: ["CKV_AWS_36"],
  cdkNag: ["CloudTrailLogFileValidationEnabled"],
  evaluate: ({ resource }: RuleContext) =>
    isTrue(resource.config.enable_log_file_validation)
      ? Outcome.compliant()
      : Outcome.nonCompliant(`enable_log_file_validation ${state(resource.config.enable_log_file_validation)} (CloudTrail's default is false), so tampering with log files goes undetected; set enable_log_file_validation = true.`),
} as const satisfies ComplianceRule;

/** CloudTrail delivery to CloudWatch Logs. */
export const CloudTrailCloudWatchLogs = {
  id: "CloudTrailCloudWatchLogs",
  description: "The trail delivers its events to a CloudWatch Logs group, where metric filters and alarms can watch them.",
  explanation:
    "Log files in S3 arrive in batches and are read after the fact; delivery to CloudWatch Logs lets metric filters raise alarms " +
    "on root sign-ins, policy changes or break-glass use within minutes. The group needs the role that CloudTrail assumes to write to " +
    "it (CloudTrail refuses a log group without one), so both are required; checkov's CKV2_AWS_10 looks for the group only.",
  resourceTypes: TRAIL,
  checkov: ["CKV2_AWS_10"],
  cdkNag: ["CloudTrailCloudWatchLogsEnabled"],
  evaluate: ({ resource }: RuleContext) => {
    const missing = ["cloud_watch_logs_group_arn", "cloud_watch_logs_role_arn"].filter((a) => !isSet(resource.config[a]));
    if (missing.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set, so events never reach CloudWatch Logs; set cloud_watch_logs_group_arn to "<log group ARN>:*" and cloud_watch_logs_role_arn to a role CloudTrail may assume that can logs:CreateLogStream and logs:PutLogEvents on it.`,
    );
  },
} as const satisfies ComplianceRule;

/** CloudTrail in every region. */
export const CloudTrailMultiRegion = {
  id: "CloudTrailMultiRegion",
  description: "The trail records events of every region, including regions enabled later.",
  explanation: "A single-region trail misses activity in other regions, which is where an intruder would create resources unnoticed.",
  resourceTypes: TRAIL,
  checkov: ["CKV_AWS_67"],
  evaluate: ({ resource }: RuleContext) =>
    isTrue(resource.config.is_multi_region_trail)
      ? Outcome.compliant()
      : Outcome.nonCompliant(`is_multi_region_trail ${state(resource.config.is_multi_region_trail)} (CloudTrail's default is false), so activity in other regions is not recorded; set is_multi_region_trail = true.`),
} as const satisfies ComplianceRule;

/** CloudTrail logging switched on. */
export const CloudTrailLoggingEnabled = {
  id: "CloudTrailLoggingEnabled",
  description: "The trail is logging.",
  explanation: "A trail created with enable_logging = false exists but records nothing, which looks like coverage to a reviewer and is none.",
  resourceTypes: TRAIL,
  checkov: ["CKV_AWS_251"],
  evaluate: ({ resource }: RuleContext) =>
    isFalse(resource.config.enable_logging)
      ? Outcome.nonCompliant("enable_logging is false, so the trail records nothing; remove enable_logging or set it to true.")
      : Outcome.compliant(),
} as const satisfies ComplianceRule;

const S3_OBJECT = "AWS::S3::Object";

/** True when a basic event_selector records S3 object-level events. */
function basicSelectorsLogS3Objects(config: Block): boolean {
  return blocks(config.event_selector).some((sel) => blocks(sel.data_resource).some((d) => d.type === S3_OBJECT));
}

/** True when an advanced_event_selector selects data events (eventCategory = Data) on S3 objects. */
function advancedSelectorsLogS3Objects(config: Block): boolean {
  const equalsOf = (fields: Block[], name: string): unknown[] => fields.filter((f) => f.field === name).flatMap((f) => listOf(f.equals));
  return blocks(config.advanced_event_selector).some((sel) => {
    const fields = blocks(sel.field_selector);
    return equalsOf(fields, "eventCategory").includes("Data") && equalsOf(fields, "resources.type").includes(S3_OBJECT);
  });
}

/** CloudTrail records S3 object-level (data) events. */
export const CloudTrailS3DataEvents = {
  id: "CloudTrailS3DataEvents",
  description: "The trail records S3 data events: who read, wrote or deleted which object.",
  explanation:
    "Management events show bucket configuration changes but not object access; S3 data events are the only record of who " +
    "downloaded model weights or personal data, which breach investigations and access reviews need.",
  resourceTypes: TRAIL,
  // cdk-nag lists the AWS Config rule cloudtrail-s3-dataevents-enabled under "Excluded Rules" (not implemented).
  cdkNag: [],
  evaluate: ({ resource }: RuleContext) =>
    basicSelectorsLogS3Objects(resource.config) || advancedSelectorsLogS3Objects(resource.config)
      ? Outcome.compliant()
      : Outcome.nonCompliant(
          `neither event_selector nor advanced_event_selector selects S3 data events; add an advanced_event_selector with field_selector eventCategory equals ["Data"] and resources.type equals ["${S3_OBJECT}"] (or an event_selector data_resource of type "${S3_OBJECT}").`,
        ),
} as const satisfies ComplianceRule;

/** The aws_s3_bucket the trail delivers to, when it is in the stack. */
function trailBucket(trail: ResourceView, stack: StackView): ResourceView | undefined {
  const name = trail.config.s3_bucket_name;
  return stack.ofType("aws_s3_bucket").find((b) => stack.refersTo(name, b) || (b.config.bucket !== undefined && b.config.bucket === name));
}

/** The aws_cloudwatch_log_group(s) the trail delivers to: referenced, or named in a literal ARN. */
function trailLogGroups(trail: ResourceView, stack: StackView): ResourceView[] {
  const arn = trail.config.cloud_watch_logs_group_arn;
  const namedIn = (g: ResourceView): boolean => {
    const name = g.config.name;
    return typeof arn === "string" && typeof name === "string" && name !== "" && (arn.endsWith(`:log-group:${name}`) || arn.includes(`:log-group:${name}:`));
  };
  return stack.ofType("aws_cloudwatch_log_group").filter((g) => stack.refersTo(arn, g) || namedIn(g));
}

/** Audit logs kept long enough, both searchable (CloudWatch Logs) and archived (S3 object lock). */
export const AuditLogRetention = {
  id: "AuditLogRetention",
  description: "The trail's CloudWatch log group keeps events at least minDays, and the object lock of its bucket keeps log files at least minArchiveDays.",
  explanation:
    "Frameworks require the audit trail to survive for a set period (PCI DSS 10.7: one year; HIPAA keeps documentation six years). " +
    "The log group is the searchable copy and the object-locked bucket the tamper-proof archive; either expiring early loses evidence. " +
    "Neither checkov nor cdk-nag checks these durations.",
  resourceTypes: TRAIL,
  params: { minDays: 365, minArchiveDays: 365 },
  evaluate: ({ resource, stack, params }: RuleContext) => {
    const groups = trailLogGroups(resource, stack);
    if (groups.length === 0) return Outcome.notApplicable();
    const minDays = Number(params.minDays ?? 365);
    const minArchiveDays = Number(params.minArchiveDays ?? 365);
    const problems: string[] = [];

    for (const group of groups) {
      const raw = group.config.retention_in_days;
      // Unset or 0 is "never expire".
      if (!isSet(raw)) continue;
      const days = literalNumber(raw);
      if (days === undefined) problems.push(`retention_in_days of log group ${group.address} is the expression ${show(raw)}, which cannot be checked; set a literal of at least ${minDays} (or 0 to never expire)`);
      else if (days !== 0 && days < minDays) problems.push(`retention_in_days of log group ${group.address} is ${days}; set it to at least ${minDays} (or 0 to never expire)`);
    }

    const bucket = trailBucket(resource, stack);
    if (bucket) {
      const locks = objectLocksOf(stack, bucket);
      // An unlocked trail bucket keeps nothing for sure: anyone with delete rights can shorten the archive.
      if (locks.length === 0) problems.push(`the trail bucket ${bucket.address} has no object lock, so nothing guarantees log files are kept ${minArchiveDays} days; enable object_lock_enabled with an aws_s3_bucket_object_lock_configuration of at least ${minArchiveDays} days`);
      for (const lock of locks) {
        const days = objectLockRetentionDays(lock.config);
        if (days === undefined) problems.push(`object lock ${lock.address} of the trail bucket has no rule.default_retention, so log files are not locked by default; set rule.default_retention.days to at least ${minArchiveDays}`);
        else if (Number.isNaN(days)) problems.push(`rule.default_retention of object lock ${lock.address} is a Terraform expression, which cannot be checked; set a literal days of at least ${minArchiveDays}`);
        else if (days < minArchiveDays) problems.push(`rule.default_retention of object lock ${lock.address} keeps log files ${days} days; set rule.default_retention.days to at least ${minArchiveDays}`);
      }
    }

    return problems.length === 0 ? Outcome.compliant() : Outcome.nonCompliant(`${problems.join("; ")}.`);
  },
} as const satisfies ComplianceRule;

/** Every CloudTrail rule. */
export const CLOUDTRAIL_RULES = [
  CloudTrailEncrypted,
  CloudTrailLogFileValidation,
  CloudTrailCloudWatchLogs,
  CloudTrailMultiRegion,
  CloudTrailLoggingEnabled,
  CloudTrailS3DataEvents,
  AuditLogRetention,
] as const satisfies readonly ComplianceRule[];
