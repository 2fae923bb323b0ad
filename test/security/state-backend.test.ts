import { S3Backend, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidationError } from "../../lib/errors";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { SecureBucket } from "../../lib/security/secure-bucket";
import { StateBackend } from "../../lib/security/state-backend";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

const BUCKET = "acme-ml-tfstate-111122223333";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function bucketsByClass(json: Json): Record<string, [string, Json]> {
  return Object.fromEntries(Object.entries(resourcesOf(json, "aws_s3_bucket")).map(([id, b]) => [b.tags["secure-inference/data-class"], [id, b]]));
}

describe("StateBackend", () => {
  const stack = awsStack();
  const backend = new StateBackend(stack, "state", { bucketName: BUCKET, region: "us-east-1", tags: { Team: "ml-platform" } });
  const { raw, json } = synth(stack);
  const buckets = bucketsByClass(json);
  const [stateId, state] = buckets["state"];
  const [logsId] = buckets["access-logs"];
  const ofState = (type: string) => Object.values(resourcesOf(json, type)).find((r) => r.bucket === `\${aws_s3_bucket.${stateId}.id}`);

  it("keeps state in a versioned bucket with the exact given name, and access-logs it to a new log bucket", () => {
    expect(state).toMatchObject({ bucket: BUCKET, force_destroy: false, tags: { Team: "ml-platform", "secure-inference/data-class": "state" } });
    expect(state.bucket_prefix).toBeUndefined();
    expect(ofState("aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
    expect(ofState("aws_s3_bucket_logging")).toMatchObject({ target_bucket: `\${aws_s3_bucket.${logsId}.bucket}`, target_prefix: `${BUCKET}/` });
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket"))).toHaveLength(2);
  });

  it("encrypts the state with a key of its own, aliased under the bucket name", () => {
    const key = onlyResource(json, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, description: `Encrypts Terraform state in ${BUCKET}`, tags: { Purpose: "terraform-state", Team: "ml-platform" } });
    expect(onlyResource(json, "aws_kms_alias").name).toBe(`alias/${BUCKET}/terraform-state`);
    const [keyId] = Object.keys(resourcesOf(json, "aws_kms_key"));
    expect(ofState("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: `\${aws_kms_key.${keyId}.arn}` }, bucket_key_enabled: true },
    ]);
  });

  it("locks with S3 lock files: no DynamoDB table", () => {
    expect(resourcesOf(json, "aws_dynamodb_table")).toEqual({});
  });

  it("fails the plan when the given region is not the provider's region", () => {
    expect(state.lifecycle.precondition).toEqual([{
      condition: expect.stringMatching(/^\$\{\(data\.aws_region\.\w+\.name == "us-east-1"\)\}$/),
      error_message: expect.stringContaining('StateBackend region is "us-east-1" but the AWS provider of this stack uses another region'),
    }]);
  });

  it("exposes literal names for backend blocks, and references for policies", () => {
    expect(backend.bucketName).toBe(BUCKET);
    expect(backend.keyAlias).toBe(`alias/${BUCKET}/terraform-state`);
    expect(backend.region).toBe("us-east-1");
    expect(backend.bucketArn).toBe(backend.bucket.bucketArn);
    expect(backend.keyArn).toBe(backend.key.keyArn);
  });

  it("gives the backend settings of a stack: encrypted with its key, locked with a lock file", () => {
    expect(backend.backendConfig("ml/prod.tfstate")).toEqual({
      bucket: BUCKET,
      key: "ml/prod.tfstate",
      region: "us-east-1",
      encrypt: true,
      kmsKeyId: `alias/${BUCKET}/terraform-state`,
      useLockfile: true,
    });
  });

  it("puts another stack's state there, with use_lockfile set although cdktf 0.21's S3BackendConfig lacks it", () => {
    const app = Testing.app();
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    backend.useIn(serving, "ml/serving.tfstate");
    const direct = new TerraformStack(app, "direct");
    new S3Backend(direct, backend.backendConfig("ml/direct.tfstate"));
    const expected = (key: string) => ({ bucket: BUCKET, key, region: "us-east-1", encrypt: true, kms_key_id: `alias/${BUCKET}/terraform-state`, use_lockfile: true });
    expect(JSON.parse(Testing.synth(serving)).terraform.backend).toEqual({ s3: expected("ml/serving.tfstate") });
    expect(JSON.parse(Testing.synth(direct)).terraform.backend).toEqual({ s3: expected("ml/direct.tfstate") });
  });

  it("refuses to keep two stacks' state at one key, naming the stack that has it and a key to use", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    const serving = new TerraformStack(app, "serving");
    backend.useIn(platform, "ml/prod.tfstate");
    expect(() => backend.useIn(serving, "ml/prod.tfstate")).toThrow(
      /state\.useIn\(serving\): invalid StateBackend\.useIn props \(1 problem\):\n- stateKey: "ml\/prod\.tfstate" already holds the state of stack platform; .*plan to destroy the other's resources\. Give every stack its own key, e\.g\. "ml\/serving\.tfstate"/,
    );
    expect(() => backend.useIn(serving, "ml/serving.tfstate")).not.toThrow();
    // Another app (e.g. a second environment synthesized in the same process) has its own stacks.
    const other = new TerraformStack(Testing.app(), "serving");
    expect(() => backend.useIn(other, "ml/prod.tfstate")).not.toThrow();
  });

  it("grants a deploy role exactly the state objects, their lock files and the key (no wildcard action)", () => {
    const doc = backend.accessPolicyDocument(["ml/prod.tfstate", "ml/staging.tfstate"]).toObject();
    const arn = backend.bucketArn;
    expect(doc.Statement).toEqual([
      { Sid: "ListStateBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: arn, Condition: { StringEquals: { "s3:prefix": ["ml/prod.tfstate", "ml/staging.tfstate"] } } },
      { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${arn}/ml/prod.tfstate`, `${arn}/ml/staging.tfstate`] },
      { Sid: "LockState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: [`${arn}/ml/prod.tfstate.tflock`, `${arn}/ml/staging.tfstate.tflock`] },
      { Sid: "EncryptState", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: backend.keyArn },
    ]);
    const actions = (doc.Statement as Array<{ Action: string | string[] }>).flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
  });

  it("covers every state object in the bucket when no keys are given", () => {
    const doc = backend.accessPolicyDocument().toObject();
    const arn = backend.bucketArn;
    expect(doc.Statement).toEqual([
      { Sid: "ListStateBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: arn },
      { Sid: "ReadWriteState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: `${arn}/*` },
      { Sid: "LockState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${arn}/*.tflock` },
      { Sid: "EncryptState", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: backend.keyArn },
    ]);
  });

  it("refuses state keys that are not plain object paths", () => {
    expect(() => backend.backendConfig("/ml/prod.tfstate")).toThrow(/^test\/state: backendConfig: state key "\/ml\/prod\.tfstate" must be a path without leading, trailing or doubled "\/", e\.g\. "ml\/prod\.tfstate"$/);
    expect(() => backend.accessPolicyDocument(["ml/*"])).toThrow(/^test\/state: accessPolicyDocument: state key "ml\/\*" contains a wildcard; name each state object$/);
    expect(() => backend.accessPolicyDocument([])).toThrow(/^test\/state: accessPolicyDocument: no state keys given; give at least one, or omit the argument$/);
  });

  it("matches the snapshot", () => expect(raw).toMatchSnapshot());
});

describe("StateBackend with a given access-log bucket", () => {
  const stack = awsStack();
  const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
  new StateBackend(stack, "state", { bucketName: BUCKET, region: "eu-central-1", accessLogBucket: logs });
  const { json } = synth(stack);

  it("logs to that bucket instead of creating one", () => {
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket"))).toHaveLength(2);
    const [logsId] = bucketsByClass(json)["access-logs"];
    expect(logsId).toMatch(/^logs_bucket_/);
    expect(onlyResource(json, "aws_s3_bucket_logging").target_bucket).toBe(`\${aws_s3_bucket.${logsId}.bucket}`);
  });
});

describe("StateBackend: invalid props", () => {
  it("refuses a region that is not a region name", () => {
    const stack = awsStack();
    expect(() => new StateBackend(stack, "bad", { bucketName: BUCKET, region: "us-east" })).toThrow(
      /^test\/bad: invalid StateBackend props \(1 problem\):\n- region: "us-east" is not an AWS region name; use e\.g\. "us-east-1"$/,
    );
    expect(stack.node.tryFindChild("bad")).toBeUndefined();
  });

  it("refuses a region given as a Terraform reference (backend blocks cannot hold references)", () => {
    const stack = awsStack();
    const key = new EncryptionKey(stack, "key", { purpose: "x" });
    expect(() => new StateBackend(stack, "bad", { bucketName: BUCKET, region: key.keyId })).toThrow(
      /region: is a Terraform reference; backend blocks cannot hold references, so give the region literally, e\.g\. "us-east-1"/,
    );
  });

  it("accepts region names of every partition", () => {
    for (const region of ["us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1", "il-central-1"]) {
      expect(StateBackend.validate({ bucketName: BUCKET, region })).toEqual([]);
    }
  });

  it("reports a bad region, bucket name and log bucket at once", () => {
    const stack = awsStack();
    const key = new EncryptionKey(stack, "key", { purpose: "x" });
    const logs = new SecureBucket(stack, "logs", { bucketPrefix: "ml-access-logs-", dataClass: "access-logs" });
    const other = new SecureBucket(stack, "other", { bucketPrefix: "ml-other-", dataClass: "artifacts", encryptionKey: key, accessLogBucket: logs });
    let error: unknown;
    try {
      new StateBackend(stack, "bad", { bucketName: "Acme.State", region: "US-EAST-1", accessLogBucket: other });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(/^test\/bad: invalid StateBackend props \(3 problems\):/);
    expect((error as ValidationError).problems).toEqual([
      'region: "US-EAST-1" is not an AWS region name; use e.g. "us-east-1"',
      'bucketName: "Acme.State" must be 3 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit (no dots: they break TLS for virtual-hosted-style requests)',
      'accessLogBucket: test/other holds "artifacts" data; give a SecureBucket with dataClass "access-logs"',
    ]);
  });
});

describe("StateBackend.accessPolicyDocument for read-only (plan) roles", () => {
  it("leaves the lock files alone for plans without a lock, so pull-request code can neither take nor delete a deploy's lock", () => {
    const stack = awsStack();
    const backend = new StateBackend(stack, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
    const statements = backend.accessPolicyDocument(["platform.tfstate"], { readOnly: true, withoutLock: true }).statements;
    expect(statements.flatMap((s) => s.resources ?? []).filter((r) => r.includes(".tflock"))).toEqual([]);
    expect(statements.flatMap((s) => s.actions)).toEqual(["s3:ListBucket", "s3:GetObject", "kms:Decrypt"]);
    expect(() => backend.accessPolicyDocument(["platform.tfstate"], { withoutLock: true })).toThrow(/withoutLock is for read-only \(plan\) roles; a deploy must lock the state/);
  });

  it("reads state and takes the lock, but cannot write or encrypt state", () => {
    const stack = awsStack();
    const backend = new StateBackend(stack, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
    const statements = backend.accessPolicyDocument(["platform.tfstate"], { readOnly: true }).statements;
    const onState = statements.filter((s) => (s.resources ?? []).some((r) => r.endsWith("/platform.tfstate")));
    expect(onState.flatMap((s) => s.actions)).toEqual(["s3:GetObject"]);
    expect(statements.flatMap((s) => s.actions)).not.toContain("kms:Encrypt");
    expect(statements.find((s) => s.sid === "LockState")?.resources).toEqual([expect.stringMatching(/\/platform\.tfstate\.tflock$/)]);
  });
});
