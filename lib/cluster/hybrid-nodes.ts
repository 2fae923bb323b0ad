/*
 * EKS Hybrid Nodes: your own servers (on premises, at the edge) joined to the cluster as nodes.
 *
 * Sources (EKS user guide, awsdocs/amazon-eks-user-guide latest/ug/nodes/, read 2026-12-03):
 * - hybrid-nodes-networking: remote node and pod CIDRs; IPv4 RFC 1918 ranges (CGNAT 100.64.0.0/10 also accepted),
 *   no overlap with the VPC CIDR, the Kubernetes service CIDR or each other; the cluster security group admits
 *   the remote node and pod CIDRs on TCP 443; the control plane reaches kubelet on TCP 10250 and webhooks in pods.
 *   The API reference (API_RemoteNodeNetwork) gives the sizes: /8 to /32.
 * - hybrid-nodes-creds: the Hybrid Nodes IAM role (AmazonEKSHybridNodesRole): eks:DescribeCluster (and
 *   eks:ListAccessEntries) for nodeadm, AmazonEC2ContainerRegistryPullOnly; with SSM also AmazonSSMManagedInstanceCore
 *   and ssm:DescribeInstanceInformation / ssm:DeregisterManagedInstance scoped by the activation's EKSClusterARN tag;
 *   optional eks-auth:AssumeRoleForPodIdentity. Trust: ssm.amazonaws.com with aws:SourceAccount and aws:SourceArn
 *   arn:aws:ssm:<region>:<account>:*; or rolesanywhere.amazonaws.com with aws:SourceArn = the trust anchor, and
 *   sts:RoleSessionName = ${aws:PrincipalTag/x509Subject/CN} on sts:AssumeRole (the node name is the certificate's CN).
 * - hybrid-nodes-cluster-prep: an access entry of type HYBRID_LINUX maps the role (no access policy is associated).
 * - hybrid-nodes-add-ons: the VPC CNI does not run on hybrid nodes (bring Cilium or Calico, hybrid-nodes-cni); the Pod
 *   Identity Agent runs there with its "hybrid" DaemonSet and nodeadm's enableCredentialsFile.
 */
import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { RolesanywhereProfile } from "@cdktf/provider-aws/lib/rolesanywhere-profile";
import { RolesanywhereTrustAnchor } from "@cdktf/provider-aws/lib/rolesanywhere-trust-anchor";
import { SsmActivation } from "@cdktf/provider-aws/lib/ssm-activation";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { awsContext } from "../private/aws-context";
import { isLiteral, parseCidr, Problems, show } from "../private/validation";
import { PolicyDocument } from "../security/policy-document";
import { roleNamePrefix } from "../security/private/iam";

/** The CNI that runs on the hybrid nodes: the VPC CNI cannot (hybrid-nodes-cni); EKS supports these two there. */
export type HybridNodesCni = "cilium" | "calico";

/** AWS SSM hybrid activations: no PKI needed (recommended without one). Node names become "mi-..." ids. */
export interface SsmHybridCredentials {
  /** Credential provider. */
  readonly provider: "ssm";
  /**
   * Creates the SSM hybrid activation too, tagged with the cluster ARN (which scopes the role's deregister permission).
   * Its activation code lands in Terraform state: keep the state encrypted and access-controlled, or create the
   * activation yourself with `aws ssm create-activation --iam-role <role> --tags Key=EKSClusterARN,Value=<cluster ARN>`.
   * @default - no activation (create it when you join servers)
   */
  readonly activation?: {
    /** Most servers that may register with it, e.g. 4. */
    readonly registrationLimit: number;
    /**
     * When the activation expires (RFC 3339), e.g. "2027-01-31T00:00:00Z".
     * @default - SSM's default: 24 hours after creation
     */
    readonly expirationDate?: string;
  };
}

/** AWS IAM Roles Anywhere: X.509 certificates from your CA (use it when you have a PKI). Node names are the certificates' CN. */
export interface RolesAnywhereCredentials {
  /** Credential provider. */
  readonly provider: "iam-roles-anywhere";
  /** The CA that issues the servers' certificates: an AWS Private CA, or your CA's certificate (PEM body). */
  readonly certificateAuthority: { readonly acmPcaArn: string } | { readonly x509CertificatePem: string };
  /**
   * Lifetime of the temporary credentials, seconds (900 to 43200); the role's maximum session is one hour longer.
   * @default 3600
   */
  readonly sessionDurationSeconds?: number;
}

