import { Construct } from "constructs";
import { GpuCatalog, GpuInstanceType } from "../planning/gpu-catalog";
import { GpuPoolDescription, PoolJoinInstructions } from "../planning/gpu-pool-description";
import { isDnsLabel, isLiteral, Problems, show } from "../private/validation";
import type { HybridNodeCredentials } from "./hybrid-nodes";
import { GPU_TAINT, gpuPoolLabels } from "./node-labels";

/** A pool of your own GPU servers, joined to the cluster as EKS Hybrid Nodes. Terraform creates no machines for it. */
export interface OnPremisesGpuPoolOptions {
  /** Pool name, a DNS label (e.g. "onprem-l40s"); endpoints refer to the pool by it. */
  readonly name: string;
  /**
   * The servers' shape in the GPU catalog, e.g. "onprem-l40s.4gpu" (4 x L40S 48 GB): the fit check, quotas and the
   * plan use its GPU model, count and memory. All servers of a pool must match it (GpuCatalog.onPremisesShapes()).
   */
  readonly serverShape: string;
  /** Number of servers that join; the pool's fixed size (nothing autoscales your servers). */
  readonly servers: number;
  /** Where the servers are, e.g. "fra-dc1": shown in the plan and named by data-resident endpoints' allowed locations. */
  readonly location: string;
  /**
   * Extra node labels the servers register with.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** Props of an OnPremisesGpuPool. */
export interface OnPremisesGpuPoolProps extends OnPremisesGpuPoolOptions {
  /** The cluster name (a literal), for the nodeadm configuration. */
  readonly clusterName: string;
  /** The cluster's region, for the nodeadm configuration. */
  readonly region: string;
  /** The credential provider of the cluster's hybrid nodes. */
  readonly credentials: HybridNodeCredentials;
}

const RESERVED_LABEL_PREFIXES = ["secure-inference.io/", "k8s.amazonaws.com/", "kubernetes.io/", "k8s.io/", "eks.amazonaws.com/"];
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * A declared pool of on-premises GPU servers. Terraform creates nothing for it: the servers join with `nodeadm`
 * (hybrid-nodes-join) carrying the labels and taint below, which the plan report prints as join instructions, and
 * the library treats the pool like a cloud pool for model fit, GPU quotas, placement and the plan (without a price).
 * The servers need the NVIDIA driver and container toolkit; the add-ons stack schedules the NVIDIA device plugin on
 * them (the pool is listed with the AL2023 pools).
 */
export class OnPremisesGpuPool extends Construct {
  /** Validates a declaration; one line per problem, each starting with `prefix`. */
  static validate(pool: OnPremisesGpuPoolOptions, prefix = ""): string[] {
    const p = new Problems();
    if (!isDnsLabel(pool.name ?? "", 36)) p.add(`${prefix}name`, `${show(pool.name)} must be a DNS label (lower-case letters, digits, "-", at most 36 characters), e.g. "onprem-l40s"`);
    if (pool.name === "system") p.add(`${prefix}name`, `"system" is the name of the cluster's system pool; choose another name`);
    if (!GpuCatalog.findOnPremises(pool.serverShape ?? "")) {
      p.add(`${prefix}serverShape`, `${show(pool.serverShape)} is not an on-premises server shape of the GPU catalog; use one of ${GpuCatalog.onPremisesShapes().map((s) => `"${s}"`).join(", ")}`);
    }
    if (isLiteral(pool.servers) && (!Number.isInteger(pool.servers) || pool.servers < 1)) p.add(`${prefix}servers`, `${show(pool.servers)} must be a whole number of servers, at least 1`);
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(pool.location ?? "")) p.add(`${prefix}location`, `${show(pool.location)} must name the site in lower-case letters, digits and "-" (at most 63), e.g. "fra-dc1"`);
    for (const [key, value] of Object.entries(pool.labels ?? {})) {
      if (RESERVED_LABEL_PREFIXES.some((r) => key.startsWith(r))) p.add(`${prefix}labels`, `${show(key)} uses a reserved prefix (${RESERVED_LABEL_PREFIXES.join(", ")}); the pool sets those itself`);
      else if (!LABEL_KEY.test(key)) p.add(`${prefix}labels`, `${show(key)} is not a Kubernetes label key`);
      if (!LABEL_VALUE.test(value)) p.add(`${prefix}labels`, `value ${show(value)} of ${show(key)} is not a Kubernetes label value`);
    }
    return [...p.list];
  }

  /** The pool name. */
  public readonly poolName: string;
  /** The catalog entry of the server shape. */
  public readonly gpu: GpuInstanceType;
  /** Labels every server must register with. */
  public readonly labels: Record<string, string>;
  /** Taints every server must register with, as "key=value:Effect". */
  public readonly taints: string[];
  /** The nodeadm NodeConfig (YAML) a server joins with; credentials are placeholders. */
  public readonly nodeadmConfig: string;
  /** The pool as planning and endpoints see it. */
  public readonly description: GpuPoolDescription;

  constructor(scope: Construct, id: string, props: OnPremisesGpuPoolProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(OnPremisesGpuPool.validate(props));
    problems.throwIfAny(this, "OnPremisesGpuPool");

    this.poolName = props.name;
    this.gpu = GpuCatalog.get(props.serverShape);
    this.labels = gpuPoolLabels(props.name, this.gpu, props.labels);
    this.taints = [`${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}`];
    this.nodeadmConfig = nodeadmConfig(props, this.labels, this.taints);
    const join: PoolJoinInstructions = { taints: [...this.taints], nodeadmConfig: this.nodeadmConfig };
    this.description = {
      name: props.name,
      instanceTypes: [props.serverShape],
      gpuModel: this.gpu.gpuModel,
      gpuCount: this.gpu.gpuCount,
      gpuMemoryGiB: this.gpu.gpuMemoryGiB,
      minSize: props.servers,
      maxSize: props.servers,
      capacityType: "ON_DEMAND",
      // The servers run your OS with the NVIDIA driver: the add-ons' NVIDIA device plugin serves them as it does AL2023 nodes.
      amiType: "AL2023_x86_64_NVIDIA",
      // Unknown: the servers' own disks. Endpoints' disk checks use the smallest the library accepts for a pool.
      dataVolumeSizeGiB: 200,
      labels: { ...this.labels },
      placement: { kind: "on-premises", location: props.location },
      join,
    };
  }
}

/** The NodeConfig of hybrid-nodes-nodeadm: cluster, credentials (placeholders) and the labels and taints as kubelet flags. */
function nodeadmConfig(props: OnPremisesGpuPoolProps, labels: Record<string, string>, taints: string[]): string {
  const creds =
    props.credentials.provider === "ssm"
      ? ["    ssm:", "      activationCode: <SSM activation code>", "      activationId: <SSM activation id>"]
      : [
          "    iamRolesAnywhere:",
          "      nodeName: <the certificate's CN>",
          "      trustAnchorArn: <trust anchor ARN (Terraform output)>",
          "      profileArn: <profile ARN (Terraform output)>",
          "      roleArn: <Hybrid Nodes role ARN (Terraform output)>",
        ];
  const region = isLiteral(props.region) ? props.region : "<the cluster's region>";
  return [
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  cluster:",
    `    name: ${props.clusterName}`,
    `    region: ${region}`,
    "  hybrid:",
    "    # The Pod Identity Agent's hybrid DaemonSet reads the node's credentials from this file.",
    "    enableCredentialsFile: true",
    ...creds,
    "  kubelet:",
    "    flags:",
    `      - --node-labels=${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",")}`,
    `      - --register-with-taints=${taints.join(",")}`,
    "",
  ].join("\n");
}
