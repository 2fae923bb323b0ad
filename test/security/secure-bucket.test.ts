import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { Compliance } from "../../lib/compliance/compliance";
import { HIPAA } from "../../lib/compliance/packs";
import { ValidationError } from "../../lib/errors";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { BucketDataClass, SecureBucket, SecureBucketProps } from "../../lib/security/secure-bucket";
import { awsStack, resourcesOf, synth } from "../util";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A stack with a key and an access-log bucket, the usual companions of a SecureBucket. */
function companions(): { stack: TerraformStack; key: EncryptionKey; logs: SecureBucket } {
  const stack = awsStack();
  const key = new EncryptionKey(stack, "key", { purpose: "data" });
  const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
  return { stack, key, logs };
}

/** Synthesizes one bucket of `dataClass` (with its companions) and gives access to its resources. */
function build(dataClass: BucketDataClass, props: Partial<SecureBucketProps> = {}, after?: (b: SecureBucket) => void) {
  let stack: TerraformStack;
  let bucket: SecureBucket;
  if (dataClass === "access-logs") {
    stack = awsStack();
    bucket = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass, ...props });
  } else {
    const c = companions();
    stack = c.stack;
    bucket = new SecureBucket(stack, dataClass, { bucketPrefix: `ml-${dataClass}-`, dataClass, encryptionKey: c.key, accessLogBucket: c.logs, ...props });
  }
  after?.(bucket);
  const { raw, json } = synth(stack);
  return { raw, json, ...partsOf(json, dataClass) };
}

/** The resources of the only bucket of a data class: found by its tag, then by their `bucket` reference. */
function partsOf(json: Json, dataClass: BucketDataClass) {
  const found = Object.entries(resourcesOf(json, "aws_s3_bucket")).filter(([, b]) => b.tags["secure-inference/data-class"] === dataClass);
  if (found.length !== 1) throw new Error(`expected one ${dataClass} bucket, found ${found.length}`);
  const [id, bucket] = found[0];
  const ref = (attr: string) => `\${aws_s3_bucket.${id}.${attr}}`;
  const part = (type: string): Json | undefined => {
    const all = Object.values(resourcesOf(json, type)).filter((r) => r.bucket === ref("id"));
    if (all.length > 1) throw new Error(`more than one ${type} for ${id}`);
    return all[0];
  };
  const policy = JSON.parse(part("aws_s3_bucket_policy")!.policy);
  const rules: Json[] = part("aws_s3_bucket_lifecycle_configuration")!.rule;
  return {
    id,
    bucket,
    arn: ref("arn"),
    part,
    policy,
    statement: (sid: string) => policy.Statement.find((s: { Sid: string }) => s.Sid === sid),
    rule: (ruleId: string) => rules.find((r) => r.id === ruleId),
    ruleIds: rules.map((r) => r.id),
  };
}

const TLS_DENY = (arn: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: { AWS: "*" },
  Action: "s3:*",
  Resource: [arn, `${arn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** Guarantees every data class shares: ACLs off, no public access, versioning, TLS only, multipart clean-up. */
function itHasTheBaseline(get: () => ReturnType<typeof build>) {
  it("disables ACLs (BucketOwnerEnforced) and turns on all four public access blocks", () => {
    const b = get();
    expect(b.part("aws_s3_bucket_ownership_controls")!.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    expect(b.part("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(b.raw).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: "BucketOwnerEnforced" } });
    expect(b.raw).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true });
  });

  it("keeps versioning on", () => {
    expect(get().part("aws_s3_bucket_versioning")!.versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("denies every request not sent over TLS, in a policy written after the public access block", () => {
    const b = get();
    expect(b.statement("DenyInsecureTransport")).toEqual(TLS_DENY(b.arn));
    expect(b.part("aws_s3_bucket_policy")!.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
  });

  it("aborts incomplete multipart uploads after 7 days and removes expired delete markers, in rules of their own", () => {
    const b = get();
    expect(b.rule("abort-incomplete-multipart-uploads")).toEqual({ id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] });
    expect(b.rule("remove-expired-delete-markers")).toEqual({ id: "remove-expired-delete-markers", status: "Enabled", filter: [{}], expiration: [{ expired_object_delete_marker: true }] });
    expect(b.part("aws_s3_bucket_lifecycle_configuration")!.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });

  it("tags the bucket with the construct and its data class, and never force-destroys by default", () => {
    const b = get();
    expect(b.bucket.tags).toMatchObject({ "secure-inference/construct": "SecureBucket" });
    expect(b.bucket.force_destroy).toBe(false);
  });
}

function itEncryptsWithTheKey(get: () => ReturnType<typeof build>) {
  it("encrypts by default with the customer-managed key (SSE-KMS) and an S3 Bucket Key", () => {
    expect(get().part("aws_s3_bucket_server_side_encryption_configuration")!.rule).toEqual([{
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/) },
      bucket_key_enabled: true,
    }]);
  });
}

function itLogsAccess(get: () => ReturnType<typeof build>, prefix: string) {
  it(`logs server access to the access-log bucket under "${prefix}", once that bucket's policy grants delivery`, () => {
    const b = get();
    const logs = partsOf(b.json, "access-logs");
    expect(b.part("aws_s3_bucket_logging")).toMatchObject({ target_bucket: `\${aws_s3_bucket.${logs.id}.bucket}`, target_prefix: prefix });
    expect(b.part("aws_s3_bucket_logging")!.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.logs_/)]);
  });
}

