import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketObjectLockConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { addSuppression } from "../compliance/suppressions";
import { awsContext, providerRegion } from "../private/aws-context";
import { Problems, isLiteral, show } from "../private/validation";
import { EncryptionKey } from "./encryption-key";
import { PolicyDocument, PolicyStatementProps } from "./policy-document";

/** What a bucket holds; decides retention rules (explicit in the API, GDPR vs audit). */
export type BucketDataClass = "artifacts" | "audit" | "personal-data" | "access-logs" | "state";

/** Storage classes a lifecycle rule may move current object versions to. */
export type S3StorageClass = "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

/** One lifecycle transition of current object versions. */
export interface BucketTransition {
  /** Days after object creation when the object moves. */
  readonly afterDays: number;
  /** Storage class the object moves to. */
  readonly storageClass: S3StorageClass;
}

/** Default retention that S3 Object Lock applies to every new object version (write once, read many). */
export interface ObjectLockOptions {
  /**
   * GOVERNANCE lets principals with s3:BypassGovernanceRetention delete early; COMPLIANCE lets no one, not even the account root.
   * @default "GOVERNANCE"
   */
  readonly mode?: "GOVERNANCE" | "COMPLIANCE";
  /**
   * Days each object version is locked after it is written.
   * @default 2192 (6 years: HIPAA 45 CFR 164.316(b)(2)(i) documentation retention)
   */
  readonly retentionDays?: number;
}

