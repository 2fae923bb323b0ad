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
