import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterProviders, EXEC_API_VERSION } from "../../lib/addons/cluster-providers";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { OfflineTerraform, synthApp } from "../harness/offline-terraform";
import { platformAndAddons } from "./fixtures";


describe("ClusterProviders", () => {
  const { app, cluster, addons } = platformAndAddons();
  const first = ClusterProviders.of(addons, cluster.connection);
  const second = ClusterProviders.of(addons, cluster.connection);
  app.synth();
  const json = JSON.parse(Testing.synth(addons));

  it("is created once per stack and cluster, so constructs share one provider pair", () => {
    expect(second).toBe(first);
    expect(json.provider.kubernetes).toHaveLength(1);
    expect(json.provider.helm).toHaveLength(1);
  });

  it("authenticates both providers with `aws eks get-token` on every call (no token that can expire mid-apply)", () => {
    const exec = json.provider.kubernetes[0].exec;
    expect(exec).toEqual([{ api_version: EXEC_API_VERSION, command: "aws", args: ["eks", "get-token", "--cluster-name", "ml-prod", "--region", expect.stringMatching(/remote_state/), "--output", "json"] }]);
    expect(json.provider.helm[0].kubernetes.exec).toEqual({ api_version: EXEC_API_VERSION, command: "aws", args: exec[0].args });
    expect(json.provider.kubernetes[0].token).toBeUndefined();
  });

  it("reads the endpoint and CA of the cluster from the platform stack's state", () => {
    expect(json.provider.kubernetes[0].host).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\./);
    expect(json.provider.kubernetes[0].cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\./);
  });

  it("refuses a cluster created in the same stack, explaining the chicken-and-egg and the fix", () => {
    const { platform, cluster: c } = platformAndAddons();
    expect(() => ClusterProviders.of(platform, c.connection)).toThrow(/the cluster ml-prod is created in this same stack \(platform\)[\s\S]*Put the add-ons and endpoints in their own stack/);
  });

  it("aliases the providers of a second cluster in the same stack", () => {
    const { cluster: a, addons: s, app: app2 } = platformAndAddons();
    const other = new TerraformStack(app2, "other-platform");
    new AwsProvider(other, "aws", { region: "us-west-2" });
    const b = new SecureInferenceCluster(other, "ml", { clusterName: "ml-west", network: { availabilityZones: ["us-west-2a", "us-west-2b"] }, gpuNodePools: [] });
    expect(ClusterProviders.of(s, a.connection).alias).toBeUndefined();
    expect(ClusterProviders.of(s, b.connection).alias).toBe("ml-west");
  });
});

describe("ClusterProviders under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  beforeAll(async () => {
    tf = await OfflineTerraform.start();
  });
  afterAll(async () => tf?.stop());

  it("leaves a valid AWS part in the consuming stack (no AWS resource depends on the kubernetes or helm providers)", async () => {
    const { stacks } = synthApp((app) => {
      const { cluster, addons } = platformAndAddons({ app });
      ClusterProviders.of(addons, cluster.connection);
    });
    const check = await tf.check(stacks.find((s) => s.name === "addons")!);
    expect(check.mode).toBe("validate-aws-part");
    expect(check.validate.valid).toBe(true);
  });
});