describe("SecureBucket: artifacts", () => {
  const b = build("artifacts", {}, (bucket) => {
    // Added after construction: the policy is rendered at synth time.
    bucket.addToResourcePolicy({ sid: "InferenceReadsModels", actions: ["s3:GetObject"], resources: [bucket.arnForObjects("models/*")], principals: { AWS: ["arn:aws:iam::111122223333:role/inference"] } });
  });
  itHasTheBaseline(() => b);
  itEncryptsWithTheKey(() => b);
  itLogsAccess(() => b, "ml-artifacts-/");

  it("generates the name from the prefix and has no object lock", () => {
    expect(b.raw).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: "ml-artifacts-", tags: { "secure-inference/construct": "SecureBucket", "secure-inference/data-class": "artifacts" } });
    expect(b.bucket.object_lock_enabled).toBeUndefined();
    expect(b.bucket.bucket).toBeUndefined();
    expect(b.part("aws_s3_bucket_object_lock_configuration")).toBeUndefined();
  });

  it("expires noncurrent versions after 90 days and never expires current ones", () => {
    expect(b.ruleIds).toEqual(["abort-incomplete-multipart-uploads", "remove-expired-delete-markers", "noncurrent-versions"]);
    expect(b.rule("noncurrent-versions")).toMatchObject({ filter: [{}], noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });

  it("adds statements to the one bucket policy, next to the TLS-only deny", () => {
    expect(b.policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport", "InferenceReadsModels"]);
    expect(b.statement("InferenceReadsModels")).toEqual({
      Sid: "InferenceReadsModels",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:role/inference" },
      Action: "s3:GetObject",
      Resource: `${b.arn}/models/*`,
    });
    expect(Object.keys(resourcesOf(b.json, "aws_s3_bucket_policy"))).toHaveLength(2); // this bucket's and the log bucket's
  });

  it("matches the snapshot", () => expect(b.raw).toMatchSnapshot());
});

describe("SecureBucket: audit", () => {
  const b = build("audit");
  itHasTheBaseline(() => b);
  itEncryptsWithTheKey(() => b);
  itLogsAccess(() => b, "ml-audit-/");

  it("locks every object version in GOVERNANCE mode for 2192 days (6 years, HIPAA 164.316(b)(2)(i))", () => {
    expect(b.bucket.object_lock_enabled).toBe(true);
    expect(b.part("aws_s3_bucket_object_lock_configuration")).toMatchObject({ rule: { default_retention: { mode: "GOVERNANCE", days: 2192 } } });
    expect(b.part("aws_s3_bucket_object_lock_configuration")!.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });

  it("moves records to STANDARD_IA at 90 days and GLACIER at 365, and never expires them or their old versions", () => {
    expect(b.ruleIds).toEqual(["abort-incomplete-multipart-uploads", "remove-expired-delete-markers", "current-versions"]);
    expect(b.rule("current-versions")).toEqual({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      transition: [{ days: 90, storage_class: "STANDARD_IA" }, { days: 365, storage_class: "GLACIER" }],
    });
  });

  it("matches the snapshot", () => expect(b.raw).toMatchSnapshot());
});

describe("SecureBucket: personal-data", () => {
  const b = build("personal-data");
  itHasTheBaseline(() => b);
  itEncryptsWithTheKey(() => b);
  itLogsAccess(() => b, "ml-personal-data-/");

  it("expires objects after 30 days and removes their noncurrent versions a day later (GDPR storage limitation)", () => {
    expect(b.rule("current-versions")).toEqual({ id: "current-versions", status: "Enabled", filter: [{}], expiration: [{ days: 30 }] });
    expect(b.rule("noncurrent-versions")).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 1 }] });
  });

  it("has no object lock, so that data can be erased on request", () => {
    expect(b.bucket.object_lock_enabled).toBeUndefined();
    expect(b.part("aws_s3_bucket_object_lock_configuration")).toBeUndefined();
  });

  it("matches the snapshot", () => expect(b.raw).toMatchSnapshot());
});

