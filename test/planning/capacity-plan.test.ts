import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { buildReferencePlatform } from "../../examples/reference-platform/main";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { estimateReplicas, modelFit } from "../../lib/planning/capacity";
import { CapacityPlan, PLAN_REPORT_FILES, PlanReport, planMarkdown } from "../../lib/planning/capacity-plan";
import { GPU_ON_DEMAND_PRICES_USD_PER_HOUR } from "../../lib/planning/gpu-prices";
import { chatProps, platformAndServing } from "../endpoint/fixtures";
import { captureStdout } from "../util";

describe("the plan report of the reference example", () => {
  let outdir: string;
  let platform: PlanReport;
  let serving: PlanReport;
  let stdout: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    const app = new App({ outdir });
    buildReferencePlatform(app, { compliance: false });
    // (compliance off: this test is about the plan; with it, its part comes first on each line)
    stdout = captureStdout(() => app.synth());
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, PLAN_REPORT_FILES.json), "utf8")) as PlanReport;
    platform = read("platform");
    serving = read("serving");
  });

  it("prices the pools as a hand calculation does", () => {
    // us-east-1 on-demand list prices: g6.xlarge $0.8048/h, p5.48xlarge $55.04/h.
    expect(GPU_ON_DEMAND_PRICES_USD_PER_HOUR["g6.xlarge"].usdPerHour).toBe(0.8048);
    expect(GPU_ON_DEMAND_PRICES_USD_PER_HOUR["p5.48xlarge"].usdPerHour).toBe(55.04);
    const l4 = platform.pools.find((p) => p.pool === "l4")!;
    const h100 = platform.pools.find((p) => p.pool === "h100")!;
    // l4: 0-10 x g6.xlarge; chat's 1 minimum replica holds 1 node. Min 1 x 0.8048 = 0.80; max 10 x 0.8048 = 8.048.
    expect(l4).toMatchObject({ instanceType: "g6.xlarge", gpusPerNode: 1, minNodes: 0, maxNodes: 10, nodesAtMinReplicas: 1, endpoints: ["models/chat"] });
    expect(l4.hourlyUsd).toEqual({ min: 0.8, max: 8.05 });
    // Monthly = 730 h: 0.8048 x 730 = 587.504; 6.4384 x 730 = 4700.032.
    expect(l4.monthlyUsd).toEqual({ min: 587.5, max: 5875.04 });
    expect(l4.endpointGpus).toEqual({ min: 1, max: 5 });
    // h100: 0-2 x p5.48xlarge; large's 1 replica x 4 GPUs holds 1 node. Min 55.04; max 110.08.
    expect(h100).toMatchObject({ instanceType: "p5.48xlarge", gpusPerNode: 8, maxNodes: 2, nodesAtMinReplicas: 1, endpoints: ["models/large"] });
    expect(h100.hourlyUsd).toEqual({ min: 55.04, max: 110.08 });
    expect(h100.endpointGpus).toEqual({ min: 4, max: 8 });
    // Totals: 0.80 + 55.04 = 55.84 and 8.05 + 110.08 = 118.13 per hour.
    expect(platform.totals.hourlyUsd).toEqual({ min: 55.84, max: 118.13 });
  });

  it("reports each endpoint's fit margin and canary safety in the serving stack", () => {
    const chat = serving.endpoints.find((e) => e.name === "models/chat")!;
    // 8B bf16 on one L4: 14.9 GiB weights + 2 GiB overhead + KV for 8,192 + 1,024 shared-prefix tokens
    // at 128 KiB (1.125 GiB), of 22.35 GiB.
    expect(chat.weightsGiB).toBeCloseTo(14.9, 1);
    expect(chat.fitUsedFraction).toBeCloseTo((14.901 + 2 + 1.125) / (22888 / 1024), 2);
    // vLLM's error counter in AMP detects in 90 s (issue target: <= 90), and the worst step reverts within the 5 minute budget.
    expect(chat.rollout).toMatchObject({ steps: [1, 5, 10, 25, 50, 100], detectionSeconds: 90, firstStepRollbackSeconds: 90, firstStepExposurePercentMinutes: 1.5, fullRolloutSeconds: 3600 });
    for (const e of serving.endpoints) {
      expect(e.rollout.detectionSeconds).toBeLessThanOrEqual(90);
      expect(e.rollout.worstStepRollbackSeconds).toBeLessThanOrEqual(300);
    }
    expect(serving.pools.map((p) => p.pool).sort()).toEqual(["h100", "l4"]);
  });

  it("writes JSON and Markdown next to each stack's Terraform and prints a short table", () => {
    const md = fs.readFileSync(path.join(outdir, "stacks", "serving", PLAN_REPORT_FILES.markdown), "utf8");
    expect(md).toMatch(/^# GPU plan: stack `serving`/);
    expect(md).toContain("| ml-prod | l4 | g6.xlarge | ON_DEMAND | 1 x L4 | 0-10; 1 | 0.8048 | $0.80 - $8.05 |");
    // One line per stack (resources | compliance | GPU plan), then the pools and endpoints.
    expect(stdout).toMatch(/^platform: \d+ resources \| GPU plan: 2 GPU pool\(s\), 0 endpoint\(s\); \$55\.84-\$118\.13\/h/m);
    expect(stdout).toMatch(/endpoint models\/chat: 1-5 x 1 GPU on l4, GPU memory \d+% used; bad canary rolled back in <= 1\.5 min at 1% \(1\.5 %-min\)/);
  });
});

