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

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** The statements of a policy document (JSON text, possibly a Terraform template), or undefined when it cannot be read. */
export function statementsOf(policy: unknown): Statement[] | undefined {
  const doc = parseTemplateJson(policy);
  if (!doc || typeof doc !== "object") return undefined;
  const raw = [doc.Statement ?? []].flat() as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return raw.map((s) => {
    const principals: Record<string, string[]> = {};
    if (s.Principal === "*") principals["*"] = ["*"];
    else for (const [k, v] of Object.entries(s.Principal ?? {})) principals[k] = list(v);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, keys] of Object.entries(s.Condition ?? {})) {
      conditions[op] = {};
      for (const [k, v] of Object.entries(keys as Record<string, unknown>)) conditions[op][k] = list(v);
    }
    return {
      sid: s.Sid,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
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
