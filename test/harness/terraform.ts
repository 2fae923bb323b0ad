/**
 * Runs the real Terraform CLI over synthesized stacks, offline: providers come from a local
 * filesystem mirror, and every HTTP(S) connection that is not to loopback is refused.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Version of hashicorp/aws that @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** Where images and developer machines commonly keep a provider filesystem mirror. */
const MIRROR_CANDIDATES = [
  "/opt/tf-plugins",
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
  path.join(os.homedir(), ".terraform.d", "plugins"),
  path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
];

/** Set to a mirror directory, or to "network" on a machine that may download providers. */
export const MIRROR_ENV = "TF_PLUGIN_MIRROR";
/** Set to the terraform binary when it is not on PATH. */
export const TERRAFORM_ENV = "TERRAFORM_BIN";

/** Thrown when the machine lacks terraform or the provider; the message says how to fix it. */
export class TerraformSetupError extends Error {}

function platformDir(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${process.platform}_${arch}`;
}

/** Mirror layouts Terraform reads: unpacked (a directory per platform) or packed (the release zip, as `terraform providers mirror` writes). */
export type MirrorLayout = "unpacked" | "packed";

/** The layout in which `mirror` holds hashicorp/aws at the pinned version, or undefined. */
export function awsProviderLayout(mirror: string): MirrorLayout | undefined {
  const base = path.join(mirror, "registry.terraform.io", "hashicorp", "aws");
  try {
    if (fs.readdirSync(path.join(base, AWS_PROVIDER_VERSION, platformDir())).some((f) => f.startsWith("terraform-provider-aws"))) return "unpacked";
  } catch {
    // not unpacked; try packed
  }
  return fs.existsSync(path.join(base, `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${platformDir()}.zip`)) ? "packed" : undefined;
}

function hasAwsProvider(mirror: string): boolean {
  return awsProviderLayout(mirror) !== undefined;
}

/**
 * Oldest Terraform the examples need: 1.11 for write-only attributes (the router's database and team
 * keys, `*_wo`), which also covers S3 native state locking (`use_lockfile`, 1.10).
 */
export const MIN_TERRAFORM_VERSION = "1.11";

/** The terraform binary to run; throws TerraformSetupError with the fix when there is none or it is too old. */
export function locateTerraform(env: NodeJS.ProcessEnv = process.env): { bin: string; version: string } {
  const bin = env[TERRAFORM_ENV] || "terraform";
  const r = spawnSync(bin, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  if (r.error || r.status !== 0) {
    throw new TerraformSetupError(
      `terraform CLI not found or not runnable (tried "${bin}"${r.error ? `: ${r.error.message}` : ""}). ` +
        `The tests run the real Terraform CLI (>= ${MIN_TERRAFORM_VERSION}). Install it (e.g. the HashiCorp apt repository's "terraform" package, or unzip the release into /usr/local/bin) ` +
        `or set ${TERRAFORM_ENV}=/path/to/terraform.`,
    );
  }
  const version = (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  const [major, minor] = version.split(".").map(Number);
  const [minMajor, minMinor] = MIN_TERRAFORM_VERSION.split(".").map(Number);
  if (major < minMajor || (major === minMajor && minor < minMinor)) {
    throw new TerraformSetupError(
      `terraform ${version} at "${bin}" is too old: the examples need Terraform >= ${MIN_TERRAFORM_VERSION} (write-only attributes of the router's secrets); ` +
        `install a newer one or set ${TERRAFORM_ENV} to a newer binary.`,
    );
  }
  return { bin, version };
}

/**
 * The provider mirror to install hashicorp/aws from: $TF_PLUGIN_MIRROR, else the first
 * well-known directory holding it. "network" means plain `terraform init` from the registry.
 */
