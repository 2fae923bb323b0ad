import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ComplianceRule, RuleOutcome, RuleParams } from "../../lib/compliance/rule-model";
import { stackViewOf } from "../../lib/compliance/private/stack-view";

/**
 * Builds a stack with `build`, synthesizes it and evaluates `rule` on every resource of its types.
 * Returns outcomes by construct id of the resource (the last path segment) and by Terraform address.
 */
export function evaluateRule(rule: ComplianceRule, build: (stack: TerraformStack) => void, params: RuleParams = {}): { byId: Record<string, RuleOutcome>; byAddress: Record<string, RuleOutcome> } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "rules");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  const view = stackViewOf("rules", JSON.parse(Testing.synth(stack)));
  const byId: Record<string, RuleOutcome> = {};
  const byAddress: Record<string, RuleOutcome> = {};
  for (const resource of view.resources) {
    if (resource.mode !== "managed" || !rule.resourceTypes.includes(resource.type)) continue;
    const outcome = rule.evaluate({ resource, stack: view, params: { ...rule.params, ...params } });
    byId[resource.path.split("/").pop()!] = outcome;
    byAddress[resource.address] = outcome;
  }
  return { byId, byAddress };
}
