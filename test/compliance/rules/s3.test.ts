import { Fn, TerraformStack, Testing, TerraformVariable } from "cdktf";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket, S3BucketConfig } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ComplianceRule, DATA_CLASS_TAG, RuleStatus } from "../../../lib/compliance/rule-model";
import { stackViewOf } from "../../../lib/compliance/private/stack-view";
import {
  S3_RULES,
  S3AuditBucketObjectLock,
  S3BucketAccessLogging,
  S3BucketKmsEncryption,
  S3BucketLifecycleConfigured,
  S3BucketNoPublicAcl,
  S3BucketOwnerEnforced,
  S3BucketPolicyNoPublicAllow,
  S3BucketPublicAccessBlocked,
  S3BucketTlsOnly,
  S3BucketVersioningEnabled,
  S3PersonalDataExpiry,
} from "../../../lib/compliance/rules/s3";
import { AuditTrail } from "../../../lib/security/audit-trail";
import { EncryptionKey } from "../../../lib/security/encryption-key";
import { BucketDataClass, SecureBucket } from "../../../lib/security/secure-bucket";
import { evaluateRule } from "../rule-harness";

const policy = (...statements: object[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ALL_OBJECTS = [{}];

/** A hand-written bucket with a literal name (split resources may then name it literally too). */
function bucket(stack: TerraformStack, id = "b", props: Partial<S3BucketConfig> = {}): S3Bucket {
  return new S3Bucket(stack, id, { bucket: `my-${id}-bucket`, ...props });
}

function lifecycle(stack: TerraformStack, b: S3Bucket, rule: S3BucketLifecycleConfigurationRule[], id = "lifecycle"): void {
  new S3BucketLifecycleConfiguration(stack, id, { bucket: b.id, rule });
}

describe("S3BucketPublicAccessBlocked", () => {
  it("passes a bucket whose public access block turns all four settings on, found by reference or literal name", () => {
    const { byId } = evaluateRule(S3BucketPublicAccessBlocked, (s) => {
      const all = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
      new S3BucketPublicAccessBlock(s, "pab", { bucket: bucket(s, "byref").id, ...all });
      bucket(s, "byname");
      new S3BucketPublicAccessBlock(s, "pab-literal", { bucket: "my-byname-bucket", ...all });
    });
    expect(byId.byref.status).toBe("compliant");
    expect(byId.byname.status).toBe("compliant");
  });

  it("flags a block that leaves a setting off, naming it, and a bucket with no block", () => {
    const { byId } = evaluateRule(S3BucketPublicAccessBlocked, (s) => {
      new S3BucketPublicAccessBlock(s, "pab", { bucket: bucket(s, "partial").id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false });
      bucket(s, "none");
    });
    expect(byId.partial).toEqual({ status: "non-compliant", message: expect.stringContaining("leaves restrict_public_buckets unset or false") });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_public_access_block") });
  });
});

describe("S3BucketKmsEncryption", () => {
  it("passes default SSE-KMS (or DSSE-KMS) with a customer-managed key", () => {
    const { byId } = evaluateRule(S3BucketKmsEncryption, (s) => {
      const key = new KmsKey(s, "key", { enableKeyRotation: true });
      for (const [id, sseAlgorithm] of [["kms", "aws:kms"], ["dsse", "aws:kms:dsse"]]) {
        new S3BucketServerSideEncryptionConfigurationA(s, `${id}-sse`, {
          bucket: bucket(s, id).id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
        });
      }
    });
    expect(byId.kms.status).toBe("compliant");
    expect(byId.dsse.status).toBe("compliant");
  });

  it("flags SSE-S3, SSE-KMS under the AWS managed key and missing encryption, naming the attribute", () => {
    const { byId } = evaluateRule(S3BucketKmsEncryption, (s) => {
      new S3BucketServerSideEncryptionConfigurationA(s, "aes-sse", { bucket: bucket(s, "aes").id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
      new S3BucketServerSideEncryptionConfigurationA(s, "awskey-sse", { bucket: bucket(s, "awskey").id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] });
      bucket(s, "none");
    });
    expect(byId.aes).toEqual({ status: "non-compliant", message: expect.stringContaining('sse_algorithm is "AES256"') });
    expect(byId.awskey).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_master_key_id is unset") });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_server_side_encryption_configuration") });
  });
});