describe("SecureBucket: access-logs", () => {
  const b = build("access-logs");
  itHasTheBaseline(() => b);

  it("encrypts with SSE-S3, the only default encryption S3 server access log delivery supports", () => {
    expect(b.part("aws_s3_bucket_server_side_encryption_configuration")!.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("lets the S3 logging service of this account deliver logs, through the bucket policy (no ACLs)", () => {
    expect(b.statement("S3ServerAccessLogsDelivery")).toEqual({
      Sid: "S3ServerAccessLogsDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${b.arn}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/^\$\{data\.aws_caller_identity\.\w+\.account_id\}$/) } },
    });
    expect(b.policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport", "S3ServerAccessLogsDelivery"]);
  });

  it("does not log its own deliveries and has no object lock", () => {
    expect(b.part("aws_s3_bucket_logging")).toBeUndefined();
    expect(b.part("aws_s3_bucket_object_lock_configuration")).toBeUndefined();
  });

  it("moves logs to GLACIER_IR after 90 days and expires noncurrent versions after 90", () => {
    expect(b.rule("current-versions")).toEqual({ id: "current-versions", status: "Enabled", filter: [{}], transition: [{ days: 90, storage_class: "GLACIER_IR" }] });
    expect(b.rule("noncurrent-versions")).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });

  it("matches the snapshot", () => expect(b.raw).toMatchSnapshot());
});

describe("SecureBucket: state", () => {
  const b = build("state", { bucketPrefix: undefined, bucketName: "acme-ml-tfstate-111122223333" });
  itHasTheBaseline(() => b);
  itEncryptsWithTheKey(() => b);
  itLogsAccess(() => b, "acme-ml-tfstate-111122223333/");

  it("takes an exact name when one is given, and keeps old state versions 90 days", () => {
    expect(b.bucket.bucket).toBe("acme-ml-tfstate-111122223333");
    expect(b.bucket.bucket_prefix).toBeUndefined();
    expect(b.ruleIds).toEqual(["abort-incomplete-multipart-uploads", "remove-expired-delete-markers", "noncurrent-versions"]);
    expect(b.rule("noncurrent-versions")).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
  });

  it("matches the snapshot", () => expect(b.raw).toMatchSnapshot());
});

describe("SecureBucket: options", () => {
  const b = build("artifacts", {
    objectLock: { mode: "COMPLIANCE", retentionDays: 30 },
    expireAfterDays: 400,
    transitions: [{ afterDays: 30, storageClass: "STANDARD_IA" }, { afterDays: 60, storageClass: "GLACIER_IR" }, { afterDays: 180, storageClass: "DEEP_ARCHIVE" }],
    noncurrentVersionExpirationDays: 7,
    accessLogPrefix: "models/",
  });

  it("applies a requested object lock, transitions, expiry, noncurrent expiry and log prefix", () => {
    expect(b.bucket.object_lock_enabled).toBe(true);
    expect(b.part("aws_s3_bucket_object_lock_configuration")).toMatchObject({ rule: { default_retention: { mode: "COMPLIANCE", days: 30 } } });
    expect(b.rule("current-versions")).toEqual({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      transition: [{ days: 30, storage_class: "STANDARD_IA" }, { days: 60, storage_class: "GLACIER_IR" }, { days: 180, storage_class: "DEEP_ARCHIVE" }],
      expiration: [{ days: 400 }],
    });
    expect(b.rule("noncurrent-versions")).toMatchObject({ noncurrent_version_expiration: [{ noncurrent_days: 7 }] });
    expect(b.part("aws_s3_bucket_logging")).toMatchObject({ target_prefix: "models/" });
  });

  it("drops the default transitions when given none", () => {
    const audit = build("audit", { transitions: [] });
    expect(audit.rule("current-versions")).toBeUndefined();
  });
});

describe("SecureBucket: resource policy", () => {
  const { stack, key, logs } = companions();
  const bucket = new SecureBucket(stack, "models", { bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs });

  it("builds object ARNs from the bucket ARN", () => {
    expect(bucket.arnForObjects("models/*")).toBe(`${bucket.bucketArn}/models/*`);
  });

  it("refuses an Allow for every AWS principal", () => {
    expect(() => bucket.addToResourcePolicy({ sid: "Public", actions: ["s3:GetObject"], resources: [bucket.arnForObjects("*")], principals: { AWS: ["*"] } })).toThrow(
      /test\/models: addToResourcePolicy\("Public"\) allows every AWS principal \("\*"\); name the accounts or roles instead/,
    );
  });

  it("refuses statements without principals or resources", () => {
    expect(() => bucket.addToResourcePolicy({ sid: "NoOne", actions: ["s3:GetObject"], resources: [bucket.arnForObjects("*")] })).toThrow(/test\/models: addToResourcePolicy\("NoOne"\) needs principals/);
    expect(() => bucket.addToResourcePolicy({ sid: "Nowhere", actions: ["s3:GetObject"], principals: { Service: ["x.amazonaws.com"] } })).toThrow(/test\/models: addToResourcePolicy\("Nowhere"\) needs resources/);
  });

  it("refuses a second statement with a sid already in the policy", () => {
    expect(() => bucket.addToResourcePolicy({ sid: "DenyInsecureTransport", effect: "Deny", actions: ["s3:*"], resources: [bucket.bucketArn], principals: { AWS: ["*"] } })).toThrow(/duplicate statement sid "DenyInsecureTransport"/);
  });
});

describe("SecureBucket: invalid props", () => {
  /** Expects construction to fail with exactly these problems (in order), under the construct path test/bad. */
  function expectProblems(props: (c: ReturnType<typeof companions>) => SecureBucketProps, problems: RegExp[]) {
    const c = companions();
    let error: unknown;
    try {
      new SecureBucket(c.stack, "bad", props(c));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.message).toMatch(new RegExp(`^test/bad: invalid SecureBucket props \\(${problems.length} problems?\\):`));
    expect(v.problems).toHaveLength(problems.length);
    problems.forEach((p, i) => expect(v.problems[i]).toMatch(p));
    // Nothing of the rejected bucket stays in the tree.
    expect(c.stack.node.tryFindChild("bad")).toBeUndefined();
  }

  it("requires a key for every class but access-logs", () => {
    expectProblems(({ logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", accessLogBucket: logs }), [
      /^encryptionKey: is required for "artifacts" data; give an EncryptionKey/,
    ]);
  });

  it("refuses a key on an access-log bucket (server access log delivery supports only SSE-S3)", () => {
    expectProblems(({ key }) => ({ bucketPrefix: "ml-logs-", dataClass: "access-logs", encryptionKey: key }), [
      /^encryptionKey: test\/key given for an "access-logs" bucket; remove it: S3 delivers server access logs only to buckets with SSE-S3 default encryption/,
    ]);
  });

  it("requires an access-log bucket for every class but access-logs", () => {
    expectProblems(({ key }) => ({ bucketPrefix: "ml-models-", dataClass: "state", encryptionKey: key }), [
      /^accessLogBucket: is required for "state" data; give a SecureBucket with dataClass "access-logs"/,
    ]);
  });

  it("refuses an access-log bucket that does not hold access logs", () => {
    expectProblems(({ stack, key, logs }) => {
      const other = new SecureBucket(stack, "other", { bucketPrefix: "ml-other-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs });
      return { bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: other };
    }, [/^accessLogBucket: test\/other holds "artifacts" data; give a SecureBucket with dataClass "access-logs"$/]);
  });

  it("refuses logging from an access-log bucket", () => {
    expectProblems(({ logs }) => ({ bucketPrefix: "ml-logs-", dataClass: "access-logs", accessLogBucket: logs }), [
      /^accessLogBucket: test\/logs given for an "access-logs" bucket; remove it: a log bucket does not log its own deliveries/,
    ]);
  });

  it("refuses an expiry on audit data", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-audit-", dataClass: "audit", encryptionKey: key, accessLogBucket: logs, expireAfterDays: 400 }), [
      /^expireAfterDays: 400 given for "audit" data; remove it: audit records are kept by Object Lock retention/,
    ]);
  });

  it("refuses object lock on personal data (erasure, GDPR Art. 17) and on access logs (no log delivery)", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-requests-", dataClass: "personal-data", encryptionKey: key, accessLogBucket: logs, objectLock: { retentionDays: 30 } }), [
      /^objectLock: \{"retentionDays":30\} given for "personal-data"; remove it: locked objects cannot be erased on request \(GDPR Art\. 17\)$/,
    ]);
    expectProblems(() => ({ bucketPrefix: "ml-logs-", dataClass: "access-logs", objectLock: {} }), [
      /^objectLock: \{\} given for "access-logs"; remove it: S3 does not deliver server access logs to buckets with Object Lock$/,
    ]);
  });

  it("refuses force destroy on a locked bucket", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-audit-", dataClass: "audit", encryptionKey: key, accessLogBucket: logs, forceDestroy: true }), [
      /^forceDestroy: true contradicts Object Lock \("audit" data is locked for 2192 days\): locked versions cannot be deleted; remove forceDestroy$/,
    ]);
  });

  it("refuses a prefix S3 cannot use, and names of both kinds at once", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ML_Models", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [
      /^bucketPrefix: "ML_Models" must be 3 to 37 lower-case letters, digits or "-", starting with a letter or digit \(37 is the S3 bucket_prefix limit\); use e\.g\. "ml-artifacts-"$/,
    ]);
    expectProblems(({ key, logs }) => ({ bucketPrefix: "a".repeat(38), dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [/^bucketPrefix: "a{38}" must be 3 to 37/]);
    expectProblems(({ key, logs }) => ({ bucketPrefix: "xn--models", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [/^bucketPrefix: "xn--models" starts with "xn--", which S3 reserves/]);
    expectProblems(({ key, logs }) => ({ bucketName: "ml.models", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [/^bucketName: "ml\.models" must be 3 to 63 .*\(no dots: they break TLS/]);
    expectProblems(({ key, logs }) => ({ bucketName: "ml-models", bucketPrefix: "ml-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [/^bucketName: "ml-models" given together with bucketPrefix "ml-"; give only one of them$/]);
    expectProblems(({ key, logs }) => ({ dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs }), [/^bucketPrefix: is required \(or give bucketName\)/]);
  });

  it("requires transitions in ascending order", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs, transitions: [{ afterDays: 200, storageClass: "GLACIER" }, { afterDays: 100, storageClass: "DEEP_ARCHIVE" }] }), [
      /^transitions\[1\]\.afterDays: 100 is not after transitions\[0\]\.afterDays \(200\); list transitions in ascending afterDays$/,
    ]);
  });

  it("refuses STANDARD_IA before 30 days", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs, transitions: [{ afterDays: 10, storageClass: "STANDARD_IA" }] }), [
      /^transitions\[0\]\.afterDays: 10 is too early for STANDARD_IA: S3 moves objects to Standard-IA only after 30 days; use 30 or more$/,
    ]);
  });

  it("refuses Glacier within 30 days of Standard-IA, and transitions against the S3 waterfall", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs, transitions: [{ afterDays: 30, storageClass: "STANDARD_IA" }, { afterDays: 40, storageClass: "GLACIER" }] }), [
      /^transitions\[1\]\.afterDays: 40 is 10 days after the STANDARD_IA transition; S3 requires at least 30 \(use 60 or more\)$/,
    ]);
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs, transitions: [{ afterDays: 0, storageClass: "INTELLIGENT_TIERING" }, { afterDays: 90, storageClass: "STANDARD_IA" }] }), [
      /^transitions\[1\]\.storageClass: "STANDARD_IA" cannot follow "INTELLIGENT_TIERING" \(S3 lifecycle waterfall\); after INTELLIGENT_TIERING use "GLACIER", "DEEP_ARCHIVE"$/,
    ]);
  });

  it("refuses an expiry that comes before the last transition, the personal-data default included", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs, expireAfterDays: 300, transitions: [{ afterDays: 365, storageClass: "GLACIER" }] }), [
      /^expireAfterDays: 300 is not after the last transition \(GLACIER at 365 days\); expire later than 365 days or drop the transition$/,
    ]);
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-requests-", dataClass: "personal-data", encryptionKey: key, accessLogBucket: logs, transitions: [{ afterDays: 30, storageClass: "STANDARD_IA" }] }), [
      /^expireAfterDays: 30 \(the "personal-data" default\) is not after the last transition \(STANDARD_IA at 30 days\)/,
    ]);
  });

  it("limits personal-data expiry to 1..3650 days", () => {
    expectProblems(({ key, logs }) => ({ bucketPrefix: "ml-requests-", dataClass: "personal-data", encryptionKey: key, accessLogBucket: logs, expireAfterDays: 4000 }), [
      /^expireAfterDays: 4000 must be a whole number from 1 to 3650 for "personal-data" \(storage limitation, GDPR Art\. 5\(1\)\(e\)\); e\.g\. 30$/,
    ]);
  });

  it("reports every problem at once, each naming the property, the value and the fix", () => {
    const { stack, key } = companions();
    expect(() => new SecureBucket(stack, "bad", {
      bucketPrefix: "Bad Prefix",
      dataClass: "audit",
      encryptionKey: key,
      expireAfterDays: 30,
      forceDestroy: true,
      transitions: [{ afterDays: 20, storageClass: "STANDARD_IA" }],
    })).toThrow(
      new RegExp(
        [
          "^test/bad: invalid SecureBucket props \\(5 problems\\):",
          '- bucketPrefix: "Bad Prefix" must be 3 to 37 lower-case letters',
          '- accessLogBucket: is required for "audit" data; give a SecureBucket with dataClass "access-logs"',
          '- forceDestroy: true contradicts Object Lock \\("audit" data is locked for 2192 days\\)',
          '- expireAfterDays: 30 given for "audit" data; remove it',
          "- transitions\\[0\\]\\.afterDays: 20 is too early for STANDARD_IA",
        ].join("[\\s\\S]*"),
      ),
    );
  });

  it("validates without constructing, prefixing each property", () => {
    expect(SecureBucket.validate({ bucketPrefix: "ok-prefix-", dataClass: "artifacts" }, "modelBucket.")).toEqual([
      'modelBucket.encryptionKey: is required for "artifacts" data; give an EncryptionKey (SSE-KMS with a customer-managed key)',
      'modelBucket.accessLogBucket: is required for "artifacts" data; give a SecureBucket with dataClass "access-logs" (checkov CKV_AWS_18, cdk-nag S3BucketLoggingEnabled)',
    ]);
    expect(SecureBucket.validate({ bucketPrefix: "ok-prefix-", dataClass: "backups" as BucketDataClass })).toEqual([
      'dataClass: "backups" is not a data class; use one of "artifacts", "audit", "personal-data", "access-logs", "state"',
    ]);
  });
});

