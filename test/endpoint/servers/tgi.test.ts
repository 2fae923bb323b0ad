import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { ServerContainer, renderQueueDepthQuery } from "../../../lib/endpoint/servers/server-types";
import { ctx, SELECTOR, flag, problems, problem } from "./server-test-helpers";

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

  it("reports --max-input-tokens as the longest prompt, and --max-total-tokens as the context the fit check sizes", () => {
    const r = InferenceServer.tgi({ maxInputTokens: 6000, maxTotalTokens: 16384 }).render(ctx);
    expect(r.maxInputTokens).toBe(6000);
    expect(r.maxModelLen).toBe(16384);
    expect(c.maxInputTokens).toBe(4096);
    expect(c.api).toBe("openai");
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
