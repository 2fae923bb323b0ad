import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { TerraformStack } from "cdktf";
import { CloudTrailEncrypted, CloudTrailLogFileValidation, CloudTrailLoggingEnabled, CloudTrailMultiRegion } from "../../../lib/compliance/rules/cloudtrail";
import { misses, verdicts } from "./checkov-harness";

/* checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/ (example_Cloudtrail* and test_Cloudtrail*.py). */

/** The fixtures' aws_s3_bucket.test and aws_kms_key.test. */
function deps(s: TerraformStack): { bucket: string; key: string } {
  return { bucket: new S3Bucket(s, "test_bucket", {}).id, key: new KmsKey(s, "test_key", {}).arn };
}

describe("CKV_AWS_35 fixtures (CloudTrailEncrypted)", () => {
  // example_CloudtrailEncryptedWithCMK/aws_cloudtrail.tf
  it("detects the failing trail (1/1) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(CloudTrailEncrypted, (s) => {
      const d = deps(s);
      new Cloudtrail(s, "fail", { name: "TRAIL", s3BucketName: d.bucket, includeGlobalServiceEvents: true });
      new Cloudtrail(s, "pass", { name: "TRAIL", s3BucketName: d.bucket, includeGlobalServiceEvents: true, kmsKeyId: d.key });
    });
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_36 fixtures (CloudTrailLogFileValidation)", () => {
  // Inline resource_conf dicts of test_CloudtrailLogValidation.py (${foo} written as a literal).
  it("detects the failing trail (1/1) and accepts the passing one (0/1 flagged)", () => {
    const trail = { name: "foo", s3BucketName: "foo", enableLogging: true, isMultiRegionTrail: true, includeGlobalServiceEvents: true };
    const v = verdicts(CloudTrailLogFileValidation, (s) => {
      new Cloudtrail(s, "test_failure", trail);
      new Cloudtrail(s, "test_success", { ...trail, enableLogFileValidation: true, kmsKeyId: "foo" });
    });
    expect(misses(v, ["test_failure"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_67 fixtures (CloudTrailMultiRegion)", () => {
  // Inline HCL of test_CloudtrailMultiRegion.py.
  it("detects the failing trails (2/2) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(CloudTrailMultiRegion, (s) => {
      const bucket = new S3Bucket(s, "foo", {}).id;
      const trail = { name: "tf-trail-foobar", s3BucketName: bucket, s3KeyPrefix: "prefix", includeGlobalServiceEvents: false };
      new Cloudtrail(s, "test_failure", trail);
      new Cloudtrail(s, "test_failure_negative_multi_region", { ...trail, isMultiRegionTrail: false });
      new Cloudtrail(s, "test_success", { ...trail, isMultiRegionTrail: true });
    });
    expect(misses(v, ["test_failure", "test_failure_negative_multi_region"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_251 fixtures (CloudTrailLoggingEnabled)", () => {
  // example_CloudtrailEnableLogging/main.tf
  it("detects the failing trail (1/1) and accepts the passing ones (0/2 flagged)", () => {
    const v = verdicts(CloudTrailLoggingEnabled, (s) => {
      const d = deps(s);
      const trail = { name: "TRAIL", s3BucketName: d.bucket, includeGlobalServiceEvents: true };
      new Cloudtrail(s, "fail", { ...trail, enableLogging: false });
      new Cloudtrail(s, "pass", { ...trail, enableLogging: true, kmsKeyId: d.key });
      new Cloudtrail(s, "pass2", { ...trail, kmsKeyId: d.key });
    });
    expect(misses(v, ["fail"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: [] });
  });
});
