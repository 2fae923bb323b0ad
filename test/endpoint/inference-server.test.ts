import { Token } from "cdktf";
import { ValidationError } from "../../lib/errors";
import {
  InferenceServer,
  InferenceServerImages,
  QUEUE_SELECTOR_PLACEHOLDER,
  ServerContainer,
  ServerContext,
  renderQueueDepthQuery,
} from "../../lib/endpoint/inference-server";

const ctx: ServerContext = { modelName: "chat", modelDir: "/models/llama-3.1-8b-instruct", gpusPerReplica: 2 };
const SELECTOR = 'namespace="models",app="chat"';

/** The value following `flag` in the arguments, or undefined. */
function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}

function problems(server: InferenceServer, context: ServerContext = ctx): string[] {
  return server.validate(context);
}

/** The single problem whose text starts with `prefix`. */
function problem(server: InferenceServer, prefix: string, context: ServerContext = ctx): string {
  const found = problems(server, context).filter((p) => p.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0];
}

describe("vLLM server", () => {
  let c: ServerContainer;
  beforeAll(() => {
    c = InferenceServer.vllm().render(ctx);
  });

  it("passes the default batching flags: 64 sequences, an 8192-token step and 8192-token requests", () => {
    expect(flag(c.args, "--max-num-seqs")).toBe("64");
    expect(flag(c.args, "--max-num-batched-tokens")).toBe("8192");
    expect(flag(c.args, "--max-model-len")).toBe("8192");
    expect(c.batching).toEqual({
      batcher: "vllm-continuous",
      maxNumSeqs: 64,
      maxNumBatchedTokens: 8192,
      maxModelLen: 8192,
      chunkedPrefill: false,
      prefixCaching: true,
    });
    expect(c.maxModelLen).toBe(8192);
  });

  it("shards over the replica's GPUs and claims 0.9 of their memory", () => {
    expect(flag(c.args, "--tensor-parallel-size")).toBe("2");
    expect(flag(c.args, "--gpu-memory-utilization")).toBe("0.9");
    expect(c.gpuMemoryUtilization).toBe(0.9);
  });

  it("enables prefix caching and turns off V1's default chunked prefill", () => {
    expect(c.args).toContain("--enable-prefix-caching");
    expect(c.args).not.toContain("--no-enable-prefix-caching");
    expect(c.args).toContain("--no-enable-chunked-prefill");
    expect(c.args).not.toContain("--enable-chunked-prefill");
  });

  it("serves the local weights under the model name on port 8000, leaving the image's entrypoint", () => {
    expect(flag(c.args, "--model")).toBe("/models/llama-3.1-8b-instruct");
    expect(flag(c.args, "--served-model-name")).toBe("chat");
    expect(flag(c.args, "--port")).toBe("8000");
    expect(c.command).toBeUndefined();
    expect(c.args).not.toContain("--disable-log-requests");
    expect(c.image).toBe("vllm/vllm-openai:v0.11.0");
    expect(c.image).toBe(InferenceServerImages.vllm);
  });

  it("runs non-root on a read-only root filesystem with its caches in writable volumes and the Hub offline", () => {
    expect(c.runAsUser).toBe(1000);
    expect(c.readOnlyRootFilesystem).toBe(true);
    expect(c.sharedMemory).toBe(true);
    expect(c.writablePaths).toEqual(["/home/inference", "/tmp"]);
    expect(c.env).toMatchObject({ HOME: "/home/inference", USER: "inference", HF_HUB_OFFLINE: "1", VLLM_NO_USAGE_STATS: "1" });
    for (const key of ["HF_HOME", "VLLM_CACHE_ROOT", "XDG_CACHE_HOME", "TRITON_CACHE_DIR"]) {
      expect(c.env[key].startsWith("/home/inference/")).toBe(true);
    }
  });

  it("probes /health and exports metrics, queue depth and time to first token on the API port", () => {
    expect(c).toMatchObject({ port: 8000, metricsPort: 8000, metricsPath: "/metrics", livenessPath: "/health", readinessPath: "/health" });
    expect(c.queueDepthQuery).toContain(QUEUE_SELECTOR_PLACEHOLDER);
    expect(renderQueueDepthQuery(c.queueDepthQuery, SELECTOR)).toBe(
      'sum(vllm:num_requests_waiting{namespace="models",app="chat"}) / count(vllm:num_requests_waiting{namespace="models",app="chat"})',
    );
    expect(c.ttftHistogram).toBe("vllm:time_to_first_token_seconds");
    expect(c.files).toEqual({});
  });

  it("passes --no-enable-prefix-caching when prefix caching is off", () => {
    const args = InferenceServer.vllm({ prefixCaching: false }).render(ctx).args;
    expect(args).toContain("--no-enable-prefix-caching");
    expect(args).not.toContain("--enable-prefix-caching");
  });

  it("sizes the step budget to the longest request when maxModelLen exceeds 8192", () => {
    const r = InferenceServer.vllm({ maxModelLen: 32768 }).render(ctx);
    expect(flag(r.args, "--max-num-batched-tokens")).toBe("32768");
  });

  it("sizes the default step budget for a cold shared prefix beside a full decode batch", () => {
    const budget = (server: InferenceServer, extra: Partial<ServerContext> = {}) =>
      Number(flag(server.render({ ...ctx, ...extra }).args, "--max-num-batched-tokens"));
    // Short prefixes leave the 8192 floor; without chunking the budget never drops below maxModelLen.
    expect(budget(InferenceServer.vllm(), { sharedPrefixTokens: 1024 })).toBe(8192);
    expect(budget(InferenceServer.vllm({ maxModelLen: 32768 }), { sharedPrefixTokens: 20000 })).toBe(32768);
    // With chunked prefill the budget follows the prefix: 64 decode tokens + 20000, rounded up to 512.
    const chunked = InferenceServer.vllm({ maxModelLen: 32768, enableChunkedPrefill: true });
    expect(budget(chunked)).toBe(8192);
    expect(budget(chunked, { sharedPrefixTokens: 20000 })).toBe(20480);
    // A declared mean input longer than the prefix counts instead: 64 + 24000 = 24064, already a multiple of 512.
    expect(budget(chunked, { sharedPrefixTokens: 20000, meanInputTokens: 24000 })).toBe(24064);
    // An explicit budget wins.
    expect(budget(InferenceServer.vllm({ maxModelLen: 32768, enableChunkedPrefill: true, maxNumBatchedTokens: 4096 }), { sharedPrefixTokens: 20000 })).toBe(4096);
  });

  it("allows a step budget below maxModelLen with chunked prefill, and passes the flag", () => {
    const server = InferenceServer.vllm({ enableChunkedPrefill: true, maxNumBatchedTokens: 2048 });
    expect(problems(server)).toEqual([]);
    const args = server.render(ctx).args;
    expect(args).toContain("--enable-chunked-prefill");
    expect(args).not.toContain("--no-enable-chunked-prefill");
    expect(flag(args, "--max-num-batched-tokens")).toBe("2048");
  });

  it("passes the model's dtype and quantization, mapping quantized dtypes to auto", () => {
    expect(flag(InferenceServer.vllm().render({ ...ctx, dtype: "bfloat16" }).args, "--dtype")).toBe("bfloat16");
    const fp8 = InferenceServer.vllm().render({ ...ctx, dtype: "fp8", quantization: "fp8" }).args;
    expect(flag(fp8, "--dtype")).toBe("auto");
    expect(flag(fp8, "--quantization")).toBe("fp8");
    expect(c.args).not.toContain("--dtype");
    expect(c.args).not.toContain("--quantization");
  });

  it("appends extra arguments last", () => {
    const args = InferenceServer.vllm({ extraArgs: ["--enforce-eager"] }).render(ctx).args;
    expect(args[args.length - 1]).toBe("--enforce-eager");
  });

  it("refuses a step budget below maxModelLen without chunked prefill, naming both and both fixes", () => {
    const msg = problem(InferenceServer.vllm({ maxNumBatchedTokens: 4096 }), "server.maxNumBatchedTokens:");
    expect(msg).toMatch(/4096 is below maxModelLen 8192/);
    expect(msg).toMatch(/raise maxNumBatchedTokens to at least 8192 or set enableChunkedPrefill: true/);
  });

  it("refuses more sequences than tokens in a step", () => {
    const msg = problem(InferenceServer.vllm({ maxNumSeqs: 256, maxNumBatchedTokens: 128, enableChunkedPrefill: true }), "server.maxNumSeqs:");
    expect(msg).toMatch(/256 exceeds maxNumBatchedTokens 128/);
    expect(msg).toMatch(/lower maxNumSeqs to at most 128 or raise maxNumBatchedTokens/);
  });

  it("refuses counts that are not positive whole numbers", () => {
    expect(problem(InferenceServer.vllm({ maxNumSeqs: 0 }), "server.maxNumSeqs:")).toMatch(/0 must be a positive whole number of sequences, e\.g\. 64/);
    expect(problem(InferenceServer.vllm({ maxModelLen: 1.5 }), "server.maxModelLen:")).toMatch(/1\.5 must be a positive whole number of tokens/);
    expect(problem(InferenceServer.vllm({ maxNumBatchedTokens: -8 }), "server.maxNumBatchedTokens:")).toMatch(/-8 must be a positive whole number/);
  });

  it("refuses a GPU memory fraction outside (0, 1)", () => {
    for (const value of [0, 1, 1.2]) {
      expect(problem(InferenceServer.vllm({ gpuMemoryUtilization: value }), "server.gpuMemoryUtilization:")).toMatch(
        new RegExp(`^server\\.gpuMemoryUtilization: ${value} must be a fraction .* above 0 and below 1, e\\.g\\. 0\\.9`),
      );
    }
    expect(problems(InferenceServer.vllm({ gpuMemoryUtilization: 0.95 }))).toEqual([]);
  });

  it("refuses extra arguments that set flags the construct owns, pointing to the option", () => {
    const found = problems(InferenceServer.vllm({ extraArgs: ["--tensor-parallel-size=4", "--port", "9000", "--max-num-seqs", "8", "--enforce-eager"] }));
    expect(found).toEqual([
      expect.stringMatching(/^server\.extraArgs: "--tensor-parallel-size=4" sets --tensor-parallel-size, .*set the endpoint's gpusPerReplica instead$/),
      expect.stringMatching(/^server\.extraArgs: "--port" sets --port, .*fixed at 8000/),
      expect.stringMatching(/^server\.extraArgs: "--max-num-seqs" sets --max-num-seqs, .*use the maxNumSeqs option instead$/),
    ]);
  });

  it("refuses a model dtype vLLM has no --dtype for", () => {
    expect(problem(InferenceServer.vllm(), "server:", { ...ctx, dtype: "int3" })).toMatch(/dtype "int3" has no vLLM --dtype equivalent; use one of .*"bfloat16"/);
  });

  it("reports every problem at once, and render throws them all", () => {
    const server = InferenceServer.vllm({ image: "vllm/vllm-openai", maxNumSeqs: 0, gpuMemoryUtilization: 2, maxNumBatchedTokens: 1024, extraArgs: ["--model=x"] });
    const found = problems(server);
    expect(found.map((p) => p.split(":")[0])).toEqual([
      "server.image",
      "server.maxNumSeqs",
      "server.gpuMemoryUtilization",
      "server.extraArgs",
    ]);
    expect(() => server.render(ctx)).toThrow(ValidationError);
    expect(() => server.render(ctx)).toThrow(/chat: invalid InferenceServer props \(4 problems\)/);
  });
});

describe("image pinning", () => {
  const image = (ref: string) => problems(InferenceServer.vllm({ image: ref }));

  it("refuses an image without a tag or digest, saying to pin a version", () => {
    expect(image("vllm/vllm-openai")).toEqual([
      'server.image: "vllm/vllm-openai" has no tag or digest, so each node may pull a different image; pin a version, e.g. "vllm/vllm-openai:v0.11.0"',
    ]);
    // A registry port is not a tag.
    expect(image("registry.local:5000/vllm-openai")[0]).toMatch(/has no tag or digest.*pin a version/);
  });

  it("refuses the moving tag latest", () => {
    expect(image("vllm/vllm-openai:latest")).toEqual(['server.image: "vllm/vllm-openai:latest" uses the moving tag "latest"; pin a version, e.g. "vllm/vllm-openai:v0.11.0"']);
  });

  it("accepts a sha256 digest and a version tag, and refuses a malformed digest", () => {
    expect(image(`vllm/vllm-openai@sha256:${"a".repeat(64)}`)).toEqual([]);
    expect(image(`registry.local:5000/vllm-openai:v0.11.0@sha256:${"0".repeat(64)}`)).toEqual([]);
    expect(image("registry.local:5000/vllm-openai:v0.11.0")).toEqual([]);
    expect(image("vllm/vllm-openai@sha256:abc")[0]).toMatch(/malformed digest "sha256:abc"; a digest is "sha256:" and 64 lower-case hex digits/);
  });

  it("leaves an image known only at apply time (a token) to apply time", () => {
    expect(image(`${Token.asString({ resolve: () => "123.dkr.ecr.us-east-1.amazonaws.com/vllm" })}:v0.11.0`)).toEqual([]);
    expect(image(Token.asString({ resolve: () => "123.dkr.ecr.us-east-1.amazonaws.com/vllm:v1" }))).toEqual([]);
  });

  it("refuses an empty image", () => {
    expect(image("")[0]).toMatch(/^server\.image: "" is not an image reference; give one pinned by tag or digest/);
  });
});

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

  it("writes vLLM's engine arguments to 1/model.json: the weights, the GPUs and maxBatchSize as max_num_seqs", () => {
    expect(JSON.parse(c.files["/models/llama-3.1-8b-instruct/1/model.json"])).toEqual({
      model: "/models/llama-3.1-8b-instruct",
      tensor_parallel_size: 2,
      max_num_seqs: 32,
      gpu_memory_utilization: 0.9,
      disable_log_stats: false,
    });
    expect(c.batching).toEqual({ batcher: "vllm-continuous", tritonModel: "llama-3.1-8b-instruct", tritonMaxBatchSize: 0, maxNumSeqs: 32 });
    const bf16 = InferenceServer.triton().render({ ...ctx, dtype: "bfloat16", quantization: "awq" });
    expect(JSON.parse(bf16.files["/models/llama-3.1-8b-instruct/1/model.json"])).toMatchObject({ dtype: "bfloat16", quantization: "awq" });
  });

  it("probes the KServe v2 health endpoints and scrapes vLLM's queue and TTFT through Triton's metrics port", () => {
    expect(c).toMatchObject({ port: 8000, metricsPort: 8002, metricsPath: "/metrics", livenessPath: "/v2/health/live", readinessPath: "/v2/health/ready" });
    expect(renderQueueDepthQuery(c.queueDepthQuery, SELECTOR)).toBe(
      'sum(vllm:num_requests_waiting{namespace="models",app="chat"}) / count(vllm:num_requests_waiting{namespace="models",app="chat"})',
    );
    expect(c.ttftHistogram).toBe("vllm:time_to_first_token_seconds");
    expect(c.gpuMemoryUtilization).toBe(0.9);
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

  it("derives queue depth from Triton's queue-time counter", () => {
    expect(renderQueueDepthQuery(c.queueDepthQuery, SELECTOR)).toBe(
      'sum(rate(nv_inference_queue_duration_us{namespace="models",app="chat"}[1m])) / 1e6 / count(nv_inference_request_success{namespace="models",app="chat"})',
    );
    expect(c.ttftHistogram).toBeUndefined();
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

describe("TGI server", () => {
  let c: ServerContainer;
  beforeAll(() => {
    c = InferenceServer.tgi().render(ctx);
  });

  it("passes the batching flags: 128 concurrent requests, 4096 input and 8192 total tokens, batch budget left to TGI", () => {
    expect(flag(c.args, "--max-concurrent-requests")).toBe("128");
    expect(flag(c.args, "--max-input-tokens")).toBe("4096");
    expect(flag(c.args, "--max-total-tokens")).toBe("8192");
    expect(c.args).not.toContain("--max-batch-total-tokens");
    expect(c.batching).toMatchObject({ batcher: "tgi-continuous", maxConcurrentRequests: 128, maxBatchTotalTokens: "sized by TGI at warmup" });
    expect(c.maxModelLen).toBe(8192);
    expect(c.gpuMemoryUtilization).toBe(1);
  });

  it("serves the local weights on port 8000, one shard per GPU", () => {
    expect(flag(c.args, "--model-id")).toBe("/models/llama-3.1-8b-instruct");
    expect(flag(c.args, "--port")).toBe("8000");
    expect(flag(c.args, "--num-shard")).toBe("2");
    expect(c.image).toBe("ghcr.io/huggingface/text-generation-inference:3.3.6");
  });

  it("passes the batch token budget when set", () => {
    expect(flag(InferenceServer.tgi({ maxBatchTotalTokens: 32768 }).render(ctx).args, "--max-batch-total-tokens")).toBe("32768");
  });

  it("passes --quantize for quantized weights and --dtype only without it", () => {
    const awq = InferenceServer.tgi().render({ ...ctx, dtype: "int4", quantization: "awq" }).args;
    expect(flag(awq, "--quantize")).toBe("awq");
    expect(awq).not.toContain("--dtype");
    expect(flag(InferenceServer.tgi().render({ ...ctx, dtype: "bf16" }).args, "--dtype")).toBe("bfloat16");
  });

  it("runs non-root with the Hub cache writable and offline, and exports tgi_queue_size on the API port", () => {
    expect(c.runAsUser).toBe(1000);
    expect(c.readOnlyRootFilesystem).toBe(true);
    expect(c.env).toMatchObject({ HUGGINGFACE_HUB_CACHE: "/home/inference/.cache/huggingface/hub", HF_HUB_OFFLINE: "1", USAGE_STATS: "off" });
    expect(c).toMatchObject({ port: 8000, metricsPort: 8000, metricsPath: "/metrics", livenessPath: "/health", readinessPath: "/health" });
    expect(renderQueueDepthQuery(c.queueDepthQuery, SELECTOR)).toBe(
      'sum(tgi_queue_size{namespace="models",app="chat"}) / count(tgi_queue_size{namespace="models",app="chat"})',
    );
    expect(c.ttftHistogram).toBeUndefined();
  });

  it("refuses a prompt limit not below the total limit", () => {
    expect(problem(InferenceServer.tgi({ maxInputTokens: 8192 }), "server.maxInputTokens:")).toMatch(
      /8192 must be less than maxTotalTokens 8192.*lower maxInputTokens or raise maxTotalTokens above 8192/,
    );
  });

  it("refuses a batch token budget below the total limit", () => {
    expect(problem(InferenceServer.tgi({ maxBatchTotalTokens: 4096 }), "server.maxBatchTotalTokens:")).toMatch(
      /4096 is below maxTotalTokens 8192.*raise maxBatchTotalTokens to at least 8192 or leave it unset/,
    );
  });

  it("refuses counts that are not positive whole numbers", () => {
    expect(problem(InferenceServer.tgi({ maxConcurrentRequests: 0 }), "server.maxConcurrentRequests:")).toMatch(/0 must be a positive whole number of requests, e\.g\. 128/);
  });

  it("refuses a quantization or dtype TGI cannot serve", () => {
    expect(problem(InferenceServer.tgi(), "server:", { ...ctx, quantization: "squeezellm" })).toMatch(/quantization "squeezellm" is not one TGI supports; use one of "awq"/);
    expect(problem(InferenceServer.tgi(), "server:", { ...ctx, dtype: "float32" })).toMatch(/dtype "float32" cannot be served by TGI.*use "bfloat16" or "float16"/);
  });

  it("refuses extra arguments that set flags the construct owns", () => {
    expect(problem(InferenceServer.tgi({ extraArgs: ["--num-shard", "4"] }), "server.extraArgs:")).toMatch(/"--num-shard" sets --num-shard.*set the endpoint's gpusPerReplica instead/);
  });

  it("reports every problem at once", () => {
    const found = problems(InferenceServer.tgi({ image: "ghcr.io/huggingface/text-generation-inference", maxInputTokens: 9000, maxBatchTotalTokens: 100 }));
    expect(found.map((p) => p.split(":")[0])).toEqual(["server.image", "server.maxInputTokens", "server.maxBatchTotalTokens"]);
  });
});

describe("custom server", () => {
  const base = { image: "registry.example.com/team/server:1.2.3", port: 9000, healthPath: "/healthz" };

  it("runs the image as described, with non-root, read-only and metrics defaults", () => {
    const c = InferenceServer.custom({ ...base, command: ["/bin/server"], args: ["--fast"], env: { A: "1" }, queueDepthMetric: "server_queue_size" }).render(ctx);
    expect(c).toEqual({
      kind: "custom",
      image: "registry.example.com/team/server:1.2.3",
      command: ["/bin/server"],
      args: ["--fast"],
      env: { A: "1" },
      port: 9000,
      metricsPort: 9000,
      metricsPath: "/metrics",
      livenessPath: "/healthz",
      readinessPath: "/healthz",
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      writablePaths: ["/tmp"],
      sharedMemory: false,
      files: {},
      queueDepthQuery: `sum(server_queue_size{${QUEUE_SELECTOR_PLACEHOLDER}}) / count(server_queue_size{${QUEUE_SELECTOR_PLACEHOLDER}})`,
      batching: { batcher: "custom" },
    });
  });

  it("uses the given probes, metrics port, uid and volumes, and has no queue query without a metric", () => {
    const c = InferenceServer.custom({ ...base, readinessPath: "/ready", metricsPort: 9100, metricsPath: "/stats", runAsUser: 2000, writablePaths: ["/cache"], sharedMemory: true }).render(ctx);
    expect(c).toMatchObject({ readinessPath: "/ready", metricsPort: 9100, metricsPath: "/stats", runAsUser: 2000, writablePaths: ["/cache"], sharedMemory: true, queueDepthQuery: "" });
  });

  it("refuses root, bad ports, relative paths, a malformed metric and an unpinned image, all at once", () => {
    const found = problems(
      InferenceServer.custom({ image: "server:latest", port: 70000, healthPath: "healthz", runAsUser: 0, queueDepthMetric: "queue-size", writablePaths: ["tmp"] }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^server\.image: "server:latest" uses the moving tag "latest"; pin a version/),
      expect.stringMatching(/^server\.port: 70000 is not a TCP port; use a whole number from 1 to 65535/),
      expect.stringMatching(/^server\.healthPath: "healthz" must be an HTTP path starting with "\/", e\.g\. "\/healthz"/),
      expect.stringMatching(/^server\.queueDepthMetric: "queue-size" is not a Prometheus metric name/),
      expect.stringMatching(/^server\.runAsUser: 0 is not a non-root uid; restricted Pod Security refuses root/),
      expect.stringMatching(/^server\.writablePaths: \["tmp"\] must be absolute directories/),
    ]);
  });
});

describe("every server", () => {
  it("runs as a non-root uid", () => {
    for (const server of [InferenceServer.vllm(), InferenceServer.triton(), InferenceServer.triton({ backend: "python" }), InferenceServer.tgi()]) {
      const c = server.render(ctx);
      expect({ kind: c.kind, nonRoot: c.runAsUser > 0 }).toEqual({ kind: server.kind, nonRoot: true });
    }
  });

  it("is valid with defaults", () => {
    for (const server of [InferenceServer.vllm(), InferenceServer.triton(), InferenceServer.tgi()]) {
      expect(problems(server)).toEqual([]);
    }
  });
});
