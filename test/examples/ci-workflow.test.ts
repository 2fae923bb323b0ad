/**
 * examples/ci/github-actions.yml against what it names: the roles of the reference bootstrap stack (and whom
 * their trust policies admit), the stacks and state backends of the synthesized reference app, and the cdktf
 * CLI installed in node_modules (its own --help text, not a list written here).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import * as yaml from "js-yaml";
import { buildReferencePlatform } from "../../examples/reference-platform/main";
import { GITHUB_OIDC_HOST } from "../../lib/security/github-deploy-role";
import { SynthesizedStack, synthApp } from "../harness/offline-terraform";
import { AWS_PROVIDER_VERSION } from "../harness/terraform";

const root = path.resolve(__dirname, "..", "..");
const WORKFLOW_FILE = path.join(root, "examples", "ci", "github-actions.yml");
const README_FILE = path.join(root, "examples", "ci", "README.md");

// ---- The workflow, as GitHub reads it.

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
}
interface Concurrency {
  readonly group: string;
  readonly "cancel-in-progress"?: boolean | string;
}
interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly permissions?: Record<string, string> | string;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?: Concurrency | string;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, { readonly branches?: string[] } | null>;
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: Concurrency | string;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** A shell command of a `run:` step: its words, and where it is. */
interface Command {
  readonly job: string;
  readonly step: number;
  readonly words: string[];
  readonly text: string;
}

const CONFIGURE_AWS_CREDENTIALS = "aws-actions/configure-aws-credentials";

