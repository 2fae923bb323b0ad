#!/usr/bin/env node
// Validates Kubernetes custom-resource manifests against the @kubernetes-models CRD schemas.
//
// The @kubernetes-models packages are ESM-only, so the CommonJS jest tests run this script in a
// child `node` process (see k8s-schemas.ts).
//
//   stdin : JSON array of manifests
//   stdout: JSON array of { index, apiVersion, kind, name, valid, errors: string[] }
//   exit  : 0 when it ran (even if some manifests are invalid), non-zero on a crash / bad input.
//
// Flags:
//   --no-strict  only run the published schemas. By default the script ALSO reports fields the
//                schema does not declare (typos such as `setWeigth`), because the published
//                schemas carry no `additionalProperties: false` and would silently accept them.
//
// How the unknown-field check works: the schema validators are ajv standalone functions that read
// every declared property (`data.someField`) and enumerate free-form maps (`for (k in data)`).
// The manifest is wrapped in Proxies that record those reads; an object key the validator never
// read, in an object where it read some declared property and did not enumerate the keys, is not in
// the schema. Objects the validator never looked into (free-form `{}` such as a metric `plugin`
// config, or values that already failed their type check) are not judged.

/** apiVersion + kind -> package subpath exporting a model class named like the kind. */
const MODELS = {
  "argoproj.io/v1alpha1": {
    pkg: "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1",
    kinds: ["Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun", "Experiment"],
  },
  "keda.sh/v1alpha1": {
    pkg: "@kubernetes-models/keda/keda.sh/v1alpha1",
    kinds: ["ScaledObject", "ScaledJob", "TriggerAuthentication", "ClusterTriggerAuthentication"],
  },
  // Core kinds the constructs render as kubernetes_manifest (the weight cache's filler, volume and claim):
  // kubernetes-models, the same generator's build of the Kubernetes OpenAPI schemas.
  v1: { pkg: "kubernetes-models/v1", kinds: ["PersistentVolume", "PersistentVolumeClaim", "ServiceAccount", "ConfigMap"] },
  "apps/v1": { pkg: "kubernetes-models/apps/v1", kinds: ["DaemonSet", "Deployment"] },
  "eventing.keda.sh/v1alpha1": {
    pkg: "@kubernetes-models/keda/eventing.keda.sh/v1alpha1",
    kinds: ["CloudEventSource", "ClusterCloudEventSource"],
  },
};

const classCache = new Map();

async function modelClass(apiVersion, kind) {
  const group = Object.prototype.hasOwnProperty.call(MODELS, apiVersion) ? MODELS[apiVersion] : undefined;
  if (!group || !group.kinds.includes(kind)) return undefined;
  const key = `${apiVersion} ${kind}`;
  if (!classCache.has(key)) {
    const mod = await import(`${group.pkg}/${kind}`);
    const Cls = mod[kind];
    if (typeof Cls !== "function") throw new Error(`${group.pkg}/${kind} exports no class ${kind}`);
    classCache.set(key, Cls);
  }
  return classCache.get(key);
}

function formatAjvError(e) {
  const where = e.instancePath || "/";
  let msg = `${where} ${e.message ?? e.keyword}`;
  const p = e.params ?? {};
  if (p.allowedValues !== undefined) msg += ` (allowedValues: ${JSON.stringify(p.allowedValues)})`;
  if (p.additionalProperty !== undefined) msg += ` (additionalProperty: ${JSON.stringify(p.additionalProperty)})`;
  if (e.keyword === "format" && p.format !== undefined && !String(e.message ?? "").includes(p.format)) msg += ` (format: ${p.format})`;
  return msg;
}

/** Deep copy of `value` whose plain objects are Proxies recording how the validator reads them. */
function instrument(value, path, records) {
  if (Array.isArray(value)) return value.map((v, i) => instrument(v, `${path}/${i}`, records));
  if (value === null || typeof value !== "object") return value;
  const rec = { path, keys: Object.keys(value), read: new Set(), enumerated: false };
  records.push(rec);
  const copy = {};
  for (const k of rec.keys) copy[k] = instrument(value[k], `${path}/${escapePointer(k)}`, records);
  return new Proxy(copy, {
    get(t, p, r) {
      if (typeof p === "string") rec.read.add(p);
      return Reflect.get(t, p, r);
    },
    has(t, p) {
      if (typeof p === "string") rec.read.add(p);
      return Reflect.has(t, p);
    },
    ownKeys(t) {
      rec.enumerated = true;
      return Reflect.ownKeys(t);
    },
  });
}

function escapePointer(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function unknownFieldErrors(records) {
  const errors = [];
  for (const r of records) {
    if (r.enumerated || r.read.size === 0) continue; // free-form map, or not looked into
    for (const k of r.keys) {
      if (!r.read.has(k)) errors.push(`${r.path || "/"} must NOT have additional properties (additionalProperty: ${JSON.stringify(k)})`);
    }
  }
  return errors;
}

async function validateOne(m, index, strict) {
  const isObj = m !== null && typeof m === "object" && !Array.isArray(m);
  const apiVersion = isObj && typeof m.apiVersion === "string" ? m.apiVersion : "";
  const kind = isObj && typeof m.kind === "string" ? m.kind : "";
  const name = isObj && m.metadata && typeof m.metadata.name === "string" ? m.metadata.name : "";
  const result = { index, apiVersion, kind, name, valid: false, errors: [] };
  if (!isObj) {
    result.errors.push(`manifest is not an object (got ${m === null ? "null" : Array.isArray(m) ? "array" : typeof m})`);
    return result;
  }
  const Cls = await modelClass(apiVersion, kind);
  if (!Cls) {
    result.errors.push(`no @kubernetes-models schema for ${apiVersion || "<missing apiVersion>"} ${kind || "<missing kind>"}`);
    return result;
  }
  // Same data the model would validate (`new Cls(m)` drops undefined values and fills in
  // apiVersion/kind), then validated through Proxies to see which fields the schema knows.
  const data = new Cls(m).toJSON();
  const records = [];
  const watched = instrument(data, "", records);
  try {
    Cls.prototype.validate.call(watched);
  } catch (err) {
    if (!err || !Array.isArray(err.errors)) throw err; // not a schema error: crash loudly
    result.errors.push(...err.errors.map(formatAjvError));
  }
  if (strict) result.errors.push(...unknownFieldErrors(records));
  result.valid = result.errors.length === 0;
  return result;
}

async function main() {
  const strict = !process.argv.includes("--no-strict");
  const { readFileSync } = await import("node:fs");
  const input = readFileSync(0, "utf8");
  let manifests;
  try {
    manifests = JSON.parse(input);
  } catch (err) {
    throw new Error(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(manifests)) throw new Error("stdin must be a JSON array of manifests");
  const results = [];
  for (let i = 0; i < manifests.length; i++) results.push(await validateOne(manifests[i], i, strict));
  process.stdout.write(JSON.stringify(results));
}

main().catch((err) => {
  process.stderr.write(`validate-custom-resources.mjs: ${err && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 2;
});
