import { ValidationError } from "../../../lib/errors";
import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { InferenceServerImages, QUEUE_SELECTOR_PLACEHOLDER, ServerContainer, ServerContext, renderQueueDepthQuery } from "../../../lib/endpoint/servers/server-types";
import { ctx, SELECTOR, flag, problems, problem } from "./server-test-helpers";

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
      chunkedPrefill: true,
      prefixCaching: true,
    });
    expect(c.maxModelLen).toBe(8192);
    // A prompt may fill the context: the router's context-window check uses it.
    expect(c.maxInputTokens).toBe(8192);
  });

  it("shards over the replica's GPUs and claims 0.9 of their memory", () => {
    expect(flag(c.args, "--tensor-parallel-size")).toBe("2");
    expect(flag(c.args, "--gpu-memory-utilization")).toBe("0.9");
    expect(c.gpuMemoryUtilization).toBe(0.9);
  });

  it("enables prefix caching and passes no chunked-prefill flag, which vLLM 0.11's V1 engine would ignore", () => {
    expect(c.args).toContain("--enable-prefix-caching");
    expect(c.args).not.toContain("--no-enable-prefix-caching");
    expect(c.args).not.toContain("--no-enable-chunked-prefill");
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
    expect(c).toMatchObject({ port: 8000, api: "openai", metricsPort: 8000, metricsPath: "/metrics", livenessPath: "/health", readinessPath: "/health" });
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

  it("keeps the 8192-token step budget when maxModelLen exceeds it, since V1 chunks longer prompts over steps", () => {
    const r = InferenceServer.vllm({ maxModelLen: 32768 }).render(ctx);
    expect(flag(r.args, "--max-num-batched-tokens")).toBe("8192");
    expect(flag(r.args, "--max-model-len")).toBe("32768");
  });

  it("sizes the default step budget for a cold shared prefix beside a full decode batch", () => {
    const budget = (server: InferenceServer, extra: Partial<ServerContext> = {}) =>
      Number(flag(server.render({ ...ctx, ...extra }).args, "--max-num-batched-tokens"));
    // Short prefixes leave the 8192 floor.
    expect(budget(InferenceServer.vllm(), { sharedPrefixTokens: 1024 })).toBe(8192);
    // A long one sets it: 64 decode tokens + 20000, rounded up to 512; maxModelLen does not.
    expect(budget(InferenceServer.vllm({ maxModelLen: 32768 }), { sharedPrefixTokens: 20000 })).toBe(20480);
    // The deprecated enableChunkedPrefill: true changes nothing.
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

  it("accepts a step budget below maxModelLen, which vLLM 0.11 fills by chunking the prompt", () => {
    const server = InferenceServer.vllm({ maxNumBatchedTokens: 4096 });
    expect(problems(server)).toEqual([]);
    const args = server.render(ctx).args;
    expect(flag(args, "--max-num-batched-tokens")).toBe("4096");
    expect(args).not.toContain("--no-enable-chunked-prefill");
  });

  it("refuses enableChunkedPrefill: false, which vLLM 0.11's V1 engine ignores, explaining why and what to do", () => {
    const server = InferenceServer.vllm({ enableChunkedPrefill: false });
    const msg = problem(server, "server.enableChunkedPrefill:");
    expect(msg).toMatch(/^server\.enableChunkedPrefill: false cannot be honoured: vLLM 0\.11 runs only its V1 engine, which chunks prefill for every generative model and ignores --no-enable-chunked-prefill; remove the option/);
    expect(() => server.render(ctx)).toThrow(/enableChunkedPrefill: false cannot be honoured/);
  });

  it("refuses --no-enable-chunked-prefill in extra arguments as a flag that does nothing", () => {
    expect(problem(InferenceServer.vllm({ extraArgs: ["--no-enable-chunked-prefill"] }), "server.extraArgs:")).toMatch(
      /"--no-enable-chunked-prefill" does nothing: vLLM 0\.11 runs only its V1 engine, which always chunks prefill.*size maxNumBatchedTokens instead/,
    );
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
