/**
 * npm run bench [-- --runs N] [-- --out FILE]: times what users and CI wait for, as medians of N runs (default 3):
 * the synth of the reference example (in-process, and `npx cdktf synth` as users run it), how synth time grows
 * with the number of model endpoints (1, 10, 50), the offline terraform init/validate/plan of its platform stack,
 * and the whole jest suite.
 * Writes bench/results.md (or FILE: use it for trial runs, so that results.md keeps the full run) with a
 * description of the machine. Repeats of the jest suite stop when another would take the bench past 9.5 minutes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReferencePlatform } from "../examples/reference-platform/main";
import { OfflineTerraform, synthApp } from "../test/harness/offline-terraform";
import { coldStartTable, referencePlan } from "./reference-plan";
import { median } from "./stats";

const root = path.resolve(__dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const outArg = process.argv.indexOf("--out");
const OUT = outArg > 0 ? path.resolve(process.cwd(), process.argv[outArg + 1]) : path.join(root, "bench", "results.md");
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs needs a whole number >= 1, got ${process.argv[runsArg + 1]}`);
if (outArg > 0 && !process.argv[outArg + 1]) throw new Error("--out needs a file name");
/** Endpoint counts of the scaling measurement (bench/synth-endpoints.ts). */
const ENDPOINT_COUNTS = [1, 10, 50] as const;
/** "No worse than linear": the marginal synth cost per endpoint between 10 and 50 is at most this multiple of that between 1 and 10. */
const LINEAR_TOLERANCE = 1.25;
/** The whole bench should end within 10 minutes on the 2-core reference machine; repeats of the jest suite (the longest measurement) stop at this mark. */
const BUDGET_MINUTES = 9.5;


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
  /** A value derived from other rows' medians, shown instead of the median of `runs`. */
  readonly value?: number;
  /** Shown instead of the list of runs (for derived values). */
  readonly detail?: string;
}

