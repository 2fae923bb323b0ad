import { TerraformOutput, TerraformStack, Token, dependable } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { GpuCatalog } from "../planning/gpu-catalog";
import { AuditTrail, AuditTrailOptions } from "../security/audit-trail";
import { PodIdentityRole } from "../security/pod-identity-role";
import { SecureBucket } from "../security/secure-bucket";
import { AccessEntry, ClusterAccessGrant, ClusterAccessTarget } from "./access-entry";
import { ClusterAccess, ClusterAccessOptions } from "./cluster-access";
import { ClusterConnection } from "./cluster-connection";
import { ClusterMonitoring, ClusterMonitoringOptions } from "./cluster-monitoring";
import { ControllerName, ControllerRoles, ControllerServiceAccount } from "./controller-roles";
import { AwsContext, awsContext, providerRegion, uniqueNameClaim } from "../private/aws-context";
import { roleNamePrefix, serviceRole } from "../security/private/iam";
import { DEFAULT_LOG_RETENTION_DAYS, logRetentionProblem } from "../private/log-retention";
import { Problems, isLiteral, isOpenToWorld, parseCidr, show } from "../private/validation";
import { ValidationError } from "../errors";
import { EncryptionKey } from "../security/encryption-key";
import { CapacityPlan } from "../planning/capacity-plan";
import { modelReadPolicy } from "../security/private/model-read-policy";
import { ALB_SUBNET_MAX_PREFIX, ClusterNetwork, ClusterNetworkOptions, DEFAULT_VPC_CIDR } from "./cluster-network";
import { GpuNodePool, GpuNodePoolOptions } from "./gpu-node-pool";
import { HybridNodes, HybridNodesOptions } from "./hybrid-nodes";
import { OnPremisesGpuPool, OnPremisesGpuPoolOptions } from "./on-premises-gpu-pool";
import { parseLocalZone } from "../planning/local-zones";
import { NodeLabels } from "./node-labels";
import { createManagedNodeGroup } from "./private/managed-node-group";

/**
 * Kubernetes version a new cluster gets when none is given: in EKS standard support until
 * 2027-03-27 (EKS release 2026-01-28). Pin your own with `kubernetesVersion` and upgrade deliberately.
 */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/** Oldest minor version EKS still runs (extended support) when this library was released (1.31 ended 2026-11-26). */
export const OLDEST_SUPPORTED_KUBERNETES_VERSION = "1.32";

/**
 * Newest Kubernetes minor this library knows: its add-on versions (cluster-autoscaler image, EKS add-ons)
 * are chosen per minor, so a newer one is refused until the library knows it.
 */
export const NEWEST_KNOWN_KUBERNETES_VERSION = "1.35";

/** All five EKS control-plane log types: the audit trail of the Kubernetes API. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Key prefix of the internal load balancers' access logs in the cluster's access-log bucket (ClusterConnection.loadBalancerLogPrefix). */
export const LOAD_BALANCER_LOG_PREFIX = "alb";

/** An existing VPC to place the cluster in instead of creating one. */
export interface ExistingVpc {
  /** The VPC id. */
  readonly vpcId: string;
  /** Private subnet ids in at least 2 zones, for nodes and the control-plane network interfaces. They must not assign public IPs. */
  readonly privateSubnetIds: string[];
  /**
   * The VPC's IPv4 CIDR. Endpoints admit their internal load balancer and the metrics scraper from it.
   * @default - unknown: endpoints must then list the CIDRs that may reach them
   */
  readonly cidrBlock?: string;
  /**
   * Subnets that hold your internal load balancers (tagged `kubernetes.io/role/internal-elb: 1`)
   * and no pods; the metrics scraper goes there too. With them, endpoints admit only these to their pods.
   * @default - none: endpoints admit `cidrBlock`, which also admits every pod (a warning says so)
   */
  readonly loadBalancerSubnets?: { readonly subnetIds: string[]; readonly cidrs: string[] };
}

/** Opt-in public access to the Kubernetes API endpoint. */
export interface PublicEndpointAccess {
  /** CIDRs allowed to reach the public endpoint, e.g. your VPN egress. Never 0.0.0.0/0. */
  readonly allowedCidrs: string[];
}

/** The small, GPU-less node group that runs controllers and add-ons. */
export interface SystemNodePoolOptions {
  /**
   * Instance types, in order of preference; CPU-only types.
   * @default ["m7i.large", "m6i.large"]
   */
  readonly instanceTypes?: string[];
  /**
   * Smallest number of nodes; 2 keeps controllers available during a node replacement.
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Largest number of nodes.
   * @default 4
   */
  readonly maxSize?: number;
  /**
   * Nodes at creation.
   * @default - minSize
   */
  readonly desiredSize?: number;
  /**
   * Size of the volume for container images in GiB.
   * @default 50
   */
  readonly volumeSizeGiB?: number;
}

/**
 * Versions of the EKS managed add-ons the cluster installs. A version left unset is pinned at creation:
 * EKS installs its default for the cluster's Kubernetes version, Terraform records it (the attribute is
 * computed), and a newer EKS default never upgrades it. Set a version to upgrade deliberately, e.g. with a
 * Kubernetes upgrade (`aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name vpc-cni`).
 */
