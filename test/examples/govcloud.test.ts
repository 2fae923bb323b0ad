/**
 * A GovCloud (aws-us-gov) app through the real Terraform CLI: the platform stack planned offline,
 * the add-ons and serving stacks validated on their AWS part. Partition-dependent values (ARNs,
 * service DNS suffixes, the RDS trust store) must come from the partition, not from "aws".
 */
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAddons } from "../../lib/addons/cluster-addons";
import { WorkloadNamespace } from "../../lib/addons/workload-namespace";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { Compliance } from "../../lib/compliance/compliance";
import { FEDRAMP_MODERATE } from "../../lib/compliance/packs";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { InferenceRouter } from "../../lib/routing/inference-router";
import { OfflineTerraform, StackCheck, SynthesizedStack, synthApp } from "../harness/offline-terraform";

const REGION = "us-gov-west-1";
const CERT = "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

function buildGovCloud(app: App) {
  Compliance.of(app).enforce(FEDRAMP_MODERATE);
  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: REGION });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "ml-gov",
    network: { availabilityZones: ["us-gov-west-1a", "us-gov-west-1b", "us-gov-west-1c"] },
    gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], minSize: 0, maxSize: 8 }],
  });
  const addons = new TerraformStack(app, "addons");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 8 });
  const serving = new TerraformStack(app, "serving");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region: REGION });
  const chat = new CanaryModelEndpoint(serving, "chat", {
    connection: cluster.connection,
    namespace: "models",
    model: { name: "llama-3.1-8b-instruct", source: "llama-3.1-8b-instruct/", parametersBillions: 8, dtype: "bfloat16" },
    gpu: { pool: "l4" },
    ingress: { certificateArn: CERT, host: "chat.models.example.internal" },
  });
  new InferenceRouter(serving, "router", {
    connection: cluster.connection,
    namespace: "models",
    models: [{ endpoint: chat }],
    ingress: { certificateArn: CERT, host: "router.models.example.internal" },
    teams: [{ name: "search" }],
    responseCache: {},
  });
}

describe("a GovCloud app under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  let stacks: SynthesizedStack[];
  const checks: Record<string, StackCheck> = {};

  beforeAll(async () => {
    tf = await OfflineTerraform.start(REGION);
    ({ stacks } = synthApp((app) => buildGovCloud(app)));
    for (const s of stacks) checks[s.name] = await tf.check(s);
  });
  afterAll(async () => tf?.stop());

  it("plans the platform stack offline and validates every stack", () => {
    expect(Object.fromEntries(Object.values(checks).map((c) => [c.stack, c.mode]))).toEqual({ platform: "plan", addons: "validate-aws-part", serving: "validate-aws-part" });
    for (const c of Object.values(checks)) {
      expect({ stack: c.stack, valid: c.validate.valid, diagnostics: c.validate.diagnostics }).toEqual({ stack: c.stack, valid: true, diagnostics: [] });
    }
    expect(checks.platform.plan).toBeDefined();
  });

  it("writes no commercial-partition ARN of its own: the partition comes from aws_partition", () => {
    for (const s of stacks) {
      const text = JSON.stringify([s.json.resource ?? {}, s.json.data ?? {}]);
      expect({ stack: s.name, commercialArns: text.match(/arn:aws:[a-z0-9-]+:/g) }).toEqual({ stack: s.name, commercialArns: null });
    }
  });

  it("plans the platform in the GovCloud partition (ARNs built from aws-us-gov)", () => {
    const plan = JSON.stringify(checks.platform.plan);
    expect(plan).toContain("arn:aws-us-gov:");
    const commercial = [...new Set(plan.match(/arn:aws:[a-z0-9-]+:[^"\\]{0,60}/g) ?? [])];
    expect(commercial).toEqual([]);
  });
});
