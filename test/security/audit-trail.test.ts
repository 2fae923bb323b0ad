import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { AuditTrail } from "../../lib/security/audit-trail";
import { SecureBucket } from "../../lib/security/secure-bucket";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

function trail(options: Partial<ConstructorParameters<typeof AuditTrail>[2]> = {}) {
  const stack = awsStack();
  const accessLogBucket = new SecureBucket(stack, "access-logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
  new AuditTrail(stack, "audit", { name: "ml-prod-audit", accessLogBucket, dataEventBucketArns: ["arn:aws:s3:::ml-models"], ...options });
  return synth(stack);
}

describe("AuditTrail", () => {
  const { raw, json } = trail();
  const t = onlyResource(json, "aws_cloudtrail");
  const buckets = Object.values(resourcesOf(json, "aws_s3_bucket"));

  it("is multi-region with global service events, log file validation and KMS encryption", () => {
    expect(raw).toHaveResourceWithProperties(Cloudtrail, { is_multi_region_trail: true, include_global_service_events: true, enable_log_file_validation: true, enable_logging: true });
    expect(t.kms_key_id).toMatch(/aws_kms_key\.audit_key/);
  });

  it("delivers to a KMS-encrypted log group kept a year, through a role limited to that group", () => {
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/cloudtrail/ml-prod-audit", retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key\.audit_key/) });
    expect(t.cloud_watch_logs_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/);
    const delivery = Object.values(resourcesOf(json, "aws_iam_policy")).map((p) => JSON.parse(p.policy).Statement).flat();
    expect(delivery).toEqual([expect.objectContaining({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: expect.stringMatching(/:log-stream:\*$/) })]);
  });

  it("records management events and object-level events of the model buckets", () => {
    expect(t.advanced_event_selector).toEqual([
      { name: "All management events", field_selector: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "Object reads and writes of model and data buckets",
        field_selector: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", starts_with: ["arn:aws:s3:::ml-models/"] },
        ],
      },
    ]);
  });

  it("keeps log files in a bucket under object lock (governance, 6 years) that CloudTrail of this trail alone may write", () => {
    const lock = onlyResource(json, "aws_s3_bucket_object_lock_configuration");
    expect(lock.rule.default_retention).toEqual({ mode: "GOVERNANCE", days: 2192 });
    const policies = Object.values(resourcesOf(json, "aws_s3_bucket_policy")).map((p) => JSON.parse(p.policy).Statement).flat();
    const write = policies.find((s: { Sid: string }) => s.Sid === "CloudTrailWritesLogFiles");
    expect(write).toMatchObject({ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": expect.stringMatching(/:cloudtrail:.*:trail\/ml-prod-audit$/) } } });
    expect(write.Resource).toMatch(/\/AWSLogs\/\$\{data\.aws_caller_identity\.\w+\.account_id\}\/\*$/);
    expect(buckets.filter((b) => b.object_lock_enabled === true)).toHaveLength(1);
  });

  it("lets CloudTrail use the audit key only for this trail", () => {
    const key = JSON.parse(onlyResource(json, "aws_kms_key").policy).Statement;
    const s = key.find((x: { Sid: string }) => x.Sid === "CloudTrailEncryptsLogFiles");
    expect(s).toMatchObject({ Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:GenerateDataKey*", Condition: { StringEquals: { "aws:SourceArn": expect.stringMatching(/trail\/ml-prod-audit$/) } } });
  });

  it("creates the trail after the bucket policy and the delivery role's permissions", () => {
    expect(t.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\./), expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  it("rejects an object-lock retention shorter than the log retention", () => {
    expect(() => trail({ logRetentionDays: 3653, objectLock: { retentionDays: 400 } })).toThrow(
      /test\/audit: invalid AuditTrail props \(1 problem\)[\s\S]*objectLock\.retentionDays: \(400\) is shorter than logRetentionDays \(3653\)/,
    );
  });

  it("matches the snapshot", () => expect(raw).toMatchSnapshot());
});