export interface EksAddonVersions {
  /**
   * Amazon VPC CNI version, e.g. "v1.19.5-eksbuild.1".
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly vpcCni?: string;
  /**
   * CoreDNS version.
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly coreDns?: string;
  /**
   * kube-proxy version.
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly kubeProxy?: string;
  /**
   * EKS Pod Identity Agent version (pods get AWS credentials through it, never from node metadata).
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly podIdentityAgent?: string;
  /**
   * EKS node monitoring agent version (detects GPU and node failures for node auto repair).
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly nodeMonitoringAgent?: string;
  /**
   * Amazon EBS CSI driver version (encrypted volumes with the storage key, through Pod Identity).
   * @default - EKS's default version for the cluster's Kubernetes version
   */
  readonly ebsCsiDriver?: string;
}

/** Props of a SecureInferenceCluster. */
export interface SecureInferenceClusterProps {
  /** EKS cluster name: letters, digits and "-", starting with a letter, at most 40 characters (derived names add suffixes). */
  readonly clusterName: string;
  /**
   * Kubernetes minor version, e.g. "1.35".
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly kubernetesVersion?: string;
  /** GPU node pools; endpoints are placed on them by name. */
  readonly gpuNodePools: GpuNodePoolOptions[];
  /**
   * EKS Hybrid Nodes: your own servers join the cluster over your VPN or Direct Connect (remote networks, the
   * Hybrid Nodes IAM role with SSM or IAM Roles Anywhere credentials, its HYBRID_LINUX access entry, the control
   * plane's security group rules). You bring the CNI on those servers (Cilium or Calico).
   * @default - no hybrid nodes
   */
  readonly hybridNodes?: HybridNodesOptions;
  /**
   * Pools of on-premises GPU servers that join as hybrid nodes (needs `hybridNodes`): no machines in Terraform, but
   * model fit, quotas, placement and the plan work as for cloud pools; endpoints are placed on them by name.
   * @default - none
   */
  readonly onPremisesGpuPools?: OnPremisesGpuPoolOptions[];
  /**
   * Settings of the new VPC. Mutually exclusive with `existingVpc`.
   * @default - a new VPC with defaults (10.0.0.0/16, 3 zones, NAT per zone, endpoints, flow logs)
   */
  readonly network?: ClusterNetworkOptions;
  /**
   * Place the cluster in an existing VPC instead of creating one.
   * @default - a new VPC
   */
  readonly existingVpc?: ExistingVpc;
  /**
   * CIDRs inside your network allowed to reach the private API endpoint on 443 (e.g. CI runners, VPN).
   * @default - the VPC CIDR for a new VPC; none (nodes only) for an existing VPC
   */
  readonly privateEndpointAccessCidrs?: string[];
  /**
   * Opens the public API endpoint to the listed CIDRs. Weakens the private-only default; leave unset unless you must.
   * @default - no public endpoint
   */
  readonly publicEndpointAccess?: PublicEndpointAccess;
  /**
   * Days to keep control-plane logs (a CloudWatch Logs retention value, at least 365).
   * @default 365
   */
  readonly controlPlaneLogRetentionDays?: number;
  /**
   * The system node group.
   * @default - 2 to 4 nodes of m7i.large / m6i.large on Bottlerocket
   */
  readonly systemNodePool?: SystemNodePoolOptions;
  /**
   * Versions of the EKS managed add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity Agent).
   * @default - EKS defaults for the Kubernetes version
   */
  readonly addonVersions?: EksAddonVersions;
  /**
   * Creates the EC2 Auto Scaling service-linked role. The storage key's policy names that role,
   * and KMS rejects a policy naming a role that does not exist: set true in an account that has never had an Auto Scaling group.
   * @default false
   */
  readonly createAutoScalingServiceLinkedRole?: boolean;
  /**
   * EKS support policy after standard support ends. "EXTENDED" keeps an old version running at extra cost.
   * @default "STANDARD"
   */
  readonly supportType?: "STANDARD" | "EXTENDED";
  /**
   * MFA-gated IAM roles for administrators, operators, viewers and break-glass, mapped into the cluster.
   * @default - no human roles (grant access with grantAccess)
   */
  readonly access?: ClusterAccessOptions;
  /**
   * The audit trail (multi-region CloudTrail, object-locked bucket, S3 data events on the model bucket).
   * @default - a trail with 365 days in CloudWatch Logs and 2192 days (6 years) under object lock
   */
  readonly auditTrail?: AuditTrailOptions;
  /**
   * Skips the cluster's own trail because an organization trail already records this account.
   * Weakens the default: the reason is recorded in the stack (tag) for auditors.
   * @default - the cluster creates its own trail
   */
  readonly externalAuditTrail?: { readonly reason: string };
  /**
   * Alarm topic subscriptions and metric scraping settings.
   * @default - an encrypted alarm topic without subscriptions; pods scraped every 30 s
   */
  readonly monitoring?: ClusterMonitoringOptions;
  /**
   * Service accounts the Helm-installed controllers of the add-ons stack run as. (The EBS CSI driver is an
   * EKS add-on whose service account, kube-system/ebs-csi-controller-sa, is fixed.)
   * @default DEFAULT_CONTROLLER_SERVICE_ACCOUNTS
   */
  readonly controllerServiceAccounts?: Partial<Record<Exclude<ControllerName, "ebsCsiDriver">, ControllerServiceAccount>>;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * Node affinity that keeps a DaemonSet off hybrid (and Fargate and Auto Mode) nodes: the label EKS puts on them
 * (hybrid-nodes-add-ons: add-ons that cannot run there carry this anti-affinity). The same value as the VPC CNI
 * chart's own default `affinity` (aws/eks-charts@5239609:stable/aws-vpc-cni/values.yaml:204-223, read 2026-12-04), set
 * explicitly so a changed add-on default cannot put aws-node on hybrid nodes. The add-on's configuration schema has an
 * `affinity` object (`aws eks describe-addon-configuration --addon-name vpc-cni`, as dumped in gist
 * rk295/3fee10b85525dea7e6282c1b90af27dd, 2024-05; not re-read for today's add-on versions), and the EKS user guide
 * (hybrid-nodes-cni) states the VPC CNI "is configured with anti-affinity for the eks.amazonaws.com/compute-type: hybrid label".
 */
const HYBRID_EXCLUDED_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] },
            { key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate", "hybrid", "auto"] },
          ],
        },
      ],
    },
  },
};

