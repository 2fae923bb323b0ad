import { ComplianceLevel, CompliancePack } from "./model";
import { ComplianceRule, ResourceView } from "./rule-model";
import { stackViewOf } from "./private/stack-view";
import { ruleById } from "./rules";
import { SuppressionRecord, suppressionCovers } from "./suppressions";

/** A rule's verdict against one resource, in one pack. */
export interface Finding {
  /** Rule id. */
  readonly ruleId: string;
  /** Pack name. */
  readonly pack: string;
  /** Error or warning, as the pack sets it. */
  readonly level: ComplianceLevel;
  /** Stack of the resource. */
  readonly stack: string;
  /** Terraform address of the resource. */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Control citations the rule evidences in this pack. */
  readonly controls: readonly string[];
  /** checkov ids of the same check. */
  readonly checkov: readonly string[];
  /** cdk-nag rules of the same check. */
  readonly cdkNag: readonly string[];
  /** The suppression that accepts this finding, if any. */
  readonly suppressedBy?: { readonly path: string; readonly reason: string };
}

/** Outcome of one pack rule over a stack. */
export interface RuleSummary {
  /** Pack name. */
  readonly pack: string;
  /** Rule id. */
  readonly ruleId: string;
  /** Rule description. */
  readonly description: string;
  /** Level in the pack. */
  readonly level: ComplianceLevel;
  /** Control citations. */
  readonly controls: readonly string[];
  /** Addresses of resources that satisfy the rule: the evidence. */
  readonly compliant: readonly string[];
  /** Addresses of resources that violate it, unsuppressed. */
  readonly nonCompliant: readonly string[];
  /** Addresses whose violation is suppressed. */
  readonly suppressed: readonly string[];
  /**
   * "fail" when a resource violates the rule unsuppressed; "pass" when at least one resource was judged and none
   * violates it; "not-evaluated" when the stack (or the pack's scope) holds no resource the rule could judge:
   * nothing is known, which is not a pass.
   */
  readonly result: RuleResult;
  /** For "not-evaluated": why, and who answers for the check instead. */
  readonly notEvaluated?: string;
}

/** Outcome of a rule over a stack. */
export type RuleResult = "pass" | "fail" | "not-evaluated";

/** A control of a pack none of whose rules judged any resource of the stack. */
export interface ControlNotEvaluated {
  /** Pack name. */
  readonly pack: string;
  /** Control citation. */
  readonly control: string;
  /** The pack's rules for it, none of which had a resource to judge. */
  readonly rules: readonly string[];
  /**
   * Who answers for it instead, where a rule names that owner ("rule: owner"); the others are answered where
   * their resources are managed (another stack of the app, or outside it).
   */
  readonly responsibility: readonly string[];
}

/** A suppression and how many findings it accepted. */
export interface SuppressionUse extends SuppressionRecord {
  /** Findings it accepted. */
  readonly matched: number;
  /** True when an evaluated pack has the rule; a relevant suppression that matches nothing is reported as a warning. */
  readonly relevant: boolean;
}

/** The compliance report of one stack. */
export interface ComplianceReport {
  /** Stack name. */
  readonly stack: string;
  /** Packs evaluated. */
  readonly packs: ReadonlyArray<{ readonly name: string; readonly title: string }>;
  /** Number of resources (managed) the rules looked at. */
  readonly resourcesChecked: number;
  /** Unsuppressed findings, errors first. */
  readonly findings: readonly Finding[];
  /** Findings accepted by suppressions. */
  readonly suppressedFindings: readonly Finding[];
  /** Every suppression declared in the stack. */
  readonly suppressions: readonly SuppressionUse[];
  /** Per pack and rule: pass/fail/not-evaluated and the resources that evidence it. */
  readonly rules: readonly RuleSummary[];
  /** Controls of the packs that this stack gives no evidence for (every rule of the control not evaluated). */
  readonly controlsNotEvaluated: readonly ControlNotEvaluated[];
  /** True when no unsuppressed error remains. */
  readonly passed: boolean;
}

/**
 * Evaluates packs over a synthesized stack (cdk.tf.json content). Pure: no I/O. With `scopesByPack`, a
 * pack evaluates only the resources under its construct paths (cross-resource rules still see the whole stack).
 */