describe("CapacityPlan checks", () => {
  it("fails synth when a pool cannot hold the minimum replicas of every endpoint placed on it", () => {
    const { cluster, serving } = platformAndServing();
    // A budget a cold start meets: the stable shrinks, so only the minimum replicas are placed.
    const rollout = { rollbackBudget: "1h" };
    new CanaryModelEndpoint(serving, "a", chatProps(cluster, { autoscaling: { minReplicas: 5, maxReplicas: 6 }, rollout }));
    expect(() => new CanaryModelEndpoint(serving, "b", chatProps(cluster, { autoscaling: { minReplicas: 4, maxReplicas: 4 }, rollout }))).toThrow(
      /pool "l4" \(at most 8 x g6\.xlarge, 1 GPU each\) cannot hold the minimum replicas of the endpoints placed on it \(models\/a 5 x 1 GPU, models\/b 4 x 1 GPU: 9 nodes\)/,
    );
  });

  it("fails synth when the stable version must stay warm to meet the rollback budget but the pool cannot hold it, listing the options", () => {
    const { cluster, serving } = platformAndServing();
    // A 3 minute budget: 90 s detection plus a vLLM cold start of the 8B model does not fit, so the stable must stay warm.
    expect(() => new CanaryModelEndpoint(serving, "a", chatProps(cluster, { autoscaling: { minReplicas: 5, maxReplicas: 6 }, rollout: { rollbackBudget: "3m" } }))).toThrow(
      /rollout\.rollbackBudget: a cold start of models\/a's stable version would take its worst step's rollback to \d+ s, above the budget of 180 s, .*10 replicas x 1 GPU at the last step.*pool "l4" holds at most 8 node\(s\) and would need 10; raise the pool's maxSize \(more capacity\).*\(a smaller step\).*longer rollout\.rollbackBudget/,
    );
  });

  it("prices the GPUs a warm stable holds, and draws each rollout as a Mermaid chart", () => {
    const { cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { autoscaling: { minReplicas: 2, maxReplicas: 4 }, rollout: { rollbackBudget: "3m" } }));
    const report = CapacityPlan.of(serving).reportFor(serving);
    const e = report.endpoints[0];
    expect(e.rollout.warmStable).toBe(true);
    // 2 replicas: beyond a shrinking stable (2,2,2,2,1,0), 0,0,0,0,1,2 replicas over six 10-minute steps = 30 replica-minutes of 1 GPU.
    expect(e.warmStableCost).toEqual({ extraGpusAtPeak: 2, extraGpuHoursPerRollout: 0.5, usdPerRollout: Math.round(0.5 * 0.8048 * 100) / 100 });
    expect(e.coldStart).toMatchObject({ weights: "stream", nodeSeconds: 300 });
    expect(Object.keys(e.coldStart)).toEqual(expect.arrayContaining(["nodeSeconds", "imageSeconds", "weightsSeconds", "loadSeconds", "warmNodeSeconds", "newNodeSeconds"]));
    const md = planMarkdown(report);
    expect(md).toContain("## Cold start and rollback budget");
    expect(md).toMatch(/\| models\/chat \| streamed \(Run:ai\), 14\.9 GiB at \d+ MB\/s \| 15 \| 300 \|/);
    expect(md).toContain("kept warm (dynamicStableScale off)");
    const chart = /```mermaid\nxychart-beta\n  title "models\/chat: canary traffic \(%\) over minutes"\n  x-axis "minute" \[0, 1, [^\]]*\]\n  y-axis "canary weight \(%\)" 0 --> 100\n  line \[([^\]]*)\]\n  line \[([^\]]*)\]\n```/.exec(md);
    expect(chart).not.toBeNull();
    const planned = chart![1].split(", ").map(Number);
    const failing = chart![2].split(", ").map(Number);
    expect(planned.slice(0, 11)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5]);
    // Worst step 100% from minute 50: bad traffic until detection (90 s with a warm stable), then 0.
    expect(failing.slice(49, 54)).toEqual([50, 100, 100, 0, 0]);
  });

  it("reports a warm-up the endpoint gives as given, beside the estimates of the others", () => {
    const { cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { warmupSeconds: 30 }));
    new CanaryModelEndpoint(serving, "other", chatProps(cluster, {}));
    const report = CapacityPlan.of(serving).reportFor(serving);
    const [chat, other] = report.endpoints;
    expect(chat.coldStart.assumptions).toMatchObject({ warmupSeconds: 30, warmupSource: "given" });
    expect(other.coldStart.assumptions.warmupSource).toBe("estimate");
    const md = planMarkdown(report);
    expect(md).toContain("are estimates, not measurements, except a warm-up an endpoint gives (`warmupSeconds`, marked given)");
    const row = (name: string) => md.split("\n").find((l) => l.startsWith(`| models/${name} | streamed`))!;
    expect(row("chat")).toContain(`| ${chat.coldStart.loadSeconds} (warm-up 30 given) | ${chat.coldStart.warmNodeSeconds} |`);
    expect(row("other")).not.toContain("given");
  });

  it("plans a new node's image from the pool's snapshot when it lists the server's image, and from a pull otherwise", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", {
      clusterName: "ml-prod",
      network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
      gpuNodePools: [
        { name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 8, imageCache: { snapshotId: "snap-0123456789abcdef0", initialization: "fast-snapshot-restore", images: ["vllm/vllm-openai:v0.11.0"] } },
        { name: "h100", instanceTypes: ["p5.48xlarge"], maxSize: 1, dataVolumeSizeGiB: 1000, imageCache: { snapshotId: "snap-0123456789abcdef0", images: ["nvcr.io/other/image:1.0"] } },
      ],
    });
    const serving = new TerraformStack(app, "serving");
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { externalNamespace: { reason: "test of the image plan only" } }));
    new CanaryModelEndpoint(serving, "big", chatProps(cluster, { name: "big", gpu: { pool: "h100", perReplica: 1 }, externalNamespace: { reason: "test of the image plan only" } }));
    const report = CapacityPlan.of(serving).reportFor(serving);
    const chat = report.endpoints.find((e) => e.name === "models/chat")!;
    const big = report.endpoints.find((e) => e.name === "models/big")!;
    expect(chat.coldStart).toMatchObject({ image: "snapshot (Fast Snapshot Restore)", imageSeconds: 5 });
    expect(big.coldStart.image).toBe("pulled");
    expect(big.coldStart.imageSeconds).toBeGreaterThan(300);
    expect(planMarkdown(report)).toContain("(12 GiB, snapshot (Fast Snapshot Restore))");
  });

  it("fails synth when a declared load needs more nodes than the pool has, and warns when it needs more than maxReplicas", () => {
    const { cluster, serving } = platformAndServing();
    const msg = (() => {
      try {
        new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { load: { requestsPerSecond: 50, meanInputTokens: 1000, meanOutputTokens: 300 } }));
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(msg).toMatch(/load: the declared load needs about \d+ replicas x 1 GPU = \d+ node\(s\) of pool "l4" .* the pool has at most 8/);
    const b = platformAndServing();
    new CanaryModelEndpoint(b.serving, "chat", chatProps(b.cluster, { load: { requestsPerSecond: 1.5, meanInputTokens: 1000, meanOutputTokens: 300 }, autoscaling: { minReplicas: 1, maxReplicas: 2 } }));
    Testing.synth(b.serving);
    const warnings = b.serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toMatch(/load: the declared load needs about \d+ replicas by the library's conservative estimate, but autoscaling\.maxReplicas is 2/);
  });

  it("records the replicas a modest load needs", () => {
    const { cluster, serving } = platformAndServing();
    const e = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { load: { requestsPerSecond: 1, meanInputTokens: 1000, meanOutputTokens: 300 }, autoscaling: { maxReplicas: 6 } }));
    expect(e.replicaEstimate!.replicas).toBeGreaterThanOrEqual(1);
    expect(e.replicaEstimate!.replicas).toBeLessThanOrEqual(6);
  });

  it("warns when the pool has no room for a canary replica at maximum replicas", () => {
    const { cluster, serving } = platformAndServing();
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { autoscaling: { minReplicas: 1, maxReplicas: 8 }, rollout: { rollbackBudget: "1h" } }));
    new CanaryModelEndpoint(serving, "warm", chatProps(cluster, { autoscaling: { minReplicas: 1, maxReplicas: 8 }, rollout: { rollbackBudget: "3m" } }));
    Testing.synth(serving);
    const warnings = serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    // 8 replicas at most; the 50 -> 100 step holds 8 canary + 4 stable = 12 replicas on an 8-node pool.
    expect(warnings.join("\n")).toMatch(/pool "l4" has no room for the canary of models\/chat .* a rollout step holds up to 12 replicas of models\/chat .* needing 12/);
    // A warm stable keeps all 8 beside the 8 canary replicas.
    expect(warnings.join("\n")).toMatch(/canary of models\/warm .* a rollout step holds up to 16 replicas of models\/warm \(the stable version stays warm beside the canary\)/);
  });

  it("refuses a price region it has no prices for, and a spot discount out of range", () => {
    const app = Testing.app();
    expect(() => CapacityPlan.of(app).configure({ priceRegion: "eu-west-1", spotDiscountPercent: 120 })).toThrow(
      /priceRegion: "eu-west-1" has no GPU prices in the catalog[\s\S]*spotDiscountPercent: 120 must be a percent/,
    );
  });

  it("does not price a cluster outside the price region at us-east-1 prices unless asked to, and says why", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "platform");
    new AwsProvider(stack, "aws", { region: "us-gov-west-1" });
    new SecureInferenceCluster(stack, "ml", { clusterName: "ml-gov", network: { availabilityZones: ["us-gov-west-1a", "us-gov-west-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 4 }] });
    const report = CapacityPlan.of(app).reportFor(stack);
    expect(report.pools[0]).toMatchObject({ region: "us-gov-west-1", usdPerNodeHour: undefined, hourlyUsd: undefined, priceNote: expect.stringMatching(/the catalog has no prices for us-gov-west-1 \(it has us-east-1\); .*estimateOtherRegions: true/) });
    expect(report.totals.hourlyUsd).toEqual({ min: 0, max: 0 });
    app.synth();
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toMatch(/plan: pool l4 \(g6\.xlarge\) has no price: the catalog has no prices for us-gov-west-1/);

    CapacityPlan.of(app).configure({ estimateOtherRegions: true });
    expect(CapacityPlan.of(app).reportFor(stack).pools[0]).toMatchObject({ usdPerNodeHour: 0.8048, priceNote: "estimated at us-east-1 list prices: the catalog has no prices for us-gov-west-1" });
  });

  it("prices spot pools at the configured discount", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "platform");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new SecureInferenceCluster(stack, "ml", { clusterName: "ml-spot", network: { availabilityZones: ["us-east-1a", "us-east-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 4, capacityType: "SPOT" }] });
    CapacityPlan.of(app).configure({ spotDiscountPercent: 50 });
    const pool = CapacityPlan.of(app).reportFor(stack).pools[0];
    // 0.8048 x (1 - 0.5) = 0.4024 per node-hour; 4 nodes at most.
    expect(pool).toMatchObject({ capacityType: "SPOT", usdPerNodeHour: 0.4024, hourlyUsd: { min: 0, max: 1.61 } });
  });
});

describe("replica estimate for a declared load", () => {
  it("follows the bandwidth-bound decode and compute-bound prefill model, by hand", () => {
    const fit = modelFit({ parametersBillions: 8, dtype: "bfloat16", architecture: { layers: 32, kvHeads: 8, headDim: 128 }, maxModelLen: 8192, gpuMemoryUtilization: 0.9, gpusPerReplica: 1, gpuModel: "L4", gpuMemoryGiB: 24 });
    const e = estimateReplicas({ fit, parametersBillions: 8, gpuModel: "L4", gpusPerReplica: 1, maxBatch: 64, load: { requestsPerSecond: 2, meanInputTokens: 1000, meanOutputTokens: 300 } });
    // KV holds 26,339 tokens / 1,300 per sequence = 20 sequences (below maxNumSeqs 64).
    expect(e.batch).toBe(20);
    // Step: (14.901 GiB weights + 20 x 1,150 tokens x 128 KiB) / (300 GB/s x 0.6).
    const step = (fit.weightsGiB * 2 ** 30 + 20 * 1150 * 131072) / (300e9 * 0.6);
    expect(e.decodeStepSeconds).toBeCloseTo(step, 6);
    // Prefill: 121 TFLOPS x 0.4 / (2 x 8e9) = 3,025 tokens/s.
    expect(e.prefillTokensPerSecond).toBeCloseTo(3025, 0);
    const perRequest = 300 / (20 / step) + 1000 / 3025;
    expect(e.requestsPerSecondPerReplica).toBeCloseTo(1 / perRequest, 6);
    expect(e.replicas).toBe(Math.ceil(2 / ((1 / perRequest) * 0.7)));
  });

  it("skips the prefill of a cached shared prefix", () => {
    const fit = modelFit({ parametersBillions: 8, dtype: "bfloat16", maxModelLen: 8192, gpuMemoryUtilization: 0.9, gpusPerReplica: 1, gpuModel: "L4", gpuMemoryGiB: 24 });
    const load = { requestsPerSecond: 2, meanInputTokens: 4000, meanOutputTokens: 100 };
    const cold = estimateReplicas({ fit, parametersBillions: 8, gpuModel: "L4", gpusPerReplica: 1, maxBatch: 64, load });
    const warm = estimateReplicas({ fit, parametersBillions: 8, gpuModel: "L4", gpusPerReplica: 1, maxBatch: 64, load, cachedPrefixTokens: 3000 });
    expect(warm.requestsPerSecondPerReplica).toBeGreaterThan(cold.requestsPerSecondPerReplica);
  });
});