describe("S3BucketVersioningEnabled", () => {
  it("passes a bucket with versioning Enabled", () => {
    const { byId } = evaluateRule(S3BucketVersioningEnabled, (s) => {
      new S3BucketVersioningA(s, "v", { bucket: bucket(s).id, versioningConfiguration: { status: "Enabled" } });
    });
    expect(byId.b.status).toBe("compliant");
  });

  it("flags suspended and missing versioning", () => {
    const { byId } = evaluateRule(S3BucketVersioningEnabled, (s) => {
      new S3BucketVersioningA(s, "v", { bucket: bucket(s, "suspended").id, versioningConfiguration: { status: "Suspended" } });
      bucket(s, "none");
    });
    expect(byId.suspended).toEqual({ status: "non-compliant", message: expect.stringContaining('versioning_configuration.status is "Suspended"') });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_versioning") });
  });
});

describe("S3BucketAccessLogging", () => {
  it("passes a bucket that delivers access logs to a target bucket", () => {
    const { byId } = evaluateRule(S3BucketAccessLogging, (s) => {
      const logs = bucket(s, "logs");
      new S3BucketLoggingA(s, "logging", { bucket: bucket(s).id, targetBucket: logs.bucket, targetPrefix: "b/" });
    });
    expect(byId.b.status).toBe("compliant");
  });

  it("flags a bucket without aws_s3_bucket_logging", () => {
    const { byId } = evaluateRule(S3BucketAccessLogging, (s) => bucket(s));
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_logging") });
  });
});

describe("S3BucketTlsOnly", () => {
  const tlsDeny = (resources: string[]) => ({
    Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });

  it("passes a policy denying non-TLS requests on the bucket and its objects, by reference or by literal ARN", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const b = bucket(s, "byref");
      new S3BucketPolicy(s, "p1", { bucket: b.id, policy: policy(tlsDeny([b.arn, `${b.arn}/*`])) });
      bucket(s, "byname");
      new S3BucketPolicy(s, "p2", { bucket: "my-byname-bucket", policy: policy(tlsDeny(["arn:aws:s3:::my-byname-bucket", "arn:aws:s3:::my-byname-bucket/*"])) });
    });
    expect(byId.byref.status).toBe("compliant");
    expect(byId.byname.status).toBe("compliant");
  });

  it("flags a Deny that misses the bucket or its objects, saying which", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const o = bucket(s, "objects");
      new S3BucketPolicy(s, "p1", { bucket: o.id, policy: policy(tlsDeny([`${o.arn}/*`])) });
      const k = bucket(s, "bucketonly");
      new S3BucketPolicy(s, "p2", { bucket: k.id, policy: policy(tlsDeny([k.arn, `${k.arn}/models/*`])) });
    });
    expect(byId.objects).toEqual({ status: "non-compliant", message: expect.stringContaining("covers the objects but not the bucket") });
    expect(byId.bucketonly).toEqual({ status: "non-compliant", message: expect.stringContaining("covers the bucket but not its objects") });
  });

  it("flags a policy without the TLS Deny, a Deny on other actions, and a bucket without a policy", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const a = bucket(s, "allowonly");
      new S3BucketPolicy(s, "p1", { bucket: a.id, policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "s3:GetObject", Resource: `${a.arn}/*` }) });
      const g = bucket(s, "getonly");
      new S3BucketPolicy(s, "p2", { bucket: g.id, policy: policy({ ...tlsDeny([g.arn, `${g.arn}/*`]), Action: "s3:GetObject" }) });
      bucket(s, "none");
    });
    expect(byId.allowonly).toEqual({ status: "non-compliant", message: expect.stringContaining("no statement denying requests without TLS") });
    expect(byId.getonly).toEqual({ status: "non-compliant", message: expect.stringContaining("no statement denying requests without TLS") });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_policy") });
  });

  it("reads a policy written with Fn.jsonencode, references included", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "p", { bucket: b.id, policy: Fn.jsonencode({ Statement: [{ Effect: "Deny", Action: "s3:*", Resource: b.arn, Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) });
    });
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("covers the bucket but not its objects") });
  });

  it("flags a policy known only at apply rather than passing it unseen", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "p", { bucket: b.id, policy: Fn.jsonencode(new TerraformVariable(s, "doc", {}).value) });
    });
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("cannot be verified") });
  });
});

