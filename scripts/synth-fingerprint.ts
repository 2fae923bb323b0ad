/**
 * Synthesizes every example into one folder per example and prints a SHA-256 of every file it
 * writes (each stack's cdk.tf.json, the manifest, the plan and compliance reports), so a refactor can prove the Terraform it emits is byte-identical:
 *
 *   npx ts-node scripts/synth-fingerprint.ts | grep -E '^[0-9a-f]{64}  ' > before.txt   # on the old commit
 *   npx ts-node scripts/synth-fingerprint.ts | grep -E '^[0-9a-f]{64}  ' > after.txt    # on the new one
 *   diff before.txt after.txt
 *
 * With `--out DIR` the synthesized files are kept in DIR for a textual diff. The checkout's own path
 * (in local backends) is replaced by "<repo>", so two checkouts in different folders compare equal.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildHipaaChatbot } from "../examples/hipaa-chatbot/main";
import { buildHybridEdge } from "../examples/hybrid-edge/main";
import { buildMinimal } from "../examples/minimal/main";
import { buildReferencePlatform } from "../examples/reference-platform/main";

const examples: Record<string, (app: App) => void> = {
  "reference-platform": (app) => buildReferencePlatform(app),
  "hipaa-chatbot": (app) => buildHipaaChatbot(app),
  minimal: (app) => buildMinimal(app),
  "hybrid-edge": (app) => buildHybridEdge(app),
};

const REPO = path.resolve(__dirname, "..");
const outFlag = process.argv.indexOf("--out");
const root = outFlag >= 0 ? path.resolve(process.argv[outFlag + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), "fingerprint-"));
for (const [name, build] of Object.entries(examples)) {
  const outdir = path.join(root, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipBackendValidation: true });
  build(app);
  app.synth();
  for (const file of filesUnder(outdir)) {
    // Stacks without a backend get cdktf's local one, whose path is absolute: hash it relative to the checkout.
    const text = fs.readFileSync(path.join(outdir, file), "utf8").split(REPO).join("<repo>");
    console.log(`${crypto.createHash("sha256").update(text).digest("hex")}  ${name}/${file}`);
  }
}

/** Every file under dir (stacks' cdk.tf.json, the manifest and the reports), sorted, relative. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}
