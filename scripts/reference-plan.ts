/**
 * npx ts-node scripts/reference-plan.ts: synthesizes the reference example into a temporary folder and
 * prints each endpoint's cold start and rollout timing from its plan report (the numbers README and
 * bench/results.md quote).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildReferencePlatform } from "../examples/reference-platform/main";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "reference-plan-"));
const app = new App({ outdir });
buildReferencePlatform(app, {});
const log = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write; // the synth summary lines
app.synth();
process.stdout.write = log;
const report = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "serving", "plan-report.json"), "utf8")) as {
  endpoints: Array<{ name: string; weightsGiB: number; coldStart: Record<string, unknown>; rollout: Record<string, unknown> }>;
};
fs.rmSync(outdir, { recursive: true, force: true });
for (const e of report.endpoints) {
  const { assumptions, ...cold } = e.coldStart;
  process.stdout.write(`${e.name} (weights ${e.weightsGiB.toFixed(1)} GiB)\n  coldStart ${JSON.stringify(cold)}\n  assumptions ${JSON.stringify(assumptions)}\n  rollout ${JSON.stringify(e.rollout)}\n`);
}