describe("SecureBucket access-log delivery grant", () => {
  it("admits log deliveries only from this account's buckets that log into it (aws:SourceArn)", () => {
    const stack = awsStack();
    const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    const key = new EncryptionKey(stack, "key", { purpose: "storage" });
    new SecureBucket(stack, "models", { bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs });
    const policies = Object.values(resourcesOf(synth(stack).json, "aws_s3_bucket_policy")).map((p) => JSON.parse(p.policy).Statement).flat();
    const grant = policies.find((s: { Sid: string }) => s.Sid === "S3ServerAccessLogsDelivery");
    expect(grant.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) },
      ArnLike: { "aws:SourceArn": [expect.stringMatching(/^\$\{aws_s3_bucket\.models_bucket_\w+\.arn\}$/)] },
    });
  });
});

describe("SecureBucket load balancer access-log delivery", () => {
  /** The ELB statement and the data sources of an access-log bucket in `region` that allows ELB under "alb". */
  function elbGrant(region: string) {
    const app = Testing.app();
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region });
    const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    logs.allowLoadBalancerAccessLogs("alb");
    const json = synth(stack).json;
    const statements = Object.values(resourcesOf(json, "aws_s3_bucket_policy")).map((p) => JSON.parse(p.policy).Statement).flat();
    return { logs, json, grant: statements.find((s: { Sid: string }) => s.Sid === "ElbAccessLogsDelivery"), sids: statements.map((s: { Sid: string }) => s.Sid) };
  }

  it("admits the region's ELB account (data.aws_elb_service_account) in regions opened before August 2022, for this account's logs under the prefix", () => {
    const { json, grant, sids } = elbGrant("us-east-1");
    expect(Object.keys(json.data.aws_elb_service_account)).toHaveLength(1);
    expect(grant).toEqual({
      Sid: "ElbAccessLogsDelivery",
      Effect: "Allow",
      Principal: { AWS: expect.stringMatching(/^\$\{data\.aws_elb_service_account\.logs_elb-service-account_\w+\.arn\}$/) },
      Action: "s3:PutObject",
      Resource: expect.stringMatching(/^\$\{aws_s3_bucket\.logs_bucket_\w+\.arn\}\/alb\/\*\/AWSLogs\/\$\{data\.aws_caller_identity\.\w+\.account_id\}\/\*$/),
    });
    expect(sids).toEqual(["DenyInsecureTransport", "ElbAccessLogsDelivery", "S3ServerAccessLogsDelivery"]);
    expect(elbGrant("us-gov-west-1").grant.Principal.AWS).toMatch(/aws_elb_service_account/);
  });

  it("admits the log delivery service principal in newer regions, which have no ELB account", () => {
    const { json, grant } = elbGrant("me-central-1");
    expect(json.data.aws_elb_service_account).toBeUndefined();
    expect(grant.Principal).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  it("keeps SSE-S3, the only encryption ELB log delivery supports, and records why in the KMS suppression", () => {
    const { json } = elbGrant("us-east-1");
    expect(Object.values(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration"))[0].rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
    const stack = awsStack();
    const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    logs.allowLoadBalancerAccessLogs("alb");
    const report = Compliance.evaluate(stack, HIPAA);
    expect(report.suppressedFindings.find((f) => f.ruleId === "S3BucketKmsEncryption")?.suppressedBy?.reason).toMatch(/ELB access log delivery support only SSE-S3/);
    expect(report.findings).toEqual([]);
  });

  it("is refused on a bucket that is not an access-log bucket, for a bad prefix, and twice", () => {
    const { stack, key, logs } = companions();
    const models = new SecureBucket(stack, "models", { bucketPrefix: "ml-models-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs });
    expect(() => models.allowLoadBalancerAccessLogs("alb")).toThrow(/test\/models: allowLoadBalancerAccessLogs needs an "access-logs" bucket \(ELB log delivery supports SSE-S3 only\); this one holds "artifacts" data/);
    expect(() => logs.allowLoadBalancerAccessLogs("/alb/")).toThrow(/allowLoadBalancerAccessLogs\("\/alb\/"\): give a key prefix of path segments without a leading or trailing "\/" or wildcards, e\.g\. "alb"/);
    expect(() => logs.allowLoadBalancerAccessLogs("alb/*")).toThrow(/without a leading or trailing "\/" or wildcards/);
    expect(() => logs.allowLoadBalancerAccessLogs("AWSLogs")).toThrow(/ELB refuses prefixes that contain "AWSLogs"/);
    logs.allowLoadBalancerAccessLogs("alb");
    expect(() => logs.allowLoadBalancerAccessLogs("nlb")).toThrow(/allowLoadBalancerAccessLogs was already called \(prefix "alb"\)/);
  });
});
