import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { AutoscalingGroupTagA as AutoscalingGroupTag } from "@cdktf/provider-aws/lib/autoscaling-group-tag";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { GpuCatalog, GpuInstanceType } from "../planning/gpu-catalog";
import {
  CapacityType,
  DEFAULT_IMAGE_CACHE_INITIALIZATION_MIBPS,
  EVICTION_FREE_FRACTION,
  GPU_AMI_TYPES,
  GpuAmiType,
  GpuImageCache,
  GpuWeightCache,
  NODE_DISK_HEADROOM_GIB,
  PoolPlacement,
  PoolWeightCache,
  usableDataVolumeGiB,
} from "../planning/gpu-pool-description";
import { LOCAL_ZONE_GPU_FAMILIES, LOCAL_ZONE_OFFERINGS_SOURCE, parseLocalZone } from "../planning/local-zones";
import { Problems, isDnsLabel, isLiteral, parseCidr, show } from "../private/validation";
import { GPU_TAINT, gpuPoolLabels } from "./node-labels";
import { createManagedNodeGroup, isBottlerocket } from "./private/managed-node-group";

/** A GPU node pool as a user declares it on SecureInferenceCluster. */
export interface GpuNodePoolOptions {
  /** Pool name, a DNS label (e.g. "l4"); endpoints refer to the pool by it. */
  readonly name: string;
  /** EC2 instance types, in order of preference. All must carry the same number of NVIDIA GPUs of one model. */
  readonly instanceTypes: string[];
  /**
   * Smallest number of nodes. 0 lets an idle pool cost nothing.
   * @default 0
   */
  readonly minSize?: number;
  /** Largest number of nodes cluster-autoscaler may run. */
  readonly maxSize: number;
  /**
   * Nodes at creation; cluster-autoscaler owns it afterwards (Terraform ignores later drift).
   * @default - minSize
   */
  readonly desiredSize?: number;
  /**
   * On-demand, or spot for interruption-tolerant serving at a discount.
   * @default "ON_DEMAND"
   */
  readonly capacityType?: CapacityType;
  /**
   * Node operating system image.
   * @default "BOTTLEROCKET_x86_64_NVIDIA"
   */
  readonly amiType?: GpuAmiType;
  /**
   * Size of the volume that holds container images and cached model weights, in GiB
   * (Bottlerocket's data volume; the root volume on AL2023). Size it for the largest model plus images.
   * @default 200
   */
  readonly dataVolumeSizeGiB?: number;
  /**
   * Provisioned IOPS of the gp3 volumes.
   * @default 6000
   */
  readonly volumeIops?: number;
  /**
   * Provisioned throughput of the gp3 volumes in MiB/s; model loading from disk is bound by it.
   * @default 500
   */
  readonly volumeThroughputMiBps?: number;
  /**
   * Serving images pre-pulled onto the data volume from a snapshot, so a new node does not pull a
   * multi-GB image before its first replica starts (Bottlerocket only: the snapshot is of its data
   * volume). See `GpuImageCache`.
   * @default - none: a new node pulls the serving image
   */
  readonly imageCache?: GpuImageCache;
  /**
   * A node-level cache of model weights on the encrypted data volume, shared by the pods of a node, so
   * that a restart, a rollback or a second replica of a server that reads local files (TGI, Triton) skips
   * the download. It runs a filler per such endpoint in the `weight-cache` namespace, which admits hostPath
   * volumes: hence opt-in. See `GpuWeightCache`.
   * @default - none: each replica downloads its own copy of the weights
   */
  readonly weightCache?: GpuWeightCache;
  /**
   * Extra node labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Subnets for this pool only, e.g. the zones where the GPU type is offered.
   * @default - the cluster's private subnets
   */
  readonly subnetIds?: string[];
  /**
   * Places the pool in a Local Zone of the cluster's region (AWS hardware in a metro, closer to users), with the same
   * launch template hardening as region pools. The account must have opted in to the zone's group
   * (`aws ec2 modify-availability-zone-group --group-name <zone group> --opt-in-status opted-in`).
   * Mutually exclusive with `subnetIds`.
   * @default - the region's availability zones
   */
  readonly localZone?: LocalZonePlacement;
}

