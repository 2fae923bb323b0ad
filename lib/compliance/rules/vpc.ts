import { isOpenToWorld } from "../../private/validation";
import { ComplianceRule, Outcome, ResourceView, RuleContext, StackView } from "../rule-model";
import { Block, blocks, isTrue, listOf } from "../private/attributes";

/** The CIDRs of list or single-value attributes that admit every address. */
const worldCidrs = (...values: unknown[]): string[] => values.flatMap(listOf).filter((c): c is string => typeof c === "string" && isOpenToWorld(c));

/** "port 22", "ports 80-443" or "all ports", for messages. */
function portsOf(rule: Block): string {
  const protocol = String(rule.protocol ?? rule.ip_protocol ?? "");
  if (protocol === "-1" || protocol.toLowerCase() === "all") return "all ports";
  const from = rule.from_port;
  const to = rule.to_port;
  if (from === undefined && to === undefined) return "all ports";
  const proto = protocol ? `${protocol} ` : "";
  return from === to || to === undefined ? `${proto}port ${from}` : `${proto}ports ${from}-${to}`;
}

/** VPC traffic recorded by a flow log. */
export const VpcFlowLogsEnabled = {
  id: "VpcFlowLogsEnabled",
  description: "The VPC has a flow log.",
  explanation:
    "Flow logs are the only record of which addresses talked to which inside and out of the VPC; without them a breach " +
    "investigation cannot tell what a compromised node reached or where data went.",
  resourceTypes: ["aws_vpc"],
  checkov: ["CKV2_AWS_11"],
  cdkNag: ["VPCFlowLogsEnabled"],
  notEvaluatedNote: "the stack that creates the VPC; for an existing VPC (existingVpc), its owner: the library cannot see that VPC's flow logs",
  evaluate: ({ resource, stack }: RuleContext) =>
    stack.attachedTo("aws_flow_log", "vpc_id", resource).length > 0
      ? Outcome.compliant()
      : Outcome.nonCompliant(`no aws_flow_log has vpc_id referring to ${resource.address}, so its traffic is not recorded; add an aws_flow_log with vpc_id = this VPC's id, traffic_type = "ALL" and a log destination.`),
} as const satisfies ComplianceRule;

/** The separately declared rules of a security group. */
function ruleResourcesOf(group: ResourceView, stack: StackView): ResourceView[] {
  return ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((t) => [...stack.attachedTo(t, "security_group_id", group)]);
}

/** The default security group of a VPC admits nothing. */
export const VpcDefaultSecurityGroupClosed = {
  id: "VpcDefaultSecurityGroupClosed",
  description: "The VPC's default security group has no ingress and no egress rules.",
  explanation:
    "Resources launched without a security group land in the default group, which by default lets all its members talk to each " +
    "other and reach anywhere. With no rules, forgetting to choose a group fails closed.",
  resourceTypes: ["aws_default_security_group", "aws_vpc"],
  checkov: ["CKV2_AWS_12"],
  cdkNag: ["VPCDefaultSecurityGroupClosed"],
  // Terraform removes every rule of the default group when it adopts it, so absent ingress/egress is closed.
  evaluate: ({ resource, stack }: RuleContext) => {
    if (resource.type === "aws_vpc") {
      // A VPC whose default group Terraform never adopts keeps AWS's open default rules.
      return stack.attachedTo("aws_default_security_group", "vpc_id", resource).length > 0
        ? Outcome.compliant()
        : Outcome.nonCompliant("the VPC's default security group keeps AWS's default rules (members reach each other and anywhere); add an aws_default_security_group with vpc_id set to this VPC and no ingress or egress.");
    }
    const problems: string[] = [];
    for (const attr of ["ingress", "egress"]) {
      const n = blocks(resource.config[attr]).length;
      if (n > 0) problems.push(`${attr} has ${n} rule(s)`);
    }
    const separate = ruleResourcesOf(resource, stack);
    if (separate.length > 0) problems.push(`rule resource(s) ${separate.map((r) => r.address).join(", ")} attach to it`);
    return problems.length === 0
      ? Outcome.compliant()
      : Outcome.nonCompliant(`the default security group is open: ${problems.join("; ")}; set ingress = [] and egress = [] and put the rules on a dedicated aws_security_group.`);
  },
} as const satisfies ComplianceRule;