/** How hybrid nodes get temporary IAM credentials: exactly one provider (hybrid-nodes-creds). */
export type HybridNodeCredentials = SsmHybridCredentials | RolesAnywhereCredentials;

/** EKS Hybrid Nodes on a SecureInferenceCluster. */
export interface HybridNodesOptions {
  /**
   * CIDRs your on-premises servers have: private IPv4 (10/8, 172.16/12, 192.168/16 or 100.64/10), /8 to /32, not
   * overlapping the VPC, the Kubernetes service range or each other; routed to the VPC (VPN or Direct Connect).
   */
  readonly remoteNodeNetworks: string[];
  /**
   * CIDRs your CNI gives pods on the hybrid nodes. Needed for webhooks there and for internal load balancers with IP
   * targets (endpoints on an on-premises pool): those pod IPs must be routable from the VPC (e.g. BGP from the CNI).
   * @default - none: endpoints cannot be placed on on-premises pools
   */
  readonly remotePodNetworks?: string[];
  /** How the servers get IAM credentials. */
  readonly credentials: HybridNodeCredentials;
  /**
   * The CNI you install on the hybrid nodes (the add-ons stack does not install one).
   * @default "cilium"
   */
  readonly cni?: HybridNodesCni;
  /**
   * TCP ports of webhooks that run in pods on hybrid nodes and that the control plane calls (egress to the remote pod networks).
   * @default [443, 9443]
   */
  readonly webhookPorts?: number[];
}

