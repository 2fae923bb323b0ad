import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { TerraformStack, TerraformVariable } from "cdktf";
import {
  S3BucketAccessLogging,
  S3BucketKmsEncryption,
  S3BucketLifecycleConfigured,
  S3BucketNoPublicAcl,
  S3BucketOwnerEnforced,
  S3BucketPublicAccessBlocked,
  S3BucketVersioningEnabled,
} from "../../../lib/compliance/rules/s3";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures for the S3 rules judged on aws_s3_bucket with its split resources:
 *   tests/terraform/checks/resource/aws/test_S3{BlockPublicACLs,BlockPublicPolicy,IgnorePublicACLs,RestrictPublicBuckets}.py (CKV_AWS_53–56),
 *   tests/terraform/graph/checks/resources/<Check>/main.tf for S3BucketHasPublicAccessBlock (CKV2_AWS_6), S3BucketLogging (CKV_AWS_18),
 *   AWSdisableS3ACL (CKV2_AWS_65), S3BucketLifecycle (CKV2_AWS_61), S3BucketVersioning (CKV_AWS_21), S3PublicACLRead (CKV_AWS_20),
 *   S3PublicACLWrite (CKV_AWS_57), S3KMSEncryptedByDefault (CKV_AWS_145);
 *   tests/terraform/checks/resource/aws/example_S3AbortIncompleteUploads/main.tf (CKV_AWS_300, judged by checkov on the lifecycle
 *   configuration; here each configuration gets a bucket of the same name, judged by the rule).
 * Fixtures not translated are listed in docs/checkov-coverage.md with the reason.
 */
const ALL_ON = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

