// The minimal example: a secure GPU cluster and one canary model endpoint, everything else defaults.
// Run with `npm run example -- examples/minimal/main.ts` (type-checks, then runs; or point cdktf.json's "app" at it) and deploy
// the stacks in order: platform -> addons -> serving (`cdktf deploy '*'` does that: the minimal app has no bootstrap stack).
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CanaryModelEndpoint, ClusterAddons, Compliance, SecureInferenceCluster, WorkloadNamespace } from "../../lib";

/** ACM certificate for the endpoint's internal HTTPS load balancer (replace with yours). */
export const MINIMAL_CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

/** Builds the minimal app's three stacks. */
export function buildMinimal(app: App) {
  // Every stack must pass all four packs at synth; reports land in cdktf.out/stacks/<stack>/.
  Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2, Compliance.FEDRAMP_MODERATE, Compliance.GDPR);

  // 1. platform: AWS only. A private, encrypted EKS cluster in a new VPC, audit trail, alarms, metrics.
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "us-east-1" });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-minimal",
    // One L4 pool that scales from zero; 8 nodes = 4 replicas plus 4 canary replicas at the last step (the stable
    // version stays warm during a rollout, so an abort never waits for a cold start).
    gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], minSize: 0, maxSize: 8 }],
  });

  // 2. addons: controllers (Helm) and the namespace the model runs in, allowed 6 GPUs.
  const addons = new TerraformStack(app, "addons");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 8 });

  // 3. serving: the endpoint's Rollout needs the add-ons' CRDs, so this stack comes after them.
  const serving = new TerraformStack(app, "serving");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region: "us-east-1" });
  // vLLM defaults, 1 GPU per replica, 1 to 4 replicas, canary steps 1-5-10-25-50-100% with rollback.
  const chat = new CanaryModelEndpoint(serving, "chat", {
    connection: cluster.connection,
    namespace: "models",
    // Weights are read from the cluster's model bucket, under this prefix only.
    model: { name: "llama-3.1-8b-instruct", source: "llama-3.1-8b-instruct/", parametersBillions: 8, dtype: "bfloat16" },
    gpu: { pool: "l4" },
    ingress: { certificateArn: MINIMAL_CERTIFICATE_ARN },
  });
  return { platform, cluster, addons, serving, chat };
}

if (require.main === module) {
  const app = new App();
  buildMinimal(app);
  app.synth();
}