/** World-open ingress rules of one resource, as message fragments. */
function worldIngressOf(resource: ResourceView): string[] {
  const c = resource.config;
  switch (resource.type) {
    case "aws_security_group":
      return blocks(c.ingress).flatMap((rule) => {
        const open = worldCidrs(rule.cidr_blocks, rule.ipv6_cidr_blocks);
        return open.length ? [`ingress (${portsOf(rule)}) has cidr_blocks/ipv6_cidr_blocks ${open.join(", ")}`] : [];
      });
    case "aws_security_group_rule": {
      if (c.type !== "ingress") return [];
      const open = worldCidrs(c.cidr_blocks, c.ipv6_cidr_blocks);
      return open.length ? [`this ingress rule (${portsOf(c)}) has cidr_blocks/ipv6_cidr_blocks ${open.join(", ")}`] : [];
    }
    case "aws_vpc_security_group_ingress_rule": {
      const open = worldCidrs(c.cidr_ipv4, c.cidr_ipv6);
      return open.length ? [`this ingress rule (${portsOf(c)}) has cidr_ipv4/cidr_ipv6 ${open.join(", ")}`] : [];
    }
    default:
      return [];
  }
}

/** No security group admits the whole internet. */
export const SecurityGroupNoWorldIngress = {
  id: "SecurityGroupNoWorldIngress",
  description: "No security group admits inbound traffic from 0.0.0.0/0 or ::/0, on any port.",
  explanation:
    "Ingress from every address exposes SSH, RDP, databases and model servers to internet-wide scanning. Clusters are reached " +
    "through load balancers, VPN or VPC endpoints, which name the networks they admit.",
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"],
  checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
  cdkNag: ["EC2RestrictedSSH", "EC2RestrictedCommonPorts"],
  evaluate: ({ resource }: RuleContext) => {
    const open = worldIngressOf(resource);
    return open.length === 0
      ? Outcome.compliant()
      : Outcome.nonCompliant(`${open.join("; ")}, admitting every internet address; replace them with the CIDRs or security groups (source_security_group_id / referenced_security_group_id) that need access.`);
  },
} as const satisfies ComplianceRule;

/** Security groups say what they are for. */
export const SecurityGroupDescription = {
  id: "SecurityGroupDescription",
  description: "Security groups and each of their rules (inline, aws_security_group_rule, aws_vpc_security_group_*_rule) have a description.",
  explanation:
    "Reviewers decide whether a rule is needed from what the group is for; without a description Terraform sets \"Managed by Terraform\", which says nothing.",
  // checkov CKV_AWS_23 judges the group, its inline ingress/egress rules and the separate rule resources alike
  // (checkov@03d5fdad:checkov/terraform/checks/resource/aws/SecurityGroupRuleDescription.py).
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"],
  checkov: ["CKV_AWS_23"],
  cdkNag: ["AwsSolutions-EC27"],
  evaluate: ({ resource }: RuleContext) => {
    const described = (v: unknown) => typeof v === "string" && v.trim() !== "";
    if (resource.type !== "aws_security_group") {
      return described(resource.config.description)
        ? Outcome.compliant()
        : Outcome.nonCompliant(`description is not set, so the rule's purpose (${portsOf(resource.config)}) is unrecorded; set description to what it admits and why.`);
    }
    const problems: string[] = [];
    if (!described(resource.config.description)) problems.push("description is not set, so the group's purpose is unrecorded; set description to what the group admits and why (changing it later replaces the group)");
    for (const attr of ["ingress", "egress"]) {
      const bare = blocks(resource.config[attr]).filter((r) => !described(r.description));
      if (bare.length) problems.push(`${bare.length} ${attr} rule(s) (${bare.map(portsOf).join(", ")}) have no description; set description on each`);
    }
    return problems.length === 0 ? Outcome.compliant() : Outcome.nonCompliant(`${problems.join("; ")}.`);
  },
} as const satisfies ComplianceRule;

