import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs a small app the way the README does (`npx ts-node main.ts`), outside jest. */
function runApp(env: NodeJS.ProcessEnv): { stdout: string; stderr: string; status: number | null } {
  // Inside the repository, so that "cdktf" resolves from its node_modules as in a user's project.
  const cache = path.join(ROOT, ".tmp");
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, "warn-app-"));
  const main = path.join(dir, "main.ts");
  const lib = (p: string) => JSON.stringify(path.join(ROOT, "lib", p));
  fs.writeFileSync(
    main,
    [
      'import { App, TerraformStack } from "cdktf";',
      'import { AwsProvider } from "@cdktf/provider-aws/lib/provider";',
      `import { SecureInferenceCluster } from ${lib("cluster/secure-inference-cluster")};`,
      `const app = new App({ outdir: ${JSON.stringify(path.join(dir, "out"))} });`,
      'const stack = new TerraformStack(app, "platform");',
      'new AwsProvider(stack, "aws", { region: "eu-west-1" });',
      'new SecureInferenceCluster(stack, "ml", { clusterName: "ml-eu", network: { availabilityZones: ["eu-west-1a", "eu-west-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }] });',
      "app.synth();",
      "",
    ].join("\n"),
  );
  const clean = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([k, v]) => k !== "JEST_WORKER_ID" && v !== undefined)) as NodeJS.ProcessEnv;
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "ts-node"), ["--transpile-only", main], { cwd: ROOT, encoding: "utf8", env: clean });
  fs.rmSync(dir, { recursive: true, force: true });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("synth warnings outside the cdktf CLI", () => {
  it("are printed to stderr when the app runs with ts-node, naming the construct path", () => {
    const r = runApp({ CDKTF_OUTDIR: undefined });
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stderr).toMatch(/^Warning: platform: plan: pool l4 \(g6\.xlarge\) has no price: the catalog has no prices for eu-west-1/m);
  }, 60_000);

  it("are left to the cdktf CLI when it runs the app (it prints annotations itself)", () => {
    const r = runApp({ CDKTF_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), "cli-out-")) });
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stderr).not.toMatch(/Warning:/);
  }, 60_000);
});