/** Props of HybridNodes. */
export interface HybridNodesProps extends HybridNodesOptions {
  /** Name of the EKS cluster (pass the resource's name, so the access entry follows the cluster). */
  readonly clusterName: string;
  /** The cluster name as a literal, for IAM names. */
  readonly clusterLiteralName: string;
  /** ARN of the EKS cluster. */
  readonly clusterArn: string;
  /** Security group on the control plane's network interfaces (the cluster's API access group). */
  readonly controlPlaneSecurityGroupId: string;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** The TCP port of the Kubernetes API (control plane) and of the kubelet (hybrid-nodes-networking). */
export const HYBRID_NODE_PORTS = { api: 443, kubelet: 10250 } as const;
const DEFAULT_WEBHOOK_PORTS = [443, 9443];
/** Ranges EKS accepts for remote networks: RFC 1918, and CGNAT (RFC 6598). */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

function within(inner: { base: number; prefix: number }, outer: { base: number; prefix: number }): boolean {
  if (inner.prefix < outer.prefix) return false;
  const mask = outer.prefix === 0 ? 0 : (~0 << (32 - outer.prefix)) >>> 0;
  return ((inner.base & mask) >>> 0) === ((outer.base & mask) >>> 0);
}
function overlaps(a: { base: number; prefix: number }, b: { base: number; prefix: number }): boolean {
  return within(a, b) || within(b, a);
}

/**
 * The cloud side of EKS Hybrid Nodes: the Hybrid Nodes IAM role with the chosen credential provider (SSM hybrid
 * activation, or an IAM Roles Anywhere trust anchor and profile), its access entry of type HYBRID_LINUX, and the
 * control plane's security group rules for the remote networks. The connectivity (VPN or Direct Connect, routes
 * to the remote networks, on-premises firewall ports) and the CNI on the servers are yours: see the README.
 */
export class HybridNodes extends Construct {
  /**
   * Validates the options against the VPC CIDR (when known); one line per problem, each starting with `prefix`
   * and naming the value and the fix.
   */
  static validate(options: HybridNodesOptions, vpcCidr: string | undefined, prefix = ""): string[] {
    const p = new Problems();
    const vpc = vpcCidr !== undefined && isLiteral(vpcCidr) ? parseCidr(vpcCidr) : undefined;
    // EKS picks the service range from the VPC's: 172.20.0.0/16 when the VPC is in 10.0.0.0/8, else 10.100.0.0/16.
    const serviceCidr = vpc ? (within(vpc, parseCidr("10.0.0.0/8")!) ? "172.20.0.0/16" : "10.100.0.0/16") : undefined;
    const seen: Array<{ prop: string; cidr: string; parsed: { base: number; prefix: number } }> = [];
    const check = (prop: string, cidrs: string[] | undefined, required: boolean) => {
      if (cidrs === undefined) return;
      if (cidrs.length === 0) {
        p.add(`${prefix}${prop}`, required ? `is empty; list the CIDRs of your on-premises servers, e.g. ["10.200.0.0/24"]` : "is empty; omit it, or list the CIDRs your CNI gives pods on the hybrid nodes");
        return;
      }
      cidrs.forEach((cidr, i) => {
        const at = `${prefix}${prop}[${i}]`;
        if (!isLiteral(cidr)) {
          p.add(at, "must be a literal CIDR: EKS validates the remote networks at creation, and so does synth");
          return;
        }
        const parsed = parseCidr(cidr);
        if (!parsed) return p.add(at, `${show(cidr)} is not an IPv4 CIDR; use e.g. "10.200.0.0/24"`);
        if (parsed.prefix < 8) return p.add(at, `${show(cidr)} is larger than the /8 EKS accepts for a remote network; split it or use a smaller range`);
        if (!PRIVATE_RANGES.some((r) => within(parsed, parseCidr(r)!))) {
          return p.add(at, `${show(cidr)} is not a private range; remote networks must be inside ${PRIVATE_RANGES.join(", ")} (publicly routable addresses are not supported): renumber, or use a private range routed over your VPN or Direct Connect`);
        }
        if (vpc && overlaps(parsed, vpc)) p.add(at, `${show(cidr)} overlaps the VPC CIDR ${vpcCidr}; the VPC routes it locally, so traffic would never reach your servers: use a range outside ${vpcCidr}`);
        if (serviceCidr && overlaps(parsed, parseCidr(serviceCidr)!)) p.add(at, `${show(cidr)} overlaps the cluster's Kubernetes service range ${serviceCidr}; use a range outside it`);
        const clash = seen.find((s) => overlaps(s.parsed, parsed));
        if (clash) p.add(at, `${show(cidr)} overlaps ${clash.prop} ${show(clash.cidr)}; node and pod networks must not overlap each other: give each its own range`);
        seen.push({ prop: at.slice(prefix.length), cidr, parsed });
      });
    };
    check("remoteNodeNetworks", options.remoteNodeNetworks ?? [], true);
    check("remotePodNetworks", options.remotePodNetworks, false);
    if (options.cni !== undefined && !["cilium", "calico"].includes(options.cni)) p.add(`${prefix}cni`, `${show(options.cni)} must be "cilium" or "calico", the CNIs EKS supports on hybrid nodes (the VPC CNI does not run there)`);
    for (const port of options.webhookPorts ?? []) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) p.add(`${prefix}webhookPorts`, `${show(port)} is not a TCP port (1-65535)`);
    }
    const creds = options.credentials;
    if (!creds || !["ssm", "iam-roles-anywhere"].includes(creds.provider)) {
      p.add(`${prefix}credentials.provider`, `${show(creds?.provider)} must be "ssm" (SSM hybrid activations; no PKI needed) or "iam-roles-anywhere" (certificates from your CA)`);
    } else if (creds.provider === "ssm" && creds.activation) {
      const limit = creds.activation.registrationLimit;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) p.add(`${prefix}credentials.activation.registrationLimit`, `${show(limit)} must be a whole number of servers from 1 to 1000 (SSM's standard tier)`);
      const exp = creds.activation.expirationDate;
      if (exp !== undefined && isLiteral(exp) && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(exp)) {
        p.add(`${prefix}credentials.activation.expirationDate`, `${show(exp)} is not an RFC 3339 time; use e.g. "2027-01-31T00:00:00Z"`);
      }
    } else if (creds.provider === "iam-roles-anywhere") {
      const ca = creds.certificateAuthority as { acmPcaArn?: string; x509CertificatePem?: string } | undefined;
      const given = [ca?.acmPcaArn, ca?.x509CertificatePem].filter((x) => x !== undefined).length;
      if (given !== 1) p.add(`${prefix}credentials.certificateAuthority`, "give exactly one of acmPcaArn (an AWS Private CA) or x509CertificatePem (your CA's certificate)");
      else if (ca?.acmPcaArn !== undefined && isLiteral(ca.acmPcaArn) && !/^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/.test(ca.acmPcaArn)) {
        p.add(`${prefix}credentials.certificateAuthority.acmPcaArn`, `${show(ca.acmPcaArn)} is not an AWS Private CA ARN; use e.g. "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b2c3d-..."`);
      } else if (ca?.x509CertificatePem !== undefined && isLiteral(ca.x509CertificatePem) && !ca.x509CertificatePem.includes("BEGIN CERTIFICATE")) {
        p.add(`${prefix}credentials.certificateAuthority.x509CertificatePem`, "is not a PEM certificate (-----BEGIN CERTIFICATE-----); give your CA's certificate, never a public CA's");
      }
      const d = creds.sessionDurationSeconds;
      if (d !== undefined && (!Number.isInteger(d) || d < 900 || d > 43200)) p.add(`${prefix}credentials.sessionDurationSeconds`, `${show(d)} must be whole seconds from 900 to 43200 (IAM Roles Anywhere's limits)`);
    }
    return [...p.list];
  }

  /** The Hybrid Nodes IAM role: the servers' identity (pass it to `aws ssm create-activation --iam-role` or the Roles Anywhere profile). */
  public readonly role: IamRole;
  /** Its access entry (type HYBRID_LINUX). */
  public readonly accessEntry: EksAccessEntry;
  /** The SSM hybrid activation, when asked for. */
  public readonly ssmActivation?: SsmActivation;
  /** The IAM Roles Anywhere trust anchor, with that provider. */
  public readonly trustAnchor?: RolesanywhereTrustAnchor;
  /** The IAM Roles Anywhere profile, with that provider. */
  public readonly profile?: RolesanywhereProfile;
  /** The CNI the servers run. */
  public readonly cni: HybridNodesCni;
  /** CIDRs of the hybrid nodes, as given. */
  public readonly remoteNodeNetworks: string[];
  /** CIDRs of the pods on hybrid nodes, as given (empty when none were declared). */
  public readonly remotePodNetworks: string[];

  constructor(scope: Construct, id: string, props: HybridNodesProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(HybridNodes.validate(props, undefined));
    problems.throwIfAny(this, "HybridNodes");

    const ctx = awsContext(this);
    const tags = props.tags ?? {};
    const name = props.clusterLiteralName;
    this.cni = props.cni ?? "cilium";
    this.remoteNodeNetworks = [...props.remoteNodeNetworks];
    this.remotePodNetworks = [...(props.remotePodNetworks ?? [])];
    const creds = props.credentials;

    let trust: PolicyDocument;
    if (creds.provider === "ssm") {
      trust = new PolicyDocument([
        {
          sid: "SsmHybridActivationAssumesRole",
          actions: ["sts:AssumeRole"],
          principals: { Service: ["ssm.amazonaws.com"] },
          // Confused-deputy guard: only SSM acting for this account and region.
          conditions: { StringEquals: { "aws:SourceAccount": ctx.accountId }, ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:*` } },
        },
      ]);
    } else {
      const ca = creds.certificateAuthority as { acmPcaArn?: string; x509CertificatePem?: string };
      this.trustAnchor = new RolesanywhereTrustAnchor(this, "trust-anchor", {
        name: `${name}-hybrid-nodes`,
        enabled: true,
        source: ca.acmPcaArn !== undefined
          ? { sourceType: "AWS_ACM_PCA", sourceData: { acmPcaArn: ca.acmPcaArn } }
          : { sourceType: "CERTIFICATE_BUNDLE", sourceData: { x509CertificateData: ca.x509CertificatePem } },
        tags,
      });
      const anchor = { ArnEquals: { "aws:SourceArn": this.trustAnchor.arn } };
      trust = new PolicyDocument([
        { sid: "RolesAnywhereTagsSession", actions: ["sts:TagSession", "sts:SetSourceIdentity"], principals: { Service: ["rolesanywhere.amazonaws.com"] }, conditions: anchor },
        {
          sid: "RolesAnywhereAssumesRoleAsNode",
          actions: ["sts:AssumeRole"],
          principals: { Service: ["rolesanywhere.amazonaws.com"] },
          // The session (node) name must be the certificate's CN: one server cannot pose as another. "$$" keeps
          // Terraform from reading the IAM policy variable as an interpolation.
          conditions: { ...anchor, StringEquals: { "sts:RoleSessionName": "$${aws:PrincipalTag/x509Subject/CN}" } },
        },
      ]);
    }
    const duration = creds.provider === "iam-roles-anywhere" ? (creds.sessionDurationSeconds ?? 3600) : 3600;
    this.role = new IamRole(this, "role", {
      namePrefix: roleNamePrefix(name, "hybrid-nodes"),
      description: `EKS Hybrid Nodes of cluster ${name} (${creds.provider === "ssm" ? "SSM hybrid activations" : "IAM Roles Anywhere"})`,
      assumeRolePolicy: trust.toJson(),
      // Roles Anywhere needs the role's maximum session above the profile's duration (hybrid-nodes-creds).
      maxSessionDuration: Math.min(43200, duration + 3600),
      tags,
    });

    const statements = new PolicyDocument([
      // nodeadm reads the cluster's endpoint, CA and service range, and checks its access entry.
      { sid: "NodeadmReadsCluster", actions: ["eks:DescribeCluster", "eks:ListAccessEntries"], resources: [props.clusterArn] },
      // The Pod Identity Agent's hybrid DaemonSet exchanges the node's credentials for pods' ones.
      { sid: "PodIdentityAgent", actions: ["eks-auth:AssumeRoleForPodIdentity"], resources: [props.clusterArn] },
    ]);
    if (creds.provider === "ssm") {
      statements.addStatements(
        // DescribeInstanceInformation has no resource-level permissions; nodeadm uninstall needs it.
        { sid: "NodeadmFindsItsInstance", actions: ["ssm:DescribeInstanceInformation"], resources: ["*"] },
        {
          sid: "NodeadmDeregistersOwnClusterInstances",
          actions: ["ssm:DeregisterManagedInstance"],
          resources: [`arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:managed-instance/*`],
          conditions: { StringEquals: { "ssm:resourceTag/EKSClusterARN": props.clusterArn } },
        },
      );
    }
    const policy = new IamPolicy(this, "policy", {
      namePrefix: roleNamePrefix(name, "hybrid-nodes"),
      description: `What the hybrid nodes of ${name} need: nodeadm, Pod Identity${creds.provider === "ssm" ? ", SSM deregistration" : ""}`,
      policy: statements.toJson(),
      tags,
    });
    const attachments = [new IamRolePolicyAttachment(this, "policy-attachment", { role: this.role.name, policyArn: policy.arn })];
    const managed = ["AmazonEC2ContainerRegistryPullOnly", ...(creds.provider === "ssm" ? ["AmazonSSMManagedInstanceCore"] : [])];
    for (const m of managed) attachments.push(new IamRolePolicyAttachment(this, `managed-${m}`, { role: this.role.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/${m}` }));

    if (creds.provider === "ssm" && creds.activation) {
      this.ssmActivation = new SsmActivation(this, "activation", {
        name: `${name}-hybrid-nodes`,
        description: `Hybrid nodes of EKS cluster ${name}`,
        iamRole: this.role.name,
        registrationLimit: creds.activation.registrationLimit,
        expirationDate: creds.activation.expirationDate,
        // The role may deregister only instances of activations with this tag.
        tags: { ...tags, EKSClusterARN: props.clusterArn },
        dependsOn: attachments,
      });
    }
    if (creds.provider === "iam-roles-anywhere") {
      // Provider 5.100 has no accept_role_session_name: turn it on after apply (the README says how), else nodeadm cannot name the node.
      this.profile = new RolesanywhereProfile(this, "profile", {
        name: `${name}-hybrid-nodes`,
        enabled: true,
        roleArns: [this.role.arn],
        durationSeconds: duration,
        tags,
      });
    }

    this.accessEntry = new EksAccessEntry(this, "access-entry", { clusterName: props.clusterName, principalArn: this.role.arn, type: "HYBRID_LINUX", tags });

    // The control plane's network interfaces: the servers and their pods call the API; the control plane calls
    // kubelet (logs, exec, port-forward) and webhooks in pods on the servers.
    const sg = props.controlPlaneSecurityGroupId;
    const remote = [...this.remoteNodeNetworks.map((c) => ({ cidr: c, kind: "node" })), ...this.remotePodNetworks.map((c) => ({ cidr: c, kind: "pod" }))];
    remote.forEach(({ cidr, kind }, i) => {
      new VpcSecurityGroupIngressRule(this, `api-from-remote-${i}`, {
        securityGroupId: sg,
        description: `Kubernetes API over HTTPS from remote ${kind} network ${cidr}`,
        ipProtocol: "tcp",
        fromPort: HYBRID_NODE_PORTS.api,
        toPort: HYBRID_NODE_PORTS.api,
        cidrIpv4: cidr,
        tags,
      });
    });
    this.remoteNodeNetworks.forEach((cidr, i) => {
      new VpcSecurityGroupEgressRule(this, `kubelet-to-remote-${i}`, {
        securityGroupId: sg,
        description: `Control plane to kubelet on remote node network ${cidr}`,
        ipProtocol: "tcp",
        fromPort: HYBRID_NODE_PORTS.kubelet,
        toPort: HYBRID_NODE_PORTS.kubelet,
        cidrIpv4: cidr,
        tags,
      });
    });
    const ports = props.webhookPorts ?? DEFAULT_WEBHOOK_PORTS;
    this.remotePodNetworks.forEach((cidr, i) => {
      for (const port of ports) {
        new VpcSecurityGroupEgressRule(this, `webhook-to-remote-${i}-${port}`, {
          securityGroupId: sg,
          description: `Control plane to webhooks on port ${port} in remote pod network ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
          tags,
        });
      }
    });
  }
}