export function locateProviderMirror(env: NodeJS.ProcessEnv = process.env): string | "network" {
  const configured = env[MIRROR_ENV];
  if (configured === "network") return "network";
  if (configured) {
    if (!hasAwsProvider(configured)) {
      throw new TerraformSetupError(
        `${MIRROR_ENV}=${configured} holds no hashicorp/aws ${AWS_PROVIDER_VERSION} for ${platformDir()} ` +
          `(expected ${path.join(configured, "registry.terraform.io/hashicorp/aws", AWS_PROVIDER_VERSION, platformDir())}/terraform-provider-aws_*). ` +
          `Create one with \`terraform providers mirror -platform=${platformDir()} ${configured}\` in a directory whose configuration requires hashicorp/aws ${AWS_PROVIDER_VERSION}, on a machine with internet; or set ${MIRROR_ENV}=network to download.`,
      );
    }
    return configured;
  }
  const found = MIRROR_CANDIDATES.find(hasAwsProvider);
  if (found) return found;
  throw new TerraformSetupError(
    `No filesystem mirror of hashicorp/aws ${AWS_PROVIDER_VERSION} (${platformDir()}) found; looked in ${MIRROR_CANDIDATES.join(", ")}. ` +
      `Set ${MIRROR_ENV}=<dir> to a mirror (create one with \`terraform providers mirror -platform=${platformDir()} <dir>\` from a synthesized stack directory), ` +
      `or ${MIRROR_ENV}=network on a machine that may download providers from the registry.`,
  );
}

/** Writes a Terraform CLI config that installs providers from the mirror only, and returns its path. */
export function writeCliConfig(dir: string, mirror: string | "network"): string {
  const file = path.join(dir, "terraform.tfrc");
  const lines: string[] = [];
  if (mirror === "network") lines.push("# providers from the public registry");
  else {
    lines.push("provider_installation {", `  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }`, "}");
    // An unpacked mirror doubles as the plugin cache: init then links the ~700 MB binary instead of copying it.
    if (awsProviderLayout(mirror) === "unpacked") lines.push(`plugin_cache_dir = ${JSON.stringify(mirror)}`, "plugin_cache_may_break_dependency_lock_file = true");
  }
  const body = lines.join("\n") + "\n";
  fs.writeFileSync(file, body);
  return file;
}

/** Result of one terraform command. */
export interface TerraformRun {
  readonly args: string[];
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** "shared" when Terraform attached to the session's running provider (SharedProvider), "own" when it started its own. */
  readonly provider: "shared" | "own";
}

/** Set to 0 to have every terraform command start its own provider process (the slower, default Terraform path). */
export const SHARED_PROVIDER_ENV = "TF_HARNESS_SHARED_PROVIDER";

/**
 * One hashicorp/aws process that a session's terraform commands attach to, instead of each command starting the
 * ~700 MB binary and building its schema again (1.1-2.1 s of every validate, plan and show on the 2-core machine).
 *
 * Terraform's own mechanism, meant for debugging providers: the provider started with `-debug` serves on a socket
 * and prints `TF_REATTACH_PROVIDERS='{...,"Test":true,...}'` (the 5.100.0 binary does; its main.go passes
 * tf5server.WithManagedDebug, read in the search index's copy, tag not verified). Terraform given that variable
 * treats the provider as unmanaged (hashicorp/terraform@v1.11.4:main.go `parseReattachProviders`,
 * internal/command/meta_providers.go `unmanagedProviderFactory`): init installs nothing for it
 * (internal/providercache/installer.go, "unmanaged providers do not require installation"), and with "Test": true no
 * command kills it (go-plugin v1.6.0, Terraform's pin: client.go `Kill` returns without a runner). The binary is the
 * one `init` installed from the mirror.
 *
 * An init that attaches installs no provider and writes no lock file (0.1 s instead of 0.7 s); it still initializes
 * the backend. Each session's first init installs the binary from the mirror as Terraform always does, and so do the
 * inits of stacks that start their own provider.
 *
 * Limits, and why the harness holds to them (OfflineTerraform.check): the process keeps one provider configuration,
 * which every plan sets again, so it serves one command at a time (a command that finds it busy starts its own), and
 * only configurations with a single aws provider block (aliases would reconfigure the process under each other).
 * The process gets the commands' offline environment (no credentials, the dead proxy), as a provider Terraform
 * starts would; the harness test plans one stack both ways and compares the plans.
 */
