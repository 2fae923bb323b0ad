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
}
