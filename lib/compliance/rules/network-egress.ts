import { isOpenToWorld } from "../../private/validation";
import { ComplianceRule, Outcome, ResourceView, RuleOutcome } from "../rule-model";
import { Block, blocks, isTrue, literalNumber, listOf, stringsOf } from "../private/attributes";

/*
 * Security-group egress to everywhere on every port. Source: bridgecrewio/checkov@03d5fdad
 * checkov/terraform/checks/resource/aws/SecurityGroupUnrestrictedEgressAny.py (CKV_AWS_382) over
 * AbsSecurityGroupUnrestrictedEgress.py. One deliberate difference: checkov passes protocol "-1" with a port range other than
 * 0-0 or 0-65535 (its fixture "pass", ports 20-200); EC2 ignores the ports of protocol "-1" ("all"), so this rule flags it.
 */

const worldCidrs = (...values: unknown[]): string[] => values.flatMap(listOf).filter((c): c is string => typeof c === "string" && isOpenToWorld(c));

/** True when the rule covers every protocol and port: protocol -1/all, or TCP/UDP 0-65535 (0-0 as checkov reads it). */
function allPorts(rule: Block): boolean {
  const protocol = String(rule.protocol ?? rule.ip_protocol ?? "").toLowerCase();
  if (protocol === "-1" || protocol === "all") return true;
  const from = literalNumber(rule.from_port);
  const to = literalNumber(rule.to_port);
  return from === 0 && (to === 0 || to === 65535);
}

/** Egress rules of the resource open to every address on every port, as message fragments. */
function openEgressOf(resource: ResourceView): string[] {
  const c = resource.config;
  const open = (rule: Block, cidrs: string[], what: string): string[] =>
    isTrue(rule.self) || stringsOf(rule.prefix_list_ids).length > 0 || !allPorts(rule) || cidrs.length === 0 ? [] : [`${what} allows all ports to ${cidrs.join(", ")}`];
  switch (resource.type) {
    case "aws_security_group":
      return blocks(c.egress).flatMap((r, i) => open(r, worldCidrs(r.cidr_blocks, r.ipv6_cidr_blocks), `egress #${i + 1}`));
    case "aws_security_group_rule":
      return c.type === "egress" ? open(c, worldCidrs(c.cidr_blocks, c.ipv6_cidr_blocks), "this egress rule") : [];
    case "aws_vpc_security_group_egress_rule":
      return open(c, worldCidrs(c.cidr_ipv4, c.cidr_ipv6), "this egress rule");
    default:
      return [];
  }
}

/** Security groups name where their traffic may go. */
export const SecurityGroupNoUnrestrictedEgress = {
  id: "SecurityGroupNoUnrestrictedEgress",
  description: "No security group allows egress to 0.0.0.0/0 or ::/0 on all protocols and ports.",
  explanation:
    "Egress to every address on every port lets compromised code (a malicious model file, a poisoned dependency) send weights, " +
    "prompts or credentials anywhere and reach command-and-control on any port. Name the ports, and where possible the destinations " +
    "(VPC endpoints' prefix lists, the VPC CIDR), that the workload needs.",
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_egress_rule"],
  checkov: ["CKV_AWS_382"],
  evaluate: ({ resource }): RuleOutcome => {
    const open = openEgressOf(resource);
    if (open.length) return Outcome.nonCompliant(`${open.join("; ")}; restrict egress to the ports (e.g. 443) and destinations (prefix lists, VPC CIDR) the workload needs.`);
    return resource.type === "aws_security_group" || resource.type === "aws_vpc_security_group_egress_rule" || resource.config.type === "egress" ? Outcome.compliant() : Outcome.notApplicable();
  },
} as const satisfies ComplianceRule;

/** Rules over network egress. */
export const NETWORK_EGRESS_RULES = [SecurityGroupNoUnrestrictedEgress] as const satisfies readonly ComplianceRule[];