describe("CKV_AWS_53/54/55/56 fixtures (S3BucketPublicAccessBlocked)", () => {
  it("detects each check's failing fixture (1/1 each) and flags no passing one (0/1)", () => {
    const v = verdicts(S3BucketPublicAccessBlocked, (s) => {
      const pab = (id: string, flags: Partial<typeof ALL_ON>) => new S3BucketPublicAccessBlock(s, `pab-${id}`, { bucket: new S3Bucket(s, id, { bucket: `foo-${id}` }).id, ...ALL_ON, ...flags });
      pab("test_success", {});
      pab("CKV_AWS_53-test_failure", { blockPublicAcls: false });
      pab("CKV_AWS_54-test_failure", { blockPublicPolicy: false });
      pab("CKV_AWS_55-test_failure", { ignorePublicAcls: false });
      pab("CKV_AWS_56-test_failure", { restrictPublicBuckets: false });
    });
    const failing = ["CKV_AWS_53-test_failure", "CKV_AWS_54-test_failure", "CKV_AWS_55-test_failure", "CKV_AWS_56-test_failure"];
    expect(misses(v, failing, ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV2_AWS_6 fixtures (S3BucketPublicAccessBlocked)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketPublicAccessBlocked, (s) => {
      const bucket = (id: string) => new S3Bucket(s, id, { bucket: id.replace(/_/g, "-") });
      new S3BucketPublicAccessBlock(s, "access_good_1", { bucket: bucket("bucket_good_1").id, blockPublicAcls: true, blockPublicPolicy: true });
      new S3BucketPublicAccessBlock(s, "access_bad_1", { bucket: bucket("bucket_bad_1").id });
      new S3BucketPublicAccessBlock(s, "access_bad_2", { bucket: bucket("bucket_bad_2").id, blockPublicAcls: false, blockPublicPolicy: false });
      new S3BucketPublicAccessBlock(s, "access_bad_3", { bucket: bucket("bucket_bad_3").id, blockPublicAcls: false, blockPublicPolicy: true });
      bucket("bucket_bad_4");
    });
  });

  it("detects every failing fixture (4/4)", () => {
    expect(misses(v, ["bucket_bad_1", "bucket_bad_2", "bucket_bad_3", "bucket_bad_4"], [])).toEqual({ undetected: [], flagged: [] });
  });

  it("flags bucket_good_1 (only block_public_acls and block_public_policy on), which checkov passes: the rule requires all four settings (deliberately stricter)", () => {
    expect(v.bucket_good_1).toBe("non-compliant");
  });
});

describe("CKV_AWS_18 fixtures (S3BucketAccessLogging)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/2)", () => {
    const v = verdicts(S3BucketAccessLogging, (s) => {
      const log = new S3Bucket(s, "log_bucket", { bucket: "log-bucket" });
      const good1 = new S3Bucket(s, "bucket_good_1", { bucket: "bucket-good" });
      new S3Bucket(s, "bucket_good_2", { bucket: "bucket-good", logging: { targetBucket: log.id, targetPrefix: "log/" } });
      new S3BucketLoggingA(s, "example", { bucket: good1.id, targetBucket: log.id, targetPrefix: "log/" });
      new S3Bucket(s, "bucket_bad_1", { bucket: "bucket-bad-1" });
    });
    expect(misses(v, ["bucket_bad_1"], ["bucket_good_1", "bucket_good_2"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV2_AWS_65 fixtures (S3BucketOwnerEnforced)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/1), judged on the bucket of each aws_s3_bucket_ownership_controls", () => {
    const v = verdicts(S3BucketOwnerEnforced, (s) => {
      for (const [id, objectOwnership] of [["pud_bucket_fail", "BucketOwnerPreferred"], ["pud_bucket_pass", "BucketOwnerEnforced"]]) {
        const b = new S3Bucket(s, id, { bucket: id.replace(/_/g, "-") });
        new S3BucketOwnershipControls(s, `controls-${id}`, { bucket: b.id, rule: { objectOwnership } });
      }
    });
    expect(misses(v, ["pud_bucket_fail"], ["pud_bucket_pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV2_AWS_61 fixtures (S3BucketLifecycleConfigured)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketLifecycleConfigured, (s) => {
      const pass = new S3Bucket(s, "pass", { bucket: "bucket-good" });
      new S3BucketLifecycleConfiguration(s, "pass-lifecycle", { bucket: pass.id, rule: [{ id: "", status: "" }] });
      new S3Bucket(s, "fail", { bucket: "bucket-bad-1" });
      new S3Bucket(s, "pass_v3", {
        bucket: "bucket-good",
        lifecycleRule: [{ id: "Delete old incomplete multi-part uploads", enabled: true, abortIncompleteMultipartUploadDays: 7 }],
      });
    });
  });

  it("detects the failing fixture (1/1) and accepts pass_v3 (0/1 of the buckets that abort incomplete uploads)", () => {
    expect(misses(v, ["fail"], ["pass_v3"])).toEqual({ undetected: [], flagged: [] });
  });

  it("flags `pass` (a lifecycle configuration with an empty rule), which checkov passes: the rule also requires CKV_AWS_300's abort of incomplete uploads (deliberately stricter)", () => {
    expect(v.pass).toBe("non-compliant");
  });
});

describe("CKV_AWS_300 fixtures (S3BucketLifecycleConfigured)", () => {
  it("detects every failing fixture (3/3) and flags no passing one (0/4)", () => {
    const v = verdicts(S3BucketLifecycleConfigured, (s) => {
      const days = new TerraformVariable(s, "abort_incomplete_multipart_upload", { type: "number" });
      const abort = { abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] };
      const log = { ...abort, id: "log", expiration: [{ days: 90 }], status: "Enabled", transition: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 60, storageClass: "GLACIER" }] };
      const logFilter = { filter: [{ and: [{ prefix: "log/", tags: { rule: "log", autoclean: "true" } }] }] };
      const config = (id: string, rule: S3BucketLifecycleConfigurationRule[]) =>
        new S3BucketLifecycleConfiguration(s, `config-${id}`, { bucket: new S3Bucket(s, id, { bucket: id.replace(/_/g, "-") }).id, rule });
      config("fail", [{
        id: "config", filter: [{ prefix: "config/" }], noncurrentVersionExpiration: [{ noncurrentDays: 90 }], status: "Enabled",
        noncurrentVersionTransition: [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }, { noncurrentDays: 60, storageClass: "GLACIER" }],
      }]);
      config("fail2", [{ ...log, ...logFilter }, { id: "tmp", filter: [{ prefix: "tmp/" }], expiration: [{ date: "2023-01-13T00:00:00Z" }], status: "Enabled" }]);
      config("fail3", [{ ...abort, id: "log", status: "Disabled" }]);
      config("pass2", [log, { id: "id-2", status: "Enabled", noncurrentVersionExpiration: [{ noncurrentDays: 1 }] }]);
      config("pass", [{ ...log, ...logFilter }, { ...abort, id: "tmp", expiration: [{ date: "2023-01-13T00:00:00Z" }], status: "Enabled" }]);
      config("pass3", [{ ...abort, filter: [{}], id: "log", status: "Enabled" }]);
      config("resource_with_dynamic_rule_pass4", [{ id: "abort_incomplete_multipart_upload", status: "Enabled", abortIncompleteMultipartUpload: [{ daysAfterInitiation: days.numberValue }] }]);
    });
    const passing = ["pass", "pass2", "pass3", "resource_with_dynamic_rule_pass4"];
    expect(misses(v, ["fail", "fail2", "fail3"], passing)).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_21 fixtures (S3BucketVersioningEnabled)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketVersioningEnabled, (s: TerraformStack) => {
      new S3Bucket(s, "enabled", { bucket: "example", versioning: { enabled: true } });
      const versioningEnabled = new TerraformVariable(s, "versioning_enabled", { default: true });
      new S3Bucket(s, "enabled_var", { bucket: "example", versioning: { enabled: versioningEnabled.booleanValue } });
      const bucketName = new TerraformVariable(s, "bucket_name", { type: "string" });
      new S3Bucket(s, "ref_by_name", { bucket: bucketName.stringValue });
      new S3BucketVersioningA(s, "aws_bucket_versioning", { bucket: bucketName.stringValue, versioningConfiguration: { status: "Enabled" } });
      new S3Bucket(s, "default", { bucket: "example" });
      new S3Bucket(s, "disabled", { bucket: "example", versioning: { enabled: false } });
      for (const [id, status] of [["enabled_v4", "Enabled"], ["disabled_v4", "Suspended"]]) {
        const b = new S3Bucket(s, id, { bucket: "example" });
        new S3BucketVersioningA(s, `versioning-${id}`, { bucket: b.id, versioningConfiguration: { status } });
      }
    });
  });

  it("detects every failing fixture (3/3) and flags no passing one it can resolve (0/3)", () => {
    expect(misses(v, ["default", "disabled", "disabled_v4"], ["enabled", "enabled_v4", "ref_by_name"])).toEqual({ undetected: [], flagged: [] });
  });

  it("flags enabled_var (versioning.enabled = a variable whose default is true), which checkov passes by reading the default", () => {
    expect(v.enabled_var).toBe("non-compliant");
  });
});

