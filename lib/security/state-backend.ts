import { Op, S3Backend, S3BackendConfig, TerraformStack, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ValidationError } from "../errors";
import { awsContext } from "../private/aws-context";
import { Problems, show } from "../private/validation";
import { EncryptionKey } from "./encryption-key";
import { PolicyDocument } from "./policy-document";
import { SecureBucket } from "./secure-bucket";

/** Props of a StateBackend. */
export interface StateBackendProps {
  /**
   * Exact, globally unique name of the state bucket, e.g. "acme-ml-tfstate-111122223333". A backend block cannot
   * hold Terraform references, so the name is fixed here instead of generated. Lower-case letters, digits and "-".
   */
  readonly bucketName: string;
  /**
   * Region of the state bucket, as a literal (e.g. "us-east-1"): it is written into backend blocks, which cannot
   * hold references. Must be the region of this stack's AWS provider; the plan fails otherwise.
   */
  readonly region: string;
  /**
   * Bucket that receives the state bucket's server access logs (dataClass "access-logs").
   * @default - a new access-log bucket in this construct
   */
  readonly accessLogBucket?: SecureBucket;
  /**
   * Tags for the buckets and the key.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** S3 backend settings for a stack whose state lives in a StateBackend. */
export interface StateBackendConfig extends S3BackendConfig {
  /**
   * S3 native state locking (Terraform >= 1.10): a `<key>.tflock` object written with a conditional put, no
   * DynamoDB table. cdktf 0.21's S3BackendConfig has no such field; see StateBackend.useIn.
   */
  readonly useLockfile: boolean;
}

/** State objects given to stacks by useIn, per app: "s3://bucket/key" -> stack path. */
const STATE_KEYS_IN_USE = new WeakMap<IConstruct, Map<string, string>>();

/** Region names: "us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5". */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * An S3 bucket for Terraform state: a SecureBucket of dataClass "state" (versioned, TLS-only, access-logged,
 * superseded state versions kept 90 days) encrypted with its own KMS key, and locking through S3 native lock
 * files (`use_lockfile`, Terraform >= 1.10) instead of a DynamoDB table.
 *
 * The bucket is created by a bootstrap stack, which cannot keep its own state in a bucket that does not exist yet:
 *
 * 1. Deploy the bootstrap stack that holds the StateBackend with local state (no backend): `cdktf deploy bootstrap`.
 * 2. Point the other stacks at it: `backend.useIn(stack, "ml/prod.tfstate")`, or pass `backend.backendConfig(key)`
 *    to `new S3Backend(stack, ...)`.
 * 3. Optionally move the bootstrap stack's own state in too: add `backend.useIn(bootstrapStack, "bootstrap.tfstate")`
 *    and run `cdktf deploy bootstrap --migrate-state`. Keep the local state file until the migration succeeded.
 *
 * Deploy roles need the statements of `accessPolicyDocument(keys)`; the key policy lets IAM policies of the
 * account grant use of the key. The backend names the key by its alias, which S3 resolves in the caller's
 * account: deploy from the bucket's account (or pass the key ARN yourself for cross-account access).
 */
export class StateBackend extends Construct {
  /** Validates props without creating anything; returns one line per problem, each property prefixed with `prefix`. */
  static validate(props: StateBackendProps, prefix = ""): string[] {
    const p = new Problems();
    if (Token.isUnresolved(props.region)) {
      p.add(`${prefix}region`, `is a Terraform reference; backend blocks cannot hold references, so give the region literally, e.g. "us-east-1"`);
    } else if (!REGION.test(props.region)) {
      p.add(`${prefix}region`, `${show(props.region)} is not an AWS region name; use e.g. "us-east-1"`);
    }
    if (Token.isUnresolved(props.bucketName)) {
      p.add(`${prefix}bucketName`, `is a Terraform reference; backend blocks cannot hold references, so give the name literally`);
    } else {
      // SecureBucket's name rules; an "access-logs" bucket needs no other props, so only name problems remain.
      p.addAll(SecureBucket.validate({ bucketName: props.bucketName, dataClass: "access-logs" }, prefix).filter((line) => line.startsWith(`${prefix}bucketName:`)));
    }
    if (props.accessLogBucket && props.accessLogBucket.dataClass !== "access-logs") {
      p.add(`${prefix}accessLogBucket`, `${props.accessLogBucket.node.path} holds ${show(props.accessLogBucket.dataClass)} data; give a SecureBucket with dataClass "access-logs"`);
    }
    return [...p.list];
  }

  /** The state bucket. */
  public readonly bucket: SecureBucket;
  /** Name of the state bucket (a literal, usable in backend blocks). */
  public readonly bucketName: string;
  /** ARN of the state bucket. */
  public readonly bucketArn: string;
  /** The key that encrypts the state. */
  public readonly key: EncryptionKey;
  /** ARN of the key that encrypts the state. */
  public readonly keyArn: string;
  /** The key's alias name, "alias/<bucketName>/terraform-state" (a literal, usable in backend blocks). */
  public readonly keyAlias: string;
  /** The region given in props. */
  public readonly region: string;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(StateBackend.validate(props));
    problems.throwIfAny(this, "StateBackend");

    this.region = props.region;
    this.bucketName = props.bucketName;
    // The bucket name is globally unique, so it keeps the alias unique within the account and region too.
    this.key = new EncryptionKey(this, "key", { purpose: "terraform-state", aliasPrefix: props.bucketName, description: `Encrypts Terraform state in ${props.bucketName}`, tags: props.tags });
    this.keyArn = this.key.keyArn;
    this.keyAlias = this.key.aliasName;

