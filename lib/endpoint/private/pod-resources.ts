/* The CPU and memory of a server pod: its GPUs' share of the node, less room for the node's own pods. */
import { GpuCatalog } from "../../planning/gpu-catalog";
import type { GpuPoolDescription } from "../../planning/gpu-pool-description";

/** Whole vCPUs and GiB of memory a server pod requests (and is limited to, for memory). */
export function serverPodResources(pool: GpuPoolDescription, gpusPerReplica: number): { cpu: number; memoryGiB: number } {
  const instance = GpuCatalog.get(pool.instanceTypes[0]);
  const share = gpusPerReplica / pool.gpuCount;
  // Leave room for the kubelet, system pods and the device plugin: 75% of the node's share.
  return { cpu: Math.max(1, Math.floor(instance.vcpus * share * 0.75)), memoryGiB: Math.max(4, Math.floor(instance.memoryGiB * share * 0.75)) };
}