/** Props of a SecureBucket. */
export interface SecureBucketProps {
  /**
   * Start of the generated bucket name (S3 `bucket_prefix`): lower-case letters, digits and "-", 3 to 37 characters.
   * Give this or `bucketName`.
   * @default - none; required unless `bucketName` is given
   */
  readonly bucketPrefix?: string;
  /**
   * Exact, globally unique bucket name, for a bucket whose name must be known at synth time (a Terraform
   * backend cannot hold references). Lower-case letters, digits and "-", 3 to 63 characters.
   * @default - a name generated from `bucketPrefix`
   */
  readonly bucketName?: string;
  /** What the bucket holds; decides encryption, retention, expiry and log delivery defaults. */
  readonly dataClass: BucketDataClass;
  /**
   * Customer-managed key for SSE-KMS (with an S3 Bucket Key, which cuts KMS requests). Required for every data
   * class except "access-logs", where it is refused: S3 server access log delivery supports only SSE-S3.
   * @default - none; SSE-S3 (AES256) for "access-logs"
   */
  readonly encryptionKey?: EncryptionKey;
  /**
   * Bucket that receives this bucket's S3 server access logs; must have dataClass "access-logs".
   * Required unless this bucket is itself an "access-logs" bucket (a log bucket does not log to itself).
   * @default - none
   */
  readonly accessLogBucket?: SecureBucket;
  /**
   * Key prefix of this bucket's logs in the access-log bucket.
   * @default - "<bucketPrefix or bucketName>/"
   */
  readonly accessLogPrefix?: string;
  /**
   * Object Lock default retention. Always on for "audit" (these are its defaults); refused for "personal-data"
   * (data subjects may demand erasure, GDPR Art. 17) and for "access-logs" (S3 does not deliver access logs to
   * locked buckets); optional for the others.
   * @default - GOVERNANCE, 2192 days for "audit"; no lock for the others
   */
  readonly objectLock?: ObjectLockOptions;
  /**
   * Days after creation when current object versions expire. For "personal-data" 1 to 3650 (storage
   * limitation, GDPR Art. 5(1)(e)); refused for "audit", whose retention Object Lock governs.
   * @default - 30 for "personal-data"; never for the others
   */
  readonly expireAfterDays?: number;
  /**
   * Storage-class transitions of current versions, in ascending `afterDays`.
   * @default - "audit": STANDARD_IA at 90 days, GLACIER at 365; "access-logs": GLACIER_IR at 90; none for the others
   */
  readonly transitions?: BucketTransition[];
  /**
   * Days after an object version becomes noncurrent (overwritten or deleted) when S3 deletes it for good.
   * @default - 90 for "artifacts", "state" and "access-logs"; 1 for "personal-data" (expired data is gone a day later); never for "audit"
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects. Refused with Object Lock.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Tags for the bucket.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

const DATA_CLASSES: readonly BucketDataClass[] = ["artifacts", "audit", "personal-data", "access-logs", "state"];

/** Default Object Lock retention: 6 years (HIPAA 45 CFR 164.316(b)(2)(i)). */
const DEFAULT_LOCK_DAYS = 2192;
/** Default expiry of personal data, days (GDPR Art. 5(1)(e) storage limitation). */
const DEFAULT_PERSONAL_DATA_EXPIRY_DAYS = 30;
const MAX_PERSONAL_DATA_EXPIRY_DAYS = 3650;
/** Days after which incomplete multipart uploads are aborted (checkov CKV_AWS_300). */
const ABORT_MULTIPART_DAYS = 7;

const DEFAULT_TRANSITIONS: Record<BucketDataClass, readonly BucketTransition[]> = {
  "artifacts": [],
  "audit": [{ afterDays: 90, storageClass: "STANDARD_IA" }, { afterDays: 365, storageClass: "GLACIER" }],
  "personal-data": [],
  "access-logs": [{ afterDays: 90, storageClass: "GLACIER_IR" }],
  "state": [],
};

/**
 * Storage classes each class may move on to, per the S3 lifecycle "waterfall" (S3 User Guide,
 * "Transitioning objects using Amazon S3 Lifecycle": e.g. Intelligent-Tiering cannot move to Standard-IA or
 * Glacier Instant Retrieval, and Glacier Flexible Retrieval only on to Deep Archive).
 */
const NEXT_CLASSES: Record<S3StorageClass, readonly S3StorageClass[]> = {
  STANDARD_IA: ["INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
  INTELLIGENT_TIERING: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
  GLACIER: ["DEEP_ARCHIVE"],
  DEEP_ARCHIVE: [],
};

/** S3 rejects a rule whose Glacier Flexible Retrieval or Deep Archive transition follows Standard-IA by less than 30 days (its minimum storage charge). */
const MIN_DAYS_IN_STANDARD_IA = 30;

/**
 * Regions where Elastic Load Balancing writes access logs as a regional ELB account, named in the bucket policy; every other
 * region (opened from August 2022, e.g. me-central-1) admits the service principal logdelivery.elasticloadbalancing.amazonaws.com
 * instead (ALB User Guide, "Enable access logs for your Application Load Balancer", step "Attach a policy to your S3 bucket",
 * awsdocs/elb-application-load-balancers-user-guide@4b8b6d02:doc_source/enable-access-logging.md). These are the regions that
 * data.aws_elb_service_account knows (hashicorp/terraform-provider-aws internal/service/elb/service_account_data_source.go,
 * accountIDPerRegionMap; the account ids are compiled into the v5.100.0 provider, and the data source calls no API): the
 * guide's list, plus ap-southeast-3 and the two China regions, which the provider has from the other editions of the guide.
 */
const ELB_ACCOUNT_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1",
  "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
];
/** The service principal of ELB log delivery in regions without an ELB account (same guide page). */
const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

const RESERVED_NAME_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_NAME_SUFFIXES = ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"];

/**
 * An S3 bucket with the library's defaults for one class of data, as split resources (AWS provider v5 style):
 * ACLs disabled (BucketOwnerEnforced), every public access block on, versioning always on, default SSE-KMS
 * with an S3 Bucket Key (SSE-S3 for access-log buckets), server access logging to an access-log bucket, a
 * lifecycle configuration (aborts incomplete multipart uploads after 7 days, transitions, expiry and
 * noncurrent-version expiry by data class, clean-up of expired delete markers), Object Lock for audit data,
 * and a bucket policy that denies every request not sent over TLS.
 *
 * Data classes: "audit" keeps records locked for 6 years and never expires them; "personal-data" expires
 * objects after 30 days and their old versions 30 days later, and refuses Object Lock so that erasure stays
 * possible; "access-logs" receives S3 server access logs, and load balancer access logs once allowLoadBalancerAccessLogs is
 * called (SSE-S3 only, no lock, no logging of its own).
 */
export class SecureBucket extends Construct {
  /** Validates props without creating anything; returns one line per problem, each property prefixed with `prefix`. */
  static validate(props: SecureBucketProps, prefix = ""): string[] {
    const p = new Problems();
    const cls = props.dataClass;
    const knownClass = DATA_CLASSES.includes(cls);
    if (!knownClass) p.add(`${prefix}dataClass`, `${show(cls)} is not a data class; use one of ${DATA_CLASSES.map(show).join(", ")}`);
    const isLogBucket = cls === "access-logs";

    // Name
    if (props.bucketPrefix === undefined && props.bucketName === undefined) {
      p.add(`${prefix}bucketPrefix`, `is required (or give bucketName); use e.g. "ml-artifacts-"`);
    } else if (props.bucketPrefix !== undefined && props.bucketName !== undefined) {
      p.add(`${prefix}bucketName`, `${show(props.bucketName)} given together with bucketPrefix ${show(props.bucketPrefix)}; give only one of them`);
    }
    if (props.bucketPrefix !== undefined && isLiteral(props.bucketPrefix)) {
      const bp = props.bucketPrefix;
      if (!/^[a-z0-9][a-z0-9-]{2,36}$/.test(bp)) {
        p.add(`${prefix}bucketPrefix`, `${show(bp)} must be 3 to 37 lower-case letters, digits or "-", starting with a letter or digit (37 is the S3 bucket_prefix limit); use e.g. "ml-artifacts-"`);
      } else {
        const reserved = RESERVED_NAME_PREFIXES.find((r) => bp.startsWith(r));
        if (reserved) p.add(`${prefix}bucketPrefix`, `${show(bp)} starts with ${show(reserved)}, which S3 reserves; choose another prefix`);
      }
    }
    if (props.bucketName !== undefined) {
      const bn = props.bucketName;
      if (!isLiteral(bn)) {
        p.add(`${prefix}bucketName`, "is a Terraform reference; give a literal name, or use bucketPrefix");
      } else if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bn)) {
        // Dots are legal in S3 names but break TLS for virtual-hosted-style requests, so they are refused.
        p.add(`${prefix}bucketName`, `${show(bn)} must be 3 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit (no dots: they break TLS for virtual-hosted-style requests)`);
      } else {
        const reserved = RESERVED_NAME_PREFIXES.find((r) => bn.startsWith(r)) ?? RESERVED_NAME_SUFFIXES.find((r) => bn.endsWith(r));
        if (reserved) p.add(`${prefix}bucketName`, `${show(bn)} uses ${show(reserved)}, which S3 reserves; choose another name`);
      }
    }

