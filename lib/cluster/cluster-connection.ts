/*
 * The cross-stack contract of a cluster: plain values that the add-ons, endpoint and router stacks
 * read. Kept apart from SecureInferenceCluster so later layers import these types, not the construct.
 */
import type { GpuPoolDescription } from "../planning/gpu-pool-description";
import type { ControllerName } from "./controller-roles";

/** KMS keys of the cluster, by purpose. */
export interface ClusterKeys {
  /** Envelope-encrypts Kubernetes secrets. */
  readonly secretsKeyArn: string;
  /** Encrypts CloudWatch log groups (control plane, flow logs, later the workloads'). */
  readonly logsKeyArn: string;
  /** Encrypts node volumes and, later, model storage. */
  readonly storageKeyArn: string;
}

/** What constructs in later stacks need to use the cluster; pass it as-is (cdktf wires cross-stack references). */
export interface ClusterConnection {
  /** EKS cluster name (a literal: usable in names and construct ids of other stacks). */
  readonly clusterName: string;
  /** EKS cluster ARN. */
  readonly clusterArn: string;
  /** Kubernetes API endpoint URL. */
  readonly endpoint: string;
  /** Base64 certificate authority data of the API server. */
  readonly certificateAuthorityData: string;
  /** OIDC issuer URL (for IRSA). */
  readonly oidcIssuerUrl: string;
  /** Kubernetes minor version. */
  readonly kubernetesVersion: string;
  /** The security group EKS attaches to the control plane and every managed node. */
  readonly clusterSecurityGroupId: string;
  /** IAM role of the nodes (ARN). */
  readonly nodeRoleArn: string;
  /** IAM role of the nodes (name). */
  readonly nodeRoleName: string;
  /** VPC id. */
  readonly vpcId: string;
  /** IPv4 CIDR of the VPC, when known (always for a VPC the cluster created). */
  readonly vpcCidr?: string;
  /**
   * CIDRs of the subnets that hold the internal load balancers and the metrics scraper, and no pods
   * (a VPC the cluster created has them): endpoints admit only these to their pods.
   */
  readonly loadBalancerCidrs?: string[];
  /** Private subnet ids. */
  readonly privateSubnetIds: string[];
  /** Region of the cluster. */
  readonly region: string;
  /**
   * Region of the cluster as a literal, when the platform stack's AWS provider names it (data residency checks compare it).
   * @default - unknown at synth time
   */
  readonly regionName?: string;
  /** Construct path of the stack that created the cluster; Kubernetes and Helm resources must live in another stack. */
  readonly platformStackPath: string;
  /** KMS keys by purpose. */
  readonly keys: ClusterKeys;
  /**
   * CIDRs of the hybrid nodes, when the cluster has them.
   * @default - no hybrid nodes
   */
  readonly remoteNodeNetworks?: string[];
  /**
   * CIDRs of the pods on hybrid nodes, routable from the VPC: an internal load balancer's IP targets on an
   * on-premises pool are in them.
   * @default - none declared: endpoints cannot be placed on on-premises pools
   */
  readonly remotePodNetworks?: string[];
  /**
   * The CNI on the hybrid nodes ("cilium" or "calico"), which enforces NetworkPolicies there.
   * @default - no hybrid nodes
   */
  readonly hybridNodesCni?: string;
  /** GPU pools, as plain values. */
  readonly gpuPools: GpuPoolDescription[];
  /** ARN of the cluster's IAM OIDC provider (IRSA). */
  readonly oidcProviderArn: string;
  /**
   * Bucket of the access logs of the cluster's internal load balancers (the cluster's "access-logs" bucket, SSE-S3: the only
   * encryption ELB log delivery supports). Its policy lets ELB deliver under `loadBalancerLogPrefix`.
   */
  readonly loadBalancerLogBucketName: string;
  /** Key prefix of load balancer access logs in that bucket; each load balancer logs under "<prefix>/<namespace>/<ingress>". */
  readonly loadBalancerLogPrefix: string;
  /** Name of the model artifact bucket. */
  readonly modelBucketName: string;
  /** ARN of the model artifact bucket. */
  readonly modelBucketArn: string;
  /** SNS topic for alarms. */
  readonly alarmTopicArn: string;
  /** AMP workspace ARN. */
  readonly prometheusWorkspaceArn: string;
  /** AMP workspace Prometheus endpoint (ends with "/"). */
  readonly prometheusEndpoint: string;
  /**
   * Seconds between two scrapes of the pods' metrics by the cluster's AMP scraper: queries over rates and
   * the time a bad canary takes to show follow from it.
   * @default 30 (a connection built by hand)
   */
  readonly scrapeIntervalSeconds?: number;
  /** IAM role ARNs of the add-ons stack's controllers. */
  readonly controllerRoleArns: Record<ControllerName, string>;
}
