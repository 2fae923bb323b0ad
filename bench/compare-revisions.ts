/**
 * npx ts-node bench/compare-revisions.ts --base REV [--runs N]: the synth of the reference example at
 * REV against the working tree, alternating runs so that a noisy machine affects both alike, and the
 * ratio of the medians (working tree / REV). REV is checked out into a temporary git worktree that
 * borrows this checkout's node_modules (so REV must not need other dependencies: the script says so
 * when its synth fails). Both trees run the same probe (written into each) under ts-node, the one runner
 * every revision has: build + App.synth of examples/reference-platform in process, so ts-node's compile
 * time is not counted (compiled code under plain node, as `cdktf synth` now runs the app, spends far
 * less on cdktf's per-token stack traces: npm run bench measures that). The ratio is of
 * CPU time (user + system of the process during the synth), which other load on the machine disturbs
 * far less than wall time; wall times are printed beside it.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { headLabel, median, revisionOptions, ROOT as root, withRevision } from "./stats";

const { base, runs } = revisionOptions(5);

/** The probe both trees run: the reference example's build and synth, timed in CPU and wall milliseconds. */
const PROBE = `import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildReferencePlatform } from "../examples/reference-platform/main";
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-compare-"));
const cpu = process.cpuUsage();
const wall = process.hrtime.bigint();
const app = new App({ outdir });
buildReferencePlatform(app, {});
app.synth();
const used = process.cpuUsage(cpu);
const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs }) + "\\n");
`;
const PROBE_FILE = "bench/.compare-probe.ts";

function synthOnce(dir: string): { cpuMs: number; wallMs: number } {
  const r = spawnSync("npx", ["ts-node", PROBE_FILE], { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`synth in ${dir} failed (does this revision need other dependencies than the working tree's node_modules?):\n${r.stderr.slice(0, 3000)}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as { cpuMs: number; wallMs: number };
}

withRevision(base, "bench-base", (dir, sha) => {
  try {
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const tree of [dir, root]) fs.writeFileSync(path.join(tree, PROBE_FILE), PROBE);
    const before: Array<{ cpuMs: number; wallMs: number }> = [];
    const after: Array<{ cpuMs: number; wallMs: number }> = [];
    synthOnce(dir); // warm the file cache of both trees once, unmeasured
    synthOnce(root);
    for (let i = 0; i < runs; i++) {
      before.push(synthOnce(dir));
      after.push(synthOnce(root));
    }
    const cpuBase = median(before.map((x) => x.cpuMs));
    const cpuHead = median(after.map((x) => x.cpuMs));
    const out = {
      base: sha,
      head: headLabel(),
      runs,
      baseCpuMs: before.map((x) => Math.round(x.cpuMs)),
      headCpuMs: after.map((x) => Math.round(x.cpuMs)),
      baseWallMs: before.map((x) => Math.round(x.wallMs)),
      headWallMs: after.map((x) => Math.round(x.wallMs)),
      medianBaseCpuMs: Math.round(cpuBase),
      medianHeadCpuMs: Math.round(cpuHead),
      cpuRatio: Math.round((cpuHead / cpuBase) * 100) / 100,
      wallRatio: Math.round((median(after.map((x) => x.wallMs)) / median(before.map((x) => x.wallMs))) * 100) / 100,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + "\n");
  } finally {
    fs.rmSync(path.join(root, PROBE_FILE), { force: true });
  }
});