/** Subnets give no public addresses to what launches in them. */
export const SubnetNoPublicIp = {
  id: "SubnetNoPublicIp",
  description: "The subnet does not assign public IPv4 addresses on launch.",
  explanation: "With map_public_ip_on_launch every instance in the subnet gets an internet-routable address, one security-group mistake away from exposure.",
  resourceTypes: ["aws_subnet"],
  checkov: ["CKV_AWS_130"],
  cdkNag: ["VPCSubnetAutoAssignPublicIpDisabled"],
  evaluate: ({ resource }: RuleContext) =>
    isTrue(resource.config.map_public_ip_on_launch)
      ? Outcome.nonCompliant("map_public_ip_on_launch is true, so every instance launched here gets a public IP; set map_public_ip_on_launch = false and reach the internet through a NAT gateway.")
      : Outcome.compliant(),
} as const satisfies ComplianceRule;

/** True when a gateway_id is an internet gateway: a reference to one in the stack, or a literal igw- id. */
function isInternetGateway(gatewayId: unknown, stack: StackView): boolean {
  if (typeof gatewayId !== "string") return false;
  return gatewayId.startsWith("igw-") || stack.ofType("aws_internet_gateway").some((igw) => stack.refersTo(gatewayId, igw));
}

/** Default routes of one resource to an internet gateway, as message fragments. */
function igwDefaultRoutesOf(resource: ResourceView, stack: StackView): string[] {
  const c = resource.config;
  if (resource.type === "aws_route") {
    if (!isInternetGateway(c.gateway_id, stack)) return [];
    const open = worldCidrs(c.destination_cidr_block, c.destination_ipv6_cidr_block);
    return open.length ? [`destination ${open.join(", ")} goes to internet gateway ${c.gateway_id} (gateway_id)`] : [];
  }
  return blocks(c.route).flatMap((r) => {
    if (!isInternetGateway(r.gateway_id, stack)) return [];
    const open = worldCidrs(r.cidr_block, r.ipv6_cidr_block);
    return open.length ? [`route ${open.join(", ")} goes to internet gateway ${r.gateway_id} (route.gateway_id)`] : [];
  });
}

/** No route table sends all traffic to an internet gateway. */
export const VpcNoUnrestrictedRouteToIgw = {
  id: "VpcNoUnrestrictedRouteToIgw",
  description: "No route sends 0.0.0.0/0 or ::/0 to an internet gateway.",
  explanation:
    "A default route to an internet gateway makes every subnet that uses the table public: any resource there with a public " +
    "address is reachable from the internet. Private subnets reach out through NAT gateways; a public table that only NAT " +
    "gateways use is an accepted exception, suppressed with its reason.",
  resourceTypes: ["aws_route", "aws_route_table"],
  cdkNag: ["VPCNoUnrestrictedRouteToIGW"],
  evaluate: ({ resource, stack }: RuleContext) => {
    const routes = igwDefaultRoutesOf(resource, stack);
    return routes.length === 0
      ? Outcome.compliant()
      : Outcome.nonCompliant(`${routes.join("; ")}, so subnets using this table are public; route private subnets through a NAT gateway (nat_gateway_id) or narrow the destination, or suppress with a reason for a NAT-only public subnet.`);
  },
} as const satisfies ComplianceRule;

/** Every VPC and EC2 networking rule. */
export const VPC_RULES = [
  VpcFlowLogsEnabled,
  VpcDefaultSecurityGroupClosed,
  SecurityGroupNoWorldIngress,
  SecurityGroupDescription,
  SubnetNoPublicIp,
  VpcNoUnrestrictedRouteToIgw,
] as const satisfies readonly ComplianceRule[];