/** A GPU pool's Local Zone. */
export interface LocalZonePlacement {
  /** The Local Zone, e.g. "us-west-2-lax-1a"; its zone group ("us-west-2-lax-1") is what the account opts in to. */
  readonly zone: string;
  /** A private subnet of the cluster's VPC in that zone (no public IPs), routed to the region's private subnets. */
  readonly subnetId: string;
  /**
   * Instance types you checked the zone offers (`aws ec2 describe-instance-type-offerings --location-type availability-zone
   * --filters Name=location,Values=<zone>`), for a zone or family the library's table (planning/local-zones.ts) does not list.
   * @default - only the families the table lists for the zone group
   */
  readonly verifiedInstanceTypes?: string[];
  /**
   * A private subnet of the zone (at least a /27) for the internal load balancers of endpoints on this pool: an ALB
   * sends only to targets in zones it is enabled in and cannot mix a Local Zone with availability zones, so it must be
   * in the zone (where the zone offers ALBs). Tag it `kubernetes.io/role/internal-elb: 1` only if no other ALB should use it.
   * @default - none: endpoints cannot be placed on the pool (synth says so)
   */
  readonly loadBalancerSubnet?: { readonly subnetId: string; readonly cidr: string };
}

/** Props of a GpuNodePool. */
export interface GpuNodePoolProps extends GpuNodePoolOptions {
  /** Name of the EKS cluster the pool joins. */
  readonly clusterName: string;
  /** Kubernetes version of the nodes (the cluster's). */
  readonly kubernetesVersion: string;
  /** Node IAM role ARN. */
  readonly nodeRoleArn: string;
  /** Default subnets (private) when the pool gives none. */
  readonly clusterSubnetIds: string[];
  /** ARN of the KMS key that encrypts the node volumes. */
  readonly storageKeyArn: string;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * Resources the node group waits for, e.g. the node role's policy attachments.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

const ROOT_VOLUME_BOTTLEROCKET_GIB = 8;
const MIN_DATA_VOLUME_GIB = 50;
const DEFAULT_DATA_VOLUME_GIB = 200;
const DEFAULT_IOPS = 6000;
const DEFAULT_THROUGHPUT = 500;
/** ASG tag keys hold at most 128 characters; the autoscaler's node-template label prefix takes 46. */
const MAX_LABEL_KEY = 128 - "k8s.io/cluster-autoscaler/node-template/label/".length;

function isLabelKey(key: string): boolean {
  if (key.length > MAX_LABEL_KEY) return false;
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0]);
  return prefixOk && /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/.test(name);
}
const RESERVED_LABEL_PREFIXES = ["secure-inference.io/", "k8s.amazonaws.com/", "kubernetes.io/", "k8s.io/", "eks.amazonaws.com/"];

/**
 * An EKS managed node group of NVIDIA GPU nodes, hardened and ready for
 * cluster-autoscaler to scale from zero: tainted `nvidia.com/gpu=true:NoSchedule`, labelled with
 * the GPU model, count and memory, and with the node-template tags that tell the autoscaler what a
 * node of an empty pool would offer.
 */
