import { TerraformStack } from "cdktf";
import { Cloudtrail, CloudtrailConfig } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import {
  AuditLogRetention,
  CLOUDTRAIL_RULES,
  CloudTrailCloudWatchLogs,
  CloudTrailEncrypted,
  CloudTrailLogFileValidation,
  CloudTrailLoggingEnabled,
  CloudTrailMultiRegion,
  CloudTrailS3DataEvents,
} from "../../../lib/compliance/rules/cloudtrail";
import { AuditTrail } from "../../../lib/security/audit-trail";
import { SecureBucket } from "../../../lib/security/secure-bucket";
import { evaluateRule } from "../rule-harness";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE = "arn:aws:iam::123456789012:role/trail-logs";

/** A trail with every setting the CloudTrail rules ask for; `overrides` breaks one. */
function trail(stack: TerraformStack, id: string, overrides: Partial<CloudtrailConfig> = {}): Cloudtrail {
  return new Cloudtrail(stack, id, {
    name: id,
    s3BucketName: "trail-bucket",
    kmsKeyId: KEY,
    enableLogFileValidation: true,
    isMultiRegionTrail: true,
    enableLogging: true,
    cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/x:*",
    cloudWatchLogsRoleArn: ROLE,
    eventSelector: [{ readWriteType: "All", dataResource: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }],
    ...overrides,
  });
}

