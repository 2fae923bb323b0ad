/*
 * GPU pools as plain values: what the cluster declares and what planning, placement and later
 * stacks read. No construct here, so planning needs nothing from cluster/.
 */

/** AMI types a GPU pool can run. Bottlerocket ships the NVIDIA device plugin; AL2023 needs the device plugin add-on. */
export const GPU_AMI_TYPES = ["BOTTLEROCKET_x86_64_NVIDIA", "AL2023_x86_64_NVIDIA"] as const;
/** An AMI type a GPU pool can run. */
export type GpuAmiType = (typeof GPU_AMI_TYPES)[number];

/** Capacity types of a managed node group. */
export type CapacityType = "ON_DEMAND" | "SPOT";

/** EBS's highest provisioned volume initialization rate, MiB/s (EBS user guide, "Initialize Amazon EBS volumes"): GpuImageCache's default. */
export const DEFAULT_IMAGE_CACHE_INITIALIZATION_MIBPS = 300;

/**
 * Serving images pre-pulled onto the nodes' data volume: a snapshot of a Bottlerocket data volume
 * (/dev/xvdb) taken after pulling the images, so that a new node starts a server without pulling it.
 * Built with aws-samples/bottlerocket-images-cache (its README: give the snapshot to /dev/xvdb only).
 */
export interface GpuImageCache {
  /** The EBS snapshot (`snap-...`) of a Bottlerocket data volume holding the serving images. */
  readonly snapshotId: string;
  /**
   * How the new volume's blocks arrive from the snapshot. `"fast-snapshot-restore"`: Fast Snapshot
   * Restore is enabled on the snapshot in the pool's Availability Zones (outside this pool; charged per
   * snapshot, zone and hour), so every block is there at once. A number: a provisioned volume
   * initialization rate in MiB/s (EBS allows 100 to 300), set on the launch template; blocks not yet
   * initialized are fetched from S3 when first read.
   * @default 300
   */
  readonly initialization?: "fast-snapshot-restore" | number;
  /**
   * The images the snapshot holds (full references, pinned), so the plan can say which endpoints'
   * servers start without a pull. An endpoint whose image is not listed still pulls it.
   * @default - none listed: every endpoint is planned as pulling its image
   */
  readonly images?: string[];
}

/**
 * Space a GPU node's data volume needs besides model weights: the serving image unpacked (vLLM 0.11 and
 * Triton 25.11 images are roughly 10 GB compressed), the system images, logs. An assumption, not a measurement.
 */
export const NODE_DISK_HEADROOM_GIB = 40;
/** The kubelet evicts pods when the node filesystem has less than 10% free (its default hard eviction threshold, nodefs.available<10%). */
export const EVICTION_FREE_FRACTION = 0.1;
/** GiB of a node's data volume that pods and a weight cache may fill before the kubelet evicts pods, images set aside. */
export function usableDataVolumeGiB(dataVolumeSizeGiB: number): number {
  return Math.floor(dataVolumeSizeGiB * (1 - EVICTION_FREE_FRACTION)) - NODE_DISK_HEADROOM_GIB;
}

/**
 * Namespace of the weight-cache fillers (one DaemonSet per endpoint that uses a pool's cache). The cluster's
 * add-ons create it with Pod Security "privileged", the only level that admits the fillers' hostPath volume;
 * nothing else runs there.
 */
export const WEIGHT_CACHE_NAMESPACE = "weight-cache";
/**
 * Where each node keeps the cache: /var is Bottlerocket's data partition, /local/var bind-mounted
 * (bottlerocket-os/bottlerocket-core-kit@a10182f:packages/release/var.mount `What=/local/var`, local.mount
 * `What=/dev/disk/by-partlabel/BOTTLEROCKET-DATA`), i.e. the encrypted data volume /dev/xvdb; on AL2023 the
 * encrypted root volume.
 */
export const WEIGHT_CACHE_HOST_PATH = "/var/lib/weight-cache";

/**
 * A node-level cache of model weights on each node's encrypted data volume, for endpoints whose server
 * reads local files (TGI, Triton, custom servers; vLLM streams from S3 and needs none). One filler per
 * endpoint on every node of the pool downloads the endpoint's weights once, verifies them and publishes
 * them; the endpoint's pods link them instead of downloading their own copy, so a restart, a rollback or a
 * second replica on the node skips the download. Entries are keyed by the model's S3 prefix and the
 * version of its objects (their keys, sizes and ETags).
 *
 * What it costs: a DaemonSet pod per endpoint and node in the `weight-cache` namespace, which admits
 * hostPath volumes (Pod Security "privileged"); each filler runs as root without capabilities, with a
 * read-only root filesystem, reads only its endpoint's prefix, and writes only the cache directory. The
 * endpoint's pods mount the cache read-only.
 */