describe("S3BucketOwnerEnforced", () => {
  it("passes a bucket with ACLs disabled (BucketOwnerEnforced)", () => {
    const { byId } = evaluateRule(S3BucketOwnerEnforced, (s) => {
      new S3BucketOwnershipControls(s, "o", { bucket: bucket(s).id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    });
    expect(byId.b.status).toBe("compliant");
  });

  it("flags ObjectWriter ownership and missing ownership controls", () => {
    const { byId } = evaluateRule(S3BucketOwnerEnforced, (s) => {
      new S3BucketOwnershipControls(s, "o", { bucket: bucket(s, "writer").id, rule: { objectOwnership: "ObjectWriter" } });
      bucket(s, "none");
    });
    expect(byId.writer).toEqual({ status: "non-compliant", message: expect.stringContaining('rule.object_ownership is "ObjectWriter"') });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_ownership_controls") });
  });
});

describe("S3BucketNoPublicAcl", () => {
  it("passes private ACLs and does not apply to a bucket without a legacy acl", () => {
    const { byId } = evaluateRule(S3BucketNoPublicAcl, (s) => {
      new S3BucketAcl(s, "private-acl", { bucket: bucket(s).id, acl: "private" });
      bucket(s, "legacy-private", { acl: "private" });
    });
    expect(byId["private-acl"].status).toBe("compliant");
    expect(byId["legacy-private"].status).toBe("compliant");
    expect(byId.b.status).toBe("not-applicable");
  });

  it("flags public-read, public-read-write and authenticated-read, on aws_s3_bucket_acl and the legacy bucket acl", () => {
    const { byId } = evaluateRule(S3BucketNoPublicAcl, (s) => {
      new S3BucketAcl(s, "read", { bucket: bucket(s).id, acl: "public-read" });
      new S3BucketAcl(s, "authenticated", { bucket: bucket(s, "c").id, acl: "authenticated-read" });
      bucket(s, "legacy", { acl: "public-read-write" });
    });
    expect(byId.read).toEqual({ status: "non-compliant", message: expect.stringContaining('acl is "public-read"') });
    expect(byId.authenticated).toEqual({ status: "non-compliant", message: expect.stringContaining('acl is "authenticated-read"') });
    expect(byId.legacy).toEqual({ status: "non-compliant", message: expect.stringContaining('acl is "public-read-write"') });
  });

  it("flags an explicit grant to the AllUsers group", () => {
    const { byId } = evaluateRule(S3BucketNoPublicAcl, (s) => {
      new S3BucketAcl(s, "grant", {
        bucket: bucket(s).id,
        accessControlPolicy: {
          owner: { id: "owner-canonical-id" },
          grant: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }],
        },
      });
    });
    expect(byId.grant).toEqual({ status: "non-compliant", message: expect.stringContaining("groups/global/AllUsers") });
  });
});

