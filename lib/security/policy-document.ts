/** Principals of a policy statement, by kind. */
export interface PolicyPrincipals {
  /** IAM principals: account roots, role or user ARNs. */
  readonly AWS?: string[];
  /** AWS service principals, e.g. "eks.amazonaws.com". */
  readonly Service?: string[];
  /** Federated identity providers (OIDC / SAML provider ARNs). */
  readonly Federated?: string[];
}

/** IAM condition block: operator -> condition key -> value(s). Booleans are written as IAM expects ("true"). */
export type PolicyConditions = Record<string, Record<string, string | number | boolean | Array<string | number>>>;

/** One IAM policy statement in the user's vocabulary; rendered to IAM JSON by PolicyDocument. */
export interface PolicyStatementProps {
  /** Statement id, unique within the document; it documents why the statement exists. */
  readonly sid: string;
  /**
   * Allow or Deny.
   * @default "Allow"
   */
  readonly effect?: "Allow" | "Deny";
  /** Actions the statement covers, e.g. ["kms:Decrypt"]. */
  readonly actions: string[];
  /**
   * Resources the statement covers. Omitted for trust policies.
   * @default - no Resource element (trust policies)
   */
  readonly resources?: string[];
  /**
   * Principals (resource-based and trust policies only).
   * @default - no Principal element (identity policies)
   */
  readonly principals?: PolicyPrincipals;
  /**
   * Conditions that must all hold.
   * @default - none
   */
  readonly conditions?: PolicyConditions;
}

/**
 * An IAM policy document built from typed statements, rendered as IAM JSON with any
 * Terraform references left inline. The compliance engine can read the rendered JSON back
 * at synth time, which a `data.aws_iam_policy_document` reference would hide.
 */
export class PolicyDocument {
  private readonly items: PolicyStatementProps[] = [];

  constructor(statements: PolicyStatementProps[] = []) {
    this.addStatements(...statements);
  }

  /** Appends statements; a repeated sid is a programming error and throws. */
  addStatements(...statements: PolicyStatementProps[]): void {
    for (const s of statements) {
      if (this.items.some((e) => e.sid === s.sid)) throw new Error(`PolicyDocument: duplicate statement sid "${s.sid}"`);
      if (s.actions.length === 0) throw new Error(`PolicyDocument: statement "${s.sid}" has no actions`);
      this.items.push(s);
    }
  }

  /** Number of statements. */
  get length(): number {
    return this.items.length;
  }

  /** The statements, e.g. to append them to another document or a construct's extra statements. */
  get statements(): readonly PolicyStatementProps[] {
    return [...this.items];
  }

  /** The IAM JSON object; `extra` statements are appended to this rendering only. */
  toObject(extra: PolicyStatementProps[] = []): Record<string, unknown> {
    return {
      Version: "2012-10-17",
      Statement: [...this.items, ...extra].map((s) => {
        const out: Record<string, unknown> = { Sid: s.sid, Effect: s.effect ?? "Allow" };
        if (s.principals) out.Principal = compact(s.principals as Record<string, string[] | undefined>);
        out.Action = s.actions.length === 1 ? s.actions[0] : [...s.actions];
        if (s.resources) out.Resource = s.resources.length === 1 ? s.resources[0] : [...s.resources];
        if (s.conditions) out.Condition = renderConditions(s.conditions);
        return out;
      }),
    };
  }

  /** The IAM JSON string, for `policy` / `assume_role_policy` attributes; `extra` as in toObject. */
  toJson(extra: PolicyStatementProps[] = []): string {
    return JSON.stringify(this.toObject(extra));
  }
}

function compact(principals: Record<string, string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [kind, values] of Object.entries(principals)) {
    if (values && values.length > 0) out[kind] = values.length === 1 ? values[0] : [...values];
  }
  return out;
}

function renderConditions(conditions: PolicyConditions): Record<string, Record<string, string | string[]>> {
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [operator, keys] of Object.entries(conditions)) {
    out[operator] = {};
    for (const [key, value] of Object.entries(keys)) {
      out[operator][key] = Array.isArray(value) ? value.map(String) : String(value);
    }
  }
  return out;
}