export interface GpuWeightCache {
  /**
   * Most GiB of weights each node keeps. Versions no endpoint uses any more go first when a fill needs
   * room; the versions fillers hold are never evicted, so it must hold every cached model on the pool (synth
   * checks), twice for a canary and its stable to both stay cached.
   */
  readonly maxSizeGiB: number;
}

/** A pool's weight cache as endpoints see it: the bound, and the data volume's read rate a cache hit is planned at. */
export interface PoolWeightCache extends GpuWeightCache {
  /** The data volume's provisioned throughput, MiB/s. */
  readonly readMiBps: number;
}

/** A GPU pool as later stacks see it: plain values, known at synth time, for placement and planning. */
export interface GpuPoolDescription {
  /** Pool name. */
  readonly name: string;
  /** Instance types, in order of preference. */
  readonly instanceTypes: string[];
  /** GPU model of every node. */
  readonly gpuModel: string;
  /** GPUs per node. */
  readonly gpuCount: number;
  /** Memory per GPU in GiB. */
  readonly gpuMemoryGiB: number;
  /** Smallest number of nodes. */
  readonly minSize: number;
  /** Largest number of nodes. */
  readonly maxSize: number;
  /** On-demand or spot. */
  readonly capacityType: CapacityType;
  /** Node image. */
  readonly amiType: GpuAmiType;
  /** Each node's data volume (images and pods' ephemeral storage, where model weights are cached), GiB. */
  readonly dataVolumeSizeGiB: number;
  /** Labels of every node (select the pool with `secure-inference.io/pool`). */
  readonly labels: Record<string, string>;
  /**
   * Serving images pre-pulled on the nodes' data volume.
   * @default - none: a new node pulls its images
   */
  readonly imageCache?: GpuImageCache;
  /**
   * The node-level weight cache, when the pool has one.
   * @default - none: every replica of a server that reads local files downloads its own copy
   */
  readonly weightCache?: PoolWeightCache;
  /**
   * Where the GPUs are. On-premises pools have no cloud price and a fixed size (nothing autoscales your servers).
   * @default - { kind: "region" }
   */
  readonly placement?: PoolPlacement;
  /**
   * How a server joins an on-premises pool: the taints it registers with and the `nodeadm` configuration
   * (labels and taints as kubelet flags) to run `nodeadm init` with. The plan report prints them.
   * @default - none (cloud pools: EKS labels and taints the nodes it launches)
   */
  readonly join?: PoolJoinInstructions;
}

/** What an on-premises server must carry when it joins the cluster as a hybrid node. */
export interface PoolJoinInstructions {
  /** Taints, as "key=value:Effect". */
  readonly taints: string[];
  /** The nodeadm NodeConfig (YAML) with the labels and taints as kubelet flags; credentials left as placeholders. */
  readonly nodeadmConfig: string;
}

/**
 * Where a pool's GPUs are: in the cluster's region (availability zones), in a Local Zone of that region
 * (AWS hardware in a metro, closer to users), or on premises (your servers, joined as EKS Hybrid Nodes).
 */
export type PoolPlacement =
  | { readonly kind: "region" }
  | {
      readonly kind: "local-zone";
      /** Zone name, e.g. "us-west-2-lax-1a". */
      readonly zone: string;
      /** Its zone group, which the account opts in to, e.g. "us-west-2-lax-1". */
      readonly zoneGroup: string;
      /** The zone's subnet for the internal load balancers of endpoints on the pool, when given. */
      readonly loadBalancerSubnet?: { readonly subnetId: string; readonly cidr: string };
    }
  | { readonly kind: "on-premises"; /** Where the servers are, e.g. "fra-dc1" (a name of yours, shown in reports and residency checks). */ readonly location: string };

/** A pool's placement in one word, for reports: "region", "local-zone <zone>" or "on-premises <location>". */
export function describePlacement(placement: PoolPlacement | undefined): string {
  if (!placement || placement.kind === "region") return "region";
  return placement.kind === "local-zone" ? `local-zone ${placement.zone}` : `on-premises ${placement.location}`;
}
