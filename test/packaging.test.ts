/**
 * The install path the README documents: `npm pack` of this repository, installed into a project
 * made from cdktf's own TypeScript template (CommonJS, `module: "CommonJS"` without a
 * moduleResolution, so TypeScript resolves like node10 and ignores package.json `exports`).
 * Offline: the tarball is unpacked into the consumer's node_modules; its peer dependencies are
 * linked from this repository's node_modules instead of installed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const TEMPLATE_TSCONFIG = path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "templates", "typescript", "tsconfig.json");

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd} (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe("the packed library in a project made from cdktf's TypeScript template", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pack-"));
  const pkgDir = path.join(work, "package-src");
  const consumer = path.join(work, "consumer");
  let files: string[] = [];

  beforeAll(() => {
    // What `npm pack` packs (prepack builds dist/), built into a copy so the repository stays clean.
    fs.mkdirSync(pkgDir);
    for (const f of ["package.json", "README.md"]) fs.copyFileSync(path.join(ROOT, f), path.join(pkgDir, f));
    run(process.execPath, [TSC, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(pkgDir, "dist")], ROOT);
    const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], pkgDir)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed[0].files.map((f) => f.path);

    fs.mkdirSync(path.join(consumer, "node_modules"), { recursive: true });
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
      if (entry.startsWith(".")) continue;
      fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(consumer, "node_modules", entry));
    }
    run("tar", ["-xzf", path.join(work, packed[0].filename), "-C", path.join(consumer, "node_modules")], work);
    fs.renameSync(path.join(consumer, "node_modules", "package"), path.join(consumer, "node_modules", "cdktf-secure-inference"));

    fs.copyFileSync(TEMPLATE_TSCONFIG, path.join(consumer, "tsconfig.json"));
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    fs.writeFileSync(
      path.join(consumer, "main.ts"),
      [
        'import { App, TerraformStack } from "cdktf";',
        'import { Compliance, SecureInferenceCluster } from "cdktf-secure-inference";',
        "const app = new App();",
        'const stack = new TerraformStack(app, "platform");',
        'new SecureInferenceCluster(stack, "ml", { clusterName: "ml-prod", gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }] });',
        "Compliance.of(app).enforce(Compliance.HIPAA);",
        "",
      ].join("\n"),
    );
    fs.mkdirSync(path.join(consumer, "__tests__"));
    fs.writeFileSync(
      path.join(consumer, "__tests__", "compliance.test.ts"),
      [
        'import { Testing, TerraformStack } from "cdktf";',
        'import { Compliance } from "cdktf-secure-inference";',
        'import { complianceSummary } from "cdktf-secure-inference/testing";',
        'const stack = new TerraformStack(Testing.app(), "s");',
        "const summary = complianceSummary(stack, Compliance.SOC2);",
        "expect(summary.passed).toBe(true);",
        "expect(stack).toBeCompliantWith(Compliance.HIPAA);",
        "",
      ].join("\n"),
    );
  }, 180_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("packs the compiled library and its typings, and no sources, tests or examples", () => {
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/testing.js", "dist/testing.d.ts", "README.md", "package.json"]));
    expect(files.filter((f) => !f.startsWith("dist/") && !["README.md", "package.json"].includes(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
  });

  it("type-checks the template's tsconfig with both entry points, `cdktf-secure-inference/testing` included (typesVersions)", () => {
    const r = spawnSync(process.execPath, [TSC, "-p", consumer, "--noEmit", "--types", "node,jest"], { cwd: consumer, encoding: "utf8" });
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: "" });
  });

  it("loads at run time from the unpacked tarball through package.json exports", () => {
    const out = run(process.execPath, ["-e", 'const l = require("cdktf-secure-inference"); console.log(typeof l.SecureInferenceCluster, typeof l.Compliance, require.resolve("cdktf-secure-inference/testing"))'], consumer);
    expect(out.trim()).toMatch(/^function function .*node_modules\/cdktf-secure-inference\/dist\/testing\.js$/);
  });
});
