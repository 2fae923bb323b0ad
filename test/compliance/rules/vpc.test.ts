import { TerraformStack } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ClusterNetwork } from "../../../lib/cluster/cluster-network";
import {
  SecurityGroupDescription,
  SecurityGroupNoWorldIngress,
  SubnetNoPublicIp,
  VPC_RULES,
  VpcDefaultSecurityGroupClosed,
  VpcFlowLogsEnabled,
  VpcNoUnrestrictedRouteToIgw,
} from "../../../lib/compliance/rules/vpc";
import { EncryptionKey } from "../../../lib/security/encryption-key";
import { evaluateRule } from "../rule-harness";

const vpc = (stack: TerraformStack, id = "vpc") => new Vpc(stack, id, { cidrBlock: "10.0.0.0/16" });

describe("VpcFlowLogsEnabled", () => {
  const { byId } = evaluateRule(VpcFlowLogsEnabled, (stack) => {
    const logged = vpc(stack, "logged");
    new FlowLog(stack, "flow-log", { vpcId: logged.id, trafficType: "ALL", logDestinationType: "s3", logDestination: "arn:aws:s3:::flow-logs" });
    vpc(stack, "unlogged");
  });

  it("passes a VPC with an aws_flow_log on its vpc_id", () => expect(byId.logged.status).toBe("compliant"));

  it("flags a VPC without a flow log and says to add one", () => {
    expect(byId.unlogged).toMatchObject({ status: "non-compliant", message: expect.stringContaining("no aws_flow_log has vpc_id referring to aws_vpc.unlogged") });
  });
});

