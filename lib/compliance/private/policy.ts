import type { ResourceView, StackView } from "../rule-model";
import { Block, blocks, stringsOf } from "./attributes";
import { parseJsonencode } from "./hcl-literal";
import { parseTemplateJson } from "./template-json";

/** One IAM statement, normalised: every list field is an array. */
export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  /** Principals by kind ("AWS", "Service", "Federated", "*" for a bare "*"). */
  readonly principals: Record<string, string[]>;
  readonly conditions: Record<string, Record<string, string[]>>;
}

/**
 * The statements of a policy document (JSON text, possibly a Terraform template, or `${jsonencode({...})}` as
 * cdktf synthesizes Fn.jsonencode), or undefined when it cannot be read (its statements are known only at apply).
 */
export function statementsOf(policy: unknown): Statement[] | undefined {
  const doc = parseTemplateJson(policy) ?? parseJsonencode(policy);
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const raw = [doc.Statement ?? []].flat() as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // A statement list or statement that is itself an expression (e.g. jsonencode({ Statement = local.statements })).
  if (raw.some((s) => !s || typeof s !== "object" || Array.isArray(s))) return undefined;
  return raw.map((s) => {
    const principals: Record<string, string[]> = {};
    if (s.Principal === "*") principals["*"] = ["*"];
    else for (const [k, v] of Object.entries(s.Principal ?? {})) principals[k] = stringsOf(v);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, keys] of Object.entries(s.Condition ?? {})) {
      conditions[op] = {};
      for (const [k, v] of Object.entries(keys as Record<string, unknown>)) conditions[op][k] = stringsOf(v);
    }
    return {
      sid: s.Sid,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: stringsOf(s.Action),
      notActions: stringsOf(s.NotAction),
      resources: stringsOf(s.Resource),
      principals,
      conditions,
    };
  });
}

/** True when the statement's principal admits everyone ("*" or AWS "*"). */
export function hasWildcardPrincipal(s: Statement): boolean {
  return "*" in s.principals || (s.principals.AWS ?? []).includes("*");
}

/** True when the statement carries any condition. */
export function isConditioned(s: Statement): boolean {
  return Object.keys(s.conditions).length > 0;
}

/** A condition value by key, case-insensitive on operator and key. */
export function conditionValues(s: Statement, operator: string, key: string): string[] | undefined {
  for (const [op, keys] of Object.entries(s.conditions)) {
    if (op.toLowerCase() !== operator.toLowerCase()) continue;
    for (const [k, v] of Object.entries(keys)) if (k.toLowerCase() === key.toLowerCase()) return v;
  }
  return undefined;
}

/** A statement for a message: its Sid in quotes, or its position in the policy (`index` counts from 0). */
export function statementName(s: Statement, index: number): string {
  return s.sid ? `"${s.sid}"` : `#${index + 1}`;
}

/**
 * True when a condition confines the statement to the named scoping `keys` (lower case, e.g. "aws:sourceaccount"):
 * an operator that is neither negated (admits everyone else) nor IfExists (admits requests without the key),
 * with values that are all concrete (not "" or "*").
 */
export function isScopedBy(s: Statement, keys: readonly string[]): boolean {
  return Object.entries(s.conditions).some(([op, byKey]) => {
    const o = op.toLowerCase();
    if (o.includes("not") || o.endsWith("ifexists")) return false;
    return Object.entries(byKey).some(([k, values]) => keys.includes(k.toLowerCase()) && values.length > 0 && values.every(isConcrete));
  });
}

/** A condition value that names something: not "", "*", or an ARN whose account is a wildcard (`arn:aws:iam::*:role/x`). */
const isConcrete = (v: string): boolean => v.trim() !== "" && v.trim() !== "*" && !/^arn:[^:]*:[^:]*:[^:]*:\*/.test(v.trim());

/**
 * Condition keys that confine a statement's principals to an organization, an account, a principal, a network or a
 * source resource, so that a wildcard principal is not the public (lower case). The list follows checkov's
 * S3AllowsAnyPrincipal (checkov@03d5fdad:checkov/terraform/checks/resource/aws/S3AllowsAnyPrincipal.py, `check_conditions`),
 * plus aws:SourceAccount, aws:SourceArn, aws:SourceOwner and the aws:SourceOrg* keys with which services are scoped.
 */
export const PRINCIPAL_SCOPING_KEYS: readonly string[] = [
  "aws:principalarn",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:userid",
  "aws:sourcevpce",
  "aws:sourcevpc",
  "aws:vpceaccount",
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:ec2instancesourcevpc",
  "ec2:sourceinstancearn",
  "lambda:sourcefunctionarn",
  "ssm:sourceinstancearn",
  "kms:calleraccount",
];

/** True when a condition confines the statement's principals (see PRINCIPAL_SCOPING_KEYS and isScopedBy). */
export const isPrincipalScoped = (s: Statement): boolean => isScopedBy(s, PRINCIPAL_SCOPING_KEYS);