describe("S3BucketPolicyNoPublicAllow", () => {
  it("passes named principals and a wildcard principal confined by aws:SourceAccount or aws:PrincipalOrgID", () => {
    const { byId } = evaluateRule(S3BucketPolicyNoPublicAllow, (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "named", { bucket: b.id, policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/reader" }, Action: "s3:GetObject", Resource: `${b.arn}/*` }) });
      new S3BucketPolicy(s, "scoped", {
        bucket: b.id,
        policy: policy(
          { Sid: "Account", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${b.arn}/*`, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
          { Sid: "Org", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `${b.arn}/*`, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
        ),
      });
    });
    expect(byId.named.status).toBe("compliant");
    expect(byId.scoped.status).toBe("compliant");
  });

  it("flags an Allow for everyone, even when conditioned on something that does not confine it", () => {
    const { byId } = evaluateRule(S3BucketPolicyNoPublicAllow, (s) => {
      const b = bucket(s);
      new S3BucketPolicy(s, "open", { bucket: b.id, policy: policy({ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${b.arn}/*` }) });
      new S3BucketPolicy(s, "tls", {
        bucket: b.id,
        policy: policy({ Sid: "TlsRead", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: `${b.arn}/*`, Condition: { Bool: { "aws:SecureTransport": "true" } } }),
      });
    });
    expect(byId.open).toEqual({ status: "non-compliant", message: expect.stringContaining('Principal "*" in statement "PublicRead"') });
    expect(byId.tls).toEqual({ status: "non-compliant", message: expect.stringContaining('"TlsRead"') });
  });
});

describe("S3BucketLifecycleConfigured", () => {
  it("passes an enabled whole-bucket rule that aborts incomplete multipart uploads", () => {
    const { byId } = evaluateRule(S3BucketLifecycleConfigured, (s) => {
      lifecycle(s, bucket(s), [{ id: "abort", status: "Enabled", filter: ALL_OBJECTS, abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }]);
    });
    expect(byId.b.status).toBe("compliant");
  });

  it("flags a disabled or prefix-filtered abort rule, and a bucket with no lifecycle configuration", () => {
    const { byId } = evaluateRule(S3BucketLifecycleConfigured, (s) => {
      lifecycle(s, bucket(s, "disabled"), [{ id: "abort", status: "Disabled", filter: ALL_OBJECTS, abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }], "l1");
      lifecycle(s, bucket(s, "filtered"), [{ id: "abort", status: "Enabled", filter: [{ prefix: "tmp/" }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] }], "l2");
      bucket(s, "none");
    });
    expect(byId.disabled).toEqual({ status: "non-compliant", message: expect.stringContaining("abort_incomplete_multipart_upload.days_after_initiation") });
    expect(byId.filtered).toEqual({ status: "non-compliant", message: expect.stringContaining("does not abort incomplete multipart uploads for every object") });
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("no aws_s3_bucket_lifecycle_configuration") });
  });
});

describe("S3AuditBucketObjectLock", () => {
  const audit = { [DATA_CLASS_TAG]: "audit" };
  const lock = (stack: TerraformStack, b: S3Bucket, retention: { days?: number; years?: number }) =>
    new S3BucketObjectLockConfigurationA(stack, `${b.node.id}-lock`, { bucket: b.id, rule: { defaultRetention: { mode: "GOVERNANCE", ...retention } } });

  it("passes an audit bucket with Object Lock and a default retention of at least a year (days or years)", () => {
    const { byId } = evaluateRule(S3AuditBucketObjectLock, (s) => {
      lock(s, bucket(s, "days", { objectLockEnabled: true, tags: audit }), { days: 365 });
      lock(s, bucket(s, "years", { objectLockEnabled: true, tags: audit }), { years: 1 });
    });
    expect(byId.days.status).toBe("compliant");
    expect(byId.years.status).toBe("compliant");
  });

  it("flags a retention shorter than minRetentionDays, naming the shortfall", () => {
    const { byId } = evaluateRule(S3AuditBucketObjectLock, (s) => {
      lock(s, bucket(s, "short", { objectLockEnabled: true, tags: audit }), { days: 90 });
    });
    expect(byId.short).toEqual({ status: "non-compliant", message: expect.stringContaining("default retention is 90 days, 275 short of the required 365") });
  });

  it("takes minRetentionDays from the pack's params", () => {
    const { byId } = evaluateRule(S3AuditBucketObjectLock, (s) => {
      lock(s, bucket(s, "year", { objectLockEnabled: true, tags: audit }), { days: 365 });
    }, { minRetentionDays: 2192 });
    expect(byId.year).toEqual({ status: "non-compliant", message: expect.stringContaining("365 days, 1827 short of the required 2192") });
  });

  it("treats a CloudTrail destination as an audit bucket, by reference or literal name, and flags it unlocked", () => {
    const { byId } = evaluateRule(S3AuditBucketObjectLock, (s) => {
      new Cloudtrail(s, "trail", { name: "t", s3BucketName: bucket(s, "byref").id });
      bucket(s, "byname");
      new Cloudtrail(s, "trail2", { name: "t2", s3BucketName: "my-byname-bucket" });
    });
    expect(byId.byref).toEqual({ status: "non-compliant", message: expect.stringMatching(/receives the logs of aws_cloudtrail\.trail.*object_lock_enabled is not true.*no aws_s3_bucket_object_lock_configuration/) });
    expect(byId.byname).toEqual({ status: "non-compliant", message: expect.stringContaining("receives the logs of aws_cloudtrail.trail2") });
  });

  it("does not apply to buckets that neither hold audit data nor receive a trail", () => {
    const { byId } = evaluateRule(S3AuditBucketObjectLock, (s) => bucket(s, "b", { tags: { [DATA_CLASS_TAG]: "artifacts" } }));
    expect(byId.b.status).toBe("not-applicable");
  });
});

describe("S3PersonalDataExpiry", () => {
  const personal = { [DATA_CLASS_TAG]: "personal-data" };
  const expiring = (current: number, noncurrent: number): S3BucketLifecycleConfigurationRule[] => [
    { id: "current", status: "Enabled", filter: ALL_OBJECTS, expiration: [{ days: current }] },
    { id: "noncurrent", status: "Enabled", filter: ALL_OBJECTS, noncurrentVersionExpiration: [{ noncurrentDays: noncurrent }] },
  ];

  it("passes a personal-data bucket that expires objects within 30 days, old versions a week after, and has no Object Lock", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => lifecycle(s, bucket(s, "b", { tags: personal }), expiring(30, 7)));
    expect(byId.b.status).toBe("compliant");
  });

  it("flags expiry beyond maxDays and missing noncurrent expiry, naming the days found", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => {
      lifecycle(s, bucket(s, "late", { tags: personal }), expiring(90, 60), "l1");
      lifecycle(s, bucket(s, "partial", { tags: personal }), [expiring(30, 30)[0]], "l2");
    });
    expect(byId.late).toEqual({ status: "non-compliant", message: expect.stringContaining("current objects expire after 90 days, over the 30-day limit") });
    expect(byId.late.message).toContain("noncurrent versions expire after 60 days, so expired data survives 90 + 60 days");
    expect(byId.partial).toEqual({ status: "non-compliant", message: expect.stringContaining("no enabled whole-bucket lifecycle rule expires noncurrent versions") });
  });

  it("counts noncurrent versions: 30 days of expiry plus 30 days as a noncurrent version keeps data 60 days", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => lifecycle(s, bucket(s, "b", { tags: personal }), expiring(30, 30)));
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("expired data survives 30 + 30 days; set noncurrent_version_expiration.noncurrent_days to 7 or fewer") });
  });

  it("ignores expiry rules that cover only part of the bucket", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => {
      lifecycle(s, bucket(s, "b", { tags: personal }), expiring(30, 30).map((r) => ({ ...r, filter: [{ prefix: "tmp/" }] })));
    });
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("no enabled whole-bucket lifecycle rule expires current objects") });
  });

  it("flags Object Lock on personal data, which would block erasure", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => {
      const b = bucket(s, "locked", { tags: personal, objectLockEnabled: true });
      lifecycle(s, b, expiring(30, 30));
      new S3BucketObjectLockConfigurationA(s, "lock", { bucket: b.id, rule: { defaultRetention: { mode: "GOVERNANCE", days: 10 } } });
    });
    expect(byId.locked).toEqual({ status: "non-compliant", message: expect.stringContaining("Object Lock is on") });
  });

  it("takes maxDays from the pack's params", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => lifecycle(s, bucket(s, "b", { tags: personal }), expiring(30, 30)), { maxDays: 7 });
    expect(byId.b).toEqual({ status: "non-compliant", message: expect.stringContaining("after 30 days, over the 7-day limit") });
  });

  it("does not apply to buckets of other data classes", () => {
    const { byId } = evaluateRule(S3PersonalDataExpiry, (s) => bucket(s, "b", { tags: { [DATA_CLASS_TAG]: "artifacts" } }));
    expect(byId.b.status).toBe("not-applicable");
  });
});

describe("the library's SecureBucket", () => {
  const CLASSES: BucketDataClass[] = ["artifacts", "audit", "personal-data", "access-logs", "state"];
  /**
   * Status of every S3 rule for every bucket, by data class (and "trail" for the AuditTrail's bucket): the worst
   * status over the bucket and its split resources (e.g. its aws_s3_bucket_policy) that the rule evaluates.
   */
  const statuses: Record<string, Record<string, RuleStatus>> = {};

  beforeAll(() => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "rules");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const key = new EncryptionKey(stack, "key", { purpose: "data" });
    const logs = new SecureBucket(stack, "access-logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    for (const dataClass of CLASSES.filter((c) => c !== "access-logs")) {
      new SecureBucket(stack, dataClass, { bucketPrefix: `ml-${dataClass}-`, dataClass, encryptionKey: key, accessLogBucket: logs });
    }
    new AuditTrail(stack, "trail", { name: "ml-audit", accessLogBucket: logs });
    const view = stackViewOf("rules", JSON.parse(Testing.synth(stack)));
    const rank: Record<RuleStatus, number> = { "not-applicable": 0, "compliant": 1, "non-compliant": 2 };
    const rules: readonly ComplianceRule[] = S3_RULES;
    for (const bucket of view.ofType("aws_s3_bucket")) {
      // Logical names start with the construct path ("trail_bucket_bucket_...").
      const name = bucket.name.startsWith("trail_") ? "trail" : bucket.config.tags[DATA_CLASS_TAG];
      statuses[name] = {};
      for (const rule of rules) {
        const evaluated = view.resources.filter((r) => rule.resourceTypes.includes(r.type) && (r === bucket || view.refersTo(r.config.bucket, bucket)));
        const results = evaluated.map((resource) => rule.evaluate({ resource, stack: view, params: { ...rule.params } }).status);
        statuses[name][rule.id] = results.reduce<RuleStatus>((worst, st) => (rank[st] > rank[worst] ? st : worst), "not-applicable");
      }
    }
  });

  const failing = (name: string) => Object.entries(statuses[name]).filter(([, status]) => status === "non-compliant").map(([id]) => id).sort();

  it.each(CLASSES.filter((c) => c !== "access-logs"))("with data class %s is compliant with every S3 rule that applies to it", (dataClass) => {
    expect(failing(dataClass)).toEqual([]);
    const applicable = Object.entries(statuses[dataClass]).filter(([, status]) => status === "compliant").map(([id]) => id);
    // Every rule but the two data-class rules and the legacy-ACL rule applies to every class.
    expect(applicable).toEqual(expect.arrayContaining(S3_RULES.map((r) => r.id).filter((id) => !["S3AuditBucketObjectLock", "S3PersonalDataExpiry", "S3BucketNoPublicAcl"].includes(id))));
  });

  it("locks audit data, including the AuditTrail's bucket, for the retention S3AuditBucketObjectLock requires", () => {
    expect(statuses.audit.S3AuditBucketObjectLock).toBe("compliant");
    expect(statuses.trail.S3AuditBucketObjectLock).toBe("compliant");
    expect(failing("trail")).toEqual([]);
  });

  it("expires personal data as S3PersonalDataExpiry requires", () => {
    expect(statuses["personal-data"].S3PersonalDataExpiry).toBe("compliant");
  });

  it("with data class access-logs fails only S3BucketKmsEncryption and S3BucketAccessLogging (SSE-S3 and no self-logging, suppressed by the library)", () => {
    expect(failing("access-logs")).toEqual(["S3BucketAccessLogging", "S3BucketKmsEncryption"]);
  });
});

describe("S3 rules read bucket policies written as data.aws_iam_policy_document", () => {
  it("passes a TLS-only bucket policy built with DataAwsIamPolicyDocument", () => {
    const { byId } = evaluateRule(S3BucketTlsOnly, (s) => {
      const b = new S3Bucket(s, "b", { bucket: "doc-policy" });
      const doc = new DataAwsIamPolicyDocument(s, "doc", {
        statement: [{
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          resources: [b.arn, `${b.arn}/*`],
          principals: [{ type: "AWS", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }],
      });
      new S3BucketPolicy(s, "policy", { bucket: b.id, policy: doc.json });
    });
    expect(byId.b.status).toBe("compliant");
  });
});
