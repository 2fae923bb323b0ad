import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecureInferenceCluster } from "../../lib";

/** Stacks of the reference platform, returned for tests and for composition. */
export interface ReferencePlatform {
  /** AWS resources only: network, keys, EKS, node pools. */
  readonly platform: TerraformStack;
  /** The cluster construct. */
  readonly cluster: SecureInferenceCluster;
}

/**
 * The reference platform: a private, encrypted EKS cluster with an L4 pool that scales from zero
 * and an H100 pool for large models.
 */
export function buildReferencePlatform(app: App): ReferencePlatform {
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", {
    region: "us-east-1",
    defaultTags: [{ tags: { "managed-by": "cdktf", project: "reference-platform" } }],
  });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-prod",
    kubernetesVersion: "1.35",
    // Zones given explicitly: no EC2 API read at plan time.
    network: { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
    gpuNodePools: [
      { name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], minSize: 0, maxSize: 8 },
      { name: "h100", instanceTypes: ["p5.48xlarge"], minSize: 0, maxSize: 1, capacityType: "ON_DEMAND", dataVolumeSizeGiB: 1000 },
    ],
  });
  return { platform, cluster };
}

if (require.main === module) {
  const app = new App();
  buildReferencePlatform(app);
  app.synth();
}