    // Encryption: S3 server access log delivery supports SSE-S3 default encryption only ("Default server-side
    // encryption with AWS KMS keys (SSE-KMS) is not supported", S3 User Guide, "Enabling Amazon S3 server access
    // logging"). aws-cdk PR #25350 reports SSE-KMS delivery working once the key policy admits the logging service;
    // AWS documents only SSE-S3, so that is what log buckets get.
    if (isLogBucket && props.encryptionKey) {
      p.add(`${prefix}encryptionKey`, `${props.encryptionKey.node.path} given for an "access-logs" bucket; remove it: S3 delivers server access logs only to buckets with SSE-S3 default encryption, which this bucket uses`);
    } else if (!isLogBucket && knownClass && !props.encryptionKey) {
      p.add(`${prefix}encryptionKey`, `is required for ${show(cls)} data; give an EncryptionKey (SSE-KMS with a customer-managed key)`);
    }

    // Server access logging
    if (isLogBucket && props.accessLogBucket) {
      p.add(`${prefix}accessLogBucket`, `${props.accessLogBucket.node.path} given for an "access-logs" bucket; remove it: a log bucket does not log its own deliveries (S3 recommends no logging on target buckets)`);
    } else if (!isLogBucket && knownClass && !props.accessLogBucket) {
      p.add(`${prefix}accessLogBucket`, `is required for ${show(cls)} data; give a SecureBucket with dataClass "access-logs" (checkov CKV_AWS_18, cdk-nag S3BucketLoggingEnabled)`);
    }
    if (props.accessLogBucket && !isLogBucket && props.accessLogBucket.dataClass !== "access-logs") {
      p.add(`${prefix}accessLogBucket`, `${props.accessLogBucket.node.path} holds ${show(props.accessLogBucket.dataClass)} data; give a SecureBucket with dataClass "access-logs"`);
    }
    if (props.accessLogPrefix !== undefined && isLiteral(props.accessLogPrefix) && props.accessLogPrefix.startsWith("/")) {
      p.add(`${prefix}accessLogPrefix`, `${show(props.accessLogPrefix)} must not start with "/"; use e.g. "ml-artifacts/"`);
    }
    if (isLogBucket && props.accessLogPrefix !== undefined) {
      p.add(`${prefix}accessLogPrefix`, `${show(props.accessLogPrefix)} given for an "access-logs" bucket, which does not log; remove it`);
    }

