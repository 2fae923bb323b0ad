import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { ServerContainer, renderQueueDepthQuery } from "../../../lib/endpoint/servers/server-types";
import { ctx, SELECTOR, problems, problem } from "./server-test-helpers";

describe("Triton server with the vLLM backend (default)", () => {
  let c: ServerContainer;
  beforeAll(() => {
    c = InferenceServer.triton().render(ctx);
  });

  it("runs tritonserver on the parent of the model directory with fixed ports and no model control API", () => {
    expect(c.image).toBe("nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3");
    expect(c.command).toEqual(["tritonserver"]);
    expect(c.args).toEqual([
      "--model-repository=/models",
      "--http-port=8000",
      "--grpc-port=8001",
      "--metrics-port=8002",
      "--model-control-mode=none",
    ]);
  });

  it("mounts a config.pbtxt under the model directory that leaves batching to vLLM", () => {
    expect(Object.keys(c.files).sort()).toEqual(["/models/llama-3.1-8b-instruct/1/model.json", "/models/llama-3.1-8b-instruct/config.pbtxt"]);
    const config = c.files["/models/llama-3.1-8b-instruct/config.pbtxt"];
    expect(config).toContain('name: "llama-3.1-8b-instruct"');
    expect(config).toContain('backend: "vllm"');
    expect(config).toContain("max_batch_size: 0");
    expect(config).toContain("kind: KIND_MODEL");
    expect(config).toContain('key: "REPORT_CUSTOM_METRICS"');
    expect(config).not.toContain("dynamic_batching");
  });

  it("writes vLLM's engine arguments to 1/model.json: the weights, the GPUs, maxBatchSize as max_num_seqs and the context length", () => {
    expect(JSON.parse(c.files["/models/llama-3.1-8b-instruct/1/model.json"])).toEqual({
      model: "/models/llama-3.1-8b-instruct",
      tensor_parallel_size: 2,
      max_num_seqs: 32,
      max_model_len: 8192,
      gpu_memory_utilization: 0.9,
      disable_log_stats: false,
    });
    expect(c.batching).toEqual({ batcher: "vllm-continuous", tritonModel: "llama-3.1-8b-instruct", tritonMaxBatchSize: 0, maxNumSeqs: 32, maxModelLen: 8192 });
    const bf16 = InferenceServer.triton().render({ ...ctx, dtype: "bfloat16", quantization: "awq" });
    expect(JSON.parse(bf16.files["/models/llama-3.1-8b-instruct/1/model.json"])).toMatchObject({ dtype: "bfloat16", quantization: "awq" });
  });

  it("probes the KServe v2 health endpoints, serves KServe v2 (no OpenAI /v1) and scrapes vLLM's TTFT through Triton's metrics port", () => {
    expect(c).toMatchObject({ port: 8000, api: "kserve-v2", metricsPort: 8002, metricsPath: "/metrics", livenessPath: "/v2/health/live", readinessPath: "/v2/health/ready" });
    expect(c.ttftHistogram).toBe("vllm:time_to_first_token_seconds");
    expect(c.gpuMemoryUtilization).toBe(0.9);
  });

  it("has no queue-depth query: the vLLM backend exports no vllm:num_requests_waiting, which KEDA would read as 0", () => {
    expect(c.queueDepthQuery).toBe("");
  });

  it("writes maxModelLen to model.json as max_model_len and reports that same length to the fit check", () => {
    const long = InferenceServer.triton({ maxModelLen: 32768 }).render(ctx);
    expect(JSON.parse(long.files["/models/llama-3.1-8b-instruct/1/model.json"]).max_model_len).toBe(32768);
    expect(long.maxModelLen).toBe(32768);
    expect(long.maxInputTokens).toBe(32768);
    expect(c.maxModelLen).toBe(8192);
    expect(problem(InferenceServer.triton({ maxModelLen: 0 }), "server.maxModelLen:")).toMatch(/0 must be a positive whole number of tokens, e\.g\. 8192/);
  });

  it("runs non-root on a read-only root filesystem with shared memory for the Python backend", () => {
    expect(c.runAsUser).toBe(1000);
    expect(c.readOnlyRootFilesystem).toBe(true);
    expect(c.sharedMemory).toBe(true);
    expect(c.env).toMatchObject({ HOME: "/home/inference", HF_HUB_OFFLINE: "1", VLLM_CACHE_ROOT: "/home/inference/.cache/vllm" });
  });

  it("refuses dynamic batcher settings, which the vLLM backend cannot use", () => {
    expect(problem(InferenceServer.triton({ preferredBatchSizes: [4, 8] }), "server.preferredBatchSizes:")).toMatch(
      /\[4,8\] is set, but the vllm backend batches inside vLLM .* remove it, or choose a backend Triton batches for/,
    );
    expect(problem(InferenceServer.triton({ maxQueueDelayMicroseconds: 1000 }), "server.maxQueueDelayMicroseconds:")).toMatch(/1000 is set, but the vllm backend/);
  });

  it("refuses a model directory directly under /, which leaves no repository for Triton", () => {
    expect(problem(InferenceServer.triton(), "server:", { ...ctx, modelDir: "/llama" })).toMatch(/"\/llama" must be an absolute path below a repository directory for Triton, e\.g\. "\/models\/llama"/);
  });
});