/** Read access to the model bucket for one Kubernetes service account. */
export interface ModelReadGrant {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Service account whose pods may read. */
  readonly serviceAccount: string;
  /**
   * Key prefix the pods may read, e.g. "llama-3.1-8b/".
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/**
 * A private, encrypted EKS cluster for model serving: KMS keys per purpose, a private network
 * with VPC endpoints and flow logs, envelope-encrypted secrets, every control-plane log type,
 * API-only authentication with no implicit admin, a system node group, and hardened GPU node
 * pools checked against the GPU catalog at synth time.
 */
export class SecureInferenceCluster extends Construct implements ClusterAccessTarget {
  /** The EKS cluster. */
  public readonly cluster: EksCluster;
  /** The cluster name (a literal, known at synth time). */
  public readonly clusterName: string;
  /** The cluster ARN. */
  public readonly clusterArn: string;
  /** The network when this construct created one. */
  public readonly network?: ClusterNetwork;
  /** GPU node pools by name. */
  public readonly gpuNodePools: Record<string, GpuNodePool>;
  /** Declared on-premises GPU pools by name. */
  public readonly onPremisesGpuPools: Record<string, OnPremisesGpuPool>;
  /** The hybrid nodes' role, access entry and security group rules, when `hybridNodes` is set. */
  public readonly hybridNodes?: HybridNodes;
  /** The system node group. */
  public readonly systemNodeGroup: EksNodeGroup;
  /** Key that envelope-encrypts Kubernetes secrets. */
  public readonly secretsKey: EncryptionKey;
  /** Key for CloudWatch log groups. */
  public readonly logsKey: EncryptionKey;
  /** Key for node volumes and model storage. */
  public readonly storageKey: EncryptionKey;
  /** IAM role of the control plane. */
  public readonly clusterRole: IamRole;
  /** IAM role of the nodes. */
  public readonly nodeRole: IamRole;
  /** The control-plane log group. */
  public readonly controlPlaneLogGroup: CloudwatchLogGroup;
  /** What later stacks need; see ClusterConnection. */
  public readonly connection: ClusterConnection;
  /** The IAM OIDC provider of the cluster (IRSA). */
  public readonly oidcProvider: IamOpenidConnectProvider;
  /** Bucket for S3 server access logs of the cluster's buckets and the access logs of its internal load balancers (under "alb/"). */
  public readonly accessLogBucket: SecureBucket;
  /** Bucket for model artifacts (weights), encrypted with the storage key. */
  public readonly modelBucket: SecureBucket;
  /** The audit trail, unless externalAuditTrail is set. */
  public readonly auditTrail?: AuditTrail;
  /** Alarm topic, Prometheus workspace and scraper. */
  public readonly monitoring: ClusterMonitoring;
  /** IAM roles of the controllers the add-ons stack installs. */
  public readonly controllerRoles: ControllerRoles;
  /** MFA-gated human roles, when `access` is set. */
  public readonly access?: ClusterAccess;

  private readonly ctx: AwsContext;

