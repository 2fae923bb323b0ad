import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext, awsContext } from "../private/aws-context";
import { Problems, isLiteral, show } from "../private/validation";
import { PolicyConditions, PolicyDocument } from "./policy-document";

/** Props of an EncryptionKey. */
export interface EncryptionKeyProps {
  /** What the key protects, e.g. "eks-secrets"; used in the description and the alias. Lower-case letters, digits and "-". */
  readonly purpose: string;
  /**
   * Alias of the key, without the "alias/" prefix.
   * @default - "<aliasPrefix>/<purpose>" when aliasPrefix is given, else "<purpose>"
   */
  readonly alias?: string;
  /**
   * Prefix for the alias, usually the cluster or application name.
   * @default - none
   */
  readonly aliasPrefix?: string;
  /**
   * Human description of the key.
   * @default - "Encrypts <purpose>"
   */
  readonly description?: string;
  /**
   * Days between automatic rotations of the key material. Rotation is always on; 90 to 2560.
   * @default 365
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Waiting period before a scheduled deletion takes effect, 7 to 30 days.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Tags for the key.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** Actions a service or role needs to encrypt and decrypt with a key (envelope encryption included). */
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * A customer-managed KMS key for one purpose, with rotation on. Its key policy grants use to
 * exactly the service principals and roles named through the grant methods, each scoped by
 * condition where AWS allows it. The first statement is the AWS default account-root statement:
 * it keeps the key manageable and lets IAM policies in the account (e.g. an administrator's)
 * grant use too, so keep `kms:*` on `*` out of identity policies.
 */
export class EncryptionKey extends Construct {
  /** The underlying KMS key. */
  public readonly key: KmsKey;
  /** The key ARN, for `kms_key_id` / `key_arn` attributes. */
  public readonly keyArn: string;
  /** The key id. */
  public readonly keyId: string;
  /** The alias name, "alias/...". */
  public readonly aliasName: string;

  private readonly policy: PolicyDocument;
  private readonly ctx: AwsContext;
  private readonly logGroupPatterns: string[] = [];

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const problems = new Problems();
    problems.when(!/^[a-z0-9][a-z0-9-]*$/.test(props.purpose), "purpose", `${show(props.purpose)} must be lower-case letters, digits and "-", e.g. "eks-secrets"`);
    const rotation = props.rotationPeriodInDays ?? 365;
    problems.when(isLiteral(rotation) && (rotation < 90 || rotation > 2560), "rotationPeriodInDays", `${rotation} must be between 90 and 2560 days (KMS limits)`);
    const deletion = props.deletionWindowInDays ?? 30;
    problems.when(isLiteral(deletion) && (deletion < 7 || deletion > 30), "deletionWindowInDays", `${deletion} must be between 7 and 30 days (KMS limits)`);
    const alias = props.alias ?? (props.aliasPrefix ? `${props.aliasPrefix}/${props.purpose}` : props.purpose);
    problems.when(alias.startsWith("aws/") || alias.startsWith("alias/"), "alias", `${show(alias)} must not start with "alias/" (added for you) or "aws/" (reserved for AWS managed keys)`);
    problems.throwIfAny(this, "EncryptionKey");

    this.ctx = awsContext(this);
    this.policy = new PolicyDocument([
      {
        sid: "AccountRootAdministers",
        actions: ["kms:*"],
        resources: ["*"],
        principals: { AWS: [`arn:${this.ctx.partition}:iam::${this.ctx.accountId}:root`] },
      },
    ]);

    this.key = new KmsKey(this, "key", {
      description: props.description ?? `Encrypts ${props.purpose}`,
      enableKeyRotation: true,
      rotationPeriodInDays: rotation,
      deletionWindowInDays: deletion,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      // Rendered at synth time so that statements added after construction are included.
      policy: Lazy.stringValue({ produce: () => this.renderPolicy() }),
      tags: { ...props.tags, Purpose: props.purpose },
    });
    this.aliasName = `alias/${alias}`;
    new KmsAlias(this, "alias", { name: this.aliasName, targetKeyId: this.key.keyId });
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
  }

  /** Lets IAM principals (role ARNs) encrypt and decrypt with the key. `sid` names why. */
  grantUse(sid: string, principalArns: string[], extraActions: string[] = []): void {
    if (principalArns.length === 0) throw new Error(`${this.node.path}: grantUse("${sid}") needs at least one principal ARN`);
    this.policy.addStatements({ sid, actions: [...USE_ACTIONS, ...extraActions], resources: ["*"], principals: { AWS: principalArns } });
  }

  /**
   * Lets CloudWatch Logs of this account and region encrypt log groups whose name matches
   * `logGroupNamePattern`, and nothing else (encryption-context condition, as AWS documents).
   */
  grantCloudWatchLogs(logGroupNamePattern = "*"): void {
    if (!this.logGroupPatterns.includes(logGroupNamePattern)) this.logGroupPatterns.push(logGroupNamePattern);
  }

  /**
   * Lets EC2 Auto Scaling (its service-linked role) create encrypted EBS volumes for
   * instances it launches, as EKS managed node groups do. Without it, nodes with
   * encrypted volumes fail to launch.
   */
  grantEbsForAutoScaling(): void {
    const { partition, accountId } = this.ctx;
    const slr = `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    this.policy.addStatements(
      { sid: "AutoScalingUsesKeyForVolumes", actions: USE_ACTIONS, resources: ["*"], principals: { AWS: [slr] } },
      {
        sid: "AutoScalingAttachesPersistentResources",
        actions: ["kms:CreateGrant"],
        resources: ["*"],
        principals: { AWS: [slr] },
        conditions: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    );
  }

  /** Adds a custom statement for a service principal, e.g. SNS or CloudTrail (later constructs). */
  grantService(sid: string, servicePrincipal: string, actions: string[], conditions?: PolicyConditions): void {
    this.policy.addStatements({ sid, actions, resources: ["*"], principals: { Service: [servicePrincipal] }, conditions });
  }

  private renderPolicy(): string {
    if (this.logGroupPatterns.length === 0) return this.policy.toJson();
    const { partition, region, accountId, dnsSuffix } = this.ctx;
    const arns = this.logGroupPatterns.map((p) => `arn:${partition}:logs:${region}:${accountId}:log-group:${p}`);
    return this.policy.toJson([{
      sid: "CloudWatchLogsEncryptsLogGroups",
      actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      resources: ["*"],
      principals: { Service: [`logs.${region}.${dnsSuffix}`] },
      // Only for the log groups this key is meant for, as AWS documents for CloudWatch Logs.
      conditions: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arns } },
    }]);
  }
}