export class GpuNodePool extends Construct {
  /** Validates a pool declaration; one line per problem, each starting with `prefix`. */
  static validate(pool: GpuNodePoolOptions, prefix = ""): string[] {
    const p = new Problems();
    // 36: the node group name prefix "<name>-" plus Terraform's 26-character suffix must fit EKS's 63.
    if (!isDnsLabel(pool.name ?? "", 36)) p.add(`${prefix}name`, `${show(pool.name)} must be a DNS label (lower-case letters, digits, "-", at most 36 characters), e.g. "l4"`);
    if (pool.name === "system") p.add(`${prefix}name`, `"system" is the name of the cluster's system pool; choose another name`);
    const types = pool.instanceTypes ?? [];
    if (types.length === 0) p.add(`${prefix}instanceTypes`, `is empty; list at least one NVIDIA GPU instance type, e.g. ["g6.xlarge"] (families: ${GpuCatalog.describeFamilies()})`);
    const entries: GpuInstanceType[] = [];
    for (const t of types) {
      const e = GpuCatalog.find(t);
      if (e && !e.onPremises) entries.push(e);
      else p.add(`${prefix}instanceTypes`, `${GpuCatalog.explainMissing(t)}; use an NVIDIA GPU instance type (families: ${GpuCatalog.describeFamilies()})`);
    }
    const dupes = types.filter((t, i) => types.indexOf(t) !== i);
    if (dupes.length) p.add(`${prefix}instanceTypes`, `${show(dupes)} listed more than once; list each type once`);
    const models = [...new Set(entries.map((e) => e.gpuModel))];
    if (models.length > 1) {
      p.add(`${prefix}instanceTypes`, `mix GPU models (${entries.map((e) => `${e.instanceType}: ${e.gpuModel}`).join(", ")}); a pool must have one GPU model so that models fit every node; make one pool per GPU model`);
    } else {
      const counts = [...new Set(entries.map((e) => e.gpuCount))];
      if (counts.length > 1) p.add(`${prefix}instanceTypes`, `mix GPU counts per node (${entries.map((e) => `${e.instanceType}: ${e.gpuCount}`).join(", ")}); the autoscaler and the node labels need one count per pool; make one pool per GPU count`);
      const memories = [...new Set(entries.map((e) => e.gpuMemoryGiB))];
      if (memories.length > 1) p.add(`${prefix}instanceTypes`, `mix GPU memory sizes (${entries.map((e) => `${e.instanceType}: ${e.gpuMemoryGiB} GiB`).join(", ")}); a model sized for the larger GPU would not fit the smaller; make one pool per GPU memory size`);
    }
    const min = pool.minSize ?? 0;
    const max = pool.maxSize;
    const checkInt = (prop: string, v: number | undefined, lo: number) => {
      if (v !== undefined && isLiteral(v) && (!Number.isInteger(v) || v < lo)) p.add(`${prefix}${prop}`, `${v} must be a whole number >= ${lo}`);
    };
    checkInt("minSize", pool.minSize, 0);
    checkInt("maxSize", max, 1);
    checkInt("desiredSize", pool.desiredSize, 0);
    if (isLiteral(min) && isLiteral(max) && min > max) p.add(`${prefix}minSize`, `(${min}) must not exceed maxSize (${max}); lower minSize or raise maxSize`);
    if (pool.desiredSize !== undefined && isLiteral(pool.desiredSize) && (pool.desiredSize < min || pool.desiredSize > max)) {
      p.add(`${prefix}desiredSize`, `(${pool.desiredSize}) must be within [minSize, maxSize] = [${min}, ${max}]`);
    }
    if (pool.capacityType !== undefined && !["ON_DEMAND", "SPOT"].includes(pool.capacityType)) p.add(`${prefix}capacityType`, `${show(pool.capacityType)} must be "ON_DEMAND" or "SPOT"`);
    if (pool.amiType !== undefined && !(GPU_AMI_TYPES as readonly string[]).includes(pool.amiType)) {
      p.add(`${prefix}amiType`, `${show(pool.amiType)} is not supported for GPU pools; use one of ${GPU_AMI_TYPES.map((a) => `"${a}"`).join(", ")}`);
    }
    const data = pool.dataVolumeSizeGiB ?? DEFAULT_DATA_VOLUME_GIB;
    if (!Number.isInteger(data) || data < MIN_DATA_VOLUME_GIB || data > 16384) p.add(`${prefix}dataVolumeSizeGiB`, `${data} must be a whole number of GiB from ${MIN_DATA_VOLUME_GIB} (GPU images alone take ~20 GiB) to 16384`);
    const iops = pool.volumeIops ?? DEFAULT_IOPS;
    const tput = pool.volumeThroughputMiBps ?? DEFAULT_THROUGHPUT;
    // gp3 limits: 3000-80000 IOPS at most 500 per GiB, 125-2000 MiB/s at most IOPS / 4.
    if (!Number.isInteger(iops) || iops < 3000 || iops > 80000) p.add(`${prefix}volumeIops`, `${iops} must be 3000 to 80000 (gp3 limits)`);
    else if (iops > 500 * data) p.add(`${prefix}volumeIops`, `${iops} exceeds gp3's 500 IOPS per GiB for a ${data} GiB volume; raise dataVolumeSizeGiB to ${Math.ceil(iops / 500)} or lower volumeIops`);
    if (!Number.isInteger(tput) || tput < 125 || tput > 2000) p.add(`${prefix}volumeThroughputMiBps`, `${tput} must be 125 to 2000 MiB/s (gp3 limits)`);
    else if (tput > iops / 4) p.add(`${prefix}volumeThroughputMiBps`, `${tput} MiB/s exceeds gp3's limit of IOPS / 4 = ${Math.floor(iops / 4)} MiB/s; raise volumeIops to ${tput * 4} or lower volumeThroughputMiBps`);
    for (const [key, value] of Object.entries(pool.labels ?? {})) {
      if (RESERVED_LABEL_PREFIXES.some((r) => key.startsWith(r))) p.add(`${prefix}labels`, `${show(key)} uses a reserved prefix (${RESERVED_LABEL_PREFIXES.join(", ")}); the pool sets those itself`);
      else if (!isLabelKey(key)) p.add(`${prefix}labels`, `${show(key)} is not a Kubernetes label key ([prefix/]name, name of at most 63 alphanumerics, "-", "_", "."; at most ${MAX_LABEL_KEY} characters so the autoscaler tag fits)`);
      if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(value)) p.add(`${prefix}labels`, `value ${show(value)} of ${show(key)} is not a Kubernetes label value (at most 63 alphanumerics, "-", "_", ".", starting and ending alphanumeric)`);
    }
    if (pool.imageCache !== undefined) {
      const c = pool.imageCache;
      if (!isBottlerocket(pool.amiType ?? "BOTTLEROCKET_x86_64_NVIDIA")) {
        p.add(`${prefix}imageCache`, `needs a Bottlerocket amiType (the snapshot is of Bottlerocket's data volume /dev/xvdb), got ${show(pool.amiType)}; use "BOTTLEROCKET_x86_64_NVIDIA" or drop imageCache`);
      }
      if (isLiteral(c.snapshotId) && !/^snap-[0-9a-f]{8}([0-9a-f]{9})?$/.test(c.snapshotId)) p.add(`${prefix}imageCache.snapshotId`, `${show(c.snapshotId)} is not an EBS snapshot id (snap- and 8 or 17 hex digits)`);
      const init = c.initialization;
      if (init !== undefined && init !== "fast-snapshot-restore" && !(typeof init === "number" && Number.isInteger(init) && init >= 100 && init <= 300)) {
        p.add(`${prefix}imageCache.initialization`, `${show(init)} must be "fast-snapshot-restore" or a volume initialization rate of 100 to 300 MiB/s (EBS limits)`);
      }
      for (const image of c.images ?? []) {
        if (!/^[^\s]+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/.test(image)) p.add(`${prefix}imageCache.images`, `${show(image)} is not a pinned image reference (registry/name:tag or @sha256:digest)`);
      }
    }
    if (pool.weightCache !== undefined) {
      const size = pool.weightCache.maxSizeGiB;
      const usable = usableDataVolumeGiB(data);
      if (!isLiteral(size) || !Number.isInteger(size) || size < 1) p.add(`${prefix}weightCache.maxSizeGiB`, `${show(size)} must be a whole number of GiB, at least the largest cached model (e.g. 2 x its weights, so a canary and its stable both stay cached)`);
      else if (Number.isInteger(data) && size > usable) {
        p.add(
          `${prefix}weightCache.maxSizeGiB`,
          `${size} GiB does not fit the ${data} GiB data volume, which leaves ${usable} GiB after images and the kubelet's 10% eviction reserve; raise dataVolumeSizeGiB to at least ${Math.ceil((size + NODE_DISK_HEADROOM_GIB) / (1 - EVICTION_FREE_FRACTION))} or lower maxSizeGiB`,
        );
      }
    }
    if (pool.subnetIds !== undefined && pool.subnetIds.length === 0) p.add(`${prefix}subnetIds`, "is empty; omit it to use the cluster's private subnets");
    if (pool.localZone) localZoneProblems(pool, prefix, p);
    return [...p.list];
  }

  /** The pool name. */
  public readonly poolName: string;
  /** The catalog entry of the pool's first (preferred) instance type. */
  public readonly gpu: GpuInstanceType;
  /** The managed node group. */
  public readonly nodeGroup: EksNodeGroup;
  /** The launch template of the nodes. */
  public readonly launchTemplate: LaunchTemplate;
  /** Labels every node of the pool carries. */
  public readonly labels: Record<string, string>;
  /** Size of each node's data volume (container images and pods' ephemeral storage, model weights included), GiB. */
  public readonly dataVolumeSizeGiB: number;
  /** The node-level weight cache with the data volume's read rate, when the pool has one. */
  public readonly weightCache?: PoolWeightCache;
  /** Where the nodes run: the region's availability zones or a Local Zone. */
  public readonly placement: PoolPlacement;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(GpuNodePool.validate(props));
    problems.throwIfAny(this, "GpuNodePool");

    this.poolName = props.name;
    this.gpu = GpuCatalog.get(props.instanceTypes[0]);
    const lz = props.localZone ? parseLocalZone(props.localZone.zone) : undefined;
    this.placement =
      props.localZone && lz
        ? { kind: "local-zone", zone: props.localZone.zone, zoneGroup: lz.zoneGroup, ...(props.localZone.loadBalancerSubnet ? { loadBalancerSubnet: { ...props.localZone.loadBalancerSubnet } } : {}) }
        : { kind: "region" };
    const amiType = props.amiType ?? "BOTTLEROCKET_x86_64_NVIDIA";
    const minSize = props.minSize ?? 0;
    const dataVolume = props.dataVolumeSizeGiB ?? DEFAULT_DATA_VOLUME_GIB;
    this.dataVolumeSizeGiB = dataVolume;
    if (props.weightCache) this.weightCache = { maxSizeGiB: props.weightCache.maxSizeGiB, readMiBps: props.volumeThroughputMiBps ?? DEFAULT_THROUGHPUT };
    const bottlerocket = isBottlerocket(amiType);
    const cacheVolume = { sizeGiB: dataVolume, iops: props.volumeIops ?? DEFAULT_IOPS, throughputMiBps: props.volumeThroughputMiBps ?? DEFAULT_THROUGHPUT };
    const imageCache = props.imageCache;
    // Bottlerocket boots with the snapshot's images in containerd's store on the data volume
    // (aws-samples/bottlerocket-images-cache README: the snapshot goes to /dev/xvdb only).
    const dataVolumeSpec = imageCache
      ? {
          ...cacheVolume,
          snapshotId: imageCache.snapshotId,
          initializationRateMiBps: imageCache.initialization === "fast-snapshot-restore" ? undefined : (imageCache.initialization ?? DEFAULT_IMAGE_CACHE_INITIALIZATION_MIBPS),
        }
      : cacheVolume;
    const tags = props.tags ?? {};

    this.labels = gpuPoolLabels(props.name, this.gpu, props.labels);

    const { nodeGroup, launchTemplate } = createManagedNodeGroup(this, {
      clusterName: props.clusterName,
      kubernetesVersion: props.kubernetesVersion,
      poolName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.localZone ? [props.localZone.subnetId] : (props.subnetIds ?? props.clusterSubnetIds),
      instanceTypes: props.instanceTypes,
      amiType,
      capacityType: props.capacityType ?? "ON_DEMAND",
      minSize,
      maxSize: props.maxSize,
      desiredSize: props.desiredSize ?? minSize,
      // Bottlerocket keeps the OS on a small root volume (gp3 baseline) and images and model caches on the data volume.
      rootVolume: bottlerocket ? { sizeGiB: ROOT_VOLUME_BOTTLEROCKET_GIB } : cacheVolume,
      dataVolume: bottlerocket ? dataVolumeSpec : undefined,
      storageKeyArn: props.storageKeyArn,
      labels: this.labels,
      taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" }],
      tags: { ...tags, "secure-inference/pool": props.name },
      dependsOn: props.dependsOn,
    });
    this.nodeGroup = nodeGroup;
    this.launchTemplate = launchTemplate;

    // EKS does not copy node-group labels and taints to the Auto Scaling group, so a pool at
    // zero nodes would look empty to cluster-autoscaler; these tags describe its would-be nodes.
    const asgName = nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
    const templateTags: Record<string, string> = {
      [`k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu`]: String(this.gpu.gpuCount),
      [`k8s.io/cluster-autoscaler/node-template/taint/${GPU_TAINT.key}`]: `${GPU_TAINT.value}:${GPU_TAINT.effect}`,
    };
    for (const [k, v] of Object.entries(this.labels)) templateTags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    for (const [key, value] of Object.entries(templateTags)) {
      new AutoscalingGroupTag(this, `asg-tag-${key.replace(/^k8s\.io\/cluster-autoscaler\/node-template\//, "").replace(/\//g, "_")}`, {
        autoscalingGroupName: asgName,
        tag: { key, value, propagateAtLaunch: false },
      });
    }
  }
}

