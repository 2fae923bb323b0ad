import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { WorkloadNamespace } from "../../lib/addons/workload-namespace";
import { SecureInferenceCluster, SecureInferenceClusterProps } from "../../lib/cluster/secure-inference-cluster";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { resolveEndpoint } from "../../lib/endpoint/private/resolve-endpoint";
import { CapacityPlan } from "../../lib/planning/capacity-plan";
import { RESIDENCY_TAGS } from "../../lib/planning/data-residency";
import { manifestsOf } from "../harness/k8s-schemas";
import { resourcesOf, synth } from "../util";
import { chatProps } from "./fixtures";

const HYBRID: SecureInferenceClusterProps = {
  clusterName: "ml-edge",
  network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
  gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 8 }],
  hybridNodes: { remoteNodeNetworks: ["192.168.10.0/24"], remotePodNetworks: ["192.168.64.0/18"], credentials: { provider: "ssm" } },
  onPremisesGpuPools: [{ name: "onprem-l40s", serverShape: "onprem-l40s.4gpu", servers: 2, location: "fra-dc1" }],
};

function stacks(props: SecureInferenceClusterProps = HYBRID) {
  const app = Testing.app();
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "us-east-1" });
  const cluster = new SecureInferenceCluster(platform, "ml", props);
  const addons = new TerraformStack(app, "addons");
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 16 });
  const serving = new TerraformStack(app, "serving");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region: "us-east-1" });
  return { app, cluster, serving };
}

describe("an endpoint on an on-premises pool", () => {
  const { cluster, serving } = stacks();
  const endpoint = new CanaryModelEndpoint(
    serving,
    "private-chat",
    chatProps(cluster, { gpu: { pool: "onprem-l40s", perReplica: 1 }, autoscaling: { minReplicas: 1, maxReplicas: 4 }, dataResidency: { allowedLocations: ["fra-dc1", "us-east-1"] } }),
  );
  const { json } = synth(serving);
  const rollout = manifestsOf(json).map((m) => m.manifest).find((m) => m.kind === "Rollout")!;

  it("runs its replicas on the pool's servers by label, tolerating the GPU taint they register with", () => {
    const pod = rollout.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "secure-inference.io/pool": "onprem-l40s" });
    expect(pod.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" });
    expect(endpoint.fit.fits).toBe(true);
    expect(endpoint.pool.gpuModel).toBe("L40S");
  });

  it("keeps the canary, its analysis and autoscaling as on cloud pools", () => {
    const kinds = manifestsOf(json).map((m) => m.manifest.kind).sort();
    expect(kinds).toEqual(["AnalysisTemplate", "Rollout", "ScaledObject", "TriggerAuthentication"]);
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm")).length).toBeGreaterThan(0);
  });

  it("declares where its data goes on its model-read role", () => {
    const role = Object.values(resourcesOf(json, "aws_iam_role")).find((r) => r.tags?.["secure-inference/endpoint"] === "models/private-chat")!;
    expect(role.tags).toMatchObject({
      [RESIDENCY_TAGS.allowed]: "fra-dc1 us-east-1",
      [RESIDENCY_TAGS.serves]: "fra-dc1",
      [RESIDENCY_TAGS.weights]: "us-east-1",
      [RESIDENCY_TAGS.logs]: "us-east-1",
    });
  });
});

describe("placement checks at synth", () => {
  it("refuses an endpoint on an on-premises pool when the cluster declares no remote pod network, with the fix", () => {
    const { cluster, serving } = stacks({ ...HYBRID, hybridNodes: { ...HYBRID.hybridNodes!, remotePodNetworks: undefined } });
    const r = resolveEndpoint(chatProps(cluster, { gpu: { pool: "onprem-l40s" } }), { id: "chat", path: "serving/chat", plan: CapacityPlan.of(serving) });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      expect.stringMatching(/^gpu\.pool: "onprem-l40s" is an on-premises pool, whose replicas the internal ALB reaches as IP targets in the remote pod network, but cluster ml-edge declares none; set hybridNodes\.remotePodNetworks/),
    ]);
  });

  it("refuses an empty or malformed residency list", () => {
    const { cluster, serving } = stacks();
    const r = resolveEndpoint(chatProps(cluster, { gpu: { pool: "onprem-l40s" }, dataResidency: { allowedLocations: ["Frankfurt DC"] } }), { id: "chat", path: "serving/chat", plan: CapacityPlan.of(serving) });
    expect(!r.ok && r.problems).toEqual([expect.stringMatching(/^dataResidency\.allowedLocations\[0\]: "Frankfurt DC" is not a location name/)]);
  });
});

describe("an endpoint on a Local Zone pool", () => {
  const lzCluster = (loadBalancerSubnet?: { subnetId: string; cidr: string }) => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-west-2" });
    const cluster = new SecureInferenceCluster(platform, "ml", {
      clusterName: "ml-west",
      network: { availabilityZones: ["us-west-2a", "us-west-2b"] },
      gpuNodePools: [{ name: "lax", instanceTypes: ["g5.xlarge"], maxSize: 4, localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0bbbbbbbbbbbbbbb1", loadBalancerSubnet } }],
    });
    const addons = new TerraformStack(app, "addons");
    new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 16 });
    const serving = new TerraformStack(app, "serving");
    serving.addDependency(addons);
    new AwsProvider(serving, "aws", { region: "us-west-2" });
    return { cluster, serving };
  };

  it("puts its load balancer in the zone's subnet and admits only that subnet to the pods", () => {
    const { cluster, serving } = lzCluster({ subnetId: "subnet-0ccccccccccccccc1", cidr: "10.0.240.0/24" });
    new CanaryModelEndpoint(serving, "edge-chat", chatProps(cluster, { gpu: { pool: "lax" }, autoscaling: { minReplicas: 1, maxReplicas: 2 } }));
    const { json } = synth(serving);
    const ingress = Object.values(resourcesOf(json, "kubernetes_ingress_v1"))[0];
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/subnets"]).toBe("subnet-0ccccccccccccccc1");
    const policies = Object.values(resourcesOf(json, "kubernetes_network_policy_v1"));
    const cidrs = JSON.stringify(policies.map((x) => x.spec));
    expect(cidrs).toContain("10.0.240.0/24");
    expect(cidrs).not.toContain("10.0.248.0/24");
  });

  it("is refused when the pool has no load balancer subnet in the zone, with the fix", () => {
    const { cluster, serving } = lzCluster();
    const r = resolveEndpoint(chatProps(cluster, { gpu: { pool: "lax" } }), { id: "chat", path: "serving/chat", plan: CapacityPlan.of(serving) });
    expect(!r.ok && r.problems).toEqual([expect.stringMatching(/^gpu\.pool: "lax" is in Local Zone us-west-2-lax-1a, and an ALB sends only to targets in zones it is enabled in .*give the pool localZone\.loadBalancerSubnet/)]);
  });
});
