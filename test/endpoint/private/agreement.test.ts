import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAddons } from "../../../lib/addons/cluster-addons";
import { WorkloadNamespace } from "../../../lib/addons/workload-namespace";
import { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import { CanaryModelEndpoint } from "../../../lib/endpoint/canary-model-endpoint";
import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { chatProps, platformAndServing } from "../fixtures";

/** Runs cdktf's construct validations (what App.synth does first) and returns their messages. */
function validationErrors(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

describe("CanaryModelEndpoint agrees with the rest of the app (checked at synth)", () => {
  it("refuses two endpoints with one name in one namespace of a cluster", () => {
    const { app, cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster));
    new CanaryModelEndpoint(serving, "chat-again", chatProps(cluster, { name: "chat" }));
    expect(validationErrors(app)).toMatch(/\[serving\/chat-again\] name: "chat" in namespace "models" of cluster ml-prod is also endpoint serving\/chat; .* give each endpoint its own name/);
  });

  it("refuses a namespace that is not a WorkloadNamespace of the cluster, with the fix; accepts it declared external with a reason", () => {
    const { app, cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { namespace: "team-x" }));
    expect(validationErrors(app)).toMatch(
      /\[serving\/chat\] namespace: "team-x" is not a WorkloadNamespace of cluster ml-prod in this app, so it would lack restricted Pod Security, default-deny egress, the GPU quota and the ALB readiness-gate label; add new WorkloadNamespace\(addons, "team-x"/,
    );
    const second = platformAndServing();
    new CanaryModelEndpoint(second.serving, "chat", chatProps(second.cluster, { namespace: "team-x", externalNamespace: { reason: "made by the platform team's namespace operator" } }));
    expect(validationErrors(second.app)).toBe("");
    const third = platformAndServing();
    new CanaryModelEndpoint(third.serving, "chat", chatProps(third.cluster, { namespace: "team-x", externalNamespace: { reason: "elsewhere" } }));
    expect(validationErrors(third.app)).toMatch(/externalNamespace\.reason: "elsewhere" must say in 10 to 250 characters/);
  });

  it("refuses a GPU quota below the namespace's peak during a rollout, showing the arithmetic", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", { clusterName: "ml-prod", network: { availabilityZones: ["us-east-1a", "us-east-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 16 }] });
    const addons = new TerraformStack(app, "addons");
    new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 6 });
    const serving = new TerraformStack(app, "serving");
    serving.addDependency(addons);
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    // A 3-minute budget: 90 s detection plus a cold start exceeds it, so chat's stable stays warm.
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { autoscaling: { minReplicas: 1, maxReplicas: 4 }, rollout: { rollbackBudget: "3m" } }));
    new CanaryModelEndpoint(serving, "summarize", chatProps(cluster, { name: "summarize", autoscaling: { minReplicas: 1, maxReplicas: 2 } }));
    // 4 + 2 GPUs at maximum, and chat's rollout surplus: its stable stays warm, so the last step runs 4
    // canary replicas beside 4 stable: 4 more.
    const message = validationErrors(app);
    expect(message).toMatch(/namespace: the GPU quota of WorkloadNamespace addons\/models is 6, below the 10 GPUs its endpoints hold at peak: maximum replicas \(chat 4 x 1 \+ summarize 2 x 1 = 6\) \+ the largest rollout surplus \(4: .*\); raise gpuQuota to 10 or lower maxReplicas/);
    // Reported once, not by every endpoint of the namespace.
    expect(message.match(/the GPU quota of WorkloadNamespace/g)).toHaveLength(1);
  });

  it("refuses a serving stack that does not depend on the stack installing the add-ons' CRDs", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", { clusterName: "ml-prod", network: { availabilityZones: ["us-east-1a", "us-east-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 8 }] });
    const addons = new TerraformStack(app, "addons");
    new ClusterAddons(addons, "controllers", { connection: cluster.connection });
    new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 8 });
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster));
    expect(validationErrors(app)).toMatch(/connection: stack serving does not depend on stack addons, which installs the CRDs of its Rollout and ScaledObject \(ClusterAddons addons\/controllers\); .* add serving\.addDependency\(addons\)/);
  });

  it("refuses weights a server downloads to disk that do not fit the node's data volume with the images, and names the size that would; streamed weights take no disk", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", {
      clusterName: "ml-prod",
      network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
      gpuNodePools: [{ name: "h100", instanceTypes: ["p5.48xlarge"], maxSize: 4, dataVolumeSizeGiB: 100 }],
    });
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    const large = (server?: ReturnType<typeof InferenceServer.tgi>) => ({
      ...chatProps(cluster),
      model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b/", parametersBillions: 70, dtype: "bfloat16" as const },
      gpu: { pool: "h100", perReplica: 4 },
      ...(server ? { server } : {}),
    });
    expect(() => new CanaryModelEndpoint(serving, "large", large(InferenceServer.tgi()))).toThrow(
      /model: 2 replica\(s\) per node of pool "h100" x \d+ GiB for the weights .* but the node's 100 GiB data volume leaves 90 GiB before the kubelet evicts pods .* raise dataVolumeSizeGiB of pool "h100" to at least \d+/,
    );
    // vLLM streams the weights from S3 into GPU memory (Run:ai streamer): nothing lands on the data volume.
    expect(() => new CanaryModelEndpoint(serving, "large-vllm", large())).not.toThrow();
  });
});