    // Object Lock
    const lock = SecureBucket.lockOf(props);
    if (props.objectLock && cls === "personal-data") {
      p.add(`${prefix}objectLock`, `${show(props.objectLock)} given for "personal-data"; remove it: locked objects cannot be erased on request (GDPR Art. 17)`);
    }
    if (props.objectLock && isLogBucket) {
      p.add(`${prefix}objectLock`, `${show(props.objectLock)} given for "access-logs"; remove it: S3 does not deliver server access logs to buckets with Object Lock`);
    }
    if (props.objectLock?.mode !== undefined && !["GOVERNANCE", "COMPLIANCE"].includes(props.objectLock.mode)) {
      p.add(`${prefix}objectLock.mode`, `${show(props.objectLock.mode)} must be "GOVERNANCE" or "COMPLIANCE"`);
    }
    const lockDays = props.objectLock?.retentionDays;
    if (lockDays !== undefined && isLiteral(lockDays) && !(Number.isInteger(lockDays) && lockDays >= 1)) {
      p.add(`${prefix}objectLock.retentionDays`, `${lockDays} must be a whole number of days, at least 1; e.g. ${DEFAULT_LOCK_DAYS} (6 years)`);
    }
    if (props.forceDestroy === true && lock) {
      p.add(`${prefix}forceDestroy`, `true contradicts Object Lock (${show(cls)} data is locked for ${lock.retentionDays} days): locked versions cannot be deleted; remove forceDestroy`);
    }

    // Expiry and transitions
    const expiry = SecureBucket.expiryOf(props);
    if (props.expireAfterDays !== undefined && cls === "audit") {
      p.add(`${prefix}expireAfterDays`, `${props.expireAfterDays} given for "audit" data; remove it: audit records are kept by Object Lock retention (objectLock.retentionDays), not expired`);
    } else if (props.expireAfterDays !== undefined && isLiteral(props.expireAfterDays)) {
      const d = props.expireAfterDays;
      if (cls === "personal-data" && !(Number.isInteger(d) && d >= 1 && d <= MAX_PERSONAL_DATA_EXPIRY_DAYS)) {
        p.add(`${prefix}expireAfterDays`, `${d} must be a whole number from 1 to ${MAX_PERSONAL_DATA_EXPIRY_DAYS} for "personal-data" (storage limitation, GDPR Art. 5(1)(e)); e.g. ${DEFAULT_PERSONAL_DATA_EXPIRY_DAYS}`);
      } else if (!(Number.isInteger(d) && d >= 1)) {
        p.add(`${prefix}expireAfterDays`, `${d} must be a whole number of days, at least 1`);
      }
    }
    const noncurrent = props.noncurrentVersionExpirationDays;
    if (noncurrent !== undefined && isLiteral(noncurrent) && !(Number.isInteger(noncurrent) && noncurrent >= 1)) {
      p.add(`${prefix}noncurrentVersionExpirationDays`, `${noncurrent} must be a whole number of days, at least 1`);
    }

