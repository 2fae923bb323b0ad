/**
 * Prepares synthesized stacks for an offline `terraform validate` / `terraform plan`: an
 * override file with fake credentials and loopback endpoints, and the cut that keeps only the
 * AWS part of stacks that also use the kubernetes or helm provider.
 */
import * as fs from "fs";
import * as path from "path";

/** A synthesized stack: the parsed cdk.tf.json. */
export type StackJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** AWS services the override points at the loopback stand-in; reads of any other service fail at the dead proxy. */
const STAND_IN_SERVICES = ["sts", "ec2", "iam", "kms", "eks", "s3", "logs", "cloudwatch", "sns", "ssm", "acm", "secretsmanager", "autoscaling", "elbv2", "cloudtrail", "ecr"];

/** Name of the override file; Terraform merges `*_override.tf.json` files over the configuration. */
export const OVERRIDE_FILE = "zz_offline_override.tf.json";

/**
 * The override for a stack: every aws provider configuration (alias included) gets fake static
 * keys, skips the credential and account-id checks, and sends API calls to the stand-in; the
 * backend becomes a local state file in the stack directory.
 */
export function offlineOverride(stack: StackJson, standInUrl: string): StackJson {
  const configs = awsProviderConfigs(stack);
  const endpoints = Object.fromEntries(STAND_IN_SERVICES.map((s) => [s, standInUrl]));
  const offline = (alias?: string) => ({
    ...(alias ? { alias } : {}),
    access_key: "AKIAOFFLINEPLAN00000",
    secret_key: "offline-plan-not-a-secret",
    token: "",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: "true",
    skip_region_validation: true,
    max_retries: 1,
    endpoints: [endpoints],
  });
  const override: StackJson = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
  };
  if (configs.length > 0) override.provider = { aws: configs.map((c) => offline(c.alias as string | undefined)) };
  return override;
}

/** The stack's aws provider blocks, the default one and the aliased ones (cdktf writes one as an object, several as an array). */
export function awsProviderConfigs(stack: StackJson): Array<Record<string, unknown>> {
  return [].concat(stack.provider?.aws ?? []);
}

/** Provider names a stack configures. */
export function providersOf(stack: StackJson): string[] {
  return Object.keys(stack.provider ?? {});
}

function typesReferenced(text: string, types: Set<string>): string[] {
  return [...types].filter((t) => new RegExp(`(^|[^A-Za-z0-9_.])(data\\.)?${t}\\.`).test(text));
}

/**
 * The AWS part of a stack: aws resources, data sources and provider, plus outputs that do not
 * read anything else. An AWS resource that refers to a kubernetes or helm resource is left as
 * is, so `terraform validate` of the cut fails on it: the architecture forbids that reference.
 * Only `depends_on` entries (ordering, no data) naming a dropped resource are removed.
 */
export function awsPartOf(stack: StackJson): { json: StackJson; dropped: string[] } {
  const keepType = (t: string) => t.startsWith("aws_") || t === "terraform_remote_state" || t === "terraform_data";
  const dropped = new Set<string>();
  const filterBlock = (block: Record<string, unknown> | undefined) => {
    if (!block) return undefined;
    const out: Record<string, unknown> = {};
    for (const [type, v] of Object.entries(block)) {
      if (keepType(type)) out[type] = { ...(v as Record<string, unknown>) }; // copied: depends_on is edited below
      else dropped.add(type);
    }
    return Object.keys(out).length ? out : undefined;
  };
  const json: StackJson = { ...stack };
  json.resource = filterBlock(stack.resource);
  json.data = filterBlock(stack.data);
  // `depends_on` only orders the apply (e.g. an ALB lookup after the Ingress that makes the ALB):
  // entries naming a dropped resource are removed; any other reference still fails validate.
  for (const block of [json.resource, json.data]) {
    for (const byName of Object.values((block ?? {}) as Record<string, Record<string, any>>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const [name, body] of Object.entries(byName)) {
        if (!Array.isArray(body.depends_on)) continue;
        const { depends_on: dependsOn, ...rest } = body;
        const kept = dependsOn.filter((d: string) => typesReferenced(d, dropped).length === 0);
        byName[name] = kept.length > 0 ? { ...rest, depends_on: kept } : rest;
      }
    }
  }
  if (stack.provider) json.provider = stack.provider.aws ? { aws: stack.provider.aws } : undefined;
  if (stack.terraform?.required_providers) {
    const rp = stack.terraform.required_providers;
    json.terraform = { ...stack.terraform, required_providers: rp.aws ? { aws: rp.aws } : {} };
  }
  if (stack.output) {
    const outputs: Record<string, unknown> = {};
    for (const [name, o] of Object.entries(stack.output as Record<string, unknown>)) {
      if (typesReferenced(JSON.stringify(o), dropped).length === 0) outputs[name] = o;
    }
    json.output = Object.keys(outputs).length ? outputs : undefined;
  }
  for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
  return { json, dropped: [...dropped].sort() };
}

/** Writes a stack (or its AWS part) and the offline override into `dir`. */
export function writeStackDir(dir: string, stack: StackJson, standInUrl: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack, null, 2));
  fs.writeFileSync(path.join(dir, OVERRIDE_FILE), JSON.stringify(offlineOverride(stack, standInUrl), null, 2));
}
