import { Token } from "cdktf";
import { serverWarmupSeconds } from "../../../lib/planning/cold-start";
import type { ClusterConnection } from "../../../lib/cluster/cluster-connection";
import type { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import type { CanaryModelEndpointProps } from "../../../lib/endpoint/endpoint-props";
import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { EndpointSite, ResolvedEndpoint, resolveEndpoint } from "../../../lib/endpoint/private/resolve-endpoint";
import type { PlannedEndpoint } from "../../../lib/planning/capacity-plan";
import { CERTIFICATE_ARN, chatProps, platformAndServing } from "../fixtures";

/** A plan with room for everything. */
const ROOMY_PLAN: EndpointSite["plan"] = { placementProblems: () => [], placementWarnings: () => [] };

// The cluster is built once (no synth); every test below resolves props against its connection.
let cluster: SecureInferenceCluster;
let connection: ClusterConnection;
beforeAll(() => {
  cluster = platformAndServing().cluster;
  connection = cluster.connection;
});

function props(overrides: Partial<CanaryModelEndpointProps> = {}): CanaryModelEndpointProps {
  return chatProps(cluster, overrides);
}

function resolve(overrides: Partial<CanaryModelEndpointProps> = {}, plan = ROOMY_PLAN) {
  return resolveEndpoint(props(overrides), { id: "chat", path: "serving/chat", plan });
}

function endpointOf(overrides: Partial<CanaryModelEndpointProps> = {}): ResolvedEndpoint {
  const r = resolve(overrides);
  if (!r.ok) throw new Error(`expected valid props:\n${r.problems.join("\n")}`);
  return r.endpoint;
}

/** The problems, one per line. */
function problemsOf(overrides: Partial<CanaryModelEndpointProps>): string {
  const r = resolve(overrides);
  if (r.ok) throw new Error("expected problems");
  return r.problems.join("\n");
}

describe("resolveEndpoint with valid props", () => {
  let e: ResolvedEndpoint;
  beforeAll(() => {
    e = endpointOf();
  });

  it("returns one typed value with the defaults applied", () => {
    expect(e.name).toBe("chat");
    expect(e.namespace).toBe("models");
    expect(e.pool.name).toBe("l4");
    expect(e.gpusPerReplica).toBe(1);
    expect(e.replicas).toEqual({ min: 1, max: 4 });
    expect(e.scaling).toEqual({ targetQueueDepthPerReplica: 4, scaleDownStabilizationSeconds: 900 });
    expect(e.fit.fits).toBe(true);
    expect(e.container.kind).toBe("vllm");
    expect(e.servedModelName).toBe("llama-3.1-8b-instruct");
    expect(e.modelDir).toBe("/models/chat");
    expect(e.rollout.steps).toEqual([1, 5, 10, 25, 50, 100]);
    expect(e.ingress).toMatchObject({ certificateArn: CERTIFICATE_ARN, allowedCidrs: [connection.vpcCidr], podSourceCidrs: connection.loadBalancerCidrs });
    expect(e.warnings).toEqual([]);
  });

  it("derives every name from the endpoint's name", () => {
    expect(e.services).toEqual({ stable: "chat-stable", canary: "chat-canary" });
    expect(e.stableUrl).toBe("http://chat-stable.models.svc.cluster.local:8000");
    expect(e.names).toEqual({
      serverFiles: "chat-server-files",
      rollbackChecks: "chat-rollback-checks",
      preTrafficEvaluation: "chat-pre-traffic-evaluation",
      evaluationPods: "chat-evaluation",
      triggerAuthentication: "chat-amp",
      alarmPrefix: "ml-prod-models-chat",
    });
    expect(e.selector).toEqual({ "secure-inference.io/endpoint": "chat" });
    expect(e.promSelector).toBe('namespace="models",secure_inference_io_endpoint="chat"');
    expect(endpointOf({ name: "other" }).services.stable).toBe("other-stable");
  });

  it("sizes the pod start from the cold start: streamed weights overlap the copy to the GPU, then warm-up", () => {
    const cold = e.planned.coldStart;
    expect(cold.weights).toBe("stream");
    expect(e.podStartSeconds).toBe(cold.warmNodeSeconds);
    const warmup = serverWarmupSeconds("vllm");
    expect(cold.assumptions.warmupSeconds).toBe(warmup);
    expect(cold.warmNodeSeconds).toBe(Math.max(cold.weightsSeconds, cold.loadSeconds - warmup) + warmup);
    expect(cold.newNodeSeconds).toBe(cold.nodeSeconds + cold.imageSeconds + cold.warmNodeSeconds);
    // The probe covers the streaming too: vLLM listens only once the weights are in GPU memory.
    expect(e.loadSeconds).toBe(cold.warmNodeSeconds);
    // vLLM exports a request counter by status: the server error-rate check in AMP detects in 90 s.
    expect(e.rolloutTiming.detectionSeconds).toBe(90);
  });

  it("uses a warm-up the endpoint gives (its own measurement) wherever the estimate was used: pod start, startup probe, rollback timing", () => {
    const given = endpointOf({ warmupSeconds: 30 });
    const cold = given.planned.coldStart;
    expect(cold.assumptions).toMatchObject({ warmupSeconds: 30, warmupSource: "given" });
    expect(e.planned.coldStart.assumptions.warmupSource).toBe("estimate");
    const saved = serverWarmupSeconds("vllm") - 30;
    expect(cold.loadSeconds).toBe(e.planned.coldStart.loadSeconds - saved);
    expect(cold.warmNodeSeconds).toBe(e.planned.coldStart.warmNodeSeconds - saved);
    expect(given.podStartSeconds).toBe(cold.warmNodeSeconds);
    expect(given.loadSeconds).toBe(cold.warmNodeSeconds);
    // A rollback that must start stable replicas waits for the given warm-up, not the estimate.
    expect(given.rolloutTiming.worstStep.rollbackSeconds).toBe(e.rolloutTiming.worstStep.rollbackSeconds - saved);
  });

  it("keeps the stable version warm when a given warm-up makes a cold start exceed the rollback budget", () => {
    expect(e.rolloutTiming.stablePolicy.warmStable).toBe(false);
    const slow = endpointOf({ warmupSeconds: 600 });
    expect(slow.rolloutTiming.stablePolicy.warmStable).toBe(true);
    expect(slow.rolloutTiming.stablePolicy.worstStepRollbackSecondsWithoutWarmStable).toBeGreaterThan(300);
    expect(slow.rolloutTiming.worstStep.rollbackSeconds).toBeLessThanOrEqual(300);
  });

  it("fails when detection alone exceeds the rollback budget, listing the ways out", () => {
    const r = resolve({ rollout: { rollbackBudget: "1m" } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join("\n")).toMatch(/rollout\.rollbackBudget: detection alone takes 90 s.*longer budget \(at least "2m"\)/);
  });

  it("records the computed rollout timing in the plan, and places that same entry", () => {
    const placed: PlannedEndpoint[] = [];
    const plan: EndpointSite["plan"] = { placementProblems: (p) => (placed.push(p), []), placementWarnings: () => [] };
    const r = resolve({}, plan);
    if (!r.ok) throw new Error(r.problems.join("\n"));
    expect(placed).toEqual([r.endpoint.planned]);
    const t = r.endpoint.rolloutTiming;
    expect(r.endpoint.planned).toMatchObject({ path: "serving/chat", name: "models/chat", clusterName: "ml-prod", minReplicas: 1, maxReplicas: 4 });
    expect(r.endpoint.planned.rollout).toEqual({
      steps: t.steps,
      detectionSeconds: t.detectionSeconds,
      firstStepRollbackSeconds: t.firstStep.rollbackSeconds,
      firstStepExposurePercentMinutes: t.firstStep.exposurePercentMinutes,
      worstStepRollbackSeconds: t.worstStep.rollbackSeconds,
      worstStepExposurePercentMinutes: t.worstStep.exposurePercentMinutes,
      fullRolloutSeconds: t.fullRolloutSeconds,
      rollbackBudgetSeconds: 300,
      warmStable: t.stablePolicy.warmStable,
      worstStepRollbackSecondsWithoutWarmStable: t.stablePolicy.worstStepRollbackSecondsWithoutWarmStable,
      warmStableExtraReplicas: t.stablePolicy.extraReplicasAtPeak,
      warmStableExtraReplicaSecondsPerRollout: t.stablePolicy.extraReplicaSecondsPerRollout,
    });
  });

  it("serves Triton's model under the endpoint's name, its model repository entry", () => {
    expect(endpointOf({ server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 1 } }).servedModelName).toBe("chat");
  });

  it("runs Triton's vllm backend, which exports no queue metric, at a fixed number of replicas", () => {
    const fixed = endpointOf({ server: InferenceServer.triton(), autoscaling: { minReplicas: 2, maxReplicas: 2 } });
    expect(fixed.replicas).toEqual({ min: 2, max: 2 });
    expect(fixed.container.queueDepthQuery).toBe("");
  });

  it("fit-checks Triton's vllm backend at the maxModelLen it writes to model.json", () => {
    const fixed = { autoscaling: { minReplicas: 1, maxReplicas: 1 } };
    expect(endpointOf({ ...fixed, server: InferenceServer.triton() }).fit.requiredKvTokens).toBe(8192);
    const long = endpointOf({ ...fixed, server: InferenceServer.triton({ maxModelLen: 16384 }) });
    expect(long.fit.requiredKvTokens).toBe(16384);
    expect(JSON.parse(long.container.files["/models/chat/1/model.json"]).max_model_len).toBe(16384);
    // Llama 3.1's native 131,072-token context does not fit one L4: refused at synth, not at start.
    expect(problemsOf({ ...fixed, server: InferenceServer.triton({ maxModelLen: 131072 }) })).toMatch(/^model: .*131,072/m);
  });

  it("fit-checks TGI at --max-total-tokens and reports --max-input-tokens as its longest prompt", () => {
    const tgi = endpointOf({ server: InferenceServer.tgi({ image: "registry.example.com/tgi-nonroot:3.3.6", maxInputTokens: 6000, maxTotalTokens: 12288 }) });
    expect(tgi.fit.requiredKvTokens).toBe(12288);
    expect(tgi.container.maxInputTokens).toBe(6000);
  });

  it("accepts a time-to-first-token check on Triton's vllm backend, which publishes vLLM's histogram", () => {
    const t = endpointOf({ server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 1 }, rollbackWhen: { timeToFirstTokenP99Ms: 1000 } });
    expect(t.container.ttftHistogram).toBe("vllm:time_to_first_token_seconds");
  });

  it("warns that Triton's evaluation job gets the KServe v2 URL, not an OpenAI one", () => {
    const t = endpointOf({
      server: InferenceServer.triton(),
      autoscaling: { minReplicas: 1, maxReplicas: 1 },
      rollout: { preTrafficEvaluation: { image: "registry.example.com/evals:1.2.0" } },
    });
    expect(t.warnings.join("\n")).toMatch(/rollout\.preTrafficEvaluation: the triton server answers only the kserve-v2 API \(no OpenAI-compatible \/v1\), so the evaluation job gets ENDPOINT_URL=<canary>\/v2 and ENDPOINT_API=kserve-v2/);
    expect(endpointOf({ rollout: { preTrafficEvaluation: { image: "registry.example.com/evals:1.2.0" } } }).warnings).toEqual([]);
  });

  it("reserves KV cache for the shared prefix beside a full-length sequence", () => {
    expect(e.fit.requiredKvTokens).toBe(8192);
    expect(endpointOf({ sharedPrefixTokens: 4000 }).fit.requiredKvTokens).toBe(8192 + 4000);
    // A prefix the KV cache cannot hold beside a sequence fails the fit.
    expect(problemsOf({ sharedPrefixTokens: 30000 })).toMatch(/KV cache/);
  });

  it("sizes vLLM's step budget from the shared prefix, refuses a prefix as long as maxModelLen, and warns of a budget too small for it", () => {
    const budgetOf = (x: ResolvedEndpoint) => x.container.args[x.container.args.indexOf("--max-num-batched-tokens") + 1];
    const server = InferenceServer.vllm({ image: "vllm/vllm-openai:v0.11.0", maxModelLen: 12288, enableChunkedPrefill: true });
    expect(budgetOf(endpointOf({ server }))).toBe("8192");
    expect(budgetOf(endpointOf({ server, sharedPrefixTokens: 10000 }))).toBe("10240");
    expect(problemsOf({ sharedPrefixTokens: 8192 })).toMatch(/sharedPrefixTokens: 8192 is not shorter than the server's maxModelLen 8192/);
    // A declared mean request longer than the context cannot be served.
    expect(problemsOf({ load: { requestsPerSecond: 1, meanInputTokens: 8000, meanOutputTokens: 500 } })).toMatch(/load: a mean request of 8000 input \+ 500 output tokens exceeds the server's maxModelLen 8192/);
    const small = endpointOf({ server: InferenceServer.vllm({ maxModelLen: 16384, enableChunkedPrefill: true, maxNumBatchedTokens: 2048 }), sharedPrefixTokens: 4000 });
    expect(small.warnings.join("\n")).toMatch(/server\.maxNumBatchedTokens 2048 cannot hold the 4000-token shared prefix beside 64 running sequences.*at least 4064/);
  });

  it("estimates the replicas a declared load needs", () => {
    const loaded = endpointOf({ load: { requestsPerSecond: 2, meanInputTokens: 1000, meanOutputTokens: 200 } });
    expect(loaded.replicaEstimate?.replicas).toBeGreaterThan(0);
    expect(loaded.planned.replicasForLoad).toBe(loaded.replicaEstimate?.replicas);
    expect(e.replicaEstimate).toBeUndefined();
  });

  it("warns, placement first, when the plan does and when the pods must admit the whole VPC", () => {
    const plan: EndpointSite["plan"] = { placementProblems: () => [], placementWarnings: () => ["pool is tight"] };
    const r = resolveEndpoint(props({ connection: { ...connection, loadBalancerCidrs: undefined } }), { id: "chat", path: "serving/chat", plan });
    if (!r.ok) throw new Error(r.problems.join("\n"));
    expect(r.endpoint.ingress.podSourceCidrs).toEqual([connection.vpcCidr]);
    expect(r.endpoint.warnings).toHaveLength(2);
    expect(r.endpoint.warnings[0]).toBe("pool is tight");
    expect(r.endpoint.warnings[1]).toMatch(/no dedicated load balancer subnets \(existingVpc\), so the pods admit 10\.0\.0\.0\/16/);
  });

  it("warns that the default TGI image cannot run as non-root", () => {
    expect(endpointOf({ server: InferenceServer.tgi() }).warnings.join("\n")).toMatch(/cannot start as a non-root user \(huggingface\/text-generation-inference#3082\)/);
    expect(endpointOf({ server: InferenceServer.tgi({ image: "registry.example.com/tgi-nonroot:3.3.6" }) }).warnings).toEqual([]);
  });
});

describe("resolveEndpoint with invalid props", () => {
  it("returns the plan's placement problems, and only them, once the props are valid", () => {
    const plan: EndpointSite["plan"] = { placementProblems: () => ["pool is full"], placementWarnings: () => ["unreached"] };
    expect(resolve({}, plan)).toEqual({ ok: false, problems: ["pool is full"] });
  });

  it("does not ask the plan about invalid props", () => {
    const plan: EndpointSite["plan"] = { placementProblems: () => { throw new Error("asked"); }, placementWarnings: () => [] };
    expect(resolve({ gpu: { pool: "a100" } }, plan).ok).toBe(false);
  });

  it("fails the fit check for a 70B bfloat16 model on one 24 GiB GPU, with the numbers", () => {
    const msg = problemsOf({ model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b-instruct/", parametersBillions: 70, dtype: "bfloat16" } });
    expect(msg).toMatch(/^model: /);
    expect(msg).toMatch(/130\.4 GiB of weights/);
    expect(msg).toMatch(/1 x L4 \(22\.4 GiB usable each\) at gpuMemoryUtilization 0\.9 gives 20\.1 GiB/);
    expect(msg).toMatch(/more GPUs per replica/);
    expect(msg).toMatch(/quantization/);
  });

  it("reports every bad input at once", () => {
    const msg = problemsOf({
      gpu: { pool: "a100", perReplica: 1 },
      autoscaling: { minReplicas: 5, maxReplicas: 2 },
      rollout: { steps: [5, 5, 50] },
      rollbackWhen: { errorRatePercent: 0, p99LatencyMs: -5 },
      server: InferenceServer.vllm({ image: "vllm/vllm-openai", maxModelLen: 16384, maxNumBatchedTokens: 4096 }),
    });
    expect(msg).toMatch(/gpu\.pool: "a100" is not a GPU pool of cluster ml-prod; pools: "l4", "h100"/);
    expect(msg).toMatch(/minReplicas \(5\) must not exceed maxReplicas \(2\)/);
    expect(msg).toMatch(/rollout\.steps: \[5,5,50\] must be strictly increasing/);
    expect(msg).toMatch(/rollout\.steps: \[5,5,50\] must end at 100/);
    expect(msg).toMatch(/rollbackWhen\.errorRatePercent: 0 must be a positive number/);
    expect(msg).toMatch(/rollbackWhen\.p99LatencyMs: -5 must be a positive number/);
    expect(msg).toMatch(/server\.image: .*vllm\/vllm-openai.*(tag|pin)/);
    // A step budget below maxModelLen is valid: vLLM 0.11 (V1) always chunks prefill.
    expect(msg).not.toMatch(/maxNumBatchedTokens/);
  });

  it("names each property, in the order of the props", () => {
    const r = resolveEndpoint(
      props({
        name: "Bad_Name",
        namespace: "Bad NS",
        model: { name: "m m", source: "m", parametersBillions: -1, dtype: "bfloat16" },
        gpu: { pool: "l4", perReplica: 3 },
        autoscaling: { targetQueueDepthPerReplica: 0, scaleDownStabilization: "2h" },
        ingress: { certificateArn: "nope", sessionAffinitySeconds: 0 },
        sharedPrefixTokens: -1,
        loadSecondsPerGiB: 0,
        downloadSecondsPerGiB: -1,
        warmupSeconds: 0,
      }),
      { id: "chat", path: "serving/chat", plan: ROOMY_PLAN },
    );
    if (r.ok) throw new Error("expected problems");
    expect(r.problems.map((p) => p.split(":")[0])).toEqual([
      "name",
      "namespace",
      "model.name",
      "model.source",
      "model.parametersBillions",
      "gpu.perReplica",
      "autoscaling.targetQueueDepthPerReplica",
      "autoscaling.scaleDownStabilization",
      "ingress.sessionAffinitySeconds",
      "ingress.certificateArn",
      "sharedPrefixTokens",
      "loadSecondsPerGiB",
      "downloadSecondsPerGiB",
      "warmupSeconds",
    ]);
  });

  it("refuses a warm-up that is not a positive literal number of seconds, or looks like milliseconds", () => {
    expect(problemsOf({ warmupSeconds: -5 })).toMatch(/^warmupSeconds: -5 must be a positive number of seconds, as measured from the server container's start to the pod's Ready condition less the weights' transfer$/m);
    expect(problemsOf({ warmupSeconds: Number.NaN })).toMatch(/^warmupSeconds: NaN must be a positive number of seconds/m);
    expect(problemsOf({ warmupSeconds: 95000 })).toMatch(/^warmupSeconds: 95000 is more than an hour; give seconds, not milliseconds \(e\.g\. 95 for 95 s\)$/m);
    expect(problemsOf({ warmupSeconds: Token.asNumber("${var.warmup}") })).toMatch(/^warmupSeconds: is a token; the planner needs the number at synth time .*give a literal number of seconds$/m);
    expect(resolve({ warmupSeconds: 3600 }).ok).toBe(true);
  });

  it("refuses a first step above 10% unless allowed explicitly", () => {
    expect(problemsOf({ rollout: { steps: [20, 100] } })).toMatch(/first step 20% is above 10%.*allowLargeFirstStep: true/);
    expect(resolve({ rollout: { steps: [20, 100], allowLargeFirstStep: true } }).ok).toBe(true);
  });

  it("refuses more GPUs per replica than one node of the pool has", () => {
    expect(problemsOf({ gpu: { pool: "l4", perReplica: 2 } })).toMatch(/gpu\.perReplica: 2 exceeds the 1 GPU\(s\) of one g6\.xlarge\/g6\.2xlarge node in pool "l4"/);
  });

  it("refuses a step duration that is not whole minutes, bad model sources, weak TLS, open CIDRs and time to first token for non-vLLM servers", () => {
    const msg = problemsOf({
      rollout: { stepDuration: "90s" },
      model: { name: "m", source: "s3://bucket/m/", parametersBillions: 1, dtype: "bfloat16" },
      ingress: { certificateArn: CERTIFICATE_ARN, sslPolicy: "ELBSecurityPolicy-2016-08", allowedCidrs: ["0.0.0.0/0"] },
      rollbackWhen: { timeToFirstTokenP99Ms: 1000 },
      server: InferenceServer.tgi(),
    });
    expect(msg).toMatch(/rollout\.stepDuration: "90s" must be whole minutes/);
    expect(msg).toMatch(/model\.source: "s3:\/\/bucket\/m\/" must be a key prefix/);
    expect(msg).toMatch(/ingress\.sslPolicy: "ELBSecurityPolicy-2016-08" allows TLS below 1\.2/);
    expect(msg).toMatch(/ingress\.allowedCidrs\[0\]: "0\.0\.0\.0\/0" admits every address/);
    expect(msg).toMatch(/rollbackWhen\.timeToFirstTokenP99Ms: the tgi server cannot measure it: .*; remove it, or serve with vLLM/);
  });

  it("refuses a host that is not a DNS name, a hosted zone without a host, and session affinity outside the ALB's limits", () => {
    expect(problemsOf({ ingress: { certificateArn: CERTIFICATE_ARN, host: "Chat_Models" } })).toMatch(/ingress\.host: "Chat_Models" is not a lower-case DNS name/);
    expect(problemsOf({ ingress: { certificateArn: CERTIFICATE_ARN, privateHostedZoneId: "Z1" } })).toMatch(/ingress\.privateHostedZoneId: needs ingress\.host/);
    expect(problemsOf({ ingress: { certificateArn: CERTIFICATE_ARN, sessionAffinitySeconds: 0 } })).toMatch(/ingress\.sessionAffinitySeconds: 0 must be whole seconds/);
  });

  it("refuses a custom server without a queue-depth metric, since autoscaling needs one, unless its replicas are fixed", () => {
    const server = InferenceServer.custom({ image: "registry.example.com/s:1.0.0", port: 9000, healthPath: "/h" });
    expect(problemsOf({ server })).toBe(
      "autoscaling: minReplicas 1 (default) and maxReplicas 4 (default) ask for scaling on queue depth, but the custom server has no queueDepthMetric, and KEDA scales only on queue depth; " +
        "set autoscaling.minReplicas and maxReplicas to the same number for a fixed number of replicas, or give the custom server's queueDepthMetric (a Prometheus gauge of waiting requests)",
    );
    expect(resolve({ server, autoscaling: { minReplicas: 3, maxReplicas: 3 } }).ok).toBe(true);
  });

  it("refuses queue-depth autoscaling on Triton's vllm backend, which exports no queue metric, naming the values and both fixes", () => {
    const msg = problemsOf({ server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 6 } });
    expect(msg).toMatch(/^autoscaling: minReplicas 1 and maxReplicas 6 ask for scaling on queue depth, but Triton's vllm backend exports no queue-depth metric/);
    expect(msg).toMatch(/KEDA would read 0 and never scale up/);
    expect(msg).toMatch(/set autoscaling\.minReplicas and maxReplicas to the same number for a fixed number of replicas, or serve the model with InferenceServer\.vllm\(\), which exports vllm:num_requests_waiting$/);
    // The defaults (1 to 4) scale too, and say they are defaults.
    expect(problemsOf({ server: InferenceServer.triton() })).toMatch(/^autoscaling: minReplicas 1 \(default\) and maxReplicas 4 \(default\) ask for scaling on queue depth/);
    // A queue target on a fixed fleet does nothing.
    expect(problemsOf({ server: InferenceServer.triton(), autoscaling: { minReplicas: 2, maxReplicas: 2, targetQueueDepthPerReplica: 8 } })).toMatch(
      /^autoscaling\.targetQueueDepthPerReplica: 8 has no effect: Triton's vllm backend exports no queue-depth metric.*the endpoint runs a fixed 2 replica\(s\); remove it/,
    );
    // Triton's other backends scale on their queue time.
    expect(resolve({ server: InferenceServer.triton({ backend: "python" }) }).ok).toBe(true);
  });
});
