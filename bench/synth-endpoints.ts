// One in-process synthesis of a platform stack plus a serving stack with N CanaryModelEndpoints, all four compliance
// packs enforced (as in the reference example). Usage: ts-node bench/synth-endpoints.ts <N>.
// Prints JSON: {n, ms (App.synth only), buildMs (constructing the stacks), maxRssMiB}.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CanaryModelEndpoint, Compliance, InferenceServer, SecureInferenceCluster, WorkloadNamespace } from "../lib";
import { ENDPOINT_CERTIFICATE_ARN, MODELS_PRIVATE_ZONE_ID } from "../examples/reference-platform/main";

const n = Number(process.argv[2]);
if (!Number.isInteger(n) || n < 1) throw new Error(`usage: ts-node bench/synth-endpoints.ts <number of endpoints >= 1>, got ${process.argv[2]}`);

/**
 * One L4 pool of 1-GPU nodes, large enough for every endpoint: CapacityPlan.placementProblems needs the endpoints'
 * minimum replicas (n x 1 GPU = n nodes) to fit maxSize, and placementWarnings wants one more node for a canary
 * at maximum replicas (n + 1 nodes). 100 nodes hold the largest N measured (50) with room to spare.
 */
const POOL_MAX_NODES = 100;
if (n + 1 > POOL_MAX_NODES) throw new Error(`${n} endpoints need ${n + 1} nodes (minimum replicas plus a canary); the pool has ${POOL_MAX_NODES}`);

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-endpoints-"));
const built = process.hrtime.bigint();
const app = new App({ outdir });
Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2, Compliance.FEDRAMP_MODERATE, Compliance.GDPR);
const tags = [{ tags: { "managed-by": "cdktf", project: "bench-endpoints" } }];

const platform = new TerraformStack(app, "platform");
new AwsProvider(platform, "aws", { region: "us-east-1", defaultTags: tags });
const cluster = new SecureInferenceCluster(platform, "ml", {
  clusterName: "ml-bench",
  kubernetesVersion: "1.35",
  network: { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
  gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], minSize: 0, maxSize: POOL_MAX_NODES }],
});

// The endpoints' namespace, as every app declares it (restricted Pod Security, default-deny, a GPU quota above the
// rollout peak: n replicas and one canary surplus each at most).
const addons = new TerraformStack(app, "addons");
new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 2 * n + 2 });
const serving = new TerraformStack(app, "serving");
serving.addDependency(addons);
new AwsProvider(serving, "aws", { region: "us-east-1", defaultTags: tags });
for (let i = 1; i <= n; i++) {
  // Distinct names, hosts and model prefixes: each endpoint gets its own Kubernetes objects, role, alarms and DNS record.
  const name = `chat-${String(i).padStart(2, "0")}`;
  new CanaryModelEndpoint(serving, name, {
    connection: cluster.connection,
    namespace: "models",
    model: {
      name: `llama-3.1-8b-instruct-${i}`,
      source: `llama-3.1-8b-instruct-${i}/`,
      parametersBillions: 8,
      dtype: "bfloat16",
      architecture: { layers: 32, kvHeads: 8, headDim: 128 },
    },
    server: InferenceServer.vllm({ maxNumSeqs: 64, maxModelLen: 8192 }),
    gpu: { pool: "l4", perReplica: 1 },
    autoscaling: { minReplicas: 1, maxReplicas: 1 },
    ingress: { certificateArn: ENDPOINT_CERTIFICATE_ARN, host: `${name}.models.example.internal`, privateHostedZoneId: MODELS_PRIVATE_ZONE_ID },
  });
}
const synthStarted = process.hrtime.bigint();
app.synth();
const done = process.hrtime.bigint();
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    n,
    ms: Number(done - synthStarted) / 1e6,
    buildMs: Number(synthStarted - built) / 1e6,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + "\n",
);