export class SharedProvider {
  /** Starts `binary -debug` with `env` and waits for its reattach configuration. */
  static start(binary: string, env: NodeJS.ProcessEnv): Promise<SharedProvider> {
    const child = spawn(binary, ["-debug"], { env, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
      let out = "";
      const onData = (d: Buffer) => {
        if (out.length < 20000) out += d.toString();
        const m = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out);
        if (m) {
          // Keep draining: a provider blocked on a full pipe would hang the next command.
          child.stdout.removeListener("data", onData);
          child.stderr.removeListener("data", onData);
          child.stdout.resume();
          child.stderr.resume();
          resolve(new SharedProvider(child, m[1]));
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`${binary} -debug exited (${code}) before printing TF_REATTACH_PROVIDERS:\n${out.slice(0, 4000)}`)));
    });
  }

  busy = false;
  private readonly killOnExit = () => this.child.kill();

  private constructor(private readonly child: ReturnType<typeof spawn>, readonly reattach: string) {
    process.once("exit", this.killOnExit);
  }

  /** Whether the process still runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): void {
    process.removeListener("exit", this.killOnExit);
    this.child.kill();
  }
}

/** Unroutable proxy: any HTTP(S) call that is not to loopback fails at once instead of leaving the machine. */
const DEAD_PROXY = "http://127.0.0.1:9";

/**
 * A Terraform working environment: binary, CLI config, and an environment with no AWS
 * credentials of the developer and no route out.
 */
export class TerraformCli {
  readonly bin: string;
  readonly version: string;
  readonly mirror: string | "network";
  private readonly env: NodeJS.ProcessEnv;

  constructor(workRoot: string) {
    const { bin, version } = locateTerraform();
    this.bin = bin;
    this.version = version;
    this.mirror = locateProviderMirror();
    const cliConfig = writeCliConfig(workRoot, this.mirror);
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!k.startsWith("AWS_") && !k.startsWith("TF_") && !/^(https?|no)_proxy$/i.test(k)) env[k] = v;
    }
    Object.assign(env, {
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    });
    this.env = env;
  }

  /**
   * Runs terraform asynchronously (the loopback stand-in must keep answering meanwhile); throws
   * with its output on failure. Every command but `init` in network mode goes through the dead
   * proxy, so a provider call that is not to loopback fails instead of reaching AWS.
   */
  async run(cwd: string, args: string[], options: { shareProvider?: boolean } = {}): Promise<TerraformRun> {
    // init attaches only once the provider runs: the first init of a session installs the binary it starts from.
    const shared = options.shareProvider ? await this.sharedProvider(cwd, args[0] !== "init") : undefined;
    try {
      return await this.spawnRun(cwd, args, shared);
    } finally {
      if (shared) shared.busy = false;
    }
  }

  /**
   * The session's shared provider, acquired (busy) for one command; started on first use from the binary init installed
   * in `cwd`. Undefined when busy, off, gone or not startable: the command then starts its own.
   */
  private async sharedProvider(cwd: string, mayStart: boolean): Promise<SharedProvider | undefined> {
    if (process.env[SHARED_PROVIDER_ENV] === "0") return undefined;
    // Everything up to the await is synchronous: two commands arriving together start one process.
    if (this.shared === undefined && mayStart) {
      const dir = path.join(cwd, ".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, platformDir());
      const binary = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws")) : undefined;
      if (binary) this.shared = SharedProvider.start(fs.realpathSync(path.join(dir, binary)), this.offlineEnv());
    }
    if (this.shared === undefined) return undefined;
    const provider = await this.shared;
    if (!provider.alive) {
      this.shared = undefined;
      return undefined;
    }
    // Check and acquire in one synchronous step.
    if (provider.busy) return undefined;
    provider.busy = true;
    return provider;
  }

  private shared?: Promise<SharedProvider>;

  /** Stops the shared provider, if one was started. */
  stop(): void {
    void this.shared?.then(
      (p) => p.stop(),
      () => undefined,
    );
    this.shared = undefined;
  }

  private offlineEnv(): NodeJS.ProcessEnv {
    return { ...this.env, HTTP_PROXY: DEAD_PROXY, HTTPS_PROXY: DEAD_PROXY, NO_PROXY: "127.0.0.1,localhost" };
  }

  private spawnRun(cwd: string, args: string[], shared: SharedProvider | undefined): Promise<TerraformRun> {
    const started = Date.now();
    const offline = !(this.mirror === "network" && args[0] === "init");
    const base = offline ? this.offlineEnv() : this.env;
    const env = shared ? { ...base, TF_REATTACH_PROVIDERS: shared.reattach } : base;
    const provider = shared ? "shared" : "own";
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = (Date.now() - started) / 1000;
        if (code === 0) resolve({ args, stdout, stderr, seconds, provider });
        else reject(new Error(`terraform ${args.join(" ")} failed in ${cwd} (exit ${code}):\n${stderr}\n${stdout}`.slice(0, 20000)));
      });
    });
  }
}
