import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WorkloadNamespace } from "../../lib/addons/workload-namespace";
import type { GpuNodePoolOptions } from "../../lib/cluster/gpu-node-pool";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { CanaryModelEndpointProps } from "../../lib/endpoint/endpoint-props";

/** ACM certificate ARN used by the endpoint tests. */
export const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

/**
 * A platform stack with an L4 pool (1 GPU per node; `l4` overrides its options) and an H100 pool (8 per node), an add-ons stack with
 * the "models" WorkloadNamespace (quota 64 GPUs), and a serving stack after it with an AWS provider.
 */
export function platformAndServing(app: App = Testing.app(), l4: Partial<GpuNodePoolOptions> = {}) {
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "us-east-1" });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-prod",
    network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
    gpuNodePools: [
      { name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], maxSize: 8, ...l4 },
      { name: "h100", instanceTypes: ["p5.48xlarge"], maxSize: 1, dataVolumeSizeGiB: 1000 },
    ],
  });
  const addons = new TerraformStack(app, "addons");
  const models = new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 64 });
  const serving = new TerraformStack(app, "serving");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region: "us-east-1" });
  return { app, platform, cluster, addons, models, serving };
}

/** Props of a small vLLM endpoint on the L4 pool; override what a test needs. */
export function chatProps(cluster: SecureInferenceCluster, overrides: Partial<CanaryModelEndpointProps> = {}): CanaryModelEndpointProps {
  return {
    connection: cluster.connection,
    namespace: "models",
    model: { name: "llama-3.1-8b-instruct", source: "llama-3.1-8b-instruct/", parametersBillions: 8, dtype: "bfloat16", architecture: { layers: 32, kvHeads: 8, headDim: 128 } },
    gpu: { pool: "l4", perReplica: 1 },
    ingress: { certificateArn: CERTIFICATE_ARN },
    ...overrides,
  };
}
