/**
 * The real-Terraform harness: synthesizes an app, then runs `terraform init`, `validate` and an
 * offline `plan` on each stack (or `validate` on the AWS part of stacks that also use the
 * kubernetes/helm providers). Nothing leaves the machine: providers come from the filesystem
 * mirror and API reads go to the loopback stand-in.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { AwsStandIn, startAwsStandIn } from "./aws-stand-in";
import { StackJson, awsPartOf, awsProviderConfigs, providersOf, writeStackDir } from "./offline";
import { PlanJson } from "./plan-json";
import { TerraformCli, TerraformRun } from "./terraform";

/** A synthesized stack. */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: StackJson;
  /** True when the stack configures only the AWS provider, so it can be planned offline. */
  readonly awsOnly: boolean;
}

/** Synthesizes an app built by `build` into a temporary directory and returns its stacks. */
export function synthApp(build: (app: App) => void, outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-synth-"))): { outdir: string; stacks: SynthesizedStack[] } {
  const app = new App({ outdir, skipBackendValidation: true });
  build(app);
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = Object.entries(manifest.stacks).map(([name, s]) => {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as StackJson;
    const providers = providersOf(json);
    return { name, json, awsOnly: providers.every((p) => p === "aws") };
  });
  return { outdir, stacks };
}

/** Outcome of checking one stack. */
export interface StackCheck {
  readonly stack: string;
  /** "plan" when the full stack was planned; "validate-aws-part" when only its AWS part was validated. */
  readonly mode: "plan" | "validate-aws-part";
  readonly dir: string;
  readonly validate: { valid: boolean; diagnostics: unknown[] };
  readonly plan?: PlanJson;
  readonly runs: TerraformRun[];
}

/** A session of offline Terraform runs sharing one stand-in and CLI config. */
export class OfflineTerraform {
  /** Starts the stand-in and locates terraform and the provider mirror (throws with the fix when missing). */
  static async start(region = "us-east-1"): Promise<OfflineTerraform> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tf-offline-"));
    const cli = new TerraformCli(root);
    const standIn = await startAwsStandIn(region);
    return new OfflineTerraform(root, cli, standIn);
  }

  private constructor(readonly root: string, readonly cli: TerraformCli, readonly standIn: AwsStandIn) {}

  /**
   * init + validate, then plan for AWS-only stacks; validate of the AWS part for the others.
   * `share` false makes every command start its own provider, as Terraform does outside the harness.
   */
  async check(stack: SynthesizedStack, { share = true }: { share?: boolean } = {}): Promise<StackCheck> {
    const mode = stack.awsOnly ? "plan" : "validate-aws-part";
    const dir = path.join(this.root, stack.name + (stack.awsOnly ? "" : "-aws-part"));
    const json = stack.awsOnly ? stack.json : awsPartOf(stack.json).json;
    writeStackDir(dir, json, this.standIn.url);
    const runs: TerraformRun[] = [];
    // One aws provider block: the session's running provider serves it (terraform.ts SharedProvider says why only then).
    const opts = { shareProvider: share && awsProviderConfigs(json).length <= 1 };
    runs.push(await this.cli.run(dir, ["init", "-input=false", "-no-color"], opts));
    const v = await this.cli.run(dir, ["validate", "-json", "-no-color"], opts);
    runs.push(v);
    const validate = JSON.parse(v.stdout) as { valid: boolean; diagnostics: unknown[] };
    if (mode === "validate-aws-part") return { stack: stack.name, mode, dir, validate, runs };
    runs.push(await this.cli.run(dir, ["plan", "-input=false", "-lock=false", "-no-color", "-out=offline.tfplan"], opts));
    const show = await this.cli.run(dir, ["show", "-json", "offline.tfplan"], opts);
    runs.push(show);
    return { stack: stack.name, mode, dir, validate, plan: JSON.parse(show.stdout) as PlanJson, runs };
  }

  /** Stops the stand-in and removes the working directories. */
  async stop(): Promise<void> {
    this.cli.stop();
    await this.standIn.close();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