  constructor(scope: Construct, id: string, props: SecureInferenceClusterProps) {
    super(scope, id);
    const problems = validate(props);
    const { twin, claim } = uniqueNameClaim(this, "SecureInferenceCluster", props.clusterName);
    if (twin) {
      problems.add(
        "clusterName",
        `${show(props.clusterName)} is already the name of cluster ${twin} in this app, in the same region or one not known at synth time; ` +
          `EKS names are unique per account and region, and both clusters' alarms, roles and buckets would collide: give each cluster its own name`,
      );
    }
    const region = providerRegion(this);
    for (const [i, pool] of (props.gpuNodePools ?? []).entries()) {
      const lz = pool.localZone ? parseLocalZone(pool.localZone.zone ?? "") : undefined;
      if (lz && region !== undefined && lz.region !== region) {
        problems.add(`gpuNodePools[${i}].localZone.zone`, `${show(pool.localZone!.zone)} is a Local Zone of ${lz.region}, but the cluster is in ${region}; a Local Zone extends only its parent region: use one of ${region}'s Local Zones`);
      }
    }
    problems.throwIfAny(this, "SecureInferenceCluster");
    claim();

    const ctx = awsContext(this);
    this.ctx = ctx;
    const name = props.clusterName;
    this.clusterName = name;
    const version = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    const tags: Record<string, string> = { ...props.tags, "secure-inference/cluster": name };
    // The reason for relying on another trail travels with every resource, for auditors.
    if (props.externalAuditTrail) tags["secure-inference/external-audit-trail"] = props.externalAuditTrail.reason;

    // Keys first: every encrypted resource below names one.
    this.secretsKey = new EncryptionKey(this, "secrets-key", { purpose: "eks-secrets", aliasPrefix: name, tags });
    this.logsKey = new EncryptionKey(this, "logs-key", { purpose: "logs", aliasPrefix: name, tags });
    this.storageKey = new EncryptionKey(this, "storage-key", { purpose: "storage", aliasPrefix: name, tags });
    this.storageKey.grantEbsForAutoScaling();
    if (props.createAutoScalingServiceLinkedRole) {
      const slr = new IamServiceLinkedRole(this, "autoscaling-slr", { awsServiceName: "autoscaling.amazonaws.com" });
      this.storageKey.key.dependsOn = [dependable(slr)];
    }

    let vpcId: string;
    let subnetIds: string[];
    let accessCidrs: string[];
    if (props.existingVpc) {
      vpcId = props.existingVpc.vpcId;
      subnetIds = [...props.existingVpc.privateSubnetIds];
      accessCidrs = props.privateEndpointAccessCidrs ?? [];
    } else {
      this.network = new ClusterNetwork(this, "network", { ...props.network, name, logsKey: this.logsKey, tags });
      vpcId = this.network.vpcId;
      subnetIds = this.network.privateSubnetIds;
      accessCidrs = props.privateEndpointAccessCidrs ?? [this.network.vpcCidr];
    }

    const clusterRole = serviceRole(this, "cluster-role", {
      namePrefix: roleNamePrefix(name, "cluster"),
      service: "eks.amazonaws.com",
      description: `Control plane of EKS cluster ${name}`,
      managedPolicies: ["AmazonEKSClusterPolicy"],
      tagSession: true,
      tags,
    });
    this.clusterRole = clusterRole.role;
    this.secretsKey.grantUse("EksControlPlaneEncryptsSecrets", [this.clusterRole.arn], ["kms:ListGrants"]);

    const nodeRole = serviceRole(this, "node-role", {
      namePrefix: roleNamePrefix(name, "node"),
      service: "ec2.amazonaws.com",
      description: `Nodes of EKS cluster ${name}`,
      // Pull-only ECR access; the CNI policy stays on the node role because aws-node starts before Pod Identity is available.
      managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"],
      tags,
    });
    this.nodeRole = nodeRole.role;

    // EKS writes control-plane logs to this fixed name; creating it first sets retention and encryption.
    this.logsKey.grantCloudWatchLogs(`/aws/eks/${name}/*`);
    this.controlPlaneLogGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.controlPlaneLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      kmsKeyId: this.logsKey.keyArn,
      tags,
    });

    const apiSg = new SecurityGroup(this, "api-access-sg", {
      name: `${name}-api-access`,
      description: `Who may reach the private Kubernetes API of ${name} (HTTPS only)`,
      vpcId,
      tags: { ...tags, Name: `${name}-api-access` },
    });
    accessCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `api-access-${i}`, {
        securityGroupId: apiSg.id,
        description: "Kubernetes API over HTTPS",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    const publicCidrs = props.publicEndpointAccess?.allowedCidrs;
    const hybrid = props.hybridNodes;
    this.cluster = new EksCluster(this, "cluster", {
      name,
      version,
      roleArn: this.clusterRole.arn,
      // Where hybrid nodes and their pods live (EKS API RemoteNetworkConfigRequest); pods' range for webhooks and IP targets.
      remoteNetworkConfig: hybrid
        ? {
            remoteNodeNetworks: { cidrs: [...hybrid.remoteNodeNetworks] },
            remotePodNetworks: hybrid.remotePodNetworks?.length ? { cidrs: [...hybrid.remotePodNetworks] } : undefined,
          }
        : undefined,
      vpcConfig: {
        subnetIds,
        securityGroupIds: [apiSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs !== undefined,
        publicAccessCidrs: publicCidrs,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: this.secretsKey.keyArn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      upgradePolicy: { supportType: props.supportType ?? "STANDARD" },
      tags,
      // The policy attachments too: on destroy, EKS needs its permissions to delete its network interfaces.
      dependsOn: [this.controlPlaneLogGroup, ...clusterRole.attachments],
    });
    this.clusterArn = this.cluster.arn;

    const sys = props.systemNodePool ?? {};
    const sysMin = sys.minSize ?? 2;
    const system = createManagedNodeGroup(new Construct(this, "system-pool"), {
      clusterName: this.cluster.name,
      kubernetesVersion: version,
      poolName: "system",
      nodeRoleArn: this.nodeRole.arn,
      subnetIds,
      instanceTypes: sys.instanceTypes ?? ["m7i.large", "m6i.large"],
      amiType: "BOTTLEROCKET_x86_64",
      capacityType: "ON_DEMAND",
      minSize: sysMin,
      maxSize: sys.maxSize ?? 4,
      desiredSize: sys.desiredSize ?? sysMin,
      rootVolume: { sizeGiB: 8 },
      dataVolume: { sizeGiB: sys.volumeSizeGiB ?? 50 },
      storageKeyArn: this.storageKey.keyArn,
      labels: { [NodeLabels.POOL]: "system" },
      taints: [],
      tags: { ...tags, "secure-inference/pool": "system" },
      dependsOn: nodeRole.attachments,
    });
    this.systemNodeGroup = system.nodeGroup;

    this.gpuNodePools = {};
    for (const pool of props.gpuNodePools) {
      this.gpuNodePools[pool.name] = new GpuNodePool(this, `gpu-pool-${pool.name}`, {
        ...pool,
        clusterName: this.cluster.name,
        kubernetesVersion: version,
        nodeRoleArn: this.nodeRole.arn,
        clusterSubnetIds: subnetIds,
        storageKeyArn: this.storageKey.keyArn,
        tags,
        dependsOn: nodeRole.attachments,
      });
    }

    const addon = (addonId: string, addonName: string, addonVersion: string | undefined, after?: EksNodeGroup) =>
      new EksAddon(this, addonId, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        tags,
        dependsOn: after ? [after] : undefined,
      });
    const v = props.addonVersions ?? {};
    // The VPC CNI enforces Kubernetes NetworkPolicies only when asked: the namespaces' default-deny depends on it.
    // It cannot run on hybrid nodes (hybrid-nodes-add-ons): with them, its affinity keeps it off explicitly.
    addon("addon-vpc-cni", "vpc-cni", v.vpcCni).configurationValues = JSON.stringify(
      hybrid ? { enableNetworkPolicy: "true", affinity: HYBRID_EXCLUDED_AFFINITY } : { enableNetworkPolicy: "true" },
    );
    addon("addon-kube-proxy", "kube-proxy", v.kubeProxy);
    const podIdentity = addon("addon-pod-identity-agent", "eks-pod-identity-agent", v.podIdentityAgent);
    // Hybrid nodes have no IMDS: the agent's second DaemonSet reads nodeadm's credentials file there (hybrid-nodes-add-ons).
    if (hybrid) podIdentity.configurationValues = JSON.stringify({ daemonsets: { hybrid: { create: true } } });
    // These run pods: they need nodes to become healthy.
    addon("addon-coredns", "coredns", v.coreDns, this.systemNodeGroup);
    // Reports GPU (XID), kubelet and kernel failures, which node auto repair acts on.
    addon("addon-node-monitoring-agent", "eks-node-monitoring-agent", v.nodeMonitoringAgent, this.systemNodeGroup);

    if (hybrid) {
      this.hybridNodes = new HybridNodes(this, "hybrid-nodes", {
        ...hybrid,
        clusterName: this.cluster.name,
        clusterLiteralName: name,
        clusterArn: this.cluster.arn,
        controlPlaneSecurityGroupId: apiSg.id,
        tags,
      });
    }
    this.onPremisesGpuPools = {};
    for (const pool of props.onPremisesGpuPools ?? []) {
      this.onPremisesGpuPools[pool.name] = new OnPremisesGpuPool(this, `onprem-pool-${pool.name}`, { ...pool, clusterName: name, region: region ?? ctx.region, credentials: hybrid!.credentials });
    }

    // IRSA, for software that cannot use Pod Identity (Argo Rollouts).
    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ["sts.amazonaws.com"],
      tags,
    });

