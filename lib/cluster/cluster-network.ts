import { Fn, Op, Token } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { addSuppression } from "../compliance/suppressions";
import { EncryptionKey } from "../security/encryption-key";
import { PolicyDocument } from "../security/policy-document";
import { awsContext } from "../private/aws-context";
import { roleNamePrefix, serviceRole } from "../security/private/iam";
import { DEFAULT_LOG_RETENTION_DAYS, logRetentionProblem } from "../private/log-retention";
import { Problems, isLiteral, parseCidr, show } from "../private/validation";

/** CIDR of a new VPC when none is given. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
/** Index of the first ingress /24 of a /16 (public NAT subnets use 240-245, private /19s the first six eighths). */
const INGRESS_SUBNET_OFFSET = 248;
/**
 * Largest prefix of a subnet an Application Load Balancer accepts: "at least a /27 bitmask (for example,
 * 10.0.0.0/27) and at least 8 free IP addresses" (AWS docs, Elastic Load Balancing User Guide for ALBs,
 * "Subnets for your load balancer").
 */
export const ALB_SUBNET_MAX_PREFIX = 27;

/**
 * Where the ingress subnets of a VPC go: `cidrsubnet(vpc, newBits, offset + zone)`. 1/256 of the VPC (a /24
 * in a /16) while that is at least a /27; a /20 VPC gets /27s at the start of its seventh eighth (the
 * private subnets hold the first six, the public /28s sit at the top), so an ALB always fits.
 */
export function ingressSubnetLayout(vpcPrefix: number): { newBits: number; offset: number } {
  const newBits = Math.min(8, ALB_SUBNET_MAX_PREFIX - vpcPrefix);
  return newBits === 8 ? { newBits, offset: INGRESS_SUBNET_OFFSET } : { newBits, offset: (2 ** newBits * 6) / 8 };
}

