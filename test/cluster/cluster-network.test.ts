import { Fn } from "cdktf";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { ClusterNetwork } from "../../lib/cluster/cluster-network";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

function network(options: Partial<ConstructorParameters<typeof ClusterNetwork>[2]> = {}) {
  const stack = awsStack();
  const logsKey = new EncryptionKey(stack, "logs", { purpose: "logs" });
  const net = new ClusterNetwork(stack, "net", { name: "ml-prod", logsKey, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], ...options });
  return { net, ...synth(stack) };
}

describe("ClusterNetwork", () => {
  const { raw, json } = network();
  const subnets = Object.values(resourcesOf(json, "aws_subnet"));
  const priv = subnets.filter((s) => s.tags["secure-inference/tier"] === "private");
  const pub = subnets.filter((s) => s.tags["secure-inference/tier"] === "public-nat-only");
  const lb = subnets.filter((s) => s.tags["secure-inference/tier"] === "ingress");

  it("creates a private, a public and a load balancer subnet in every given zone, none assigning public IPs", () => {
    expect(priv.map((s) => s.availability_zone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(pub.map((s) => s.availability_zone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
  });

  it("reads no zone list from the API when zones are given", () => {
    expect(json.data?.aws_availability_zones).toBeUndefined();
  });

  it("puts internal load balancers in subnets of their own that hold no pods, tagged for the controller", () => {
    expect(lb.map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["us-east-1a", "${cidrsubnet(\"10.0.0.0/16\", 8, 248)}"],
      ["us-east-1b", "${cidrsubnet(\"10.0.0.0/16\", 8, 249)}"],
      ["us-east-1c", "${cidrsubnet(\"10.0.0.0/16\", 8, 250)}"],
    ]);
    const { net } = network();
    expect(net.ingressSubnetCidrs).toEqual(["10.0.248.0/24", "10.0.249.0/24", "10.0.250.0/24"]);
    expect(lb.every((s) => s.tags["kubernetes.io/role/internal-elb"] === "1" && s.tags["kubernetes.io/cluster/ml-prod"] === "shared" && s.map_public_ip_on_launch === false)).toBe(true);
    // Node (pod) subnets are never load balancer subnets.
    expect(priv.every((s) => s.tags["kubernetes.io/role/internal-elb"] === undefined && s.tags["kubernetes.io/cluster/ml-prod"] === "shared")).toBe(true);
    expect(pub.every((s) => s.tags["kubernetes.io/role/elb"] === undefined)).toBe(true);
  });

  it("computes literal load balancer CIDRs for any literal VPC CIDR (cidrsubnet(cidr, 8, 248 + zone))", () => {
    // A /18: 8 more bits give /26s; 248 x 64 addresses past 172.20.0.0 is 172.20.62.0.
    expect(network({ vpcCidr: "172.20.0.0/18" }).net.ingressSubnetCidrs).toEqual(["172.20.62.0/26", "172.20.62.64/26", "172.20.62.128/26"]);
  });

  it("gives a /20 VPC load balancer subnets of /27, the smallest an ALB accepts, clear of the private and public subnets", () => {
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
    const { net } = network({ vpcCidr: "10.9.0.0/20", availabilityZones: zones });
    expect(net.ingressSubnetCidrs).toEqual(["10.9.12.0/27", "10.9.12.32/27", "10.9.12.64/27", "10.9.12.96/27", "10.9.12.128/27", "10.9.12.160/27"]);
    // Private: the first six eighths (10.9.0.0-10.9.11.255); public /28s from 240/256 of the VPC (10.9.15.0 up).
    const addr = (c: string) => c.split("/")[0].split(".").reduce((n, o) => n * 256 + Number(o), 0);
    for (const c of net.ingressSubnetCidrs) {
      expect(Number(c.split("/")[1])).toBeLessThanOrEqual(27);
      expect(addr(c)).toBeGreaterThanOrEqual(addr("10.9.12.0"));
      expect(addr(c) + 32).toBeLessThanOrEqual(addr("10.9.15.0"));
    }
  });

  it("keeps every VPC size from /16 to /20 at load balancer subnets of /27 or larger", () => {
    for (const prefix of [16, 17, 18, 19, 20]) {
      const sizes = network({ vpcCidr: `10.0.0.0/${prefix}` }).net.ingressSubnetCidrs.map((c) => Number(c.split("/")[1]));
      expect({ prefix, ok: sizes.every((s) => s <= 27) }).toEqual({ prefix, ok: true });
    }
  });

  it("refuses a VPC CIDR given as a Terraform reference: the layout is computed at synth time", () => {
    expect(() => network({ vpcCidr: Fn.lookup({ a: "10.0.0.0/16" }, "a", "10.0.0.0/16") })).toThrow(/vpcCidr: is a Terraform reference; .* give the CIDR literally/);
  });

  it("routes private subnets through a NAT gateway per zone and only public subnets to the internet gateway", () => {
    expect(Object.keys(resourcesOf(json, "aws_nat_gateway"))).toHaveLength(3);
    const routes = Object.values(resourcesOf(json, "aws_route"));
    expect(routes.filter((r) => r.gateway_id)).toHaveLength(1);
    expect(routes.filter((r) => r.nat_gateway_id)).toHaveLength(3);
  });

  it("shares one NAT gateway when asked", () => {
    const single = network({ natGateways: "single" });
    expect(Object.keys(resourcesOf(single.json, "aws_nat_gateway"))).toHaveLength(1);
  });

  it("creates the S3 gateway endpoint and interface endpoints for ECR, STS, EKS Auth, CloudWatch Logs and EC2 with private DNS", () => {
    const endpoints = Object.values(resourcesOf(json, "aws_vpc_endpoint"));
    // The partition's reverse DNS prefix: "com.amazonaws", or "cn.com.amazonaws" in China.
    expect(endpoints.every((e) => /^\$\{data\.aws_partition\.\w+\.reverse_dns_prefix\}\.\$\{data\.aws_region\.\w+\.name\}\./.test(e.service_name))).toBe(true);
    const names = endpoints.map((e) => String(e.service_name).replace(/^(\$\{[^}]+\}\.){2}/, ""));
    expect(names.sort()).toEqual(["ec2", "ecr.api", "ecr.dkr", "eks-auth", "logs", "s3", "sts"]);
    expect(endpoints.filter((e) => e.vpc_endpoint_type === "Interface").every((e) => e.private_dns_enabled === true)).toBe(true);
    expect(endpoints.find((e) => e.vpc_endpoint_type === "Gateway").route_table_ids).toHaveLength(3);
  });

  it("admits only HTTPS from the VPC to the endpoints", () => {
    const rule = onlyResource(json, "aws_vpc_security_group_ingress_rule");
    expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: expect.stringMatching(/aws_vpc\.net_vpc_\w+\.cidr_block/) });
  });

  it("locks the default security group (no rules)", () => {
    expect(onlyResource(json, "aws_default_security_group")).toMatchObject({ ingress: [], egress: [] });
  });

  it("logs all VPC flows to a KMS-encrypted log group kept a year", () => {
    expect(raw).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs", max_aggregation_interval: 60 });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/vpc/ml-prod/flow-logs", retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key\.logs/) });
  });

  it("lets only flow logs of this account assume the delivery role, writing only to its log group through a managed (not inline) policy", () => {
    const trust = JSON.parse(onlyResource(json, "aws_iam_role").assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) } } });
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
    const policy = JSON.parse(onlyResource(json, "aws_iam_policy").policy).Statement[0];
    expect(policy.Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.net_flow-log-group_\w+\.arn\}:\*$/);
    expect(onlyResource(json, "aws_iam_role_policy_attachment").policy_arn).toMatch(/aws_iam_policy\.net_flow-log-role-delivery/);
  });

  it("starts the flow log only once its role has its permissions", () => {
    expect(onlyResource(json, "aws_flow_log").depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy_attachment\.net_flow-log-role-delivery-attachment/)]);
  });

  it("prefixes IAM role names (global per account) so a second region can reuse the cluster name", () => {
    expect(onlyResource(json, "aws_iam_role")).toMatchObject({ name_prefix: "ml-prod-flowlogs-" });
    expect(onlyResource(json, "aws_iam_role").name).toBeUndefined();
  });

  it("grants the logs key to CloudWatch Logs for the network's log groups only", () => {
    const key = JSON.parse(onlyResource(json, "aws_kms_key").policy);
    const s = key.Statement.find((x: { Sid: string }) => x.Sid === "CloudWatchLogsEncryptsLogGroups");
    expect(s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([expect.stringMatching(/:log-group:\/aws\/vpc\/ml-prod\/\*$/)]);
  });

  it("carves the subnets with cidrsubnet: /19 private slices, /24 public slices at the top", () => {
    expect(priv.map((s) => s.cidr_block)).toEqual([0, 1, 2].map((i) => `\${cidrsubnet("10.0.0.0/16", 3, ${i})}`));
    expect(pub.map((s) => s.cidr_block)).toEqual([240, 241, 242].map((i) => `\${cidrsubnet("10.0.0.0/16", 8, ${i})}`));
  });

  it("reads zones from the API when none are given, skipping zones EKS does not support and checking there are enough", () => {
    const { json: j } = network({ availabilityZones: undefined, availabilityZoneCount: 2 });
    expect(Object.values(j.data.aws_availability_zones)).toEqual([expect.objectContaining({ exclude_zone_ids: ["use1-az3", "usw1-az2", "cac1-az3"], state: "available" })]);
    expect(onlyResource(j, "aws_vpc").lifecycle.precondition).toEqual([
      { condition: expect.stringMatching(/^\$\{\(length\(data\.aws_availability_zones\.\w+\.names\) >= 2\)\}$/), error_message: expect.stringContaining("availabilityZoneCount is 2") },
    ]);
    // Three subnets (public, private, load balancer) in each of the two zones the API returns.
    const zones = Object.values(resourcesOf(j, "aws_subnet")).map((s) => /names, (\d)\)/.exec(s.availability_zone)?.[1]).sort();
    expect(zones).toEqual(["0", "0", "0", "1", "1", "1"]);
  });

  it("rejects bad settings all at once", () => {
    expect(() => network({ vpcCidr: "10.0.0.0/8", availabilityZones: ["us-east-1a", "us-east-1a"], flowLogRetentionDays: 42, interfaceEndpoints: ["ECR API"] })).toThrow(
      /test\/net: invalid ClusterNetwork props \(4 problems\)[\s\S]*vpcCidr: "10\.0\.0\.0\/8" has prefix \/8[\s\S]*availabilityZones: \["us-east-1a"\] listed more than once[\s\S]*interfaceEndpoints: "ECR API" is not a service suffix[\s\S]*flowLogRetentionDays: 42 is not a CloudWatch Logs retention period/,
    );
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});