/**
 * True when the statement is an Allow that everyone may use: a wildcard principal ("*" or AWS "*") that no
 * scoping condition confines. The one definition of "public" for the S3, ECR, SNS, KMS and IAM trust rules.
 */
export const isPublicAllow = (s: Statement): boolean => s.effect === "Allow" && hasWildcardPrincipal(s) && !isPrincipalScoped(s);

/**
 * True when the statement denies everyone (`actions`, lower case, e.g. ["s3:*", "*"]) over plain HTTP:
 * a Deny for principal "*" with Bool or BoolIfExists aws:SecureTransport = "false" (IfExists also denies requests without the key).
 */
export function deniesInsecureTransport(s: Statement, actions: readonly string[]): boolean {
  if (s.effect !== "Deny" || !hasWildcardPrincipal(s)) return false;
  if (!s.actions.some((a) => actions.includes(a.toLowerCase()))) return false;
  const secure = [...(conditionValues(s, "Bool", "aws:SecureTransport") ?? []), ...(conditionValues(s, "BoolIfExists", "aws:SecureTransport") ?? [])];
  return secure.some((v) => v.toLowerCase() === "false");
}

/** One statement block of a data.aws_iam_policy_document, as a Statement. */
function statementOfBlock(b: Block): Statement {
  const principals: Record<string, string[]> = {};
  for (const p of blocks(b.principals)) principals[String(p.type)] = [...(principals[String(p.type)] ?? []), ...stringsOf(p.identifiers)];
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const c of blocks(b.condition)) {
    const byKey = (conditions[String(c.test)] ??= {});
    byKey[String(c.variable)] = [...(byKey[String(c.variable)] ?? []), ...stringsOf(c.values)];
  }
  return {
    sid: typeof b.sid === "string" ? b.sid : undefined,
    effect: b.effect === "Deny" ? "Deny" : "Allow",
    actions: stringsOf(b.actions),
    notActions: stringsOf(b.not_actions),
    resources: stringsOf(b.resources),
    principals,
    conditions,
  };
}

/**
 * The statements of a policy attribute: IAM JSON (with Terraform interpolations), or a reference to a
 * data.aws_iam_policy_document of the stack, read from its blocks (with its source and override
 * documents, whose statements are all kept: a superset, which only errs towards reporting).
 * Undefined when the policy cannot be read at synth time (variables, other stacks, jsonencode() of values known only at apply).
 */
export function readPolicyStatements(stack: StackView, value: unknown, seen: Set<string> = new Set()): Statement[] | undefined {
  const direct = statementsOf(value);
  if (direct) return direct;
  const match = typeof value === "string" ? /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.(json|minified_json)\}$/.exec(value.trim()) : null;
  if (!match) return undefined;
  const doc = stack.resources.find((r) => r.mode === "data" && r.type === "aws_iam_policy_document" && r.name === match[1]);
  return doc ? documentStatements(stack, doc, seen) : undefined;
}

/**
 * The statements of a data.aws_iam_policy_document, read from its blocks (with its source and override documents),
 * or undefined when one of those cannot be read.
 */
export function documentStatements(stack: StackView, doc: ResourceView, seen: Set<string> = new Set()): Statement[] | undefined {
  if (seen.has(doc.address)) return undefined;
  seen.add(doc.address);
  const out = blocks(doc.config.statement).map(statementOfBlock);
  for (const other of [doc.config.source_policy_documents, doc.config.override_policy_documents]) {
    if (other === undefined) continue;
    const docs = Array.isArray(other) ? other : [other];
    for (const d of docs) {
      const statements = readPolicyStatements(stack, d, seen);
      if (!statements) return undefined;
      out.push(...statements);
    }
  }
  return out;
}


/** True when an IAM action pattern of a policy ("iam:Create*", "*", "IAM:PassRole") covers `action` (case-insensitive; "*" and "?" wildcards). */
export function actionCovers(pattern: string, action: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === "*") return true;
  let re = PATTERNS.get(p);
  if (!re) {
    re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    PATTERNS.set(p, re);
  }
  return re.test(action.toLowerCase());
}

/** Compiled action patterns: rules test every candidate action against every pattern of every statement. */
const PATTERNS = new Map<string, RegExp>();

/**
 * The actions of `candidates` (lower case, e.g. "iam:passrole") that Allow statements grant on Resource "*" (no resource
 * constraint, as cloudsplaining's PolicyDocument.all_allowed_unrestricted_actions counts them): by Action patterns, or by a
 * NotAction that does not cover them. Conditions are ignored, as cloudsplaining ignores them; Deny statements are not subtracted.
 */
export function unrestrictedActionsOf(statements: readonly Statement[], candidates: readonly string[]): string[] {
  const allowed = new Set<string>();
  for (const s of statements) {
    if (s.effect !== "Allow" || !s.resources.some((r) => r.trim() === "*")) continue;
    for (const action of candidates) {
      if (s.actions.some((p) => actionCovers(p, action))) allowed.add(action);
      else if (s.notActions.length > 0 && !s.notActions.some((p) => actionCovers(p, action))) allowed.add(action);
    }
  }
  return candidates.filter((a) => allowed.has(a));
}