/** Words of a shell command line: whitespace-separated, with '...' and "..." quoting (no expansion). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The simple commands of a run script: lines joined at trailing "\", split at ;, && and ||, comments dropped. */
function commandsOf(script: string): string[] {
  return script
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.replace(/(^|\s)#.*$/, ""))
    .flatMap((l) => l.split(/&&|\|\||;/))
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function loadWorkflow(): Workflow {
  const wf = yaml.load(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
  // YAML 1.1 parsers read a bare `on` as true; js-yaml (YAML 1.2) and GitHub keep it a key.
  if (!wf || typeof wf.on !== "object" || !wf.jobs) throw new Error(`${WORKFLOW_FILE}: expected a workflow with "on" and "jobs"`);
  return wf;
}

const isNpmTest = (w: string[]) => w[0] === "npm" && (w[1] === "test" || w[1] === "t" || (w[1] === "run" && w[2] === "test"));
/** `npx cdktf ...` or `cdktf ...`: the arguments after "cdktf", else undefined. */
const cdktfArgs = (w: string[]): string[] | undefined => (w[0] === "npx" && w[1] === "cdktf" ? w.slice(2) : w[0] === "cdktf" ? w.slice(1) : undefined);

// ---- The cdktf CLI, as the installed cdktf-cli describes itself.

interface CliOption {
  readonly name: string;
  readonly short?: string;
  readonly type: string;
}
interface CliCommand {
  readonly name: string;
  readonly aliases: string[];
  /** Positional placeholders of the usage line, e.g. ["[stack]"] or ["[stacks...]"]. */
  readonly positionals: string[];
  readonly options: CliOption[];
}

function cdktfBin(): string {
  const pkgFile = require.resolve("cdktf-cli/package.json", { paths: [root] });
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version: string; bin: Record<string, string> };
  return path.join(path.dirname(pkgFile), pkg.bin.cdktf);
}

function cdktfHelp(args: string[]): string {
  const r = spawnSync(process.execPath, [cdktfBin(), ...args, "--help"], { cwd: root, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" }, timeout: 60000 });
  if (r.status !== 0) throw new Error(`cdktf ${args.join(" ")} --help failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** Subcommands and aliases from `cdktf --help`. */
function parseTopHelp(help: string): Map<string, string> {
  const byName = new Map<string, string>();
  for (const line of help.split("\n")) {
    const m = /^\s+cdktf ([a-z][\w-]*)\b.*?(?:\[aliases: ([^\]]+)\])?\s*$/.exec(line);
    if (!m) continue;
    byName.set(m[1], m[1]);
    for (const alias of (m[2] ?? "").split(",").map((a) => a.trim()).filter(Boolean)) byName.set(alias, m[1]);
  }
  return byName;
}

/** Usage line and options from `cdktf <command> --help`. */
function parseCommandHelp(name: string, help: string): CliCommand {
  const lines = help.split("\n");
  const usage = lines.find((l) => l.startsWith(`cdktf ${name}`));
  if (!usage) throw new Error(`cdktf ${name} --help has no usage line "cdktf ${name} ...":\n${help}`);
  const positionals = usage.slice(`cdktf ${name}`.length).trim().split(/\s+/).filter((t) => /^[[<]/.test(t));
  // An option starts a line with "-x, --name" or "--name"; its description (and type) may wrap onto following lines.
  const blocks: string[] = [];
  for (const line of lines) {
    if (/^\s+(-\w, )?--[\w-]+/.test(line)) blocks.push(line);
    else if (blocks.length > 0 && /^\s{6,}\S/.test(line)) blocks[blocks.length - 1] += " " + line.trim();
  }
  const options = blocks.map((b) => {
    const m = /^\s+(?:-(\w), )?--([\w-]+)/.exec(b)!;
    const type = /\[(boolean|string|number|array|count)\]/.exec(b)?.[1] ?? "unknown";
    return { name: m[2], short: m[1], type };
  });
  if (!options.some((o) => o.name === "help")) throw new Error(`could not read the options of cdktf ${name} --help:\n${help}`);
  return { name, aliases: [], positionals, options };
}

/** Problems of one `cdktf` invocation against the CLI's help and the app's stacks; also returns the stacks it names. */
function checkCdktf(args: string[], where: string, cli: { commands: Map<string, string>; command: (name: string) => CliCommand }, stackNames: string[]): { problems: string[]; command?: string; positionals: string[]; flags: string[] } {
  const problems: string[] = [];
  const given = args[0];
  const name = given === undefined ? undefined : cli.commands.get(given);
  if (!name) {
    return { problems: [`${where}: "cdktf ${args.join(" ")}": "${given}" is not a cdktf subcommand; cdktf --help lists ${[...new Set(cli.commands.values())].join(", ")}`], positionals: [], flags: [] };
  }
  const cmd = cli.command(name);
  const positionals: string[] = [];
  const flags: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const [flag, inline] = a.slice(2).split("=", 2);
      let opt = cmd.options.find((o) => o.name === flag);
      // yargs accepts --no-<name> for a boolean option.
      if (!opt && flag.startsWith("no-")) opt = cmd.options.find((o) => o.name === flag.slice(3) && o.type === "boolean");
      if (!opt) {
        problems.push(`${where}: "cdktf ${args.join(" ")}": cdktf ${name} has no option --${flag}; cdktf ${name} --help lists ${cmd.options.map((o) => `--${o.name}`).join(", ")}`);
        continue;
      }
      flags.push(opt.name);
      if (opt.type !== "boolean" && inline === undefined) i++; // the option's value
    } else if (/^-\w$/.test(a)) {
      const opt = cmd.options.find((o) => o.short === a.slice(1));
      if (!opt) problems.push(`${where}: "cdktf ${args.join(" ")}": cdktf ${name} has no option ${a}`);
      else {
        flags.push(opt.name);
        if (opt.type !== "boolean") i++;
      }
    } else positionals.push(a);
  }
  const variadic = cmd.positionals.some((p) => p.includes(".."));
  if (!variadic && positionals.length > cmd.positionals.length) {
    problems.push(
      `${where}: "cdktf ${args.join(" ")}": cdktf ${name} takes ${cmd.positionals.length === 0 ? "no positional argument" : `at most ${cmd.positionals.length} (${cmd.positionals.join(" ")})`} ` +
        `but is given ${positionals.length} (${positionals.join(" ")}); run it once per stack`,
    );
  }
  // Stacks: commands with a single [stack] match the name exactly; [stacks...] takes glob patterns (minimatch).
  if (cmd.positionals.some((p) => /stack/.test(p))) {
    for (const p of positionals) {
      if (!variadic) {
        if (!stackNames.includes(p)) problems.push(`${where}: "cdktf ${args.join(" ")}": cdktf ${name} takes one stack named exactly (no patterns); "${p}" is not one of ${stackNames.join(", ")}`);
      } else if (/[[\]{}!+@()]/.test(p)) {
        problems.push(`${where}: "cdktf ${args.join(" ")}": stack pattern "${p}" uses glob syntax this test does not evaluate; use names, "*" or "?"`);
      } else if (!stackNames.some((s) => globMatch(p, s))) {
        problems.push(`${where}: "cdktf ${args.join(" ")}": "${p}" matches no stack of the app (${stackNames.join(", ")})`);
      }
    }
  }
  return { problems, command: name, positionals, flags };
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.^$|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  return re.test(name);
}

// ---- GitHub OIDC: the subject a job's token carries, and the subjects a role trusts.

interface TrustPolicy {
  readonly Statement: Array<{ readonly Condition?: Record<string, Record<string, string | string[]>> }>;
}

function trustedSubjects(assumeRolePolicy: string): { subjects: string[]; like: boolean } {
  const policy = JSON.parse(assumeRolePolicy) as TrustPolicy;
  const subjects: string[] = [];
  let like = false;
  for (const s of policy.Statement) {
    for (const [op, byKey] of Object.entries(s.Condition ?? {})) {
      const v = byKey[`${GITHUB_OIDC_HOST}:sub`];
      if (v === undefined) continue;
      if (op === "StringLike") like = true;
      subjects.push(...(Array.isArray(v) ? v : [v]));
    }
  }
  return { subjects, like };
}

function subjectAdmitted(subject: string, trusted: { subjects: string[]; like: boolean }): boolean {
  return trusted.subjects.some((t) => (trusted.like ? new RegExp(`^${t.replace(/[.+^$|\\()[\]{}]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(subject) : t === subject));
}

/** The events a job runs on: the workflow's triggers, narrowed by `github.event_name == '...'` in the job's `if`. */
function eventsOf(wf: Workflow, job: Job): string[] {
  const triggers = Object.keys(wf.on);
  const pinned = [...(job.if ?? "").matchAll(/github\.event_name\s*==\s*'([^']+)'/g)].map((m) => m[1]);
  if (job.if?.includes("||")) throw new Error(`job if "${job.if}" contains "||"; this test reads only conditions joined with &&`);
  return pinned.length === 0 ? triggers : triggers.filter((t) => pinned.every((p) => p === t));
}

/** Branches a push job runs for: on.push.branches, narrowed by `github.ref == 'refs/heads/...'`. */
function pushBranchesOf(wf: Workflow, job: Job): string[] {
  const branches = wf.on.push?.branches ?? [];
  const refs = [...(job.if ?? "").matchAll(/github\.ref\s*==\s*'refs\/heads\/([^']+)'/g)].map((m) => m[1]);
  return refs.length === 0 ? branches : branches.filter((b) => refs.includes(b));
}

function subjectsOfJob(wf: Workflow, job: Job, repository: string): string[] {
  const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
  if (env !== undefined) return [`repo:${repository}:environment:${env}`];
  return eventsOf(wf, job).flatMap((e) => {
    if (e === "pull_request") return [`repo:${repository}:pull_request`];
    if (e === "push") return pushBranchesOf(wf, job).map((b) => `repo:${repository}:ref:refs/heads/${b}`);
    return [`repo:${repository}:<${e} event>`];
  });
}

const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

function allNeeds(wf: Workflow, name: string, seen = new Set<string>()): Set<string> {
  for (const n of needsOf(wf.jobs[name])) {
    if (!seen.has(n)) {
      seen.add(n);
      allNeeds(wf, n, seen);
    }
  }
  return seen;
}

const permissionsOf = (wf: Workflow, job: Job) => job.permissions ?? wf.permissions;

// ---- The suite.

describe("examples/ci/github-actions.yml", () => {
  const wf = loadWorkflow();
  const readme = fs.readFileSync(README_FILE, "utf8");
  const raw = fs.readFileSync(WORKFLOW_FILE, "utf8");
  let stacks: SynthesizedStack[];
  let dependencies: Record<string, string[]>;
  let bootstrap: SynthesizedStack["json"];

  const commands: Command[] = Object.entries(wf.jobs).flatMap(([job, j]) =>
    j.steps.flatMap((s, step) => (s.run ? commandsOf(s.run).map((text) => ({ job, step, text, words: shellWords(text) })) : [])),
  );
  const cdktfCommands = commands.flatMap((c) => {
    const args = cdktfArgs(c.words);
    return args ? [{ ...c, args }] : [];
  });
  const credentialSteps = Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.map((s, step) => ({ job, step, s })).filter((x) => x.s.uses?.split("@")[0] === CONFIGURE_AWS_CREDENTIALS));

  const cliCache = new Map<string, CliCommand>();
  let cli: { commands: Map<string, string>; command: (name: string) => CliCommand };

  beforeAll(() => {
    const synth = synthApp((app) => buildReferencePlatform(app));
    stacks = synth.stacks;
    const manifest = JSON.parse(fs.readFileSync(path.join(synth.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
    dependencies = Object.fromEntries(Object.entries(manifest.stacks).map(([k, v]) => [k, v.dependencies]));
    bootstrap = stacks.find((s) => s.name === "bootstrap")!.json;
    cli = {
      commands: parseTopHelp(cdktfHelp([])),
      command: (name) => {
        if (!cliCache.has(name)) cliCache.set(name, parseCommandHelp(name, cdktfHelp([name])));
        return cliCache.get(name)!;
      },
    };
  });

  /** The bootstrap stack's role outputs: output name -> the role's trusted subjects. */
  function roleOutputs(): Array<{ output: string; role: string; trusted: { subjects: string[]; like: boolean } }> {
    const roles = bootstrap.resource.aws_iam_role as Record<string, { assume_role_policy: string }>;
    return Object.entries((bootstrap.output ?? {}) as Record<string, { value: string }>).flatMap(([output, o]) => {
      const m = /^\$\{aws_iam_role\.([^.]+)\.arn\}$/.exec(String(o.value));
      return m && roles[m[1]] ? [{ output, role: m[1], trusted: trustedSubjects(roles[m[1]].assume_role_policy) }] : [];
    });
  }

  /** `role-to-assume: ${{ vars.NAME }}` -> the bootstrap output of GithubDeployRole "<name>" (NAME = <NAME>_ROLE_ARN). */
  function roleOfVariable(variable: string) {
    const id = /^([A-Z0-9_]+)_ROLE_ARN$/.exec(variable)?.[1].toLowerCase();
    const outputs = roleOutputs();
    const found = id === undefined ? undefined : outputs.find((o) => new RegExp(`^${id}_role-arn_[0-9A-F]{8}$`).test(o.output));
    if (!found) {
      throw new Error(
        `role-to-assume uses vars.${variable}, but the bootstrap stack has no matching role output. The convention is vars.<ID>_ROLE_ARN for the ` +
          `GithubDeployRole with construct id <id> (output <id>_role-arn_<hash>); the bootstrap stack's role outputs are ${outputs.map((o) => o.output).join(", ")}. ` +
          `Rename the variable here and in examples/ci/README.md, or the construct in examples/reference-platform/main.ts.`,
      );
    }
    return found;
  }

  function repositoryOf(): string {
    const repos = new Set(roleOutputs().flatMap((o) => o.trusted.subjects.map((s) => /^repo:([^:]+):/.exec(s)?.[1] ?? "?")));
    if (repos.size !== 1) throw new Error(`the bootstrap roles trust ${repos.size} repositories (${[...repos].join(", ")}); expected one`);
    return [...repos][0];
  }

  it("runs on pull requests and pushes to main only (no pull_request_target, which runs with the base repository's credentials)", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push"]);
    expect(wf.on.push?.branches).toEqual(["main"]);
  });

  it("uses only cdktf subcommands, options and stack arguments the installed cdktf CLI accepts", () => {
    const stackNames = stacks.map((s) => s.name);
    expect(cdktfCommands.length).toBeGreaterThan(0);
    const problems = cdktfCommands.flatMap((c) => checkCdktf(c.args, `job ${c.job}, step ${c.step + 1}`, cli, stackNames).problems);
    expect(problems).toEqual([]);
  });

  it("reads the help text it checks against (sanity check of the parser on cdktf diff and deploy)", () => {
    const diff = cli.command("diff");
    const deploy = cli.command("deploy");
    expect(diff.positionals).toEqual(["[stack]"]);
    expect(deploy.positionals.length).toBe(1);
    expect(deploy.positionals[0]).toMatch(/^\[stacks\.\.\.?\]$/);
    expect(deploy.options.find((o) => o.name === "auto-approve")?.type).toBe("boolean");
    expect(diff.options.find((o) => o.name === "skip-synth")?.type).toBe("boolean");
    // A wrong command is reported, with the valid ones.
    expect(checkCdktf(["plan-all"], "x", cli, ["a"]).problems[0]).toMatch(/"plan-all" is not a cdktf subcommand; cdktf --help lists .*deploy/);
    expect(checkCdktf(["diff", "a", "b"], "x", cli, ["a", "b"]).problems[0]).toMatch(/takes at most 1 \(\[stack\]\) but is given 2/);
    expect(checkCdktf(["diff", "*"], "x", cli, ["a", "b"]).problems[0]).toMatch(/one stack named exactly/);
    expect(checkCdktf(["deploy", "*", "--yes"], "x", cli, ["a"]).problems[0]).toMatch(/has no option --yes/);
  });

  it("diffs on pull requests and deploys on main the same stacks: those whose state is in the bootstrap's state bucket, never bootstrap itself", () => {
    const stackNames = stacks.map((s) => s.name);
    const named = (cmd: string) =>
      new Set(
        cdktfCommands
          .map((c) => ({ c, r: checkCdktf(c.args, "", cli, stackNames) }))
          .filter((x) => x.r.command === cmd)
          .flatMap((x) => (x.r.positionals.length ? x.r.positionals : ["<none>"]).flatMap((p) => stackNames.filter((s) => globMatch(p, s)))),
      );
    const bucket = (Object.values(bootstrap.resource.aws_s3_bucket) as Array<{ bucket?: string }>).map((b) => b.bucket).filter((b): b is string => b !== undefined);
    const inStateBucket = stacks.filter((s) => bucket.includes((s.json.terraform as { backend?: { s3?: { bucket: string } } }).backend?.s3?.bucket ?? "")).map((s) => s.name).sort();
    expect(inStateBucket).toEqual(["addons", "platform", "serving"]);
    expect({ diffed: [...named("diff")].sort(), deployed: [...named("deploy")].sort() }).toEqual({ diffed: inStateBucket, deployed: inStateBucket });
    // cdktf deploy refuses a list that leaves out a dependency; catch it here rather than on main.
    const deployed = named("deploy");
    const missing = [...deployed].flatMap((s) => dependencies[s].filter((d) => !deployed.has(d)).map((d) => `${s} needs ${d}`));
    expect(missing).toEqual([]);
  });

  it("deploys with --auto-approve and diffs with --skip-synth only after a cdktf synth in the same job", () => {
    const deploys = cdktfCommands.filter((c) => cli.commands.get(c.args[0]) === "deploy");
    expect(deploys.length).toBe(1);
    expect(deploys[0].args).toContain("--auto-approve");
    for (const c of cdktfCommands.filter((x) => x.args.includes("--skip-synth"))) {
      const synthBefore = cdktfCommands.some((s) => s.job === c.job && s.step < c.step && cli.commands.get(s.args[0]) === "synth");
      expect({ command: c.text, synthBefore }).toEqual({ command: c.text, synthBefore: true });
    }
  });

  it("assumes, in each job, the bootstrap role whose trust policy admits that job's OIDC subject", () => {
    const repository = repositoryOf();
    expect(credentialSteps.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const { job, s } of credentialSteps) {
      const value = String(s.with?.["role-to-assume"] ?? "");
      const variable = /^\$\{\{\s*vars\.([A-Za-z0-9_]+)\s*\}\}$/.exec(value)?.[1];
      if (!variable) {
        problems.push(`job ${job}: role-to-assume is "${value}"; give the ARN as a repository variable, \${{ vars.<ID>_ROLE_ARN }}`);
        continue;
      }
      const role = roleOfVariable(variable);
      for (const subject of subjectsOfJob(wf, wf.jobs[job], repository)) {
        if (!subjectAdmitted(subject, role.trusted)) {
          problems.push(`job ${job} presents OIDC subject "${subject}", but vars.${variable} (bootstrap output ${role.output}) names a role that trusts only ${role.trusted.subjects.join(", ")}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("takes the pull-request job's credentials from the role trusting pull_request and the main job's from the role trusting only the production environment, and triggers on both", () => {
    const repository = repositoryOf();
    const outputs = roleOutputs();
    const prRole = outputs.filter((o) => o.trusted.subjects.includes(`repo:${repository}:pull_request`));
    const mainRole = outputs.filter((o) => o.trusted.subjects.includes(`repo:${repository}:environment:production`));
    expect(mainRole.map((o) => o.trusted.subjects)).toEqual([[`repo:${repository}:environment:production`]]);
    expect({ pr: prRole.map((o) => o.output), main: mainRole.map((o) => o.output) }).toEqual({ pr: [expect.stringMatching(/^plan_role-arn_/)], main: [expect.stringMatching(/^deploy_role-arn_/)] });
    // Every role the bootstrap creates is used, by jobs that run on exactly the event its trust names.
    const used = credentialSteps.map(({ job, s }) => {
      const variable = /vars\.([A-Za-z0-9_]+)/.exec(String(s.with?.["role-to-assume"]))?.[1] ?? "";
      return { job, output: roleOfVariable(variable).output, events: eventsOf(wf, wf.jobs[job]), branches: pushBranchesOf(wf, wf.jobs[job]) };
    });
    expect(used.filter((u) => u.output === prRole[0].output).map((u) => u.events)).toEqual([["pull_request"]]);
    expect(used.filter((u) => u.output === mainRole[0].output).map((u) => ({ events: u.events, branches: u.branches }))).toEqual([{ events: ["push"], branches: ["main"] }]);
    // The subjects the roles trust are ones this workflow's triggers produce.
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect(wf.on.push?.branches).toContain("main");
  });

  it("gives both CI roles Kubernetes access (an EKS access entry in the platform stack): the deploy role admin, the plan role read-only", () => {
    const roles = bootstrap.resource.aws_iam_role as Record<string, { name?: string; assume_role_policy: string }>;
    const platform = stacks.find((s) => s.name === "platform")!.json;
    const entryResources = platform.resource.aws_eks_access_entry as Record<string, { principal_arn: string }>;
    const entries = Object.values(entryResources).map((e) => e.principal_arn);
    // Associations name the entry's principal_arn by reference: resolve it.
    const associations = Object.values(platform.resource.aws_eks_access_policy_association as Record<string, { principal_arn: string; policy_arn: string }>).map((a) => {
      const ref = /^\$\{aws_eks_access_entry\.([^.]+)\.principal_arn\}$/.exec(a.principal_arn);
      return { ...a, principal_arn: ref ? entryResources[ref[1]].principal_arn : a.principal_arn };
    });
    for (const o of roleOutputs()) {
      const name = roles[o.role].name;
      expect({ role: o.output, name }).toEqual({ role: o.output, name: expect.stringMatching(/^github-(deploy|plan)-/) });
      const arn = entries.find((e) => e.endsWith(`:role/${name}`));
      if (!arn) throw new Error(`the CI role ${name} (${o.output}) has no EKS access entry in the platform stack: kubernetes and helm calls from CI would be Unauthorized. Add cluster.grantAccess(...) for it.`);
      const policy = associations.find((a) => a.principal_arn === arn)!.policy_arn;
      const pullRequests = o.trusted.subjects.some((sub) => sub.endsWith(":pull_request"));
      expect({ role: name, policy }).toEqual({ role: name, policy: expect.stringMatching(pullRequests ? /AmazonEKSAdminViewPolicy$/ : /AmazonEKSClusterAdminPolicy$/) });
    }
  });

  it("documents which bootstrap output goes into which repository variable", () => {
    const missing: string[] = [];
    for (const { s } of credentialSteps) {
      const variable = /vars\.([A-Za-z0-9_]+)/.exec(String(s.with?.["role-to-assume"]))?.[1] ?? "";
      const { output } = roleOfVariable(variable);
      if (!readme.split("\n").some((l) => l.includes(output) && l.includes(variable))) missing.push(`examples/ci/README.md has no line naming both ${output} and ${variable}`);
      if (!raw.includes(output)) missing.push(`the workflow's comments do not name bootstrap output ${output} (for vars.${variable})`);
    }
    expect(missing).toEqual([]);
  });

  it("never runs the deploy job on pull requests, and no job that assumes a role names a GitHub environment the role does not trust", () => {
    const deployJobs = [...new Set(cdktfCommands.filter((c) => ["deploy", "destroy"].includes(cli.commands.get(c.args[0]) ?? "")).map((c) => c.job))];
    expect(deployJobs).toEqual(["deploy"]);
    for (const job of deployJobs) {
      const j = wf.jobs[job];
      expect({ job, if: j.if }).toEqual({ job, if: expect.stringMatching(/github\.event_name\s*==\s*'push'/) });
      expect({ job, if: j.if }).toEqual({ job, if: expect.stringMatching(/github\.ref\s*==\s*'refs\/heads\/main'/) });
      expect({ job, events: eventsOf(wf, j) }).toEqual({ job, events: ["push"] });
    }
    // The deploy job waits for the production environment's reviewers; the pull-request diff names no environment.
    expect(Object.fromEntries(credentialSteps.map(({ job }) => [job, wf.jobs[job].environment]))).toEqual({ diff: undefined, deploy: "production" });
  });

  it("runs npm test before any step that deploys or talks to AWS: earlier in the same job, or in a job it needs", () => {
    const testJobs = new Set(commands.filter((c) => isNpmTest(c.words)).map((c) => c.job));
    expect(testJobs.size).toBeGreaterThan(0);
    const awsSteps = [
      ...credentialSteps.map(({ job, step }) => ({ job, step, what: CONFIGURE_AWS_CREDENTIALS })),
      ...cdktfCommands.filter((c) => ["deploy", "destroy", "diff"].includes(cli.commands.get(c.args[0]) ?? "")).map((c) => ({ job: c.job, step: c.step, what: c.text })),
    ];
    const problems: string[] = [];
    for (const a of awsSteps) {
      const sameJob = commands.some((c) => c.job === a.job && c.step < a.step && isNpmTest(c.words));
      const needed = [...allNeeds(wf, a.job)].filter((n) => testJobs.has(n));
      // A needed job gates this one only if it runs for the same events and this job does not run after its failure.
      const gated = needed.some((n) => wf.jobs[n].if === undefined) && !/\b(always|failure|cancelled)\(\)/.test(wf.jobs[a.job].if ?? "");
      if (!sameJob && !gated) problems.push(`job ${a.job} step "${a.what}" runs without npm test before it (in the job, or in a job listed in needs)`);
    }
    expect(problems).toEqual([]);
  });

  it("grants id-token: write to every job that assumes a role, and writes nothing else", () => {
    const problems: string[] = [];
    for (const { job } of credentialSteps) {
      const p = permissionsOf(wf, wf.jobs[job]);
      if (typeof p !== "object" || p["id-token"] !== "write") problems.push(`job ${job} uses ${CONFIGURE_AWS_CREDENTIALS} but its permissions (${JSON.stringify(p)}) lack id-token: write`);
    }
    for (const [job, j] of Object.entries(wf.jobs)) {
      const p = permissionsOf(wf, j);
      if (typeof p !== "object") problems.push(`job ${job}: permissions ${JSON.stringify(p)}; list them (contents: read, id-token: write where needed)`);
      else for (const [scope, level] of Object.entries(p)) if (level === "write" && scope !== "id-token") problems.push(`job ${job}: ${scope}: write is not needed`);
    }
    expect(typeof wf.permissions === "object" && wf.permissions["contents"]).toBe("read");
    expect(problems).toEqual([]);
  });

  it("pins every action to a full commit SHA, with the release tag in a comment", () => {
    const uses = Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.filter((s) => s.uses && !s.uses.startsWith("./")).map((s) => ({ job, uses: s.uses! })));
    expect(uses.length).toBeGreaterThan(0);
    const unpinned = uses.filter((u) => !/^[\w.-]+\/[\w.\/-]+@[0-9a-f]{40}$/.test(u.uses)).map((u) => `job ${u.job}: ${u.uses}`);
    expect(unpinned).toEqual([]);
    const untagged = [...new Set(uses.map((u) => u.uses))].filter((u) => !new RegExp(`uses: ${u.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # v\\d+\\.\\d+\\.\\d+\\s*$`, "m").test(raw));
    expect(untagged).toEqual([]);
    // One version of each action throughout.
    const byAction = new Map<string, Set<string>>();
    for (const u of uses) byAction.set(u.uses.split("@")[0], (byAction.get(u.uses.split("@")[0]) ?? new Set()).add(u.uses));
    expect([...byAction].filter(([, v]) => v.size > 1).map(([k]) => k)).toEqual([]);
  });

  it("checks out without persisting the token in .git/config", () => {
    const checkouts = Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => ({ job, persist: s.with?.["persist-credentials"] })));
    expect(checkouts.length).toBe(Object.keys(wf.jobs).length);
    for (const c of checkouts) expect(c).toEqual({ job: c.job, persist: false });
  });

  it("plans pull requests without the state lock and without refresh (which would read secret values)", () => {
    const diffJobs = [...new Set(cdktfCommands.filter((c) => cli.commands.get(c.args[0]) === "diff").map((c) => c.job))];
    expect(diffJobs).toEqual(["diff"]);
    for (const job of diffJobs) {
      const args = String(wf.jobs[job].env?.TF_CLI_ARGS_plan ?? "").split(/\s+/);
      expect({ job, args }).toEqual({ job, args: expect.arrayContaining(["-lock=false", "-refresh=false"]) });
      // Not in a step's env, where another step could lose it.
      for (const s of wf.jobs[job].steps) expect((s as { env?: Record<string, string> }).env?.TF_CLI_ARGS_plan).toBeUndefined();
    }
    // The deploy plans and applies with the lock and a refresh.
    expect(JSON.stringify(wf.jobs.deploy)).not.toMatch(/-lock=false|-refresh=false|TF_CLI_ARGS/);
    expect(JSON.stringify(wf.env ?? {})).not.toMatch(/TF_CLI_ARGS/);
  });

  it("passes action-validator, a GitHub Actions workflow linter (@action-validator/core: SchemaStore's workflow schema), with no finding", () => {
    const result = validateWorkflow(raw);
    expect(result.errors).toEqual([]);
    // The linter does find mistakes: a misspelt key.
    expect(validateWorkflow(raw.replace("timeout-minutes: 30", "timeout-minuts: 30")).errors.length).toBeGreaterThan(0);
  });

  it("installs Terraform 1.11.x without the wrapper, Node 22 with the npm cache, and the provider version the tests bind", () => {
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const tf = steps.filter((s) => s.uses?.startsWith("hashicorp/setup-terraform@"));
    expect(tf.length).toBe(Object.keys(wf.jobs).length);
    for (const s of tf) {
      // 1.10+ for the S3 backend's use_lockfile; 1.11 is what the suite runs with.
      expect(String(s.with?.terraform_version)).toMatch(/^1\.11\.\d+$/);
      expect(String(s.with?.terraform_wrapper)).toBe("false");
    }
    const node = steps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node.length).toBe(Object.keys(wf.jobs).length);
    // Node 20 reached its end of life; dependencies (kubernetes-models) declare node >= 22.
    for (const s of node) expect({ node: String(s.with?.["node-version"]), cache: s.with?.cache }).toEqual({ node: "22", cache: "npm" });
    expect(raw).toContain(`version = "${AWS_PROVIDER_VERSION}"`);
    expect(steps.filter((s) => s.run && commandsOf(s.run).some((c) => shellWords(c).join(" ") === "npm ci")).length).toBe(Object.keys(wf.jobs).length);
  });

  it("uses the region of the state backend and of the stacks' AWS provider", () => {
    const regions = new Set(stacks.map((s) => (s.json.terraform as { backend?: { s3?: { region: string } } }).backend?.s3?.region).filter(Boolean));
    expect([...regions]).toEqual(["us-east-1"]);
    for (const { job, s } of credentialSteps) expect({ job, region: s.with?.["aws-region"] }).toEqual({ job, region: "us-east-1" });
  });

  it("never runs two deploys at once, and never cancels a running one", () => {
    const deploy = wf.jobs.deploy;
    expect(typeof deploy.concurrency).toBe("object");
    const c = deploy.concurrency as Concurrency;
    // A constant group: one expression per run (e.g. github.sha) would not serialize anything.
    expect(c.group).not.toMatch(/\$\{\{/);
    expect(c["cancel-in-progress"]).toBe(false);
    // The workflow-level group cancels superseded pull-request runs only.
    const w = wf.concurrency as Concurrency;
    expect(String(w["cancel-in-progress"])).toMatch(/github\.event_name == 'pull_request'/);
  });
});
