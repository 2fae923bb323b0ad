import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ComplianceRule, RuleStatus } from "../../../lib/compliance/rule-model";
import { stackViewOf } from "../../../lib/compliance/private/stack-view";

/**
 * Synthesizes the translation of a checkov fixture (one construct per fixture resource, named as in checkov's
 * test_<Check>.py) and returns the rule's verdict per fixture name, for the resources and data sources it judges.
 */
export function verdicts(rule: ComplianceRule, build: (stack: TerraformStack) => void): Record<string, RuleStatus> {
  const app = Testing.app();
  const stack = new TerraformStack(app, "checkov");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  const view = stackViewOf("checkov", JSON.parse(Testing.synth(stack)));
  const out: Record<string, RuleStatus> = {};
  for (const r of view.resources) {
    const judged = r.mode === "managed" ? rule.resourceTypes.includes(r.type) : (rule.dataSourceTypes ?? []).includes(r.type);
    if (!judged) continue;
    out[r.path.split("/").pop()!] = rule.evaluate({ resource: r, stack: view, params: { ...rule.params } }).status;
  }
  return out;
}

/** Fixture names checkov fails that the rule does not flag, and names checkov passes that it flags. */
export function misses(v: Record<string, RuleStatus>, failing: readonly string[], passing: readonly string[]): { undetected: string[]; flagged: string[] } {
  return {
    undetected: failing.filter((f) => v[f] !== "non-compliant"),
    flagged: passing.filter((p) => v[p] === "non-compliant"),
  };
}