    const transitions = knownClass ? SecureBucket.transitionsOf(props) : [];
    transitions.forEach((t, i) => {
      const at = `${prefix}transitions[${i}]`;
      if (!(t.storageClass in NEXT_CLASSES)) {
        p.add(`${at}.storageClass`, `${show(t.storageClass)} is not a lifecycle storage class; use one of ${Object.keys(NEXT_CLASSES).map(show).join(", ")}`);
      }
      if (!isLiteral(t.afterDays)) return;
      if (!(Number.isInteger(t.afterDays) && t.afterDays >= 0)) {
        p.add(`${at}.afterDays`, `${t.afterDays} must be a whole number of days, 0 or more`);
      } else if (t.storageClass === "STANDARD_IA" && t.afterDays < 30) {
        p.add(`${at}.afterDays`, `${t.afterDays} is too early for STANDARD_IA: S3 moves objects to Standard-IA only after 30 days; use 30 or more`);
      }
      if (i === 0) return;
      const prev = transitions[i - 1];
      if (!isLiteral(prev.afterDays)) return;
      if (t.afterDays <= prev.afterDays) {
        p.add(`${at}.afterDays`, `${t.afterDays} is not after transitions[${i - 1}].afterDays (${prev.afterDays}); list transitions in ascending afterDays`);
      } else if (prev.storageClass === "STANDARD_IA" && ["GLACIER", "DEEP_ARCHIVE"].includes(t.storageClass) && t.afterDays - prev.afterDays < MIN_DAYS_IN_STANDARD_IA) {
        p.add(`${at}.afterDays`, `${t.afterDays} is ${t.afterDays - prev.afterDays} days after the STANDARD_IA transition; S3 requires at least ${MIN_DAYS_IN_STANDARD_IA} (use ${prev.afterDays + MIN_DAYS_IN_STANDARD_IA} or more)`);
      }
      const allowed = NEXT_CLASSES[prev.storageClass] as readonly string[] | undefined;
      if (allowed && t.storageClass in NEXT_CLASSES && !allowed.includes(t.storageClass)) {
        p.add(`${at}.storageClass`, `${show(t.storageClass)} cannot follow ${show(prev.storageClass)} (S3 lifecycle waterfall); after ${prev.storageClass} use ${allowed.length ? allowed.map(show).join(", ") : "no further transition"}`);
      }
    });
    const last = transitions[transitions.length - 1];
    if (last && expiry !== undefined && cls !== "audit" && isLiteral(expiry) && isLiteral(last.afterDays) && expiry <= last.afterDays) {
      const given = props.expireAfterDays === undefined ? ` (the ${show(cls)} default)` : "";
      p.add(`${prefix}expireAfterDays`, `${expiry}${given} is not after the last transition (${last.storageClass} at ${last.afterDays} days); expire later than ${last.afterDays} days or drop the transition`);
    }
    return [...p.list];
  }

  /** The effective Object Lock of a bucket with these props, or undefined when unlocked. */
  private static lockOf(props: SecureBucketProps): Required<ObjectLockOptions> | undefined {
    if (props.dataClass !== "audit" && !props.objectLock) return undefined;
    return { mode: props.objectLock?.mode ?? "GOVERNANCE", retentionDays: props.objectLock?.retentionDays ?? DEFAULT_LOCK_DAYS };
  }

  private static expiryOf(props: SecureBucketProps): number | undefined {
    return props.expireAfterDays ?? (props.dataClass === "personal-data" ? DEFAULT_PERSONAL_DATA_EXPIRY_DAYS : undefined);
  }

  private static transitionsOf(props: SecureBucketProps): readonly BucketTransition[] {
    return props.transitions ?? DEFAULT_TRANSITIONS[props.dataClass];
  }

  private static noncurrentExpiryOf(props: SecureBucketProps): number | undefined {
    if (props.noncurrentVersionExpirationDays !== undefined) return props.noncurrentVersionExpirationDays;
    switch (props.dataClass) {
      case "personal-data":
        // An expired object survives as a noncurrent version: remove it a day later, so erased data is gone in expiry + 1 days.
        return 1;
      case "audit":
        return undefined;
      default:
        return 90;
    }
  }

  /** The underlying bucket. */
  public readonly bucket: S3Bucket;
  /** The bucket name (known after apply when generated from bucketPrefix). */
  public readonly bucketName: string;
  /** The bucket ARN. */
  public readonly bucketArn: string;
  /** What the bucket holds. */
  public readonly dataClass: BucketDataClass;
  /** The bucket policy; resources that rely on its grants (e.g. log delivery) depend on it. */
  public readonly policy: S3BucketPolicy;

  private readonly policyDocument: PolicyDocument;
  /** Key prefix under which load balancers may deliver access logs, once allowed. */
  private loadBalancerLogPrefix?: string;
  /** For an access-log bucket: the buckets that log into it (aws:SourceArn of the delivery grant). */
  private readonly logSourceArns: string[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(SecureBucket.validate(props));
    problems.throwIfAny(this, "SecureBucket");

    const ctx = awsContext(this);
    const cls = props.dataClass;
    this.dataClass = cls;
    if (cls === "access-logs") {
      // The two deliberate differences of a server-access-log bucket, recorded for auditors in every report.
      // ELB access logs have the same limit (ALB User Guide, "Enable access logs for your Application Load Balancer").
      addSuppression(this, { id: "S3BucketKmsEncryption", reason: "S3 server access log delivery and ELB access log delivery support only SSE-S3 (AES256) default encryption on the target bucket; SSE-KMS would drop the logs." });
      addSuppression(this, { id: "S3BucketAccessLogging", reason: "This is the access-log target; a log bucket that logged its own deliveries would loop, and AWS advises against it." });
    }
    const lock = SecureBucket.lockOf(props);

    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      bucketPrefix: props.bucketPrefix,
      objectLockEnabled: lock ? true : undefined,
      forceDestroy: props.forceDestroy ?? false,
      tags: { ...props.tags, "secure-inference/construct": "SecureBucket", "secure-inference/data-class": cls },
    });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const bucket = this.bucket.id;

    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const versioning = new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });

    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.encryptionKey
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryptionKey.keyArn }, bucketKeyEnabled: true }
          // Server access log delivery supports only SSE-S3 default encryption (S3 User Guide, "Enabling Amazon S3 server access logging").
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    if (lock) {
      new S3BucketObjectLockConfigurationA(this, "object-lock", {
        bucket,
        rule: { defaultRetention: { mode: lock.mode, days: lock.retentionDays } },
        // Object Lock works on object versions.
        dependsOn: [versioning],
      });
    }

    if (props.accessLogBucket) props.accessLogBucket.logSourceArns.push(this.bucketArn);
    if (props.accessLogBucket) {
      new S3BucketLoggingA(this, "access-logging", {
        bucket,
        targetBucket: props.accessLogBucket.bucketName,
        targetPrefix: props.accessLogPrefix ?? `${props.bucketName ?? props.bucketPrefix}/`,
        // Log delivery is granted by the target's bucket policy; without it the first deliveries are denied.
        dependsOn: [props.accessLogBucket.policy],
      });
    }

    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: this.lifecycleRules(props),
      // The provider documents this ordering for versioned buckets: rules on noncurrent versions need versioning on first.
      dependsOn: [versioning],
    });

    this.policyDocument = new PolicyDocument([{
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: { AWS: ["*"] },
      actions: ["s3:*"],
      resources: [this.bucketArn, `${this.bucketArn}/*`],
      conditions: { Bool: { "aws:SecureTransport": false } },
    }]);
    // The AWS-documented grant for buckets with ACLs disabled (BucketOwnerEnforced): this account's
    // buckets that log here, and no other (rendered late: source buckets register after construction).
    const deliveryGrant = (): PolicyStatementProps[] => cls !== "access-logs" ? [] : [{
      sid: "S3ServerAccessLogsDelivery",
      principals: { Service: ["logging.s3.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [`${this.bucketArn}/*`],
      conditions: {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
        ...(this.logSourceArns.length > 0 ? { ArnLike: { "aws:SourceArn": [...this.logSourceArns] } } : {}),
      },
    }];
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket,
      // Rendered at synth time so that statements added after construction are included.
      policy: Lazy.stringValue({ produce: () => this.policyDocument.toJson(deliveryGrant()) }),
      // S3 refuses policy writes that race the public access block being applied.
      dependsOn: [publicAccessBlock],
    });
  }

  /** ARN of the objects whose keys match `keyPattern` (e.g. "models/*"), for policy resources. */
  arnForObjects(keyPattern: string): string {
    return `${this.bucketArn}/${keyPattern}`;
  }

  /**
   * Lets Elastic Load Balancing deliver the access logs of this account's load balancers into this "access-logs" bucket, each
   * load balancer under its own prefix below `keyPrefix` (e.g. "alb" for "alb/<namespace>/<ingress>"): ELB writes to
   * "<prefix>/AWSLogs/<account>/...", and the grant covers this account's path only. The bucket's SSE-S3 default encryption is
   * the only one ELB log delivery supports (ALB User Guide, "Enable access logs for your Application Load Balancer").
   *
   * The principal is the region's ELB account (data.aws_elb_service_account, no API call) in the regions opened before
   * August 2022 and the log delivery service principal in the others, per that page. With a provider region unknown at synth
   * time the ELB account is assumed: in a newer region the plan then fails with "unsupported AWS Region"; give the provider a
   * literal region.
   */
  allowLoadBalancerAccessLogs(keyPrefix: string): void {
    const path = this.node.path;
    if (this.dataClass !== "access-logs") {
      throw new Error(`${path}: allowLoadBalancerAccessLogs needs an "access-logs" bucket (ELB log delivery supports SSE-S3 only); this one holds ${show(this.dataClass)} data`);
    }
    if (isLiteral(keyPrefix) && !/^[A-Za-z0-9!\-_.'()]+(\/[A-Za-z0-9!\-_.'()]+)*$/.test(keyPrefix)) {
      throw new Error(`${path}: allowLoadBalancerAccessLogs(${show(keyPrefix)}): give a key prefix of path segments without a leading or trailing "/" or wildcards, e.g. "alb"`);
    }
    if (isLiteral(keyPrefix) && keyPrefix.includes("AWSLogs")) {
      throw new Error(`${path}: allowLoadBalancerAccessLogs(${show(keyPrefix)}): ELB refuses prefixes that contain "AWSLogs"; use e.g. "alb"`);
    }
    if (this.loadBalancerLogPrefix !== undefined) {
      throw new Error(`${path}: allowLoadBalancerAccessLogs was already called (prefix ${show(this.loadBalancerLogPrefix)}); give every load balancer a prefix below that one`);
    }
    this.loadBalancerLogPrefix = keyPrefix;
    const region = providerRegion(this);
    const principals = region !== undefined && !ELB_ACCOUNT_REGIONS.includes(region)
      ? { Service: [ELB_LOG_DELIVERY_SERVICE] }
      : { AWS: [new DataAwsElbServiceAccount(this, "elb-service-account").arn] };
    const account = awsContext(this).accountId;
    this.policyDocument.addStatements({
      sid: "ElbAccessLogsDelivery",
      principals,
      actions: ["s3:PutObject"],
      // The documented Resource, "<bucket>/<prefix>/AWSLogs/<account>/*", for every load balancer's prefix below keyPrefix.
      resources: [this.arnForObjects(`${keyPrefix}/*/AWSLogs/${account}/*`)],
    });
  }

  /**
   * Adds a statement to the bucket policy, next to the TLS-only deny. Every statement needs principals and
   * resources; an Allow for every AWS principal ("*") is refused (checkov CKV_AWS_70).
   */
  addToResourcePolicy(statement: PolicyStatementProps): void {
    const path = this.node.path;
    if (!statement.principals) throw new Error(`${path}: addToResourcePolicy("${statement.sid}") needs principals: a bucket policy statement applies to named principals`);
    if (!statement.resources || statement.resources.length === 0) throw new Error(`${path}: addToResourcePolicy("${statement.sid}") needs resources, e.g. bucketArn or arnForObjects("*")`);
    if ((statement.effect ?? "Allow") === "Allow" && statement.principals.AWS?.includes("*")) {
      throw new Error(`${path}: addToResourcePolicy("${statement.sid}") allows every AWS principal ("*"); name the accounts or roles instead`);
    }
    this.policyDocument.addStatements(statement);
  }

  private lifecycleRules(props: SecureBucketProps): S3BucketLifecycleConfigurationRule[] {
    // An empty filter applies a rule to every object.
    const all = [{}];
    const rules: S3BucketLifecycleConfigurationRule[] = [
      { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: all, abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_MULTIPART_DAYS }] },
      // S3 allows no Days next to ExpiredObjectDeleteMarker in one rule, hence a rule of its own.
      { id: "remove-expired-delete-markers", status: "Enabled", filter: all, expiration: [{ expiredObjectDeleteMarker: true }] },
    ];
    const transitions = SecureBucket.transitionsOf(props);
    const expiry = SecureBucket.expiryOf(props);
    if (transitions.length > 0 || expiry !== undefined) {
      rules.push({
        id: "current-versions",
        status: "Enabled",
        filter: all,
        transition: transitions.length > 0 ? transitions.map((t) => ({ days: t.afterDays, storageClass: t.storageClass })) : undefined,
        expiration: expiry !== undefined ? [{ days: expiry }] : undefined,
      });
    }
    const noncurrent = SecureBucket.noncurrentExpiryOf(props);
    if (noncurrent !== undefined) {
      rules.push({ id: "noncurrent-versions", status: "Enabled", filter: all, noncurrentVersionExpiration: [{ noncurrentDays: noncurrent }] });
    }
    return rules;
  }
}
