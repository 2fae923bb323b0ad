import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildMinimal } from "../../examples/minimal/main";
import { captureStdout } from "../util";

/** What `cdktf synth` of an example prints: one short line per stack, then its GPU pools and endpoints. */
describe("synth progress output", () => {
  let lines: string[];
  beforeAll(() => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "progress-")) });
    buildMinimal(app);
    const out = captureStdout(() => app.synth());
    lines = out.trimEnd().split("\n");
  });

  it("prints one summary line per stack: resources, compliance result, and the GPU plan where there is one", () => {
    const summaries = lines.filter((l) => !l.startsWith("  "));
    expect(summaries).toEqual([
      expect.stringMatching(/^platform: \d+ resources \| compliance PASS \(HIPAA, SOC2, FEDRAMP_MODERATE, GDPR: 0 errors, 0 warnings, \d+ suppressed, \d+ controls not evaluated here\) \| GPU plan: 1 GPU pool\(s\), 0 endpoint\(s\); \$0\.80-\$6\.44\/h/),
      expect.stringMatching(/^addons: \d+ resources \| compliance PASS \(/),
      // The pool is the platform stack's: its cost is counted there only.
      expect.stringMatching(/^serving: \d+ resources \| compliance PASS \(.*\) \| GPU plan: 0 GPU pool\(s\), 1 endpoint\(s\); pools and their cost belong to another stack$/),
    ]);
  });

  it("lists the pools and endpoints under their stack", () => {
    expect(lines).toContainEqual(expect.stringMatching(/^  pool l4: 0-8 x g6\.xlarge \(1 at min replicas\) \(1 x L4, on_demand\), \$0\.80-\$6\.44\/h; endpoints: models\/chat$/));
    expect(lines).toContainEqual(expect.stringMatching(/^  endpoint models\/chat: 1-4 x 1 GPU on l4, GPU memory \d+% used; bad canary rolled back in <= 1\.5 min at 1% \(1\.5 %-min\)$/));
  });
});
