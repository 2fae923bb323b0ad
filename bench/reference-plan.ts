/**
 * npx ts-node bench/reference-plan.ts: synthesizes the reference example into a temporary folder and
 * prints each endpoint's cold start and rollout timing from its plan report (the numbers README and
 * bench/results.md quote). `referencePlan()` returns them for bench/run.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildReferencePlatform } from "../examples/reference-platform/main";
import type { ColdStart } from "../lib/planning/cold-start";

/** One endpoint of the reference example as its plan report gives it. */
export interface ReferenceEndpointPlan {
  readonly name: string;
  readonly weightsGiB: number;
  readonly coldStart: ColdStart;
  readonly rollout: { readonly detectionSeconds: number; readonly worstStepRollbackSeconds: number; readonly warmStable: boolean; readonly rollbackBudgetSeconds: number };
}

/** The serving stack's plan report of the reference example, endpoint by endpoint. */
export function referencePlan(): ReferenceEndpointPlan[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "reference-plan-"));
  try {
    const app = new App({ outdir });
    buildReferencePlatform(app, {});
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write; // the synth summary lines
    try {
      app.synth();
    } finally {
      process.stdout.write = write;
    }
    return (JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "serving", "plan-report.json"), "utf8")) as { endpoints: ReferenceEndpointPlan[] }).endpoints;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * What the planner gave for the reference example before this round (b6e859f), as issue 15 recorded
 * it: weights downloaded at 8 s/GiB, detection from ALB metrics (240 s), and a stable version that
 * shrank (worst-step rollback 11.5 min for chat, 46.1 min for large).
 */
const BEFORE_DOWNLOAD_SECONDS_PER_GIB = 8;
const BEFORE: Readonly<Record<string, { detectionSeconds: number; worstStepRollbackSeconds: number }>> = Object.freeze({
  "models/chat": { detectionSeconds: 240, worstStepRollbackSeconds: 690 },
  "models/large": { detectionSeconds: 240, worstStepRollbackSeconds: 2766 },
});

/** The before/after table for bench/results.md. */
export function coldStartTable(plans: ReferenceEndpointPlan[]): string {
  const rows = plans.flatMap((e) => {
    const b = BEFORE[e.name];
    const c = e.coldStart;
    return [
      `| ${e.name} | weights to GPU (s) | ${Math.round(e.weightsGiB * BEFORE_DOWNLOAD_SECONDS_PER_GIB)} (download at ${BEFORE_DOWNLOAD_SECONDS_PER_GIB} s/GiB) | ${c.weightsSeconds} (${c.weights === "stream" ? "streamed" : "downloaded"}, ${e.weightsGiB.toFixed(1)} GiB at ${c.assumptions.weightsMBPerSecond} MB/s) |`,
      `| ${e.name} | warm node: a new replica on a node already up (s) | - | ${c.warmNodeSeconds} (load ${c.loadSeconds}, of which warm-up ${c.assumptions.warmupSeconds}) |`,
      `| ${e.name} | new node (s) | - | ${c.newNodeSeconds} (node ${c.nodeSeconds}, image ${c.imageSeconds} ${c.image}) |`,
      `| ${e.name} | detection (s) | ${b?.detectionSeconds ?? "-"} | ${e.rollout.detectionSeconds} |`,
      `| ${e.name} | worst-step rollback (s) | ${b?.worstStepRollbackSeconds ?? "-"} | ${e.rollout.worstStepRollbackSeconds} (budget ${e.rollout.rollbackBudgetSeconds}, stable ${e.rollout.warmStable ? "kept warm" : "shrinks"}) |`,
    ];
  });
  return ["| endpoint | what | before (b6e859f) | now |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

if (require.main === module) {
  for (const e of referencePlan()) {
    const { assumptions, ...cold } = e.coldStart;
    process.stdout.write(`${e.name} (weights ${e.weightsGiB.toFixed(1)} GiB)\n  coldStart ${JSON.stringify(cold)}\n  assumptions ${JSON.stringify(assumptions)}\n  rollout ${JSON.stringify(e.rollout)}\n`);
  }
}