describe("CloudTrailEncrypted", () => {
  const { byId } = evaluateRule(CloudTrailEncrypted, (stack) => {
    trail(stack, "with-key");
    trail(stack, "without-key", { kmsKeyId: undefined });
  });

  it("passes a trail with kms_key_id", () => expect(byId["with-key"].status).toBe("compliant"));

  it("flags a trail without kms_key_id and says to set it", () => {
    expect(byId["without-key"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set kms_key_id") });
  });
});

describe("CloudTrailLogFileValidation", () => {
  const { byId } = evaluateRule(CloudTrailLogFileValidation, (stack) => {
    trail(stack, "validated");
    trail(stack, "unvalidated", { enableLogFileValidation: false });
    trail(stack, "default", { enableLogFileValidation: undefined });
  });

  it("passes a trail with enable_log_file_validation = true", () => expect(byId.validated.status).toBe("compliant"));

  it("flags validation switched off or left at its default (off)", () => {
    expect(byId.unvalidated).toMatchObject({ status: "non-compliant", message: expect.stringContaining("enable_log_file_validation is false") });
    expect(byId.default).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set enable_log_file_validation = true") });
  });
});

describe("CloudTrailCloudWatchLogs", () => {
  const { byId } = evaluateRule(CloudTrailCloudWatchLogs, (stack) => {
    trail(stack, "delivered");
    trail(stack, "no-role", { cloudWatchLogsRoleArn: undefined });
    trail(stack, "none", { cloudWatchLogsGroupArn: undefined, cloudWatchLogsRoleArn: undefined });
  });

  it("passes a trail with a log group and a delivery role", () => expect(byId.delivered.status).toBe("compliant"));

  it("flags a trail missing the delivery role, naming the attribute", () => {
    expect(byId["no-role"]).toMatchObject({ status: "non-compliant", message: expect.stringMatching(/^cloud_watch_logs_role_arn is not set/) });
  });

  it("flags a trail without CloudWatch delivery, naming both attributes", () => {
    expect(byId.none.message).toMatch(/^cloud_watch_logs_group_arn and cloud_watch_logs_role_arn are not set/);
  });
});

describe("CloudTrailMultiRegion", () => {
  const { byId } = evaluateRule(CloudTrailMultiRegion, (stack) => {
    trail(stack, "all-regions");
    trail(stack, "one-region", { isMultiRegionTrail: false });
  });

  it("passes a multi-region trail", () => expect(byId["all-regions"].status).toBe("compliant"));

  it("flags a single-region trail", () => {
    expect(byId["one-region"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set is_multi_region_trail = true") });
  });
});

describe("CloudTrailLoggingEnabled", () => {
  const { byId } = evaluateRule(CloudTrailLoggingEnabled, (stack) => {
    trail(stack, "logging");
    trail(stack, "default", { enableLogging: undefined });
    trail(stack, "stopped", { enableLogging: false });
  });

  it("passes a logging trail, and one that leaves enable_logging at its default (true)", () => {
    expect(byId.logging.status).toBe("compliant");
    expect(byId.default.status).toBe("compliant");
  });

  it("flags a stopped trail", () => {
    expect(byId.stopped).toMatchObject({ status: "non-compliant", message: expect.stringContaining("enable_logging is false") });
  });
});

describe("CloudTrailS3DataEvents", () => {
  const { byId } = evaluateRule(CloudTrailS3DataEvents, (stack) => {
    trail(stack, "basic-selector");
    trail(stack, "advanced-selector", {
      eventSelector: undefined,
      advancedEventSelector: [
        { name: "management", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        {
          name: "s3 objects",
          fieldSelector: [
            { field: "eventCategory", equalTo: ["Data"] },
            { field: "resources.type", equalTo: ["AWS::S3::Object"] },
          ],
        },
      ],
    });
    trail(stack, "management-only", { eventSelector: undefined, advancedEventSelector: [{ name: "management", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] }] });
    trail(stack, "lambda-data-only", { eventSelector: [{ dataResource: [{ type: "AWS::Lambda::Function", values: ["arn:aws:lambda"] }] }] });
    trail(stack, "no-selectors", { eventSelector: undefined });
  });

  it("passes an event_selector with an AWS::S3::Object data resource", () => expect(byId["basic-selector"].status).toBe("compliant"));

  it("passes an advanced_event_selector on Data events of AWS::S3::Object", () => expect(byId["advanced-selector"].status).toBe("compliant"));

  it("flags trails that record management events or other data events only", () => {
    for (const id of ["management-only", "lambda-data-only", "no-selectors"]) {
      expect(byId[id]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("add an advanced_event_selector") });
    }
  });
});

describe("AuditLogRetention", () => {
  /** A trail delivering to a log group and an object-locked bucket, both in the stack. */
  function auditedTrail(stack: TerraformStack, id: string, retentionInDays: number | undefined, lock?: { days?: number; years?: number }) {
    const group = new CloudwatchLogGroup(stack, `${id}-group`, { name: `/aws/cloudtrail/${id}`, retentionInDays });
    const bucket = new S3Bucket(stack, `${id}-bucket`, { bucketPrefix: `${id}-`, objectLockEnabled: lock !== undefined });
    if (lock) new S3BucketObjectLockConfigurationA(stack, `${id}-lock`, { bucket: bucket.id, rule: { defaultRetention: { mode: "GOVERNANCE", ...lock } } });
    trail(stack, id, { s3BucketName: bucket.bucket, cloudWatchLogsGroupArn: `${group.arn}:*` });
  }

  const { byId } = evaluateRule(AuditLogRetention, (stack) => {
    auditedTrail(stack, "year-and-six-years", 365, { days: 2192 });
    auditedTrail(stack, "never-expires", 0, { years: 1 });
    auditedTrail(stack, "unset-retention", undefined);
    auditedTrail(stack, "short-group", 90, { days: 2192 });
    auditedTrail(stack, "short-lock", 365, { days: 30 });
    trail(stack, "group-elsewhere");
  });

  it("passes a year in CloudWatch Logs and six years under object lock", () => expect(byId["year-and-six-years"].status).toBe("compliant"));

  it("counts log group retention 0 as never expiring, and flags a trail bucket without object lock", () => {
    expect(byId["never-expires"].status).toBe("compliant");
    // This fixture's trail bucket has no object lock: nothing guarantees the archive.
    expect(byId["unset-retention"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("has no object lock") });
  });

  it("flags a log group kept less than a year", () => {
    expect(byId["short-group"]).toMatchObject({ status: "non-compliant", message: expect.stringMatching(/retention_in_days of log group aws_cloudwatch_log_group\.short-group-group\S* is 90; set it to at least 365/) });
  });

  it("flags an object lock shorter than the archive minimum", () => {
    expect(byId["short-lock"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("keeps log files 30 days; set rule.default_retention.days to at least 365") });
  });

  it("does not apply when the trail's log group is not in the stack", () => expect(byId["group-elsewhere"].status).toBe("not-applicable"));

  it("takes its minimums from params", () => {
    const { byId: strict } = evaluateRule(AuditLogRetention, (stack) => auditedTrail(stack, "hipaa", 365, { years: 1 }), { minDays: 365, minArchiveDays: 2192 });
    expect(strict.hipaa).toMatchObject({ status: "non-compliant", message: expect.stringContaining("keeps log files 366 days; set rule.default_retention.days to at least 2192") });
    // Six calendar years, leap days included, meet HIPAA's 2192 days.
    const { byId: six } = evaluateRule(AuditLogRetention, (stack) => auditedTrail(stack, "six", 365, { years: 6 }), { minDays: 365, minArchiveDays: 2192 });
    expect(six.six.status).toBe("compliant");
  });
});

describe("AuditTrail defaults (with the model bucket's data events)", () => {
  const build = (stack: TerraformStack, withDataEvents = true) => {
    const accessLogBucket = new SecureBucket(stack, "access-logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    new AuditTrail(stack, "audit", { name: "ml-prod-audit", accessLogBucket, dataEventBucketArns: withDataEvents ? ["arn:aws:s3:::ml-models"] : undefined });
  };

  it.each(CLOUDTRAIL_RULES.map((r) => [r.id, r] as const))("satisfy %s", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, (stack) => build(stack));
    const outcomes = Object.values(byAddress);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toEqual({ status: "compliant" });
  });

  it("keep the log group and the locked archive long enough for HIPAA (6 years under lock)", () => {
    const { byAddress } = evaluateRule(AuditLogRetention, (stack) => build(stack), { minDays: 365, minArchiveDays: 2192 });
    expect(Object.values(byAddress)).toEqual([{ status: "compliant" }]);
  });

  it("record the S3 data events of every bucket when no dataEventBucketArns are given (secure by default)", () => {
    const { byAddress } = evaluateRule(CloudTrailS3DataEvents, (stack) => build(stack, false));
    expect(Object.values(byAddress)).toEqual([{ status: "compliant" }]);
  });
});