describe("CKV_AWS_20 / CKV_AWS_57 fixtures (S3BucketNoPublicAcl)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(S3BucketNoPublicAcl, (s) => {
      new S3Bucket(s, "private_acl", { bucket: "example", acl: "private" });
      new S3Bucket(s, "no_acl", { bucket: "example-no-acl" });
      for (const acl of ["public-read", "public-read-write", "authenticated-read"]) new S3Bucket(s, acl.replace(/-/g, "_"), { bucket: "example", acl });
      const owner = { id: "canonical-user-id" };
      const self = { grantee: { id: owner.id, type: "CanonicalUser" }, permission: "READ" };
      const allUsers = (permission: string) => ({ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission });
      const split = (id: string, config: Record<string, unknown>) => new S3BucketAcl(s, `acl-${id}`, { bucket: new S3Bucket(s, id, { bucket: "example" }).id, ...config });
      split("private_acl_v4", { acl: "private" });
      split("no_grant", { accessControlPolicy: { owner } });
      split("grant_onwer", { accessControlPolicy: { owner, grant: [self] } });
      for (const acl of ["public-read", "public-read-write", "authenticated-read"]) split(`${acl.replace(/-/g, "_")}_v4`, { acl });
      split("grant_public_read_all", { accessControlPolicy: { owner, grant: [self, allUsers("READ")] } });
      split("grant_public_write_all", { accessControlPolicy: { owner, grant: [self, allUsers("WRITE")] } });
      split("bucket_with_read_acl", { accessControlPolicy: { owner, grant: [allUsers("READ")] } });
    });
  });

  it("CKV_AWS_20: detects every failing fixture (7/7) and flags no passing one (0/5)", () => {
    const failing = ["public_read", "public_read_write", "authenticated_read", "acl-public_read_v4", "acl-public_read_write_v4", "acl-authenticated_read_v4", "acl-grant_public_read_all"];
    const passing = ["private_acl", "no_acl", "acl-private_acl_v4", "acl-no_grant", "acl-grant_onwer"];
    expect(misses(v, failing, passing)).toEqual({ undetected: [], flagged: [] });
  });

  it("CKV_AWS_57: detects every failing fixture (3/3); bucket_with_read_acl (AllUsers READ, a CKV_AWS_57 pass) is flagged as CKV_AWS_20's public read", () => {
    expect(misses(v, ["public_read_write", "acl-public_read_write_v4", "acl-grant_public_write_all"], [])).toEqual({ undetected: [], flagged: [] });
    expect(v["acl-bucket_with_read_acl"]).toBe("non-compliant");
  });
});

describe("CKV_AWS_145 fixtures (S3BucketKmsEncryption)", () => {
  it("detects the failing fixture (1/1) and flags no passing one (0/2)", () => {
    const v = verdicts(S3BucketKmsEncryption, (s) => {
      const key = "arn:aws:kms:us-east-1:111122223333:key/mykey";
      const byDefault = { applyServerSideEncryptionByDefault: { kmsMasterKeyId: key, sseAlgorithm: "aws:kms" } };
      const good1 = new S3Bucket(s, "bucket_good_1", { bucket: "bucket-good" });
      new S3BucketServerSideEncryptionConfigurationA(s, "good_sse_1", { bucket: good1.bucket, rule: [byDefault] });
      new S3Bucket(s, "bucket_good_3", { bucket: "bucket-good", serverSideEncryptionConfiguration: { rule: byDefault } });
      new S3Bucket(s, "bucket_bad_1", { bucket: "bucket-bad-1" });
    });
    expect(misses(v, ["bucket_bad_1"], ["bucket_good_1", "bucket_good_3"])).toEqual({ undetected: [], flagged: [] });
  });
});
