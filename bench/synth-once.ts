// One in-process synthesis of the reference example; prints its wall time and the process's peak RSS as JSON.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildReferencePlatform } from "../examples/reference-platform/main";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
const started = process.hrtime.bigint();
const app = new App({ outdir });
// "--no-compliance" measures the synth without the four packs, for the overhead ratio.
buildReferencePlatform(app, { compliance: !process.argv.includes("--no-compliance") });
app.synth();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n");