    const bucketBase = name.toLowerCase().slice(0, 20);
    this.accessLogBucket = new SecureBucket(this, "access-log-bucket", { bucketPrefix: `${bucketBase}-access-logs-`, dataClass: "access-logs", tags });
    // The ALBs the load balancer controller makes for endpoints and routers log here too: SSE-S3, as ELB requires, under their own prefix.
    this.accessLogBucket.allowLoadBalancerAccessLogs(LOAD_BALANCER_LOG_PREFIX);
    this.modelBucket = new SecureBucket(this, "model-bucket", {
      bucketPrefix: `${bucketBase}-models-`,
      dataClass: "artifacts",
      encryptionKey: this.storageKey,
      accessLogBucket: this.accessLogBucket,
      tags,
    });

    if (!props.externalAuditTrail) {
      this.auditTrail = new AuditTrail(this, "audit-trail", {
        ...props.auditTrail,
        name: `${name.toLowerCase().slice(0, 34)}-audit`,
        accessLogBucket: this.accessLogBucket,
        // Who read which model weights.
        dataEventBucketArns: [this.modelBucket.bucketArn],
        tags,
      });
    }

    this.monitoring = new ClusterMonitoring(this, "monitoring", {
      ...props.monitoring,
      clusterName: name,
      clusterArn: this.cluster.arn,
      // The scraper's network interfaces go where the load balancers are, never among the pods.
      subnetIds: this.network ? this.network.ingressSubnetIds : (props.existingVpc?.loadBalancerSubnets?.subnetIds ?? subnetIds),
      securityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
      key: this.logsKey,
      tags,
    });

    this.controllerRoles = new ControllerRoles(this, "controller-roles", {
      clusterName: name,
      clusterArn: this.cluster.arn,
      oidcProviderArn: this.oidcProvider.arn,
      oidcIssuerUrl: this.cluster.identity.get(0).oidc.get(0).issuer,
      vpcId,
      storageKeyArn: this.storageKey.keyArn,
      prometheusWorkspaceArn: this.monitoring.workspaceArn,
      serviceAccounts: props.controllerServiceAccounts,
      tags,
    });
    const ebs = this.controllerRoles.ebsCsiDriver;
    new EksAddon(this, "addon-ebs-csi-driver", {
      clusterName: this.cluster.name,
      addonName: "aws-ebs-csi-driver",
      addonVersion: v.ebsCsiDriver,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      // The add-on binds its controller's service account to the role through Pod Identity.
      podIdentityAssociation: [{ roleArn: ebs.roleArn, serviceAccount: this.controllerRoles.serviceAccounts.ebsCsiDriver.serviceAccount }],
      tags,
      dependsOn: [this.systemNodeGroup, ...ebs.attachments],
    });

