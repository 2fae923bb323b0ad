/**
 * npx ts-node bench/compare-revisions.ts --base REV [--runs N]: the synth of the reference example at
 * REV against the working tree, alternating runs so that a noisy machine affects both alike, and the
 * ratio of the medians (working tree / REV). REV is checked out into a temporary git worktree that
 * borrows this checkout's node_modules (so REV must not need other dependencies: the script says so
 * when its synth fails). Times are in-process (bench/synth-once.ts at REV: build + App.synth), so
 * ts-node's compile time is not counted.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const base = arg("--base");
const runs = Number(arg("--runs") ?? "5");
if (!base) throw new Error("--base REV is required (a commit, tag or branch to compare the working tree with)");
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number >= 1, got ${arg("--runs")}`);

function git(args: string[], cwd = root): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function synthOnce(dir: string): number {
  const r = spawnSync("npx", ["ts-node", "bench/synth-once.ts"], { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`synth in ${dir} failed (does this revision need other dependencies than the working tree's node_modules?):\n${r.stderr.slice(0, 3000)}`);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return (JSON.parse(line) as { ms: number }).ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const sha = git(["rev-parse", "--short", base]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-base-${sha}-`));
git(["worktree", "add", "--detach", dir, sha]);
try {
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  const before: number[] = [];
  const after: number[] = [];
  synthOnce(dir); // warm the file cache of both trees once, unmeasured
  synthOnce(root);
  for (let i = 0; i < runs; i++) {
    before.push(synthOnce(dir));
    after.push(synthOnce(root));
  }
  const mb = median(before);
  const ma = median(after);
  const out = {
    base: sha,
    head: git(["rev-parse", "--short", "HEAD"]) + (git(["status", "--porcelain"]) ? " + uncommitted changes" : ""),
    runs,
    baseMs: before.map(Math.round),
    headMs: after.map(Math.round),
    medianBaseMs: Math.round(mb),
    medianHeadMs: Math.round(ma),
    ratio: Math.round((ma / mb) * 100) / 100,
  };
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
} finally {
  git(["worktree", "remove", "--force", dir]);
}
