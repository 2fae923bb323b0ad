/**
 * npm run bench [-- --runs N]: times what users and CI wait for, as medians of N runs (default 3):
 * the synth of the reference example (in-process, and `npx cdktf synth` as users run it), the
 * offline terraform init/validate/plan of its platform stack, and the whole jest suite.
 * Writes bench/results.md with a description of the machine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReferencePlatform } from "../examples/reference-platform/main";
import { OfflineTerraform, synthApp } from "../test/harness/offline-terraform";

const root = path.resolve(__dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
  return (Date.now() - started) / 1000;
}

interface Row {
  readonly what: string;
  readonly runs: number[];
  readonly unit: string;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const log = (r: Row) => {
    rows.push(r);
    console.log(`${r.what}: median ${median(r.runs).toFixed(2)} ${r.unit} (runs: ${r.runs.map((x) => x.toFixed(2)).join(", ")})`);
  };

  const synthOnce = (args: string[]) => {
    const r = spawnSync("npx", ["ts-node", "bench/synth-once.ts", ...args], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number; maxRssMiB: number };
  };
  const inProcess: Array<{ ms: number; maxRssMiB: number }> = [];
  const bare: Array<{ ms: number; maxRssMiB: number }> = [];
  // Interleaved, so that machine noise hits both alike; at least 5 pairs, since one synth is ~1 s and noisy.
  for (let i = 0; i < Math.max(RUNS, 5); i++) {
    inProcess.push(synthOnce([]));
    bare.push(synthOnce(["--no-compliance"]));
  }
  log({ what: "synth of examples/reference-platform with all four compliance packs, in process (build + App.synth)", runs: inProcess.map((x) => x.ms / 1000), unit: "s" });
  log({ what: "same synth without compliance packs", runs: bare.map((x) => x.ms / 1000), unit: "s" });
  log({ what: "compliance overhead: synth with packs / without (median of the per-pair ratios)", runs: inProcess.map((x, i) => x.ms / bare[i].ms), unit: "x" });
  log({ what: "peak RSS of the synth process (node + ts-node + providers)", runs: inProcess.map((x) => x.maxRssMiB), unit: "MiB" });

  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) cli.push(timeCommand("npx", ["cdktf", "synth"]));
  log({ what: "`npx cdktf synth` (what the README runs)", runs: cli, unit: "s" });

  const init: number[] = [];
  const validate: number[] = [];
  const plan: number[] = [];
  const platform = synthApp((app) => buildReferencePlatform(app)).stacks.find((s) => s.name === "platform")!;
  for (let i = 0; i < RUNS; i++) {
    const tf = await OfflineTerraform.start();
    try {
      const check = await tf.check(platform);
      const seconds = (verb: string) => check.runs.find((r) => r.args[0] === verb)!.seconds;
      init.push(seconds("init"));
      validate.push(seconds("validate"));
      plan.push(seconds("plan"));
    } finally {
      await tf.stop();
    }
  }
  log({ what: "terraform init of stack platform (provider linked from the mirror)", runs: init, unit: "s" });
  log({ what: "terraform validate of stack platform", runs: validate, unit: "s" });
  log({ what: `offline terraform plan of stack platform (${Object.values(platform.json.resource).reduce((n: number, t) => n + Object.keys(t as object).length, 0)} resources)`, runs: plan, unit: "s" });

  const jest: number[] = [];
  for (let i = 0; i < RUNS; i++) jest.push(timeCommand("npx", ["jest", "--silent"]));
  log({ what: "jest suite (all tests, 2 workers)", runs: jest, unit: "s" });
  const tsc: number[] = [];
  for (let i = 0; i < RUNS; i++) tsc.push(timeCommand("npx", ["tsc", "--noEmit", "--incremental", "false"]));
  log({ what: "tsc --noEmit (cold, no incremental cache)", runs: tsc, unit: "s" });

  const tfVersion = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).stdout.split("\n")[0];
  const machine = [
    `- CPU: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown"}`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js ${process.version}; ${tfVersion}; hashicorp/aws 5.100.0 from a filesystem mirror`,
  ].join("\n");
  const table = ["| what | median | runs |", "| --- | --- | --- |", ...rows.map((r) => `| ${r.what} | ${median(r.runs).toFixed(2)} ${r.unit} | ${r.runs.map((x) => x.toFixed(2)).join(", ")} |`)].join("\n");
  const md = `# Benchmarks\n\nMedians of ${RUNS} runs, measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`.\n\n## Machine\n\n${machine}\n\n## Results\n\n${table}\n\nTimes are wall-clock seconds on a shared machine: compare ratios between runs of the same machine rather than absolute numbers.\n`;
  fs.writeFileSync(path.join(root, "bench", "results.md"), md);
  console.log(`\nwrote bench/results.md`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