    if (props.access) {
      this.access = new ClusterAccess(this, "access", {
        ...props.access,
        cluster: this,
        auditLogGroupName: this.auditTrail?.logGroupName,
        alarmTopicArn: this.monitoring.alarmTopicArn,
        tags,
      });
    }

    this.connection = {
      clusterName: name,
      clusterArn: this.cluster.arn,
      endpoint: this.cluster.endpoint,
      certificateAuthorityData: this.cluster.certificateAuthority.get(0).data,
      oidcIssuerUrl: this.cluster.identity.get(0).oidc.get(0).issuer,
      kubernetesVersion: version,
      clusterSecurityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
      nodeRoleArn: this.nodeRole.arn,
      nodeRoleName: this.nodeRole.name,
      vpcId,
      // A literal where possible: endpoints put it in NetworkPolicies of other stacks.
      vpcCidr: this.network ? (props.network?.vpcCidr ?? DEFAULT_VPC_CIDR) : props.existingVpc?.cidrBlock,
      loadBalancerCidrs: this.network ? [...this.network.ingressSubnetCidrs] : props.existingVpc?.loadBalancerSubnets ? [...props.existingVpc.loadBalancerSubnets.cidrs] : undefined,
      privateSubnetIds: subnetIds,
      region: ctx.region,
      regionName: region,
      platformStackPath: TerraformStack.of(this).node.path,
      keys: { secretsKeyArn: this.secretsKey.keyArn, logsKeyArn: this.logsKey.keyArn, storageKeyArn: this.storageKey.keyArn },
      oidcProviderArn: this.oidcProvider.arn,
      loadBalancerLogBucketName: this.accessLogBucket.bucketName,
      loadBalancerLogPrefix: LOAD_BALANCER_LOG_PREFIX,
      modelBucketName: this.modelBucket.bucketName,
      modelBucketArn: this.modelBucket.bucketArn,
      alarmTopicArn: this.monitoring.alarmTopicArn,
      prometheusWorkspaceArn: this.monitoring.workspaceArn,
      prometheusEndpoint: this.monitoring.prometheusEndpoint,
      scrapeIntervalSeconds: this.monitoring.scrapeIntervalSeconds,
      controllerRoleArns: { ...this.controllerRoles.roleArns },
      remoteNodeNetworks: hybrid ? [...hybrid.remoteNodeNetworks] : undefined,
      remotePodNetworks: hybrid?.remotePodNetworks ? [...hybrid.remotePodNetworks] : undefined,
      hybridNodesCni: hybrid ? (hybrid.cni ?? "cilium") : undefined,
      gpuPools: [...props.gpuNodePools.map((p) => {
        const pool = this.gpuNodePools[p.name];
        return {
          name: p.name,
          instanceTypes: [...p.instanceTypes],
          gpuModel: pool.gpu.gpuModel,
          gpuCount: pool.gpu.gpuCount,
          gpuMemoryGiB: pool.gpu.gpuMemoryGiB,
          minSize: p.minSize ?? 0,
          maxSize: p.maxSize,
          capacityType: p.capacityType ?? "ON_DEMAND",
          amiType: p.amiType ?? "BOTTLEROCKET_x86_64_NVIDIA",
          dataVolumeSizeGiB: pool.dataVolumeSizeGiB,
          labels: { ...pool.labels },
          ...(p.imageCache ? { imageCache: { ...p.imageCache, images: p.imageCache.images ? [...p.imageCache.images] : undefined } } : {}),
          ...(pool.weightCache ? { weightCache: { ...pool.weightCache } } : {}),
          // Region pools leave it unset (the default): their descriptions read as before.
          ...(pool.placement.kind === "local-zone" ? { placement: pool.placement } : {}),
        };
      }), ...Object.values(this.onPremisesGpuPools).map((p) => p.description)],
    };


    // The GPU plan report of this stack lists the pools and what they cost.
    CapacityPlan.of(this).addPools(this, name, this.connection.gpuPools);

    new TerraformOutput(this, "cluster-name", { value: this.cluster.name, description: `Name of EKS cluster ${name}` });
    new TerraformOutput(this, "cluster-endpoint", { value: this.cluster.endpoint, description: "Private Kubernetes API endpoint" });
  }

  /**
   * Lets one Kubernetes service account read model weights from the model bucket (optionally one
   * prefix) through EKS Pod Identity; nothing on the node role. `id` names the grant.
   */
  grantModelRead(id: string, grant: ModelReadGrant): PodIdentityRole {
    const prefix = grant.prefix ?? "";
    if (prefix.startsWith("/") || prefix.includes("*")) {
      throw new ValidationError(`${this.node.path}.grantModelRead("${id}")`, "ModelReadGrant", [`prefix: ${show(prefix)} must be a key prefix without a leading "/" or wildcards, e.g. "llama-3.1-8b/"`]);
    }
    const bucket = this.modelBucket;
    return new PodIdentityRole(this, `model-read-${id}`, {
      clusterName: this.clusterName,
      clusterArn: this.cluster.arn,
      namespace: grant.namespace,
      serviceAccount: grant.serviceAccount,
      purpose: `models-${id}`.slice(0, 20),
      description: `Reads model weights${prefix ? ` under ${prefix}` : ""} from the model bucket of ${this.clusterName}`,
      policies: { read: modelReadPolicy(bucket.bucketArn, this.storageKey.keyArn, prefix, `s3.${this.ctx.region}.${this.ctx.dnsSuffix}`) },
      tags: { "secure-inference/cluster": this.clusterName },
    });
  }

  /**
   * Grants an IAM principal Kubernetes access through an EKS access entry and an access policy
   * association (authentication mode API; there is no aws-auth ConfigMap). `id` names the grant.
   */
  grantAccess(id: string, grant: ClusterAccessGrant): EksAccessEntry {
    const p = new Problems();
    p.addAll(AccessEntry.validate(grant));
    if (this.node.tryFindChild(`access-${id}`)) p.add("id", `${show(id)} is already used by another grant; give each grant its own id`);
    if (p.list.length > 0) throw new ValidationError(`${this.node.path}.grantAccess("${id}")`, "ClusterAccessGrant", p.list);
    return new AccessEntry(this, `access-${id}`, { ...grant, clusterName: this.cluster.name }).entry;
  }
}