    const accessLogBucket = props.accessLogBucket ?? new SecureBucket(this, "access-logs", { bucketPrefix: "tfstate-access-logs-", dataClass: "access-logs", tags: props.tags });
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      dataClass: "state",
      encryptionKey: this.key,
      accessLogBucket,
      tags: props.tags,
    });
    this.bucketArn = this.bucket.bucketArn;

    const ctx = awsContext(this);
    this.bucket.bucket.lifecycle = {
      precondition: [{
        condition: Op.eq(ctx.region, props.region),
        errorMessage: `StateBackend region is "${props.region}" but the AWS provider of this stack uses another region; backend blocks would point at the wrong region. Set region to the provider's region.`,
      }],
    };
  }

  /**
   * S3 backend settings that keep the state of one stack at `stateKey` in this bucket: encrypted with this
   * backend's key (by alias), locked with a lock file. Pass them to `new S3Backend(stack, ...)`; S3Backend
   * renders every field it is given, `useLockfile` included, or use `useIn`, which sets it explicitly.
   */
  backendConfig(stateKey: string): StateBackendConfig {
    this.checkStateKeys([stateKey], "backendConfig");
    return {
      bucket: this.bucketName,
      key: stateKey,
      region: this.region,
      encrypt: true,
      kmsKeyId: this.keyAlias,
      useLockfile: true,
    };
  }

  /**
   * Makes `stack` keep its state at `stateKey` in this bucket. cdktf 0.21's S3BackendConfig has no `useLockfile`
   * (node_modules/cdktf/lib/backends/s3-backend.d.ts), so `use_lockfile` is set with an override.
   */
  useIn(stack: TerraformStack, stateKey: string): S3Backend {
    const { useLockfile, ...config } = this.backendConfig(stateKey);
    // Two stacks on one state object: each apply plans to destroy the other's resources.
    const used = STATE_KEYS_IN_USE.get(stack.node.root) ?? new Map<string, string>();
    STATE_KEYS_IN_USE.set(stack.node.root, used);
    const object = `s3://${this.bucketName}/${stateKey}`;
    const owner = used.get(object);
    if (owner !== undefined && owner !== stack.node.path) {
      const dir = stateKey.includes("/") ? stateKey.slice(0, stateKey.lastIndexOf("/") + 1) : "";
      throw new ValidationError(`${this.node.path}.useIn(${stack.node.path})`, "StateBackend.useIn", [
        `stateKey: ${show(stateKey)} already holds the state of stack ${owner}; each apply of one stack would plan to destroy the other's resources. ` +
          `Give every stack its own key, e.g. "${dir}${stack.node.id}.tfstate"`,
      ]);
    }
    used.set(object, stack.node.path);
    const backend = new S3Backend(stack, config);
    backend.addOverride("use_lockfile", useLockfile);
    return backend;
  }

  /**
   * The least-privilege IAM statements a deploy role needs for the state at `stateKeys` (the default workspace):
   * list the bucket (limited to those keys), read and write the state objects, create and delete their
   * `.tflock` lock files, and use the key. Terraform never deletes a state object, so no s3:DeleteObject on it.
   * Without keys the statements cover every state object in the bucket.
   * With `readOnly`, the state objects can be read but not written (the lock file still can: plans lock).
   * With `readOnly` and `withoutLock`, not even the lock file: for plans run with `-lock=false` (as the CI
   * example's pull-request diffs are), so code of a pull request can neither take nor delete the lock of a deploy.
   */
  accessPolicyDocument(stateKeys?: string[], options: { readonly readOnly?: boolean; readonly withoutLock?: boolean } = {}): PolicyDocument {
    if (options.withoutLock && !options.readOnly) throw new Error(`${this.node.path}: accessPolicyDocument: withoutLock is for read-only (plan) roles; a deploy must lock the state`);
    const lockFree = options.readOnly === true && options.withoutLock === true;
    if (stateKeys !== undefined) this.checkStateKeys(stateKeys, "accessPolicyDocument");
    const keys = stateKeys ?? [];
    const arn = this.bucketArn;
    return new PolicyDocument([
      {
        sid: "ListStateBucket",
        actions: ["s3:ListBucket"],
        resources: [arn],
        conditions: keys.length > 0 ? { StringEquals: { "s3:prefix": keys } } : undefined,
      },
      {
        // A plan (e.g. of a pull request) reads state; only a deploy writes it.
        sid: options.readOnly ? "ReadState" : "ReadWriteState",
        actions: options.readOnly ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"],
        resources: keys.length > 0 ? keys.map((k) => `${arn}/${k}`) : [`${arn}/*`],
      },
      ...(lockFree
        ? []
        : [
            {
              sid: "LockState",
              actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
              resources: keys.length > 0 ? keys.map((k) => `${arn}/${k}.tflock`) : [`${arn}/*.tflock`],
            },
          ]),
      {
        // Plans decrypt state and encrypt only their lock file (GenerateDataKey); deploys also write state.
        sid: options.readOnly ? "DecryptState" : "EncryptState",
        actions: lockFree ? ["kms:Decrypt"] : options.readOnly ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        resources: [this.keyArn],
      },
    ]);
  }

  private checkStateKeys(keys: string[], method: string): void {
    const bad: string[] = [];
    if (keys.length === 0) bad.push("no state keys given; give at least one, or omit the argument");
    for (const k of keys) {
      if (Token.isUnresolved(k)) bad.push("a state key is a Terraform reference; give it literally");
      else if (k.length === 0 || k.startsWith("/") || k.endsWith("/") || k.includes("//")) bad.push(`state key ${show(k)} must be a path without leading, trailing or doubled "/", e.g. "ml/prod.tfstate"`);
      else if (/[*?]/.test(k)) bad.push(`state key ${show(k)} contains a wildcard; name each state object`);
    }
    if (bad.length) throw new Error(`${this.node.path}: ${method}: ${bad.join("; ")}`);
  }
}