const shown = (r: Row) => `${(r.value ?? median(r.runs)).toFixed(2)} ${r.unit}`;
const runsOf = (r: Row) => r.detail ?? r.runs.map((x) => x.toFixed(2)).join(", ");

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const rows: Row[] = [];
  const log = (r: Row) => {
    rows.push(r);
    const at = (Date.now() - benchStarted) / 1000;
    const clock = `[${Math.floor(at / 60)}:${String(Math.floor(at % 60)).padStart(2, "0")}]`;
    console.log(`${clock} ${r.what}: ${r.value === undefined ? "median " : ""}${shown(r)} (${r.detail ?? `runs: ${runsOf(r)}`})`);
  };

  // The synth probes run compiled, under plain node, as `cdktf synth` runs the app (cdktf.json): under ts-node
  // every token's stack trace goes through source maps, which costs more than the synth and grows with stack depth.
  const built = spawnSync("npx", ["tsc", "-p", "tsconfig.bench.json"], { cwd: root, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`tsc -p tsconfig.bench.json failed:\n${built.stdout}${built.stderr}`);
  const probe = (file: string) => path.join(root, ".build", "bench", "bench", file);
  const synthOnce = (args: string[]) => {
    const r = spawnSync("node", [probe("synth-once.js"), ...args], { cwd: root, encoding: "utf8" });
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
  log({ what: "synth of examples/reference-platform with all four compliance packs, in process (build + App.synth; compiled, plain node)", runs: inProcess.map((x) => x.ms / 1000), unit: "s" });
  log({ what: "same synth without compliance packs", runs: bare.map((x) => x.ms / 1000), unit: "s" });
  log({ what: "compliance overhead: synth with packs / without (median of the per-pair ratios)", runs: inProcess.map((x, i) => x.ms / bare[i].ms), unit: "x" });
  log({ what: "peak RSS of the synth process (node + providers)", runs: inProcess.map((x) => x.maxRssMiB), unit: "MiB" });

  // Synth time as the number of endpoints grows: a platform stack with one L4 pool and a serving stack with N
  // CanaryModelEndpoints, four packs enforced. One child process per synth; the counts interleaved, 5 rounds at least.
  interface EndpointsSynth { n: number; ms: number; buildMs: number; maxRssMiB: number }
  const synthEndpoints = (n: number): EndpointsSynth => {
    const r = spawnSync("node", [probe("synth-endpoints.js"), String(n)], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`bench/synth-endpoints.ts ${n} failed:\n${r.stderr}`.slice(0, 4000));
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as EndpointsSynth;
  };
  const byCount = new Map<number, EndpointsSynth[]>(ENDPOINT_COUNTS.map((n) => [n, []]));
  for (let i = 0; i < Math.max(RUNS, 5); i++) for (const n of ENDPOINT_COUNTS) byCount.get(n)!.push(synthEndpoints(n));
  const synthMs = (n: number) => median(byCount.get(n)!.map((x) => x.ms));
  const totalMs = (n: number) => median(byCount.get(n)!.map((x) => x.buildMs + x.ms));
  for (const n of ENDPOINT_COUNTS) {
    log({ what: `synth with ${n} CanaryModelEndpoint(s) (platform + serving stack, four packs; App.synth only)`, runs: byCount.get(n)!.map((x) => x.ms / 1000), unit: "s" });
  }
  for (const n of ENDPOINT_COUNTS) {
    log({ what: `same with ${n} endpoint(s), construction + App.synth`, runs: byCount.get(n)!.map((x) => (x.buildMs + x.ms) / 1000), unit: "s" });
  }
  const [n1, n10, n50] = ENDPOINT_COUNTS;
  const scaling = (t: (n: number) => number) => {
    const low = (t(n10) - t(n1)) / (n10 - n1);
    const high = (t(n50) - t(n10)) / (n50 - n10);
    return { low, high, ratio: (t(n50) - t(n1)) / (t(n10) - t(n1)), growth: high / low };
  };
  const linear = (n50 - n1) / (n10 - n1);
  const sc = scaling(synthMs);
  const total = scaling(totalMs);
  log({ what: `App.synth cost per added endpoint from ${n1} to ${n10} endpoints: (t${n10} - t${n1}) / ${n10 - n1}`, runs: [], unit: "ms", value: sc.low, detail: "from the medians above" });
  log({ what: `App.synth cost per added endpoint from ${n10} to ${n50} endpoints: (t${n50} - t${n10}) / ${n50 - n10}`, runs: [], unit: "ms", value: sc.high, detail: "from the medians above" });
  // Linear growth gives (t50 - t1) / (t10 - t1) = 49 / 9; the verdict compares the marginal cost per endpoint
  // at 10-50 endpoints with that at 1-10, and says so when the 1-10 difference is too small to divide by.
  const verdict =
    !(sc.low > 0)
      ? `inconclusive: t${n10} - t${n1} = ${(synthMs(n10) - synthMs(n1)).toFixed(0)} ms is not above zero, so the per-endpoint cost at ${n1}-${n10} cannot be compared`
      : sc.growth <= LINEAR_TOLERANCE
        ? `no worse than linear: the cost per endpoint at ${n10}-${n50} is ${sc.growth.toFixed(2)}x that at ${n1}-${n10} (criterion: <= ${LINEAR_TOLERANCE}x)`
        : `worse than linear: the cost per endpoint at ${n10}-${n50} is ${sc.growth.toFixed(2)}x that at ${n1}-${n10} (criterion for "no worse than linear": <= ${LINEAR_TOLERANCE}x)`;
  log({ what: `App.synth scaling ratio (t${n50} - t${n1}) / (t${n10} - t${n1}); linear growth gives ${n50 - n1}/${n10 - n1} = ${linear.toFixed(2)}`, runs: [], unit: "x", value: sc.ratio, detail: verdict });
  log({
    what: `same scaling ratio for construction + App.synth (what \`cdktf synth\` waits for)`,
    runs: [],
    unit: "x",
    value: total.ratio,
    detail: `per added endpoint: ${total.low.toFixed(2)} ms at ${n1}-${n10}, ${total.high.toFixed(2)} ms at ${n10}-${n50} (${total.growth.toFixed(2)}x)`,
  });
  log({ what: `peak RSS of the synth process with ${n50} endpoints`, runs: byCount.get(n50)!.map((x) => x.maxRssMiB), unit: "MiB" });

  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) cli.push(timeCommand("npx", ["cdktf", "synth"]));
  log({ what: "`npx cdktf synth` (what the README runs)", runs: cli, unit: "s" });

  // Both ways Terraform can run the provider: its own process per command (what `terraform` costs a user), and
  // attached to one running provider, as the test suite runs it (test/harness/terraform.ts SharedProvider; that
  // process is started once per session, before the commands timed here).
  const platform = synthApp((app) => buildReferencePlatform(app)).stacks.find((s) => s.name === "platform")!;
  const resources = Object.values(platform.json.resource).reduce((n: number, t) => n + Object.keys(t as object).length, 0);
  for (const share of [false, true]) {
    const init: number[] = [];
    const validate: number[] = [];
    const plan: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const tf = await OfflineTerraform.start();
      try {
        const check = await tf.check(platform, { share });
        const seconds = (verb: string) => check.runs.find((r) => r.args[0] === verb)!.seconds;
        init.push(seconds("init"));
        validate.push(seconds("validate"));
        plan.push(seconds("plan"));
      } finally {
        await tf.stop();
      }
    }
    const how = share ? "attached to a running provider, as the tests run it" : "own provider process, as terraform runs it";
    if (!share) log({ what: "terraform init of stack platform (provider linked from the mirror)", runs: init, unit: "s" });
    log({ what: `terraform validate of stack platform (${how})`, runs: validate, unit: "s" });
    log({ what: `offline terraform plan of stack platform, ${resources} resources (${how})`, runs: plan, unit: "s" });
  }

  // tsc first, the jest suite last: jest is the longest measurement (minutes), so its repeats are the ones cut when
  // another would end the bench after BUDGET_MINUTES. The first run always happens; the row says when runs were cut.
  const tsc: number[] = [];
  for (let i = 0; i < RUNS; i++) tsc.push(timeCommand("npx", ["tsc", "--noEmit", "--incremental", "false"]));
  const jest: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const elapsed = (Date.now() - benchStarted) / 1000;
    if (i > 0 && elapsed + 1.15 * Math.max(...jest) > BUDGET_MINUTES * 60) {
      console.log(`jest suite: stopping after ${i} of ${RUNS} runs; another (~${Math.max(...jest).toFixed(0)} s) would end the bench after ${BUDGET_MINUTES} min (${(elapsed / 60).toFixed(1)} min so far)`);
      break;
    }
    jest.push(timeCommand("npx", ["jest", "--silent"]));
  }
  const cut = jest.length < RUNS ? `; ${jest.length} of ${RUNS} runs, the others cut to keep the bench under ${BUDGET_MINUTES} min` : "";
  log({ what: `jest suite (all tests, 2 workers${cut})`, runs: jest, unit: "s" });
  log({ what: "tsc --noEmit (cold, no incremental cache)", runs: tsc, unit: "s" });

  const tfVersion = spawnSync("terraform", ["version"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).stdout.split("\n")[0];
  const machine = [
    `- CPU: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown"}`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node.js ${process.version}; ${tfVersion}; hashicorp/aws 5.100.0 from a filesystem mirror`,
  ].join("\n");
  const table = ["| what | median | runs |", "| --- | --- | --- |", ...rows.map((r) => `| ${r.what} | ${shown(r)} | ${runsOf(r)} |`)].join("\n");
  const coldStart =
    "## Cold start and rollback of the reference example\n\nThe library's own planner (plan-report.json of the serving stack; every assumption cited in lib/planning/cold-start.ts, none measured on a GPU), " +
    "before this round (as issue 15 recorded it) and now:\n\n" +
    coldStartTable(referencePlan()) +
    "\n\nSynth against another revision, in CPU time of the same probe: `npm run bench:compare -- --base REV`. " +
    "The jest suite against another revision, alternating runs on this machine, with the ratio per test: `npm run bench:tests -- --base REV`.\n";
  const md = `# Benchmarks\n\nMedians of ${RUNS} runs, measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`.\n\n## Machine\n\n${machine}\n\n## Results\n\n${table}\n\nTimes are wall-clock seconds on a shared machine: compare ratios between runs of the same machine rather than absolute numbers.\n\n${coldStart}`;
  fs.writeFileSync(OUT, md);
  console.log(`\nwrote ${path.relative(process.cwd(), OUT) || OUT}; the whole bench took ${((Date.now() - benchStarted) / 60000).toFixed(1)} min`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