function validate(props: SecureInferenceClusterProps): Problems {
  const p = new Problems();
  const name = props.clusterName;
  if (!isLiteral(name) || !/^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(name ?? "")) {
    p.add("clusterName", `${show(name)} must be a literal of letters, digits and "-", starting with a letter, at most 40 characters, e.g. "ml-prod"`);
  }
  const version = props.kubernetesVersion;
  if (version !== undefined) {
    const m = /^1\.(\d{2})$/.exec(version);
    if (!m) p.add("kubernetesVersion", `${show(version)} is not a Kubernetes minor version; use the form "${DEFAULT_KUBERNETES_VERSION}" (no patch, no "v")`);
    else if (Number(m[1]) < Number(OLDEST_SUPPORTED_KUBERNETES_VERSION.split(".")[1])) {
      p.add("kubernetesVersion", `${show(version)} is no longer supported by EKS; use ${OLDEST_SUPPORTED_KUBERNETES_VERSION} or later (default ${DEFAULT_KUBERNETES_VERSION})`);
    } else if (Number(m[1]) > Number(NEWEST_KNOWN_KUBERNETES_VERSION.split(".")[1])) {
      p.add(
        "kubernetesVersion",
        `${show(version)} is newer than the newest version this library knows (${NEWEST_KNOWN_KUBERNETES_VERSION}): the add-ons it installs (cluster-autoscaler follows Kubernetes minors) have no known release for it; ` +
          `use "${NEWEST_KNOWN_KUBERNETES_VERSION}" or a library release that knows ${version}`,
      );
    }
  }
  if (props.network && props.existingVpc) p.add("network", "give either network (a new VPC) or existingVpc, not both");
  const lbs = props.existingVpc?.loadBalancerSubnets;
  if (lbs) {
    if (lbs.subnetIds.length === 0 || lbs.cidrs.length === 0) p.add("existingVpc.loadBalancerSubnets", "needs both subnetIds and their cidrs (at least one each)");
    for (const [i, cidr] of lbs.cidrs.entries()) {
      if (isLiteral(cidr) && (!parseCidr(cidr) || isOpenToWorld(cidr))) p.add(`existingVpc.loadBalancerSubnets.cidrs[${i}]`, `${show(cidr)} is not a subnet's IPv4 CIDR; use e.g. "10.20.250.0/24"`);
      else if (isLiteral(cidr) && parseCidr(cidr)!.prefix > ALB_SUBNET_MAX_PREFIX) {
        p.add(`existingVpc.loadBalancerSubnets.cidrs[${i}]`, `${show(cidr)} is smaller than the /${ALB_SUBNET_MAX_PREFIX} an Application Load Balancer needs (with 8 free addresses); give subnets of /${ALB_SUBNET_MAX_PREFIX} or larger, e.g. "10.20.250.0/24"`);
      }
    }
  }
  if (props.existingVpc) {
    const ids = props.existingVpc.privateSubnetIds ?? [];
    // A token list (e.g. data.aws_subnets.ids) has one element at synth time: only literal lists are counted.
    if (!Token.isUnresolved(ids) && ids.length < 2) p.add("existingVpc.privateSubnetIds", `${show(ids)} has ${ids.length} subnet(s); EKS needs subnets in at least 2 availability zones`);
    if (new Set(ids).size !== ids.length) p.add("existingVpc.privateSubnetIds", `${show(ids)} lists a subnet more than once`);
    if (isLiteral(props.existingVpc.vpcId) && !/^vpc-[0-9a-f]{8,17}$/.test(props.existingVpc.vpcId)) p.add("existingVpc.vpcId", `${show(props.existingVpc.vpcId)} is not a VPC id; use e.g. "vpc-0123456789abcdef0"`);
  } else {
    p.addAll(ClusterNetwork.validate(props.network ?? {}, "network."));
  }
  for (const [i, cidr] of (props.privateEndpointAccessCidrs ?? []).entries()) {
    if (!isLiteral(cidr)) continue;
    if (!parseCidr(cidr)) p.add(`privateEndpointAccessCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR`);
    else if (isOpenToWorld(cidr)) p.add(`privateEndpointAccessCidrs[${i}]`, `${show(cidr)} admits every address; list your networks`);
  }
  if (props.publicEndpointAccess) {
    const cidrs = props.publicEndpointAccess.allowedCidrs ?? [];
    if (cidrs.length === 0) p.add("publicEndpointAccess.allowedCidrs", "is empty; list the CIDRs that may reach the public endpoint (e.g. your VPN egress), or remove publicEndpointAccess to keep the API private");
    for (const [i, cidr] of cidrs.entries()) {
      if (!isLiteral(cidr)) continue;
      if (isOpenToWorld(cidr)) p.add(`publicEndpointAccess.allowedCidrs[${i}]`, `${show(cidr)} opens the Kubernetes API to the internet; list specific CIDRs (e.g. "203.0.113.0/24")`);
      else if (!parseCidr(cidr)) p.add(`publicEndpointAccess.allowedCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR; use e.g. "203.0.113.0/24"`);
    }
  }
  const retention = logRetentionProblem(props.controlPlaneLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS);
  if (retention) p.add("controlPlaneLogRetentionDays", retention);
  if (props.supportType !== undefined && !["STANDARD", "EXTENDED"].includes(props.supportType)) p.add("supportType", `${show(props.supportType)} must be "STANDARD" or "EXTENDED"`);

  const sys = props.systemNodePool ?? {};
  const sysMin = sys.minSize ?? 2;
  const sysMax = sys.maxSize ?? 4;
  for (const [prop, v] of [["minSize", sys.minSize], ["maxSize", sys.maxSize], ["desiredSize", sys.desiredSize]] as const) {
    if (v !== undefined && !Number.isInteger(v)) p.add(`systemNodePool.${prop}`, `${v} must be a whole number`);
  }
  if (sysMin < 1) p.add("systemNodePool.minSize", `${sysMin} must be at least 1: controllers and CoreDNS run there`);
  if (sysMin > sysMax) p.add("systemNodePool.minSize", `(${sysMin}) must not exceed systemNodePool.maxSize (${sysMax})`);
  if (sys.desiredSize !== undefined && (sys.desiredSize < sysMin || sys.desiredSize > sysMax)) p.add("systemNodePool.desiredSize", `(${sys.desiredSize}) must be within [minSize, maxSize] = [${sysMin}, ${sysMax}]`);
  if (sys.instanceTypes !== undefined && sys.instanceTypes.length === 0) p.add("systemNodePool.instanceTypes", "is empty; omit it for the default or list CPU instance types");
  for (const t of sys.instanceTypes ?? []) {
    if (GpuCatalog.find(t)) p.add("systemNodePool.instanceTypes", `${show(t)} is a GPU instance type; the system pool runs controllers only, so use a CPU type such as "m7i.large"`);
    else if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t)) p.add("systemNodePool.instanceTypes", `${show(t)} is not an EC2 instance type name; use e.g. "m7i.large"`);
    // Graviton families (m7g, c7gn, t4g, ...) and a1 are arm64; the system pool runs x86_64 Bottlerocket.
    else if (/^([a-z]+\d+g[a-z]*|a1)\./.test(t)) p.add("systemNodePool.instanceTypes", `${show(t)} is an arm64 (Graviton) type; the system pool runs x86_64 images, so use e.g. "m7i.large"`);
  }
  if (sys.volumeSizeGiB !== undefined && sys.volumeSizeGiB < 20) p.add("systemNodePool.volumeSizeGiB", `${sys.volumeSizeGiB} is too small for container images; use at least 20`);

  if (props.access) p.addAll(ClusterAccess.validate(props.access, "access."));
  if (props.auditTrail) p.addAll(AuditTrail.validate(props.auditTrail, "auditTrail."));
  if (props.monitoring) p.addAll(ClusterMonitoring.validate(props.monitoring, "monitoring."));
  if (props.externalAuditTrail) {
    const reason = props.externalAuditTrail.reason ?? "";
    if (reason.trim().length < 10 || reason.length > 250) p.add("externalAuditTrail.reason", `${show(reason)} must say in 10 to 250 characters which trail records this account, e.g. "organization trail org-audit in the log-archive account"`);
    // It becomes a tag value: AWS tags accept letters, digits, spaces and _ . : / = + - @ only.
    else if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(reason)) p.add("externalAuditTrail.reason", `${show(reason)} may hold only letters, digits, spaces and _ . : / = + - @ (it is stored as a tag)`);
    if (props.auditTrail) p.add("auditTrail", "is ignored when externalAuditTrail is set; remove one of them");
  }

  const pools = props.gpuNodePools ?? [];
  pools.forEach((pool, i) => p.addAll(GpuNodePool.validate(pool, `gpuNodePools[${i}].`)));
  const onPrem = props.onPremisesGpuPools ?? [];
  onPrem.forEach((pool, i) => p.addAll(OnPremisesGpuPool.validate(pool, `onPremisesGpuPools[${i}].`)));
  const names = [...pools, ...onPrem].map((x) => x.name);
  const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupes.length) p.add("gpuNodePools", `pool names ${show(dupes)} are used more than once (cloud and on-premises pools share one namespace); give every pool its own name`);
  if (onPrem.length > 0 && !props.hybridNodes) {
    p.add("onPremisesGpuPools", "need hybridNodes: on-premises servers join as EKS Hybrid Nodes; set hybridNodes (remote networks and credentials), or remove the on-premises pools");
  }
  if (props.hybridNodes) {
    const vpcCidr = props.existingVpc ? props.existingVpc.cidrBlock : (props.network?.vpcCidr ?? DEFAULT_VPC_CIDR);
    if (props.existingVpc && props.existingVpc.cidrBlock === undefined) {
      p.add("existingVpc.cidrBlock", "is needed with hybridNodes: the remote networks must not overlap the VPC, and synth checks it; give the VPC's IPv4 CIDR");
    }
    p.addAll(HybridNodes.validate(props.hybridNodes, vpcCidr, "hybridNodes."));
  }
  return p;
}

