/*
 * The weight cache's two scripts run for real, in POSIX sh (dash here) and bash (the AWS CLI image's
 * /bin/sh), against a stand-in `aws` that serves a directory as S3: keying, verification, the bound and
 * eviction in the filler; hit, wait and miss in the server pod's init container.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { CanaryModelEndpoint } from "../../../lib/endpoint/canary-model-endpoint";
import type { CanaryModelEndpointProps } from "../../../lib/endpoint/endpoint-props";
import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { DOWNLOAD_SCRIPT, FILLER_SCRIPT, LINK_OR_DOWNLOAD_SCRIPT } from "../../../lib/endpoint/private/weight-cache";
import type { GpuNodePoolOptions } from "../../../lib/cluster/gpu-node-pool";
import { manifestsOf } from "../../harness/k8s-schemas";
import { chatProps, platformAndServing } from "../fixtures";
import { endpointWeightCache, weightCacheKey } from "../../../lib/endpoint/private/weight-cache-entry";

const FAKE_AWS = `#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case "$1 $2" in
  "configure set") exit 0 ;;
  "s3api list-objects-v2")
    [ -n "\${FAKE_LIST_FAIL:-}" ] && exit 254
    shift 2
    while [ $# -gt 0 ]; do case $1 in --bucket) b=$2; shift 2 ;; --prefix) p=$2; shift 2 ;; *) shift ;; esac; done
    cd "$FAKE_S3/$b" || exit 254
    out=$(find . -type f | sed 's|^\\./||' | while read -r f; do case $f in "$p"*) printf '%s\\t%s\\t"%s"\\n' "$f" "$(stat -c %s "$f")" "$(md5sum < "$f" | cut -c1-32)" ;; esac; done)
    if [ -n "$out" ]; then printf '%s\\n' "$out"; else echo None; fi
    exit 0 ;;
  "s3 sync")
    [ -n "\${FAKE_SYNC_FAIL:-}" ] && exit 1
    [ -n "\${FAKE_SYNC_SLEEP:-}" ] && sleep "$FAKE_SYNC_SLEEP"
    src=\${5#s3://}; dst=$6; b=\${src%%/*}; p=\${src#*/}
    (cd "$FAKE_S3/$b/$p" && find . -type f) | while read -r f; do mkdir -p "$dst/$(dirname "$f")"; cp "$FAKE_S3/$b/$p/$f" "$dst/$f"; done
    [ -n "\${FAKE_TRUNCATE:-}" ] && : > "$dst/$FAKE_TRUNCATE"
    [ -n "\${FAKE_MUTATE:-}" ] && echo changed >> "$FAKE_S3/$b/$p/$FAKE_MUTATE"
    exit 0 ;;
