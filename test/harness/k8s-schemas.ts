/**
 * Schema checks for Kubernetes custom resources (Argo Rollouts, KEDA) that constructs render into
 * `kubernetes_manifest` resources.
 *
 * The schemas come from @kubernetes-models/argo-rollouts and @kubernetes-models/keda, which are
 * ESM-only; jest runs CommonJS, so validation happens in a child `node` process running
 * `validate-custom-resources.mjs`. Batch manifests into one call: each call costs a node start-up (~0.3 s).
 *
 * What is checked: types (string / integer / boolean / object / array), required fields, enums and
 * formats of the published schemas, plus (by default, `strict`) fields the schema does not declare
 * (e.g. a typo `setWeigth`): the published schemas would silently accept those. Not checked:
 * cross-field rules the controllers enforce (e.g. Argo's "count > 1 needs interval", canary
 * services required with trafficRouting, number ranges).
 *
 * Terraform interpolations: in synthesized cdktf JSON a manifest value may be a `${...}` string
 * (a token). Such strings are validated as plain strings: fine for string fields (names, ARNs,
 * queries); a field typed integer/boolean (e.g. `spec.cooldownPeriod`, `setWeight`,
 * `servicePort`) fails with "must be integer" — render those as literals.
 */
import { execFileSync } from "child_process";
import * as path from "path";

export interface SchemaResult {
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  valid: boolean;
  errors: string[];
}

export interface SchemaOptions {
  /** Also report fields the schema does not declare (default true). */
  readonly strict?: boolean;
}

const SCRIPT = path.join(__dirname, "validate-custom-resources.mjs");

/** Validates manifests against the @kubernetes-models CRD schemas in a child `node` process (the packages are ESM-only). */
export function validateCustomResources(manifests: object[], options: SchemaOptions = {}): SchemaResult[] {
  if (!Array.isArray(manifests)) throw new TypeError("validateCustomResources: expected an array of manifests");
  if (manifests.length === 0) return [];
  const args = [SCRIPT, ...(options.strict === false ? ["--no-strict"] : [])];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, {
      input: JSON.stringify(manifests),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (err) {
    const e = err as { status?: number | null; stderr?: string | Buffer; message?: string };
    const stderr = e.stderr ? String(e.stderr).trim() : "";
    throw new Error(`validate-custom-resources.mjs failed (exit ${e.status ?? "?"}): ${stderr || e.message}`);
  }
  let results: unknown;
  try {
    results = JSON.parse(stdout);
  } catch {
    throw new Error(`validate-custom-resources.mjs printed no JSON: ${stdout.slice(0, 500)}`);
  }
  if (!Array.isArray(results) || results.length !== manifests.length) {
    throw new Error(`validate-custom-resources.mjs returned ${Array.isArray(results) ? results.length : typeof results} results for ${manifests.length} manifests`);
  }
  return results as SchemaResult[];
}

/** Throws one Error listing every invalid manifest with its errors; returns the results otherwise. */
export function expectValidCustomResources(manifests: object[], options: SchemaOptions = {}): SchemaResult[] {
  const results = validateCustomResources(manifests, options);
  const invalid = results.filter((r) => !r.valid);
  if (invalid.length > 0) {
    const lines = invalid.map((r) => `#${r.index} ${r.apiVersion} ${r.kind} "${r.name}":\n${r.errors.map((e) => `    ${e}`).join("\n")}`);
    throw new Error(`${invalid.length} of ${results.length} manifest(s) fail the @kubernetes-models schemas:\n  ${lines.join("\n  ")}`);
  }
  return results;
}

/**
 * All `manifest` values of `kubernetes_manifest` resources in a synthesized cdktf stack JSON
 * (parsed cdk.tf.json), in logical-id order.
 * Keys are as written in TypeScript (cdktf does not rename keys inside `manifest`). Throws when a
 * manifest is not an object literal (e.g. a `${yamldecode(...)}` token), since it cannot be checked.
 */
export function manifestsOf(stackJson: Record<string, any>): Array<{ id: string; manifest: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const byId: Record<string, any> = stackJson?.resource?.kubernetes_manifest ?? {}; // eslint-disable-line @typescript-eslint/no-explicit-any
  return Object.keys(byId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => {
      const manifest = byId[id]?.manifest;
      if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
        throw new Error(`kubernetes_manifest.${id}.manifest is not an object literal (got ${JSON.stringify(manifest)?.slice(0, 120)}); it cannot be schema-checked`);
      }
      return { id, manifest };
    });
}