describe("VpcDefaultSecurityGroupClosed", () => {
  const { byId } = evaluateRule(VpcDefaultSecurityGroupClosed, (stack) => {
    new DefaultSecurityGroup(stack, "emptied", { vpcId: vpc(stack, "a").id, ingress: [], egress: [] });
    new DefaultSecurityGroup(stack, "adopted", { vpcId: vpc(stack, "b").id });
    new DefaultSecurityGroup(stack, "rules-inline", {
      vpcId: vpc(stack, "c").id,
      ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const withRule = new DefaultSecurityGroup(stack, "separate-rule", { vpcId: vpc(stack, "d").id, ingress: [], egress: [] });
    new VpcSecurityGroupIngressRule(stack, "rule-on-default", { securityGroupId: withRule.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
  });

  it("passes a default group with no rules (given empty, or omitted: Terraform strips them on adoption)", () => {
    expect(byId.emptied.status).toBe("compliant");
    expect(byId.adopted.status).toBe("compliant");
  });

  it("flags inline ingress and egress rules", () => {
    expect(byId["rules-inline"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("ingress has 1 rule(s); egress has 1 rule(s)") });
  });

  it("flags a rule resource attached to the default group", () => {
    expect(byId["separate-rule"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("aws_vpc_security_group_ingress_rule.rule-on-default") });
  });
});

describe("SecurityGroupNoWorldIngress", () => {
  const { byId } = evaluateRule(SecurityGroupNoWorldIngress, (stack) => {
    const v = vpc(stack);
    new SecurityGroup(stack, "vpc-only", {
      vpcId: v.id,
      description: "HTTPS from the VPC",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [v.cidrBlock] }],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    new SecurityGroup(stack, "open-ssh", { vpcId: v.id, description: "SSH", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
    new SecurityGroup(stack, "open-ipv6", { vpcId: v.id, description: "web", ingress: [{ protocol: "tcp", fromPort: 80, toPort: 443, ipv6CidrBlocks: ["::/0"] }] });
    const target = new SecurityGroup(stack, "target", { vpcId: v.id, description: "rules below" });
    new SecurityGroupRule(stack, "rule-from-office", { type: "ingress", securityGroupId: target.id, protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["203.0.113.0/24"] });
    new SecurityGroupRule(stack, "rule-egress-world", { type: "egress", securityGroupId: target.id, protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] });
    new SecurityGroupRule(stack, "rule-rdp-world", { type: "ingress", securityGroupId: target.id, protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] });
    new VpcSecurityGroupIngressRule(stack, "ingress-from-vpc", { securityGroupId: target.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: v.cidrBlock });
    new VpcSecurityGroupIngressRule(stack, "ingress-all-world", { securityGroupId: target.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    new VpcSecurityGroupIngressRule(stack, "ingress-ipv6-world", { securityGroupId: target.id, ipProtocol: "tcp", fromPort: 8000, toPort: 8000, cidrIpv6: "::/0" });
  });

  it("passes ingress from named networks, and world egress (another check's concern)", () => {
    for (const id of ["vpc-only", "target", "rule-from-office", "rule-egress-world", "ingress-from-vpc"]) expect(byId[id].status).toBe("compliant");
  });

  it("flags inline ingress blocks open to 0.0.0.0/0 or ::/0, naming port and attribute", () => {
    expect(byId["open-ssh"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("ingress (tcp port 22) has cidr_blocks/ipv6_cidr_blocks 0.0.0.0/0") });
    expect(byId["open-ipv6"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("(tcp ports 80-443) has cidr_blocks/ipv6_cidr_blocks ::/0") });
  });

  it("flags aws_security_group_rule ingress from the world", () => {
    expect(byId["rule-rdp-world"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("tcp port 3389") });
  });

  it("flags aws_vpc_security_group_ingress_rule from the world", () => {
    expect(byId["ingress-all-world"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("(all ports) has cidr_ipv4/cidr_ipv6 0.0.0.0/0") });
    expect(byId["ingress-ipv6-world"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("cidr_ipv4/cidr_ipv6 ::/0") });
  });
});

describe("SecurityGroupDescription", () => {
  const { byId } = evaluateRule(SecurityGroupDescription, (stack) => {
    const v = vpc(stack);
    new SecurityGroup(stack, "described", { vpcId: v.id, description: "HTTPS from the VPC to endpoints" });
    new SecurityGroup(stack, "undescribed", { vpcId: v.id });
    new SecurityGroup(stack, "blank", { vpcId: v.id, description: " " });
  });

  it("passes a group with a description", () => expect(byId.described.status).toBe("compliant"));

  it("flags a group with no or a blank description", () => {
    expect(byId.undescribed).toMatchObject({ status: "non-compliant", message: expect.stringContaining("description is not set") });
    expect(byId.blank.status).toBe("non-compliant");
  });
});

describe("SubnetNoPublicIp", () => {
  const { byId } = evaluateRule(SubnetNoPublicIp, (stack) => {
    const v = vpc(stack);
    new Subnet(stack, "private", { vpcId: v.id, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false });
    new Subnet(stack, "default", { vpcId: v.id, cidrBlock: "10.0.1.0/24" });
    new Subnet(stack, "public", { vpcId: v.id, cidrBlock: "10.0.2.0/24", mapPublicIpOnLaunch: true });
  });

  it("passes subnets that do not map public IPs (explicitly or by default)", () => {
    expect(byId.private.status).toBe("compliant");
    expect(byId.default.status).toBe("compliant");
  });

  it("flags map_public_ip_on_launch = true", () => {
    expect(byId.public).toMatchObject({ status: "non-compliant", message: expect.stringContaining("set map_public_ip_on_launch = false") });
  });
});

describe("VpcNoUnrestrictedRouteToIgw", () => {
  const { byId } = evaluateRule(VpcNoUnrestrictedRouteToIgw, (stack) => {
    const v = vpc(stack);
    const igw = new InternetGateway(stack, "igw", { vpcId: v.id });
    const subnet = new Subnet(stack, "subnet", { vpcId: v.id, cidrBlock: "10.0.0.0/24" });
    const nat = new NatGateway(stack, "nat", { subnetId: subnet.id, allocationId: new Eip(stack, "eip", { domain: "vpc" }).allocationId });
    const table = new RouteTable(stack, "table", { vpcId: v.id });
    new Route(stack, "default-via-nat", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
    new Route(stack, "office-via-igw", { routeTableId: table.id, destinationCidrBlock: "203.0.113.0/24", gatewayId: igw.id });
    new Route(stack, "default-via-igw", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    new Route(stack, "ipv6-default-via-literal-igw", { routeTableId: table.id, destinationIpv6CidrBlock: "::/0", gatewayId: "igw-0123456789abcdef0" });
    new Route(stack, "default-via-vgw", { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: "vgw-0123456789abcdef0" });
    new RouteTable(stack, "inline-nat", { vpcId: v.id, route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] });
    new RouteTable(stack, "inline-igw", { vpcId: v.id, route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
  });

  it("passes default routes through NAT or a VPN gateway, and narrow routes to an internet gateway", () => {
    for (const id of ["table", "default-via-nat", "office-via-igw", "default-via-vgw", "inline-nat"]) expect(byId[id].status).toBe("compliant");
  });

  it("flags aws_route 0.0.0.0/0 or ::/0 to an internet gateway (reference or literal igw- id)", () => {
    expect(byId["default-via-igw"]).toMatchObject({ status: "non-compliant", message: expect.stringMatching(/^destination 0\.0\.0\.0\/0 goes to internet gateway \$\{aws_internet_gateway\.igw\.id\} \(gateway_id\)/) });
    expect(byId["ipv6-default-via-literal-igw"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("destination ::/0 goes to internet gateway igw-0123456789abcdef0") });
  });

  it("flags inline route blocks of aws_route_table", () => {
    expect(byId["inline-igw"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("(route.gateway_id)") });
  });
});

describe("ClusterNetwork defaults", () => {
  const build = (stack: TerraformStack) => {
    const logsKey = new EncryptionKey(stack, "logs", { purpose: "logs" });
    new ClusterNetwork(stack, "net", { name: "ml-prod", logsKey, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
  };

  it.each(VPC_RULES.filter((r) => r !== VpcNoUnrestrictedRouteToIgw).map((r) => [r.id, r] as const))("satisfy %s", (_id, rule) => {
    const outcomes = Object.values(evaluateRule(rule, build).byAddress);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.status === "compliant")).toBe(true);
  });

  it("route only the NAT-only public table to the internet gateway, which VpcNoUnrestrictedRouteToIgw flags (the library suppresses it with a reason)", () => {
    const { byAddress } = evaluateRule(VpcNoUnrestrictedRouteToIgw, build);
    const flagged = Object.entries(byAddress).filter(([, o]) => o.status === "non-compliant");
    expect(flagged).toEqual([[expect.stringMatching(/^aws_route\.net_public-default-route_/), { status: "non-compliant", message: expect.stringContaining("0.0.0.0/0 goes to internet gateway") }]]);
    // Private route tables (3), their NAT default routes (3) and the public route table itself pass.
    expect(Object.values(byAddress).filter((o) => o.status === "compliant")).toHaveLength(7);
  });
});

describe("VpcDefaultSecurityGroupClosed on VPCs", () => {
  it("flags a VPC whose default security group is never adopted and closed, and passes one that is", () => {
    const { byId } = evaluateRule(VpcDefaultSecurityGroupClosed, (stack) => {
      new Vpc(stack, "open-default", { cidrBlock: "10.1.0.0/16" });
      const closed = new Vpc(stack, "closed-default", { cidrBlock: "10.2.0.0/16" });
      new DefaultSecurityGroup(stack, "closed-default-sg", { vpcId: closed.id, ingress: [], egress: [] });
    });
    expect(byId["open-default"]).toEqual({ status: "non-compliant", message: expect.stringContaining("add an aws_default_security_group with vpc_id set to this VPC") });
    expect(byId["closed-default"].status).toBe("compliant");
  });
});