esac
echo "fake aws: unexpected $*" >&2
exit 2
`;

const SHELLS = ["sh", "bash"];
const PREFIX = "tgi-model/";
const ENTRY = "models/chat/s-0123456789abcdef";

interface World {
  dir: string;
  s3: string;
  root: string;
  log: string;
  env: NodeJS.ProcessEnv;
}

function world(): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "weight-cache-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "aws"), FAKE_AWS, { mode: 0o755 });
  const s3 = path.join(dir, "s3");
  const root = path.join(dir, "cache");
  fs.mkdirSync(root);
  const log = path.join(dir, "aws.log");
  fs.writeFileSync(log, "");
  putModel(s3, PREFIX, { "config.json": "{}", "model-00001.safetensors": "a".repeat(4000), "sub/tokenizer.json": "t".repeat(500) });
  return {
    dir,
    s3,
    root,
    log,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      FAKE_S3: s3,
      FAKE_LOG: log,
      CACHE_ROOT: root,
      ENTRY,
      BUCKET: "models-bucket",
      PREFIX,
      MAX_BYTES: String(100_000),
      TARGET_GBPS: "10",
      FILL_TIMEOUT_SECONDS: "60",
      REFRESH_SECONDS: "300",
      STALE_SECONDS: "86400",
      ONCE: "1",
    },
  };
}

function putModel(s3: string, prefix: string, files: Record<string, string>): void {
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(s3, "models-bucket", prefix, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
  }
}

function fill(w: World, shell: string, extra: NodeJS.ProcessEnv = {}): { status: number | null; out: string } {
  const r = spawnSync(shell, ["-c", FILLER_SCRIPT], { env: { ...w.env, ...extra }, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function entryDir(w: World, entry = ENTRY): string {
  return path.join(w.root, entry);
}

function listing(w: World): string {
  // What the filler hashes: key, size, "etag" per object, tab-separated and sorted.
  const base = path.join(w.s3, "models-bucket");
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d)) {
      const f = path.join(d, n);
      if (fs.statSync(f).isDirectory()) walk(f);
      else {
        const key = path.relative(base, f);
        if (key.startsWith(PREFIX)) lines.push(`${key}\t${fs.statSync(f).size}\t"${createHash("md5").update(fs.readFileSync(f)).digest("hex")}"`);
      }
    }
  };
  walk(base);
  return lines.sort().map((l) => `${l}\n`).join("");
}

function versionOf(w: World): string {
  return `v-${createHash("sha256").update(listing(w)).digest("hex").slice(0, 16)}`;
}

function leftovers(w: World, entry = ENTRY): string[] {
  return fs.readdirSync(entryDir(w, entry)).filter((n) => n.startsWith(".staging-") || n === ".reserved" || n === ".filling" || n.startsWith(".listing"));
}

function setAge(file: string, seconds: number): void {
  const t = Date.now() / 1000 - seconds;
  fs.utimesSync(file, t, t);
}

describe.each(SHELLS)("weight-cache filler (%s)", (shell) => {
  test("fills once, keyed by the version of the objects, and publishes it atomically", () => {
    const w = world();
    const r = fill(w, shell);
    expect(r.status).toBe(0);
    const v = versionOf(w);
    expect(fs.readlinkSync(path.join(entryDir(w), "current"))).toBe(v);
    const published = path.join(entryDir(w), v);
    expect(fs.readFileSync(path.join(published, "model-00001.safetensors"), "utf8")).toHaveLength(4000);
    expect(fs.readFileSync(path.join(published, "sub/tokenizer.json"), "utf8")).toHaveLength(500);
    // The version records the listing it was verified against.
    expect(fs.readFileSync(path.join(published, ".manifest"), "utf8")).toBe(listing(w));
    expect(leftovers(w)).toEqual([]);
    expect(fs.existsSync(path.join(entryDir(w), ".lease"))).toBe(true);
    expect(r.out).toContain(`cached ${v}`);
    // CRT client at the replica's share.
    expect(fs.readFileSync(w.log, "utf8")).toContain("configure set default.s3.target_bandwidth 10Gb/s");

    // A second pass lists again and downloads nothing.
    fs.writeFileSync(w.log, "");
    expect(fill(w, shell).status).toBe(0);
    expect(fs.readFileSync(w.log, "utf8")).not.toContain("s3 sync");
  });

  test("an object replaced in place is a new version; the old one stays until room is needed", () => {
    const w = world();
    fill(w, shell);
    const v1 = versionOf(w);
    putModel(w.s3, PREFIX, { "config.json": '{"changed": true}' });
    const v2 = versionOf(w);
    expect(v2).not.toBe(v1);
    expect(fill(w, shell).status).toBe(0);
    expect(fs.readlinkSync(path.join(entryDir(w), "current"))).toBe(v2);
    expect(fs.existsSync(path.join(entryDir(w), v1, ".manifest"))).toBe(true);
  });

  test("a file of the wrong size is never published", () => {
    const w = world();
    const r = fill(w, shell, { FAKE_TRUNCATE: "model-00001.safetensors" });
    expect(r.status).toBe(1);
    expect(r.out).toContain("verification failed: model-00001.safetensors has 0 bytes, S3 lists 4000");
    expect(fs.existsSync(path.join(entryDir(w), "current"))).toBe(false);
    expect(fs.readdirSync(entryDir(w)).filter((n) => n.startsWith("v-"))).toEqual([]);
    expect(leftovers(w)).toEqual([]);
  });

  test("a failed download is never published", () => {
    const w = world();
    const r = fill(w, shell, { FAKE_SYNC_FAIL: "1" });
    expect(r.status).toBe(1);
    expect(r.out).toContain("failed (exit 1)");
    expect(fs.existsSync(path.join(entryDir(w), "current"))).toBe(false);
    expect(leftovers(w)).toEqual([]);
  });

  test("objects that change during the download are discarded (listed again, ETags compared)", () => {
    const w = world();
    const r = fill(w, shell, { FAKE_MUTATE: "config.json" });
    expect(r.status).toBe(1);
    expect(r.out).toContain("changed during the download");
    expect(fs.existsSync(path.join(entryDir(w), "current"))).toBe(false);
    expect(leftovers(w)).toEqual([]);
  });

  test("a model larger than the bound is not cached", () => {
    const w = world();
    const r = fill(w, shell, { MAX_BYTES: "2000" });
    expect(r.status).toBe(1);
    expect(r.out).toContain("cache full");
    expect(r.out).toContain("weightCache.maxSizeGiB");
    expect(fs.existsSync(path.join(entryDir(w), "current"))).toBe(false);
    expect(leftovers(w)).toEqual([]);
  });

  test("eviction: old versions first, then keys no filler held for STALE_SECONDS; never a held key's current version", () => {
    const w = world();
    // Another endpoint's key holds 600 KB in its current version and 300 KB in an old one; the bound is 1 MB
    // (disk blocks, as du counts them), and this model is 200 KB.
    w.env.MAX_BYTES = String(1_000_000);
    putModel(w.s3, PREFIX, { "model-00001.safetensors": "a".repeat(200_000) });
    const other = "models/other/s-fedcba9876543210";
    const otherDir = entryDir(w, other);
    fs.mkdirSync(path.join(otherDir, "v-old"), { recursive: true });
    fs.mkdirSync(path.join(otherDir, "v-cur"), { recursive: true });
    fs.writeFileSync(path.join(otherDir, "v-old", "w"), "o".repeat(300_000));
    fs.writeFileSync(path.join(otherDir, "v-cur", "w"), "c".repeat(600_000));
    fs.symlinkSync("v-cur", path.join(otherDir, "current"));
    fs.writeFileSync(path.join(otherDir, ".lease"), "");
    // Superseded more than a day ago: no pod links it any more.
    setAge(path.join(otherDir, "v-old"), 86_400 + 60);

    // 900 KB held + 200 KB needed: the old version goes, the held current one stays.
    let r = fill(w, shell);
    expect(r.out).toContain("evicted models/other/s-fedcba9876543210/v-old");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(otherDir, "v-cur", "w"))).toBe(true);

    // A bigger version of this model no longer fits beside the held key (and this key's superseded version, which
    // pods may still link for a day): not cached, nothing evicted.
    putModel(w.s3, PREFIX, { "model-00001.safetensors": "b".repeat(400_000) });
    r = fill(w, shell);
    expect(r.status).toBe(1);
    expect(r.out).toContain("cache full");
    expect(fs.existsSync(path.join(otherDir, "v-cur", "w"))).toBe(true);

    // Once no filler has held the other key for a day, it goes (this key's own old version first).
    setAge(path.join(otherDir, ".lease"), 86_400 + 60);
    r = fill(w, shell);
    expect(r.status).toBe(0);
    expect(fs.existsSync(otherDir)).toBe(false);
    expect(fs.readlinkSync(path.join(entryDir(w), "current"))).toBe(versionOf(w));
  });

  test("objects replaced in place: the old version is unpublished at once, and kept for STALE_SECONDS for the pods linking it", () => {
    const w = world();
    fill(w, shell);
    const v1 = versionOf(w);
    putModel(w.s3, PREFIX, { "config.json": '{"changed": true}' });
    const r = fill(w, shell, { FAKE_SYNC_FAIL: "1" });
    expect(r.out).toContain(`changed: ${v1} unpublished`);
    // New pods download rather than link the old weights.
    expect(fs.existsSync(path.join(entryDir(w), "current"))).toBe(false);
    expect(fs.existsSync(path.join(entryDir(w), v1, ".manifest"))).toBe(true);
  });

  test("the key the endpoint's filler held before keeps its lease (a canary's stable, a rollback's target)", () => {
    const w = world();
    fill(w, shell);
    const stable = entryDir(w);
    setAge(path.join(stable, ".lease"), 3600);
    // The filler moves to the canary's prefix.
    putModel(w.s3, "canary-model/", { "model.safetensors": "n".repeat(1000) });
    const canaryEntry = "models/chat/s-fedcba9876543210";
    expect(fill(w, shell, { ENTRY: canaryEntry, PREFIX: "canary-model/" }).status).toBe(0);
    expect(fs.readFileSync(path.join(w.root, "models/chat/.active"), "utf8").trim()).toBe("s-fedcba9876543210");
    expect(fs.readFileSync(path.join(w.root, "models/chat/.previous"), "utf8").trim()).toBe("s-0123456789abcdef");
    expect(Date.now() / 1000 - fs.statSync(path.join(stable, ".lease")).mtimeMs / 1000).toBeLessThan(60);
    // A restart of the canary's filler keeps holding the same previous key.
    fill(w, shell, { ENTRY: canaryEntry, PREFIX: "canary-model/" });
    expect(fs.readFileSync(path.join(w.root, "models/chat/.previous"), "utf8").trim()).toBe("s-0123456789abcdef");
  });

  test("a hung download is abandoned after FILL_TIMEOUT_SECONDS, its reservation released", () => {
    const w = world();
    const r = fill(w, shell, { FAKE_SYNC_SLEEP: "5", FILL_TIMEOUT_SECONDS: "1" });
    expect(r.status).toBe(1);
    expect(r.out).toContain("timed out after 1 s");
    expect(leftovers(w)).toEqual([]);
  });

  test("SIGTERM stops a fill at once: no lock, reservation or heartbeat left behind", async () => {
    const w = world();
    const child = spawn(shell, ["-c", FILLER_SCRIPT], { env: { ...w.env, FAKE_SYNC_SLEEP: "30" } });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 15 : null))));
    const filling = path.join(entryDir(w), ".filling");
    for (let i = 0; i < 100 && !fs.existsSync(path.join(entryDir(w), ".reserved")); i++) await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(fs.existsSync(filling)).toBe(false);
    expect(fs.existsSync(path.join(w.root, ".lock"))).toBe(false);
    expect(leftovers(w).filter((n) => !n.startsWith(".staging-"))).toEqual([]);
  }, 20_000);

  test("another fill in progress on the node counts with its reservation", () => {
    const w = world();
    const other = entryDir(w, "models/other/s-fedcba9876543210");
    fs.mkdirSync(other, { recursive: true });
    fs.writeFileSync(path.join(other, ".reserved"), "98000");
    fs.writeFileSync(path.join(other, ".filling"), "");
    expect(fill(w, shell).out).toContain("cache full");
    // A reservation whose fill stopped beating is ignored.
    setAge(path.join(other, ".filling"), 600);
    expect(fill(w, shell).status).toBe(0);
  });
});

describe.each(SHELLS)("weight-cache init container (%s)", (shell) => {
  function link(w: World, extra: NodeJS.ProcessEnv = {}): { status: number | null; out: string; modelDir: string } {
    const modelDir = path.join(w.dir, "models", "chat");
    const r = spawnSync(shell, ["-c", LINK_OR_DOWNLOAD_SCRIPT], {
      env: { ...w.env, ENTRY: entryDir(w), MODEL_DIR: modelDir, WAIT_SECONDS: "30", GRACE_SECONDS: "0", ...extra },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, modelDir };
  }

  test("a cached version is linked, not downloaded", () => {
    const w = world();
    fill(w, shell);
    fs.writeFileSync(w.log, "");
    const r = link(w);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`linked version ${versionOf(w)}`);
    const weights = path.join(r.modelDir, "model-00001.safetensors");
    expect(fs.lstatSync(weights).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(weights)).toBe(path.join(entryDir(w), versionOf(w), "model-00001.safetensors"));
    expect(fs.readFileSync(path.join(r.modelDir, "sub", "tokenizer.json"), "utf8")).toHaveLength(500);
    expect(fs.existsSync(path.join(r.modelDir, ".manifest"))).toBe(false);
    expect(fs.readFileSync(w.log, "utf8")).toBe("");
  });

  test("links dotfiles too, and checks every linked object against the version's manifest", () => {
    const w = world();
    putModel(w.s3, PREFIX, { ".gitattributes": "*.safetensors filter=lfs" });
    fill(w, shell);
    const ok = link(w);
    expect(ok.out).toContain("linked version");
    expect(fs.lstatSync(path.join(ok.modelDir, ".gitattributes")).isSymbolicLink()).toBe(true);
    // A cached file damaged after publication (or half evicted): the pod downloads its own copy instead.
    fs.truncateSync(path.join(entryDir(w), versionOf(w), "sub", "tokenizer.json"), 10);
    const r = link(w);
    expect(r.out).toContain("sub/tokenizer.json is not in the cached copy at its listed size");
    expect(r.out).toContain("downloading this pod's own copy");
    expect(fs.lstatSync(path.join(r.modelDir, "sub", "tokenizer.json")).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(path.join(r.modelDir, "sub", "tokenizer.json"), "utf8")).toHaveLength(500);
  });

  test("a version that is not published (no current link) is never used: the pod downloads its own copy", () => {
    const w = world();
    fs.mkdirSync(path.join(entryDir(w), ".staging-v-1"), { recursive: true });
    fs.writeFileSync(path.join(entryDir(w), ".staging-v-1", "model-00001.safetensors"), "partial");
    const r = link(w);
    expect(r.status).toBe(0);
    expect(r.out).toContain("downloading this pod's own copy");
    expect(fs.lstatSync(path.join(r.modelDir, "model-00001.safetensors")).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(path.join(r.modelDir, "model-00001.safetensors"), "utf8")).toHaveLength(4000);
  });

  test("a fill in progress is waited for, then linked: one download on the node", async () => {
    const w = world();
    fs.mkdirSync(entryDir(w), { recursive: true });
    fs.writeFileSync(path.join(entryDir(w), ".filling"), "");
    const child = spawn(shell, ["-c", LINK_OR_DOWNLOAD_SCRIPT], {
      env: { ...w.env, ENTRY: entryDir(w), MODEL_DIR: path.join(w.dir, "m"), WAIT_SECONDS: "30", GRACE_SECONDS: "0" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fill(w, shell).status).toBe(0);
    expect(await exited).toBe(0);
    expect(out).toContain(`linked version ${versionOf(w)}`);
    expect(fs.readFileSync(w.log, "utf8").match(/s3 sync/g)).toHaveLength(1);
  }, 30_000);

  test("a fill that outlasts the wait is abandoned for the pod's own download", () => {
    const w = world();
    fs.mkdirSync(entryDir(w), { recursive: true });
    fs.writeFileSync(path.join(entryDir(w), ".filling"), "");
    const r = link(w, { WAIT_SECONDS: "1" });
    expect(r.status).toBe(0);
    expect(r.out).toContain("slower than planned");
    expect(fs.readFileSync(path.join(r.modelDir, "model-00001.safetensors"), "utf8")).toHaveLength(4000);
  });
});

describe.each(SHELLS)("the download without a cache (%s)", (shell) => {
  test("copies the prefix into the model directory with the CRT client, and fails the pod when the copy fails", () => {
    const w = world();
    const modelDir = path.join(w.dir, "own");
    const ok = spawnSync(shell, ["-c", DOWNLOAD_SCRIPT], { env: { ...w.env, MODEL_DIR: modelDir }, encoding: "utf8" });
    expect(ok.status).toBe(0);
    expect(fs.readFileSync(path.join(modelDir, "sub", "tokenizer.json"), "utf8")).toHaveLength(500);
    expect(fs.readFileSync(w.log, "utf8")).toContain("configure set default.s3.preferred_transfer_client crt");
    const failed = spawnSync(shell, ["-c", DOWNLOAD_SCRIPT], { env: { ...w.env, MODEL_DIR: path.join(w.dir, "own2"), FAKE_SYNC_FAIL: "1" }, encoding: "utf8" });
    expect(failed.status).not.toBe(0);
  });
});

describe("weight-cache keys and names", () => {
  test("keyed by the model's S3 prefix; names derived from namespace and endpoint", () => {
    expect(weightCacheKey("llama-3.1-8b/")).toBe(`s-${createHash("sha256").update("llama-3.1-8b/").digest("hex").slice(0, 16)}`);
    expect(weightCacheKey("llama-3.1-8b/")).not.toBe(weightCacheKey("llama-3.1-8b-v2/"));
    const c = endpointWeightCache("models", "chat", "tgi-model/", 64, 40);
    const filler = `chat-${createHash("sha256").update("models/chat").digest("hex").slice(0, 8)}`;
    expect(c).toEqual({
      key: weightCacheKey("tgi-model/"),
      hostDirectory: "/var/lib/weight-cache/models/chat",
      maxSizeGiB: 64,
      waitSeconds: 180,
      fillTimeoutSeconds: 1000,
      names: { filler, volume: `${filler}-weight-cache`, claim: "chat-weight-cache" },
    });
    // "team-a"/"chat" and "team"/"a-chat" do not collide; the longest names stay label values (<= 63).
    expect(endpointWeightCache("team-a", "chat", "x/", 1, 1).names.filler).not.toBe(endpointWeightCache("team", "a-chat", "x/", 1, 1).names.filler);
    expect(endpointWeightCache("n".repeat(63), "e".repeat(40), "x/", 1, 1).names.filler.length).toBeLessThanOrEqual(63);
  });
});

// Keep execFileSync referenced for shells missing on a machine: fail with the fix, never skip.
test("both shells exist", () => {
  for (const shell of SHELLS) expect(() => execFileSync(shell, ["-c", "true"])).not.toThrow();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function cachedEndpoint(overrides: Partial<CanaryModelEndpointProps> = {}, l4: Partial<GpuNodePoolOptions> = { weightCache: { maxSizeGiB: 64 }, volumeThroughputMiBps: 1500 }) {
  const { cluster, serving } = platformAndServing(undefined, l4);
  const endpoint = new CanaryModelEndpoint(serving, "summarize", chatProps(cluster, { server: InferenceServer.tgi({ image: "ghcr.io/example/tgi-nonroot:3.3.6" }), ...overrides }));
  const json: Json = JSON.parse(Testing.synth(serving));
  const manifests = manifestsOf(json).map((m) => m.manifest);
  const warnings = serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
  return { endpoint, json, manifests, warnings, pod: manifests.find((m) => m.kind === "Rollout")!.spec.template.spec as Json };
}

describe("an endpoint on a pool with a weight cache", () => {
  const b = cachedEndpoint();

  it("runs a filler on every node of the pool, hardened as far as writing a host path allows", () => {
    const ds = b.manifests.find((m) => m.kind === "DaemonSet")!;
    const names = endpointWeightCache("models", "summarize", "llama-3.1-8b-instruct/", 64, 13).names;
    expect(ds.metadata).toMatchObject({ name: names.filler, namespace: "weight-cache", annotations: { "secure-inference.io/endpoint": "models/summarize" } });
    expect(names.filler).toMatch(/^summarize-[0-9a-f]{8}$/);
    const spec = ds.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ "secure-inference.io/pool": "l4" });
    expect(spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } });
    const [filler] = spec.containers;
    expect(filler.securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(filler.command).toEqual(["/bin/sh", "-c", FILLER_SCRIPT]);
    const env = Object.fromEntries(filler.env.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject({
      CACHE_ROOT: "/cache",
      ENTRY: `models/summarize/${weightCacheKey("llama-3.1-8b-instruct/")}`,
      PREFIX: "llama-3.1-8b-instruct/",
      MAX_BYTES: String(64 * 1024 ** 3),
      TARGET_GBPS: "10",
      STALE_SECONDS: "86400",
    });
    expect(spec.volumes[0]).toEqual({ name: "cache", hostPath: { path: "/var/lib/weight-cache", type: "DirectoryOrCreate" } });
    // A new version is fetched on every node at once.
    expect(ds.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } });
  });

  it("gives the filler its own read-only role on the model's prefix, trusted for its service account only", () => {
    const roles = b.json.resource.aws_iam_role as Json;
    const [id, role] = Object.entries(roles).find(([k]) => k.startsWith("summarize_weight-cache-read"))!;
    expect(id).toBeDefined();
    expect(role.assume_role_policy).toContain('"aws:RequestTag/kubernetes-namespace":"weight-cache"');
    expect(role.assume_role_policy).toContain(`"aws:RequestTag/kubernetes-service-account":"${endpointWeightCache("models", "summarize", "x/", 1, 1).names.filler}"`);
    const policies = Object.entries(b.json.resource.aws_iam_policy as Json).filter(([k]) => k.startsWith("summarize_weight-cache-read")).map(([, p]) => p as Json);
    expect(policies).toHaveLength(1);
    const doc = JSON.parse(policies[0].policy);
    expect(doc.Statement.flatMap((st: Json) => [].concat(st.Action))).toEqual(expect.arrayContaining(["s3:GetObject", "s3:ListBucket"]));
    expect(JSON.stringify(doc)).not.toMatch(/s3:PutObject|s3:\*/);
    expect(JSON.stringify(doc)).toContain("llama-3.1-8b-instruct/*");
  });

  it("binds the endpoint's own cache directory read-only to its pods, and no other claim can take it", () => {
    const pv = b.manifests.find((m) => m.kind === "PersistentVolume")!;
    const pvc = b.manifests.find((m) => m.kind === "PersistentVolumeClaim")!;
    expect(pv.spec).toMatchObject({
      accessModes: ["ReadOnlyMany"],
      hostPath: { path: "/var/lib/weight-cache/models/summarize", type: "DirectoryOrCreate" },
      claimRef: { namespace: "models", name: "summarize-weight-cache" },
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: "",
    });
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: "secure-inference.io/pool", operator: "In", values: ["l4"] }]);
    expect(pvc.spec).toMatchObject({ accessModes: ["ReadOnlyMany"], volumeName: pv.metadata.name, storageClassName: "" });
    expect(b.pod.volumes).toContainEqual({ name: "weight-cache", persistentVolumeClaim: { claimName: "summarize-weight-cache", readOnly: true } });
    const init = b.pod.initContainers[0];
    const server = b.pod.containers[0];
    for (const c of [init, server]) expect(c.volumeMounts).toContainEqual({ name: "weight-cache", mountPath: "/weight-cache", readOnly: true });
    // No hostPath in the endpoint's own pods: restricted Pod Security holds.
    expect(JSON.stringify(b.pod)).not.toContain("hostPath");
  });

  it("links the node's copy or downloads its own in the init container, waiting up to three times the planned download", () => {
    const init = b.pod.initContainers[0];
    expect(init.command).toEqual(["/bin/sh", "-c", LINK_OR_DOWNLOAD_SCRIPT]);
    const env = Object.fromEntries(init.env.map((e: Json) => [e.name, e.value]));
    expect(env).toMatchObject({ ENTRY: `/weight-cache/${weightCacheKey("llama-3.1-8b-instruct/")}`, MODEL_DIR: "/models/summarize", PREFIX: "llama-3.1-8b-instruct/", TARGET_GBPS: "10", GRACE_SECONDS: "20" });
    expect(Number(env.WAIT_SECONDS)).toBe(3 * b.endpoint.coldStart.weightsSeconds + 60);
  });

  it("plans a rollback from the cache and a startup probe that covers reading it", () => {
    const c = b.endpoint.coldStart;
    expect(c.cacheHitSeconds).toBe(Math.max(Math.ceil((b.endpoint.fit.weightsGiB * 1024) / 1500), 1) + 50);
    // A shrunk stable comes back from the nodes' cache.
    const reverting = b.endpoint.rolloutTiming.perStep.find((s) => s.revertSeconds > 0);
    expect(reverting?.revertSeconds).toBe(c.cacheHitSeconds);
    expect(b.warnings.join("\n")).not.toMatch(/weightCache|cache hit/);
  });

  it("counts the cache on the node's disk beside the pods' own copies", () => {
    expect(() => cachedEndpoint({}, { weightCache: { maxSizeGiB: 130 }, dataVolumeSizeGiB: 200 })).toThrow(
      /1 replica\(s\) per node of pool "l4" x 18 GiB for the weights \(14\.9 GiB \+ 10%\) \+ 130 GiB of weight cache \+ 40 GiB for images = 188 GiB, but the node's 200 GiB data volume leaves 180 GiB/,
    );
  });

  it("refuses a cache too small for the model, and warns when it holds one version only or reads slower than the download", () => {
    expect(() => cachedEndpoint({}, { weightCache: { maxSizeGiB: 10 } })).toThrow(/do not fit the node weight cache of pool "l4" \(weightCache\.maxSizeGiB 10\)[\s\S]*raise weightCache\.maxSizeGiB to at least 30/);
    const w = cachedEndpoint({}, { weightCache: { maxSizeGiB: 20 } }).warnings.join("\n");
    expect(w).toMatch(/weightCache\.maxSizeGiB 20 holds one version of this model's 15 GiB, not two[\s\S]*raise it to 30/);
    expect(w).toMatch(/a cache hit reads the weights from the data volume at 500 MiB\/s, slower than downloading them at 1250 MB\/s[\s\S]*raise volumeThroughputMiBps of the pool to at least 1193/);
  });

  it("refuses endpoints whose cached models together exceed the pool's bound", () => {
    const { cluster, serving } = platformAndServing(undefined, { weightCache: { maxSizeGiB: 25 }, volumeThroughputMiBps: 1500 });
    const tgi = InferenceServer.tgi({ image: "ghcr.io/example/tgi-nonroot:3.3.6" });
    new CanaryModelEndpoint(serving, "one", chatProps(cluster, { server: tgi }));
    expect(() => new CanaryModelEndpoint(serving, "two", chatProps(cluster, { server: tgi }))).toThrow(
      /the endpoints that cache their weights on pool "l4" \(models\/one 15 GiB, models\/two 15 GiB\) need 30 GiB together, above its weightCache\.maxSizeGiB 25[\s\S]*raise weightCache\.maxSizeGiB to at least 30 \(60 keeps/,
    );
  });

  it("is not used by vLLM, which streams the weights", () => {
    const v = cachedEndpoint({ server: InferenceServer.vllm() });
    expect(v.manifests.filter((m) => ["DaemonSet", "PersistentVolume", "PersistentVolumeClaim"].includes(m.kind))).toEqual([]);
    expect(v.endpoint.coldStart.cacheHitSeconds).toBeUndefined();
  });
});
