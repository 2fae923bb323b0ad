import type { GpuInstanceType } from "../planning/gpu-catalog";

/** Node label keys the library sets on its node pools; workloads select pools with them. */
export const NodeLabels = {
  /** Name of the node pool ("system" or a GPU pool name). */
  POOL: "secure-inference.io/pool",
  /** GPU model of the node, e.g. "L4". */
  GPU_MODEL: "secure-inference.io/gpu-model",
  /** GPUs per node, e.g. "1". */
  GPU_COUNT: "secure-inference.io/gpu-count",
  /** Memory of one GPU in GiB, e.g. "24". */
  GPU_MEMORY_GIB: "secure-inference.io/gpu-memory-gib",
  /** Label cluster-autoscaler's AWS provider reads to treat a node as a GPU node (value: e.g. "nvidia-l4"). */
  ACCELERATOR: "k8s.amazonaws.com/accelerator",
} as const;

/** The taint on every GPU node: only pods that tolerate it (GPU workloads) are scheduled there. */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" } as const;

/** The labels every node of a GPU pool carries: the user's, then the pool and its GPU (which the user cannot override). */
export function gpuPoolLabels(pool: string, gpu: Pick<GpuInstanceType, "gpuModel" | "gpuCount" | "gpuMemoryGiB">, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    [NodeLabels.POOL]: pool,
    [NodeLabels.GPU_MODEL]: gpu.gpuModel,
    [NodeLabels.GPU_COUNT]: String(gpu.gpuCount),
    [NodeLabels.GPU_MEMORY_GIB]: String(gpu.gpuMemoryGiB),
    [NodeLabels.ACCELERATOR]: `nvidia-${gpu.gpuModel.toLowerCase()}`,
  };
}
