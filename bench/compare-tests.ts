/**
 * npx ts-node bench/compare-tests.ts --base REV [--runs N]: the whole jest suite at REV against the
 * working tree on this machine, alternating runs (REV, tree, REV, tree, ...) so that a noisy machine
 * affects both alike; prints each run's wall seconds and test count, and the ratios of the medians
 * (working tree / REV): of the suite, and of the suite per test. REV is checked out into a temporary git
 * worktree with its own `npm ci` (revisions differ in dependencies; npm's cache makes it an install from
 * disk). jest only: `tsc --noEmit` and eslint, the rest of `npm test`, are timed by `npm run bench`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { headLabel, median, revisionOptions, ROOT as root, withRevision } from "./stats";

const { base, runs } = revisionOptions(2);

/** One jest run of a tree: wall seconds and the number of tests; throws when a test fails. */
function jestOnce(dir: string): { seconds: number; tests: number } {
  // The report goes to a file: tests print to stdout too.
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-jest-")), "report.json");
  const started = process.hrtime.bigint();
  spawnSync("npx", ["jest", "--silent", "--json", `--outputFile=${out}`], { cwd: dir, stdio: "ignore", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report = JSON.parse(fs.readFileSync(out, "utf8")) as { numTotalTests: number; numFailedTests: number; success: boolean };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  if (!report.success) throw new Error(`jest failed in ${dir} (${report.numFailedTests} failed tests): compare revisions whose suites pass`);
  return { seconds, tests: report.numTotalTests };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
withRevision(base, "bench-tests", (dir, sha) => {
  const ci = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (ci.status !== 0) throw new Error(`npm ci at ${sha} failed:\n${ci.stderr.slice(-3000)}`);
  const before: Array<{ seconds: number; tests: number }> = [];
  const after: Array<{ seconds: number; tests: number }> = [];
  for (let i = 0; i < runs; i++) {
    before.push(jestOnce(dir));
    after.push(jestOnce(root));
  }
  const wallBase = median(before.map((x) => x.seconds));
  const wallHead = median(after.map((x) => x.seconds));
  const testsBase = before[0].tests;
  const testsHead = after[0].tests;
  const out = {
    base: sha,
    head: headLabel(),
    runs,
    baseSeconds: before.map((x) => round2(x.seconds)),
    headSeconds: after.map((x) => round2(x.seconds)),
    baseTests: testsBase,
    headTests: testsHead,
    wallRatio: round2(wallHead / wallBase),
    testsRatio: round2(testsHead / testsBase),
    perTestRatio: round2(wallHead / testsHead / (wallBase / testsBase)),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
});
