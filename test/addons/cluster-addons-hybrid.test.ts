import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAddons } from "../../lib/addons/cluster-addons";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";

describe("ClusterAddons with an on-premises GPU pool", () => {
  const app = Testing.app();
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: "us-east-1" });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-edge",
    network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
    gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }],
    hybridNodes: { remoteNodeNetworks: ["192.168.10.0/24"], credentials: { provider: "ssm" } },
    onPremisesGpuPools: [{ name: "dc", serverShape: "onprem-l40s.4gpu", servers: 1, location: "dc1" }],
  });
  const addons = new TerraformStack(app, "addons");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  const releases = Object.values(JSON.parse(Testing.synth(addons)).resource.helm_release as Record<string, { name: string; values: string[] }>);

  it("schedules the NVIDIA device plugin on the on-premises servers only (Bottlerocket cloud pools run their own)", () => {
    const plugin = releases.find((r) => r.name === "nvidia-device-plugin")!;
    const values = JSON.parse(plugin.values[0]);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "secure-inference.io/pool", operator: "In", values: ["dc"] }] },
    ]);
  });

  it("keeps the controllers on the system nodes, never on hybrid nodes", () => {
    for (const r of releases.filter((x) => x.name !== "nvidia-device-plugin")) {
      expect({ release: r.name, system: r.values[0].includes('"secure-inference.io/pool":"system"') }).toEqual({ release: r.name, system: true });
    }
  });
});
