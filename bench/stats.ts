/**
 * What the bench scripts share: the median of runs, and for the scripts that compare the working tree with
 * another revision (compare-revisions.ts, compare-tests.ts) their options, git, and the revision's worktree.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The checkout the bench runs in. */
export const ROOT = path.resolve(__dirname, "..");

/** Median of a list of numbers (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs git in the checkout; throws with its stderr on failure. */
export function git(args: string[], cwd = ROOT): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** `--base REV` (required) and `--runs N` (a whole number >= 1) from the command line. */
export function revisionOptions(defaultRuns: number): { base: string; runs: number } {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const base = arg("--base");
  const runs = Number(arg("--runs") ?? String(defaultRuns));
  if (!base) throw new Error("--base REV is required (a commit, tag or branch to compare the working tree with)");
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number >= 1, got ${arg("--runs")}`);
  return { base, runs };
}

/** The working tree's commit, marked when it has uncommitted changes. */
export function headLabel(): string {
  return git(["rev-parse", "--short", "HEAD"]) + (git(["status", "--porcelain", "--untracked-files=no"]) ? " + uncommitted changes" : "");
}

/** Checks `base` out into a temporary worktree, runs `use` on it, and removes the worktree whatever happens. */
export function withRevision<T>(base: string, prefix: string, use: (dir: string, sha: string) => T): T {
  const sha = git(["rev-parse", "--short", base]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-${sha}-`));
  git(["worktree", "add", "--detach", dir, sha]);
  try {
    return use(dir, sha);
  } finally {
    git(["worktree", "remove", "--force", dir]);
  }
}
