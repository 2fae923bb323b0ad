/**
 * npx ts-node bench/pack-overhead.ts [--pairs N] [--cold N]: what the four compliance packs add to the synth of the reference
 * example (examples/reference-platform: bootstrap, platform, addons and serving stacks). The budget: at most 1.2x.
 *
 * - warm: N pairs (default 7) in this process, with and without the packs in alternating order, after one warm-up of each, so
 *   that module loading and JIT are paid before timing; each pair gives a ratio, the median ratio is reported.
 * - cold: N pairs (default 3) of fresh processes (bench/synth-once.ts), as `cdktf synth` runs: module loading, the first
 *   evaluation's reads of the IAM action data (lib/compliance/private/iam-actions.ts) and the report files included.
 * Prints one JSON line per measurement and a summary; writes nothing else.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildReferencePlatform } from "../examples/reference-platform/main";
import { median } from "./stats";

const root = path.resolve(__dirname, "..");
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number >= 0, got ${process.argv[i + 1]}`);
  return n;
};
const PAIRS = arg("--pairs", 7);
const COLD = arg("--cold", 3);


/** Build and synthesize the reference example once in this process; milliseconds. */
function synthInProcess(compliance: boolean): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-overhead-"));
  const started = process.hrtime.bigint();
  const app = new App({ outdir });
  buildReferencePlatform(app, { compliance });
  app.synth();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

/** The same in a fresh process (bench/synth-once.ts); milliseconds of build + synth, as that script measures them. */
function synthCold(compliance: boolean): number {
  const r = spawnSync("npx", ["ts-node", "bench/synth-once.ts", ...(compliance ? [] : ["--no-compliance"])], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bench/synth-once.ts failed:\n${r.stderr}`.slice(0, 4000));
  return (JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number }).ms;
}

function measure(kind: string, pairs: number, run: (compliance: boolean) => number): { withPacks: number[]; without: number[]; ratios: number[] } {
  const withPacks: number[] = [];
  const without: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so that a drift of the shared machine's load does not favour one side.
    const first = i % 2 === 0;
    const a = run(first);
    const b = run(!first);
    const [w, wo] = first ? [a, b] : [b, a];
    withPacks.push(w);
    without.push(wo);
    ratios.push(w / wo);
    process.stdout.write(JSON.stringify({ kind, pair: i + 1, withPacksMs: Math.round(w), withoutMs: Math.round(wo), ratio: Number((w / wo).toFixed(3)) }) + "\n");
  }
  return { withPacks, without, ratios };
}

function main(): void {
  const lines: string[] = [];
  if (PAIRS > 0) {
    synthInProcess(true);
    synthInProcess(false);
    const warm = measure("warm", PAIRS, synthInProcess);
    lines.push(`warm (in process, ${PAIRS} pairs): with packs ${median(warm.withPacks).toFixed(0)} ms, without ${median(warm.without).toFixed(0)} ms, median ratio ${median(warm.ratios).toFixed(2)}x`);
  }
  if (COLD > 0) {
    const cold = measure("cold", COLD, synthCold);
    lines.push(`cold (fresh process, ${COLD} pairs): with packs ${median(cold.withPacks).toFixed(0)} ms, without ${median(cold.without).toFixed(0)} ms, median ratio ${median(cold.ratios).toFixed(2)}x`);
  }
  process.stdout.write(`${lines.join("\n")}\n(budget: at most 1.20x)\n`);
}

main();