/** `cidrsubnet` computed at synth time for a literal IPv4 CIDR; undefined for a token. */
function literalSubnet(cidr: string, newBits: number, netNum: number): string | undefined {
  const parsed = Token.isUnresolved(cidr) ? undefined : parseCidr(cidr);
  if (!parsed) return undefined;
  const prefix = parsed.prefix + newBits;
  const base = (parsed.base + netNum * 2 ** (32 - prefix)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join(".")}/${prefix}`;
}

/**
 * Interface VPC endpoints for the calls nodes make most: image pulls (ECR API and registry),
 * credentials (STS, and EKS Auth for Pod Identity), logs, and the EC2 API used by the VPC CNI.
 * Other AWS APIs (KMS, Auto Scaling, ELB) go out through the NAT gateways.
 */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly string[] = ["ecr.api", "ecr.dkr", "sts", "eks-auth", "logs", "ec2"];

/**
 * Zone ids where EKS cannot place a control plane (CreateCluster answers
 * UnsupportedAvailabilityZoneException): never chosen when zones are read from the API.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** How many NAT gateways the network runs. */
export type NatGatewayMode = "one-per-az" | "single";

/** Settings of a new VPC created for the cluster. */
export interface ClusterNetworkOptions {
  /**
   * IPv4 CIDR of the VPC, /16 to /20, as a literal. Private subnets get 1/8 of it each, public (NAT) subnets 1/256 each
   * at the top, and the internal load balancers' subnets 1/256 each (a /24 in a /16), but never smaller than the /27 an ALB needs.
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Availability zone names, at least 2. Giving them avoids an EC2 API read at plan time.
   * @default - the first `availabilityZoneCount` zones that `aws_availability_zones` returns
   */
  readonly availabilityZones?: string[];
  /**
   * Number of zones to use when `availabilityZones` is not given (2 to 6).
   * @default 3
   */
  readonly availabilityZoneCount?: number;
  /**
   * "one-per-az" keeps each zone's egress independent of the others; "single" saves cost at the price of a shared failure point.
   * @default "one-per-az"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Interface endpoint service suffixes (e.g. "ecr.api") created in the private subnets. The S3 gateway endpoint is always created.
   * @default DEFAULT_INTERFACE_ENDPOINTS
   */
  readonly interfaceEndpoints?: string[];
  /**
   * Days to keep VPC flow logs (a CloudWatch Logs retention value, at least 365).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/** Props of a ClusterNetwork. */
export interface ClusterNetworkProps extends ClusterNetworkOptions {
  /** Name used in resource names and the `kubernetes.io/cluster/<name>` subnet tag, usually the cluster name. */
  readonly name: string;
  /** Key that encrypts the flow-log log group. It is granted to CloudWatch Logs by this construct. */
  readonly logsKey: EncryptionKey;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A VPC for a private EKS cluster: private node subnets in every zone, public subnets
 * that hold only NAT gateways, VPC endpoints so that image pulls, credentials and logs stay
 * inside the VPC, a locked default security group, and flow logs to a KMS-encrypted log group.
 */
export class ClusterNetwork extends Construct {
  /** Validates props without creating anything; returns one line per problem, each starting with `prefix`. */
  static validate(props: ClusterNetworkOptions, prefix = ""): string[] {
    const p = new Problems();
    const cidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    if (isLiteral(cidr)) {
      const parsed = parseCidr(cidr);
      if (!parsed) p.add(`${prefix}vpcCidr`, `${show(cidr)} is not an IPv4 CIDR; use e.g. "10.0.0.0/16"`);
      else if (parsed.prefix < 16 || parsed.prefix > 20) p.add(`${prefix}vpcCidr`, `${show(cidr)} has prefix /${parsed.prefix}; use /16 to /20 so every zone gets room for pod IPs`);
    } else {
      p.add(`${prefix}vpcCidr`, `is a Terraform reference; the subnet layout (private eighths, load balancer subnets of at least /${ALB_SUBNET_MAX_PREFIX}) is computed at synth time, so give the CIDR literally, e.g. "10.0.0.0/16"`);
    }
    if (props.availabilityZones !== undefined) {
      const azs = props.availabilityZones;
      if (azs.length < 2) p.add(`${prefix}availabilityZones`, `${show(azs)} has ${azs.length} zone(s); give at least 2 so the cluster survives a zone outage`);
      if (azs.length > 6) p.add(`${prefix}availabilityZones`, `${azs.length} zones given; use at most 6`);
      const dupes = azs.filter((z, i) => azs.indexOf(z) !== i);
      if (dupes.length) p.add(`${prefix}availabilityZones`, `${show(dupes)} listed more than once; list each zone once`);
      for (const az of azs) {
        if (isLiteral(az) && !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(az)) p.add(`${prefix}availabilityZones`, `${show(az)} is not an availability zone name; use e.g. "us-east-1a"`);
      }
      if (props.availabilityZoneCount !== undefined) p.add(`${prefix}availabilityZoneCount`, "give either availabilityZones or availabilityZoneCount, not both");
    }
    const count = props.availabilityZoneCount;
    if (count !== undefined && (count < 2 || count > 6 || !Number.isInteger(count))) p.add(`${prefix}availabilityZoneCount`, `${count} must be an integer from 2 to 6`);
    if (props.natGateways !== undefined && !["one-per-az", "single"].includes(props.natGateways)) p.add(`${prefix}natGateways`, `${show(props.natGateways)} must be "one-per-az" or "single"`);
    for (const e of props.interfaceEndpoints ?? []) {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(e)) p.add(`${prefix}interfaceEndpoints`, `${show(e)} is not a service suffix; use e.g. "ecr.api"`);
    }
    const retention = props.flowLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    const rp = logRetentionProblem(retention);
    if (rp) p.add(`${prefix}flowLogRetentionDays`, rp);
    return [...p.list];
  }

  /** The VPC id. */
  public readonly vpcId: string;
  /** The VPC CIDR. */
  public readonly vpcCidr: string;
  /** Private subnet ids, one per zone, where nodes and internal load balancers live. */
  public readonly privateSubnetIds: string[];
  /** Public subnet ids, one per zone; they hold NAT gateways only. */
  public readonly publicSubnetIds: string[];
  /** Subnets (one per zone: a /24 in a /16 VPC, a /27 in a /20) for internal load balancers and the metrics scraper; no pods live there. */
  public readonly ingressSubnetIds: string[];
  /** Their CIDRs, as literals when the VPC CIDR is one. */
  public readonly ingressSubnetCidrs: string[];
  /** Zone names in subnet order (Terraform references when read from the API). */
  public readonly availabilityZones: string[];
  /** Security group of the interface endpoints (HTTPS from the VPC). */
  public readonly endpointSecurityGroupId: string;
  /** Name of the flow-log log group. */
  public readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(ClusterNetwork.validate(props));
    problems.throwIfAny(this, "ClusterNetwork");

    const ctx = awsContext(this);
    const tags = props.tags ?? {};
    const name = props.name;
    const cidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const ingressLayout = ingressSubnetLayout(parseCidr(cidr)!.prefix);

    let azs: string[];
    let zonesRead: { names: string[]; count: number } | undefined;
    if (props.availabilityZones) {
      azs = [...props.availabilityZones];
    } else {
      const count = props.availabilityZoneCount ?? 3;
      const available = new DataAwsAvailabilityZones(this, "zones", {
        state: "available",
        excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
        filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      });
      zonesRead = { names: available.names, count };
      // element() wraps around: without this check a 2-zone region would silently double up a zone.
      azs = Array.from({ length: count }, (_, i) => Fn.element(available.names, i));
    }
    this.availabilityZones = azs;

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { ...tags, Name: name },
      lifecycle: zonesRead
        ? {
            precondition: [{
              condition: Op.gte(Fn.lengthOf(zonesRead.names), zonesRead.count),
              errorMessage: `availabilityZoneCount is ${zonesRead.count} but the region offers fewer zones that EKS supports; lower availabilityZoneCount or list availabilityZones.`,
            }],
          }
        : undefined,
    });
    this.vpcId = vpc.id;
    this.vpcCidr = vpc.cidrBlock;

    // The default security group admits all traffic between its members; nothing should use it.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, ingress: [], egress: [], tags: { ...tags, Name: `${name}-default-unused` } });

    const igw = new InternetGateway(this, "igw", { vpcId: vpc.id, tags: { ...tags, Name: name } });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: vpc.id, tags: { ...tags, Name: `${name}-public` } });
    const publicRoute = new Route(this, "public-default-route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    addSuppression(publicRoute, {
      id: "VpcNoUnrestrictedRouteToIgw",
      reason: "Only the public subnets route to the internet gateway, and they hold nothing but the NAT gateways; nodes, endpoints and load balancers live in private subnets without public IPs.",
    });

    const single = props.natGateways === "single";
    const privateSubnets: Subnet[] = [];
    const publicSubnets: Subnet[] = [];
    const ingressSubnets: Subnet[] = [];
    const privateRouteTables: RouteTable[] = [];
    const nats: NatGateway[] = [];
    azs.forEach((az, i) => {
      const suffix = Token.isUnresolved(az) ? `${i}` : az;
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        // Public slices at the top of the range: /24 in a /16.
        cidrBlock: Fn.cidrsubnet(cidr, 8, 240 + i),
        mapPublicIpOnLaunch: false,
        tags: { ...tags, Name: `${name}-public-${suffix}`, "secure-inference/tier": "public-nat-only" },
      });
      new RouteTableAssociation(this, `public-${i}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      publicSubnets.push(pub);

      const priv = new Subnet(this, `private-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        // One eighth of the VPC per zone (/19 in a /16): VPC CNI gives every pod a VPC address.
        cidrBlock: Fn.cidrsubnet(cidr, 3, i),
        mapPublicIpOnLaunch: false,
        tags: {
          ...tags,
          Name: `${name}-private-${suffix}`,
          "secure-inference/tier": "private",
          [`kubernetes.io/cluster/${name}`]: "shared",
        },
      });
      privateSubnets.push(priv);

      // Internal load balancers and the metrics scraper get subnets of their own, which hold no pods:
      // NetworkPolicies can then admit exactly them (an ipBlock of the node subnets admits every pod).
      const ingress = new Subnet(this, `ingress-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: Fn.cidrsubnet(cidr, ingressLayout.newBits, ingressLayout.offset + i),
        mapPublicIpOnLaunch: false,
        tags: {
          ...tags,
          Name: `${name}-ingress-${suffix}`,
          "secure-inference/tier": "ingress",
          // The AWS Load Balancer Controller places internal load balancers in subnets with this tag.
          "kubernetes.io/role/internal-elb": "1",
          [`kubernetes.io/cluster/${name}`]: "shared",
        },
      });
      ingressSubnets.push(ingress);

      if (!single || i === 0) {
        const eip = new Eip(this, `nat-${i}-ip`, { domain: "vpc", tags: { ...tags, Name: `${name}-nat-${suffix}` }, dependsOn: [igw] });
        nats.push(new NatGateway(this, `nat-${i}`, { allocationId: eip.allocationId, subnetId: pub.id, tags: { ...tags, Name: `${name}-${suffix}` }, dependsOn: [igw] }));
      }
      const rt = new RouteTable(this, `private-${i}-routes`, { vpcId: vpc.id, tags: { ...tags, Name: `${name}-private-${suffix}` } });
      new Route(this, `private-${i}-default-route`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[single ? 0 : i].id });
      new RouteTableAssociation(this, `private-${i}-association`, { subnetId: priv.id, routeTableId: rt.id });
      new RouteTableAssociation(this, `ingress-${i}-association`, { subnetId: ingress.id, routeTableId: rt.id });
      privateRouteTables.push(rt);
    });
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.ingressSubnetIds = ingressSubnets.map((s) => s.id);
    this.ingressSubnetCidrs = azs.map((_, i) => literalSubnet(cidr, ingressLayout.newBits, ingressLayout.offset + i) as string);

    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: vpc.id,
      serviceName: `${ctx.reverseDnsPrefix}.${ctx.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: privateRouteTables.map((r) => r.id),
      tags: { ...tags, Name: `${name}-s3` },
    });

    const endpointSg = new SecurityGroup(this, "endpoint-sg", {
      name: `${name}-vpc-endpoints`,
      description: "HTTPS from inside the VPC to interface VPC endpoints",
      vpcId: vpc.id,
      tags: { ...tags, Name: `${name}-vpc-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, "endpoint-https-from-vpc", {
      securityGroupId: endpointSg.id,
      description: "HTTPS from the VPC",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: vpc.cidrBlock,
    });
    this.endpointSecurityGroupId = endpointSg.id;
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, "-")}`, {
        vpcId: vpc.id,
        serviceName: `${ctx.reverseDnsPrefix}.${ctx.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnetIds,
        securityGroupIds: [endpointSg.id],
        tags: { ...tags, Name: `${name}-${service}` },
      });
    }

    // Flow logs: every accepted and rejected flow, to a KMS-encrypted group with retention.
    this.flowLogGroupName = `/aws/vpc/${name}/flow-logs`;
    props.logsKey.grantCloudWatchLogs(`/aws/vpc/${name}/*`);
    const group = new CloudwatchLogGroup(this, "flow-log-group", {
      name: this.flowLogGroupName,
      retentionInDays: props.flowLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      kmsKeyId: props.logsKey.keyArn,
      tags,
    });
    const { role, attachments } = serviceRole(this, "flow-log-role", {
      namePrefix: roleNamePrefix(name, "flowlogs"),
      service: "vpc-flow-logs.amazonaws.com",
      description: `Delivers VPC flow logs of ${name} to CloudWatch Logs`,
      // Confused-deputy guard: only flow logs of this account may assume the role.
      conditions: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
      policies: {
        delivery: {
          description: `Writes VPC flow logs of ${name} to its log group only`,
          document: new PolicyDocument([{
            sid: "WriteFlowLogs",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [`${group.arn}:*`],
          }]),
        },
      },
      tags,
    });
    new FlowLog(this, "flow-log", {
      vpcId: vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { ...tags, Name: name },
      dependsOn: attachments,
    });
  }
}
