/// <reference types="jest" />
/**
 * Jest matchers for compliance guarantees. Import once in a test file (or a setup file):
 *
 * ```ts
 * import "cdktf-secure-inference/testing";
 * expect(stack).toBeCompliantWith(Compliance.HIPAA, Compliance.SOC2);
 * expect(complianceSummary(stack, Compliance.HIPAA)).toMatchSnapshot();
 * ```
 */
import { TerraformStack } from "cdktf";
import { Compliance } from "./compliance/compliance";
import { CompliancePack } from "./compliance/model";

/** A stable, sorted view of a stack's compliance: what a snapshot test should pin. */
export interface ComplianceSummary {
  /** Stack name. */
  readonly stack: string;
  /** True when no unsuppressed error remains. */
  readonly passed: boolean;
  /** Per pack, per rule: result, how many resources evidence it, which violate it, which are suppressed (and why). */
  readonly packs: Record<string, Record<string, { result: string; compliant: number; nonCompliant: string[]; suppressed: string[] }>>;
  /** Suppressions: "rule on path: reason". */
  readonly suppressions: string[];
  /** Controls no resource of the stack evidences ("pack control"): the summary claims nothing about them. */
  readonly notEvaluated: string[];
}

/** The compliance summary of a stack under the given packs (sorted, free of timestamps). */
export function complianceSummary(stack: TerraformStack, ...packs: CompliancePack[]): ComplianceSummary {
  const report = Compliance.evaluate(stack, ...packs);
  const byPack: ComplianceSummary["packs"] = {};
  for (const r of [...report.rules].sort((a, b) => `${a.pack}|${a.ruleId}`.localeCompare(`${b.pack}|${b.ruleId}`))) {
    (byPack[r.pack] ??= {})[r.ruleId] = { result: r.result, compliant: r.compliant.length, nonCompliant: [...r.nonCompliant], suppressed: [...r.suppressed] };
  }
  return {
    stack: report.stack,
    passed: report.passed,
    packs: byPack,
    suppressions: report.suppressions.map((s) => `${s.id} on ${s.path}: ${s.reason}`),
    notEvaluated: report.controlsNotEvaluated.map((c) => `${c.pack} ${c.control}`),
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Passes when the stack has no unsuppressed finding (error or warning) under the packs. */
      toBeCompliantWith(...packs: CompliancePack[]): R;
    }
  }
}

expect.extend({
  toBeCompliantWith(received: TerraformStack, ...packs: CompliancePack[]) {
    if (!TerraformStack.isStack(received)) return { pass: false, message: () => "toBeCompliantWith expects a TerraformStack" };
    const report = Compliance.evaluate(received, ...packs);
    const pass = report.findings.length === 0;
    const names = packs.map((p) => p.name).join(", ");
    const notEvaluated = report.controlsNotEvaluated.length
      ? `\nNot evaluated in this stack (no resource for their rules here; a pass claims nothing about them; they are answered where those resources are managed, or as noted):\n${report.controlsNotEvaluated.map((c) => `  - ${c.pack} ${c.control}: ${c.rules.join(", ")}${c.responsibility.length ? ` (${c.responsibility.join("; ")})` : ""}`).join("\n")}`
      : "";
    return {
      pass,
      message: () =>
        pass
          ? `expected stack ${report.stack} to violate ${names}, but it complies (${report.resourcesChecked} resources)${notEvaluated}`
          : `expected stack ${report.stack} to comply with ${names}; ${report.findings.length} finding(s):\n${report.findings.map((f) => `  - [${f.pack} ${f.ruleId} ${f.level}] ${f.address} (${f.path}): ${f.message}`).join("\n")}${notEvaluated}`,
    };
  },
});