/** Problems of a Local Zone placement: the zone's name, the subnet and the instance types the zone offers. */
function localZoneProblems(pool: GpuNodePoolOptions, prefix: string, p: Problems): void {
  const lz = pool.localZone!;
  if (pool.subnetIds !== undefined) p.add(`${prefix}subnetIds`, "cannot be combined with localZone, which places the pool in its subnet; remove one of them");
  if (isLiteral(lz.subnetId) && !/^subnet-[0-9a-f]{8,17}$/.test(lz.subnetId ?? "")) p.add(`${prefix}localZone.subnetId`, `${show(lz.subnetId)} is not a subnet id; give the private subnet of the VPC in ${show(lz.zone)}, e.g. "subnet-0123456789abcdef0"`);
  const lb = lz.loadBalancerSubnet;
  if (lb) {
    if (isLiteral(lb.subnetId) && !/^subnet-[0-9a-f]{8,17}$/.test(lb.subnetId ?? "")) p.add(`${prefix}localZone.loadBalancerSubnet.subnetId`, `${show(lb.subnetId)} is not a subnet id; e.g. "subnet-0123456789abcdef0"`);
    const cidr = isLiteral(lb.cidr) ? parseCidr(lb.cidr ?? "") : undefined;
    if (isLiteral(lb.cidr) && !cidr) p.add(`${prefix}localZone.loadBalancerSubnet.cidr`, `${show(lb.cidr)} is not the subnet's IPv4 CIDR; e.g. "10.20.240.0/24"`);
    else if (cidr && cidr.prefix > 27) p.add(`${prefix}localZone.loadBalancerSubnet.cidr`, `${show(lb.cidr)} is smaller than the /27 an Application Load Balancer needs; use a /27 or larger`);
  }
  const parsed = parseLocalZone(lz.zone ?? "");
  if (!parsed) {
    p.add(`${prefix}localZone.zone`, `${show(lz.zone)} is not a Local Zone name (<region>-<metro>-<n><letter>, e.g. "us-west-2-lax-1a"); an availability zone of the region needs no localZone`);
    return;
  }
  const families = LOCAL_ZONE_GPU_FAMILIES[parsed.zoneGroup] ?? [];
  const verified = new Set(lz.verifiedInstanceTypes ?? []);
  for (const t of pool.instanceTypes ?? []) {
    const family = t.split(".")[0];
    if (families.includes(family) || verified.has(t)) continue;
    p.add(
      `${prefix}localZone`,
      `${show(t)} is not offered in ${parsed.zoneGroup} as far as the library knows (${families.length ? `its GPU families: ${families.join(", ")}` : "no GPU families listed for it"}; source ${LOCAL_ZONE_OFFERINGS_SOURCE}); ` +
        `use an offered type, or check with \`aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=location,Values=${lz.zone} --region ${parsed.region}\` and list it in localZone.verifiedInstanceTypes`,
    );
  }
}
