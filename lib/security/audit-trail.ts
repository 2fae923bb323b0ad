import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { awsContext } from "../private/aws-context";
import { roleNamePrefix, serviceRole } from "./private/iam";
import { DEFAULT_LOG_RETENTION_DAYS, logRetentionProblem } from "../private/log-retention";
import { Problems, show } from "../private/validation";
import { EncryptionKey } from "./encryption-key";
import { PolicyDocument } from "./policy-document";
import { ObjectLockOptions, SecureBucket } from "./secure-bucket";

/** Settings of an AuditTrail a user may change. */
export interface AuditTrailOptions {
  /**
   * Days to keep the trail in CloudWatch Logs for search and alarms (a CloudWatch Logs retention value, at least 365).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Object lock of the trail bucket; the bucket keeps every log file at least this long.
   * @default - GOVERNANCE mode, 2192 days (6 years, as HIPAA keeps documentation)
   */
  readonly objectLock?: ObjectLockOptions;
  /**
   * A trail for every account of the AWS Organization (run from the management or delegated admin account).
   * @default false
   */
  readonly organizationTrail?: boolean;
}

/** Props of an AuditTrail. */
export interface AuditTrailProps extends AuditTrailOptions {
  /** Trail name, also the prefix of its bucket and log group. Lower-case letters, digits and "-". */
  readonly name: string;
  /** Bucket that receives the S3 server access logs of the trail bucket. */
  readonly accessLogBucket: SecureBucket;
  /**
   * Key for the trail's files and its log group.
   * @default - a new EncryptionKey with purpose "audit"
   */
  readonly key?: EncryptionKey;
  /**
   * Buckets whose object reads and writes are recorded (S3 data events): who read which model weights.
   * Data events are billed per event: name the buckets that hold sensitive data.
   * @default - every bucket of the account
   */
  readonly dataEventBucketArns?: string[];
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A multi-region CloudTrail with log file validation, KMS encryption, delivery to an encrypted
 * CloudWatch log group (for alarms), S3 data events for the buckets that hold models, and a
 * bucket under object lock that keeps every log file for the retention period.
 */
export class AuditTrail extends Construct {
  /** Validates options; one line per problem, each starting with `prefix`. */
  static validate(o: AuditTrailOptions, prefix = ""): string[] {
    const p = new Problems();
    const retention = o.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const rp = logRetentionProblem(retention);
    if (rp) p.add(`${prefix}logRetentionDays`, rp);
    const lock = o.objectLock?.retentionDays ?? 2192;
    // The immutable copy must outlive the searchable one, or the bucket loses evidence first.
    if (lock < retention) p.add(`${prefix}objectLock.retentionDays`, `(${lock}) is shorter than logRetentionDays (${retention}); keep the locked copy at least as long as the log group`);
    return [...p.list];
  }

  /** The trail. */
  public readonly trail: Cloudtrail;
  /** Its ARN. */
  public readonly trailArn: string;
  /** The object-locked bucket of log files. */
  public readonly bucket: SecureBucket;
  /** The CloudWatch log group the trail delivers to. */
  public readonly logGroup: CloudwatchLogGroup;
  /** Name of that log group (for metric filters). */
  public readonly logGroupName: string;
  /** The key of the trail. */
  public readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const p = new Problems();
    p.when(!/^[a-z][a-z0-9-]{2,39}$/.test(props.name), "name", `${show(props.name)} must be 3-40 lower-case letters, digits or "-", starting with a letter`);
    p.addAll(AuditTrail.validate(props));
    p.throwIfAny(this, "AuditTrail");

    const ctx = awsContext(this);
    const tags = props.tags ?? {};
    const dataEventBucketArns = [...(props.dataEventBucketArns ?? [])];
    // Built from parts: the trail's own ARN attribute would make the key and bucket policies depend on the trail.
    this.trailArn = `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${props.name}`;

    this.key = props.key ?? new EncryptionKey(this, "key", { purpose: "audit", aliasPrefix: props.name, tags });
    this.key.grantService("CloudTrailEncryptsLogFiles", "cloudtrail.amazonaws.com", ["kms:GenerateDataKey*"], {
      StringEquals: { "aws:SourceArn": this.trailArn },
      StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*` },
    });
    this.key.grantService("CloudTrailDescribesKey", "cloudtrail.amazonaws.com", ["kms:DescribeKey"], { StringEquals: { "aws:SourceArn": this.trailArn } });
    this.key.grantCloudWatchLogs(`/aws/cloudtrail/${props.name}`);

    this.bucket = new SecureBucket(this, "bucket", {
      bucketPrefix: `${props.name.slice(0, 29)}-trail-`,
      dataClass: "audit",
      encryptionKey: this.key,
      accessLogBucket: props.accessLogBucket,
      objectLock: props.objectLock,
      tags,
    });
    this.bucket.addToResourcePolicy({
      sid: "CloudTrailChecksBucketAcl",
      actions: ["s3:GetBucketAcl"],
      resources: [this.bucket.bucketArn],
      principals: { Service: ["cloudtrail.amazonaws.com"] },
      conditions: { StringEquals: { "aws:SourceArn": this.trailArn } },
    });
    const logPrefixes = props.organizationTrail ? [this.bucket.arnForObjects(`AWSLogs/*`)] : [this.bucket.arnForObjects(`AWSLogs/${ctx.accountId}/*`)];
    this.bucket.addToResourcePolicy({
      sid: "CloudTrailWritesLogFiles",
      actions: ["s3:PutObject"],
      resources: logPrefixes,
      principals: { Service: ["cloudtrail.amazonaws.com"] },
      conditions: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": this.trailArn } },
    });

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/cloudtrail/${props.name}`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      kmsKeyId: this.key.keyArn,
      tags,
    });
    // A reference, not the literal name: metric filters on the group are then created after it.
    this.logGroupName = this.logGroup.name;
    const delivery = serviceRole(this, "delivery-role", {
      namePrefix: roleNamePrefix(props.name, "trail-logs"),
      service: "cloudtrail.amazonaws.com",
      description: `Delivers CloudTrail ${props.name} to CloudWatch Logs`,
      conditions: { StringEquals: { "aws:SourceArn": this.trailArn } },
      policies: {
        delivery: {
          description: `Writes CloudTrail ${props.name} to its log group only`,
          document: new PolicyDocument([{ sid: "WriteTrailEvents", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.arn}:log-stream:*`] }]),
        },
      },
      tags,
    });

    this.trail = new Cloudtrail(this, "trail", {
      name: props.name,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: this.key.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      isOrganizationTrail: props.organizationTrail ?? false,
      enableLogFileValidation: true,
      enableLogging: true,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: delivery.role.arn,
      advancedEventSelector: [
        { name: "All management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        {
          name: dataEventBucketArns.length ? "Object reads and writes of model and data buckets" : "Object reads and writes of every S3 bucket",
          fieldSelector: [
            { field: "eventCategory", equalTo: ["Data"] },
            { field: "resources.type", equalTo: ["AWS::S3::Object"] },
            ...(dataEventBucketArns.length ? [{ field: "resources.ARN", startsWith: dataEventBucketArns.map((a) => `${a}/`) }] : []),
          ],
        },
      ],
      tags,
      // CloudTrail checks the bucket policy and the delivery role when the trail is created.
      dependsOn: [this.bucket.policy, ...delivery.attachments],
    });
  }
}