describe("Triton server with a batching backend", () => {
  let c: ServerContainer;
  beforeAll(() => {
    c = InferenceServer.triton({ backend: "python" }).render(ctx);
  });

  it("mounts a config.pbtxt under the model directory with the dynamic batcher's defaults: 50 ms, sizes 4/8/16 of at most 32", () => {
    expect(Object.keys(c.files)).toEqual(["/models/llama-3.1-8b-instruct/config.pbtxt"]);
    const config = c.files["/models/llama-3.1-8b-instruct/config.pbtxt"];
    expect(config).toContain('backend: "python"');
    expect(config).toContain("max_batch_size: 32");
    expect(config).toContain("preferred_batch_size: [ 4, 8, 16 ]");
    expect(config).toContain("max_queue_delay_microseconds: 50000");
    expect(config).toContain("kind: KIND_GPU");
    expect(c.image).toBe("nvcr.io/nvidia/tritonserver:25.11-py3");
    expect(c.batching).toEqual({
      batcher: "triton-dynamic",
      tritonModel: "llama-3.1-8b-instruct",
      maxBatchSize: 32,
      preferredBatchSizes: "4,8,16",
      maxQueueDelayMicroseconds: 50000,
    });
  });

  it("derives mean queued requests per replica from Triton's microsecond queue-time counter over 4 scrape intervals", () => {
    // rate() of microseconds per second / 1e6 = requests in the queue (Little's law), per replica
    // reporting the success counter; 120 s = 4 x the scraper's default 30 s interval.
    expect(renderQueueDepthQuery(c.queueDepthQuery, SELECTOR)).toBe(
      'sum(rate(nv_inference_queue_duration_us{namespace="models",app="chat"}[120s])) / 1e6 / count(nv_inference_request_success{namespace="models",app="chat"})',
    );
    // Both counters exist from model load at 0, so no traffic gives 0, not empty: no "or vector(0)" hiding a lost scrape.
    expect(c.queueDepthQuery).not.toContain("vector(0)");
    expect(c.ttftHistogram).toBeUndefined();
    expect(c.maxModelLen).toBeUndefined();
    expect(c.api).toBe("kserve-v2");
  });

  it("widens the rate window with a longer scrape interval", () => {
    const slow = InferenceServer.triton({ backend: "python" }).render({ ...ctx, scrapeIntervalSeconds: 60 });
    expect(slow.queueDepthQuery).toContain("[240s]");
  });

  it("refuses maxModelLen, which only the vllm backend reads", () => {
    expect(problem(InferenceServer.triton({ backend: "python", maxModelLen: 8192 }), "server.maxModelLen:")).toMatch(
      /8192 is set, but it is vLLM's max_model_len and only the vllm backend reads it; remove it, or use backend "vllm"/,
    );
  });

  it("uses the given batch sizes and delay", () => {
    const config = InferenceServer.triton({ backend: "onnxruntime", maxBatchSize: 64, preferredBatchSizes: [16, 64], maxQueueDelayMicroseconds: 0 }).render(ctx).files[
      "/models/llama-3.1-8b-instruct/config.pbtxt"
    ];
    expect(config).toContain("max_batch_size: 64");
    expect(config).toContain("preferred_batch_size: [ 16, 64 ]");
    expect(config).toContain("max_queue_delay_microseconds: 0");
  });

  it("refuses a preferred batch size above maxBatchSize", () => {
    expect(problem(InferenceServer.triton({ backend: "python", maxBatchSize: 8, preferredBatchSizes: [4, 16] }), "server.preferredBatchSizes:")).toMatch(
      /\[16\] of \[4,16\] exceed maxBatchSize 8; keep every preferred size at most 8 or raise maxBatchSize/,
    );
  });

  it("refuses preferred batch sizes that are not strictly increasing", () => {
    expect(problem(InferenceServer.triton({ backend: "python", preferredBatchSizes: [8, 4, 4] }), "server.preferredBatchSizes:")).toMatch(/\[8,4,4\] must be strictly increasing, e\.g\. \[4,8\]/);
  });

  it("refuses a negative or fractional queue delay", () => {
    expect(problem(InferenceServer.triton({ backend: "python", maxQueueDelayMicroseconds: -1 }), "server.maxQueueDelayMicroseconds:")).toMatch(
      /-1 must be a whole number of microseconds, 0 or more, e\.g\. 50000 \(50 ms\)/,
    );
    expect(problems(InferenceServer.triton({ backend: "python", maxQueueDelayMicroseconds: 2.5 }))).toHaveLength(1);
  });

  it("refuses a maxBatchSize that is not a positive whole number, and a malformed backend name", () => {
    expect(problem(InferenceServer.triton({ maxBatchSize: 0 }), "server.maxBatchSize:")).toMatch(/0 must be a positive whole number of requests, e\.g\. 32/);
    expect(problem(InferenceServer.triton({ backend: "My Backend" }), "server.backend:")).toMatch(/"My Backend" is not a Triton backend name; use e\.g\. "vllm", "python"/);
  });

  it("refuses extra arguments that set the repository or ports", () => {
    expect(problems(InferenceServer.triton({ extraArgs: ["--http-port=9000", "--log-verbose=1"] }))).toEqual([
      expect.stringMatching(/^server\.extraArgs: "--http-port=9000" sets --http-port, which the construct sets; the HTTP port is fixed at 8000/),
    ]);
  });

  it("reports every problem at once", () => {
    const found = problems(InferenceServer.triton({ backend: "python", image: "nvcr.io/nvidia/tritonserver:latest", maxBatchSize: 4, preferredBatchSizes: [8, 2], maxQueueDelayMicroseconds: -5 }));
    expect(found.map((p) => p.split(":")[0])).toEqual([
      "server.image",
      "server.preferredBatchSizes",
      "server.preferredBatchSizes",
      "server.maxQueueDelayMicroseconds",
    ]);
  });
});