export function evaluateStack(
  stackName: string,
  json: Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  packs: readonly CompliancePack[],
  suppressions: readonly SuppressionRecord[],
  scopesByPack?: ReadonlyMap<string, readonly string[]>,
): ComplianceReport {
  const view = stackViewOf(stackName, json);
  const managed = view.resources.filter((r) => r.mode === "managed");
  // A pack enforced on a construct inside the stack looks at that construct's resources only.
  const inScope = (pack: string, p: string) => {
    const scopes = scopesByPack?.get(pack);
    return !scopes || scopes.some((s) => s === "" || p === s || p.startsWith(`${s}/`));
  };
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const uses = new Map<SuppressionRecord, number>(suppressions.map((s) => [s, 0]));
  const rules: RuleSummary[] = [];
  // Packs share most rules: evaluate each (rule, params, resource) once.
  const outcomes = new Map<string, ReturnType<ComplianceRule["evaluate"]>>();

  for (const pack of packs) {
    for (const pr of pack.rules) {
      const rule = ruleById(pr.ruleId);
      // RuleId catches typos at compile time only; users' packs may come from JavaScript or a cast.
      if (!rule) throw new Error(`compliance pack ${pack.name} names rule "${pr.ruleId}", which the library does not have`);
      const params = { ...rule.params, ...pr.params };
      const compliant: string[] = [];
      const nonCompliant: string[] = [];
      const accepted: string[] = [];
      // Managed resources of the rule's types, and the data sources of the types it declares (ComplianceRule.dataSourceTypes).
      const dataTypes = (rule.dataSourceTypes ?? []);
      const targets: ResourceView[] = view.resources.filter((r) =>
        (r.mode === "managed" ? rule.resourceTypes.includes(r.type) : dataTypes.includes(r.type)) && inScope(pack.name, r.path));
      for (const resource of targets) {
        const key = `${rule.id}|${JSON.stringify(params)}|${resource.address}`;
        let outcome = outcomes.get(key);
        if (!outcome) {
          outcome = rule.evaluate({ resource, stack: view, params });
          outcomes.set(key, outcome);
        }
        if (outcome.status === "compliant") compliant.push(resource.address);
        if (outcome.status !== "non-compliant") continue;
        const base = {
          ruleId: rule.id,
          pack: pack.name,
          level: pr.level,
          stack: stackName,
          address: resource.address,
          path: resource.path,
          message: outcome.message ?? rule.description,
          controls: pr.controls,
          checkov: rule.checkov ?? [],
          cdkNag: rule.cdkNag ?? [],
        };
        // Every suppression that covers the finding is credited, so none of them is reported as unused.
        const covering = suppressions.filter((s) => suppressionCovers(s, rule.id, resource.address, resource.path));
        const by = covering[covering.length - 1]; // the innermost one (declared closest to the resource) explains it
        if (by) {
          for (const c of covering) uses.set(c, (uses.get(c) ?? 0) + 1);
          suppressed.push({ ...base, suppressedBy: { path: by.path, reason: by.reason } });
          accepted.push(resource.address);
        } else {
          findings.push(base);
          nonCompliant.push(resource.address);
        }
      }
      const judged = compliant.length + nonCompliant.length + accepted.length > 0;
      rules.push({
        pack: pack.name,
        ruleId: rule.id,
        description: rule.description,
        level: pr.level,
        controls: pr.controls,
        compliant: compliant.sort(),
        nonCompliant: nonCompliant.sort(),
        suppressed: accepted.sort(),
        result: nonCompliant.length ? "fail" : judged ? "pass" : "not-evaluated",
        ...(judged ? {} : { notEvaluated: notEvaluatedNote(rule, targets.length) }),
      });
    }
  }
  const order = (f: Finding) => `${f.level === "error" ? 0 : 1}|${f.address}|${f.ruleId}|${f.pack}`;
  findings.sort((a, b) => order(a).localeCompare(order(b)));
  suppressed.sort((a, b) => order(a).localeCompare(order(b)));
  return {
    stack: stackName,
    packs: packs.map((p) => ({ name: p.name, title: p.title })),
    resourcesChecked: managed.length,
    findings,
    suppressedFindings: suppressed,
    suppressions: [...uses.entries()].map(([s, matched]) => ({ ...s, matched, relevant: packs.some((p) => p.rules.some((r) => r.ruleId === s.id)) })).sort((a, b) => `${a.path}|${a.id}`.localeCompare(`${b.path}|${b.id}`)),
    rules,
    controlsNotEvaluated: controlsNotEvaluated(packs, rules),
    passed: !findings.some((f) => f.level === "error"),
  };
}

function notEvaluatedNote(rule: ComplianceRule, targets: number): string {
  const types = [...rule.resourceTypes, ...(rule.dataSourceTypes ?? []).map((t) => `data.${t}`)].join(", ");
  const what = targets > 0 ? `the ${types} here are ones the rule does not apply to` : `no ${types} in this stack`;
  return `${what}; answered by ${rule.notEvaluatedNote ?? "the stack or owner that manages those resources (another stack of this app, or outside it)"}`;
}

/** One collator for the numeric sort below (localeCompare with options would build one per comparison). */
const NUMERIC = new Intl.Collator("en", { numeric: true });

/** Per pack, the controls whose every rule is "not-evaluated" in this stack. */
function controlsNotEvaluated(packs: readonly CompliancePack[], rules: readonly RuleSummary[]): ControlNotEvaluated[] {
  const out: ControlNotEvaluated[] = [];
  for (const pack of packs) {
    const byControl = new Map<string, RuleSummary[]>();
    for (const r of rules.filter((x) => x.pack === pack.name)) for (const c of r.controls) byControl.set(c, [...(byControl.get(c) ?? []), r]);
    for (const [control, rs] of byControl) {
      if (rs.every((r) => r.result === "not-evaluated")) {
        const owners = rs.flatMap((r) => {
          const note = ruleById(r.ruleId)?.notEvaluatedNote;
          return note ? [`${r.ruleId}: ${note}`] : [];
        });
        out.push({ pack: pack.name, control, rules: rs.map((r) => r.ruleId), responsibility: [...new Set(owners)] });
      }
    }
  }
  return out.sort((a, b) => NUMERIC.compare(`${a.pack}|${a.control}`, `${b.pack}|${b.control}`));
}
