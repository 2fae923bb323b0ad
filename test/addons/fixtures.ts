import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { GpuAmiType, GpuWeightCache } from "../../lib/planning/gpu-pool-description";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";

/** A platform stack with a small cluster (one L4 pool) and an empty addons stack that consumes it. */
export function platformAndAddons(options: { app?: App; amiType?: GpuAmiType; kubernetesVersion?: string; weightCache?: GpuWeightCache } = {}) {
  const app = options.app ?? Testing.app();
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "us-east-1" });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-prod",
    kubernetesVersion: options.kubernetesVersion,
    network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
    gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2, amiType: options.amiType, weightCache: options.weightCache }],
  });
  const addons = new TerraformStack(app, "addons");
  return { app, platform, cluster, addons };
}
