/*
 * vLLM's OpenAI-compatible server (`vllm serve`).
 *
 * How it batches, and why these defaults: vLLM batches continuously: every engine step the
 * scheduler runs up to `maxNumSeqs` sequences and at most `maxNumBatchedTokens` tokens (prompt
 * tokens of new requests plus one token per running sequence). Requests beyond that wait in vLLM's
 * queue (`vllm:num_requests_waiting`), which is what the autoscaler watches. 64 sequences bounds the
 * decode batch, so under load inter-token latency stays close to a lone request's and the excess
 * shows up as queue for the autoscaler; vLLM's own default (256 or more) trades latency for
 * throughput. A step budget of max(maxModelLen, 8192) tokens lets the longest prompt prefill in one
 * step. vLLM 0.11's V1 engine turns chunked prefill on by itself, so `enableChunkedPrefill: false` is
 * passed as `--no-enable-chunked-prefill`: without chunking a long prompt never interleaves with
 * decodes, which makes time to first token predictable. Prefix caching is on: chat traffic repeats
 * system prompts, and reusing their KV blocks costs little when prompts differ.
 *
 * Pinned image (checked against public material on 2026-11-28): vllm/vllm-openai:v0.11.0. vLLM's
 * Docker deployment guide (docs/deployment/docker.md, vLLM commit 275de34) builds
 * `FROM vllm/vllm-openai:v0.11.0`, and NVIDIA's Triton compatibility matrix lists vLLM 0.11.0 in
 * Triton 25.11. Flags checked against vLLM's engine-argument reference:
 * `--enable-prefix-caching | --no-enable-prefix-caching` and
 * `--enable-chunked-prefill | --no-enable-chunked-prefill` are boolean pairs, chunked prefill is on
 * by default in V1, request logging is off by default since 0.10.1 (`--disable-log-requests` is
 * deprecated, so it is not passed), and the image runs non-root since 0.8.2 (vllm-project/vllm#16402)
 * once HOME is writable and USER is set (torch calls getpass.getuser(), which fails for a uid missing
 * from /etc/passwd: kserve/kserve#5666).
 */
import { imageProblems } from "../../private/images";
import { isLiteral, show } from "../../private/validation";
import { API_PORT, countProblems, isCount, meanGaugeQuery, ownedFlagProblems, UID, VLLM_DTYPES, VLLM_TTFT, vllmDtypeProblems, vllmEnv, WRITABLE_PATHS } from "./common";
import { InferenceServerImages, ServerContainer, ServerContext, ServerDefinition } from "./server-types";

/** Options of vLLM's OpenAI-compatible server (`vllm serve`). */
export interface VllmServerOptions {
  /**
   * Container image of the vLLM OpenAI server, pinned by tag or digest.
   * @default "vllm/vllm-openai:v0.11.0"
   */
  readonly image?: string;
  /**
   * Most sequences vLLM runs in one engine step (`--max-num-seqs`); more requests wait in its queue.
   * @default 64
   */
  readonly maxNumSeqs?: number;
  /**
   * Longest request in tokens, prompt plus output (`--max-model-len`); sizes the KV cache per sequence.
   * @default 8192
   */
  readonly maxModelLen?: number;
  /**
   * Token budget of one engine step (`--max-num-batched-tokens`). Must be at least `maxModelLen`
   * unless `enableChunkedPrefill` is true. The default also makes room, in one step, for the
   * decode token of every running sequence plus one cold prompt: the endpoint's shared prefix, or
   * its declared mean input when longer. A replica that has not cached the prefix yet (a new
   * canary pod, or after eviction) then computes it in one step and caches it for everyone, rather
   * than over several chunked steps while other requests recompute it too.
   * @default max(maxModelLen (without chunked prefill), 8192, maxNumSeqs + max(sharedPrefixTokens, load.meanInputTokens) rounded up to 512)
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Split long prompts across engine steps so they interleave with decodes
   * (`--enable-chunked-prefill`); false passes `--no-enable-chunked-prefill`, because vLLM's V1
   * engine would otherwise chunk by default.
   * @default false
   */
  readonly enableChunkedPrefill?: boolean;
  /**
   * Reuse the KV cache of repeated prompt prefixes (`--enable-prefix-caching`; false passes
   * `--no-enable-prefix-caching`).
   * @default true
   */
  readonly prefixCaching?: boolean;
  /**
   * Fraction of each GPU's memory vLLM claims for weights, activations and KV cache
   * (`--gpu-memory-utilization`), above 0 and below 1.
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * More `vllm serve` arguments, appended last. Flags this construct sets (model, port, parallelism,
   * batching, dtype, quantization) are refused: use the options instead.
   * @default []
   */
  readonly extraArgs?: string[];
}

/** vLLM's options validated and rendered. */
export class VllmDefinition implements ServerDefinition {
  readonly kind = "vllm" as const;

  constructor(private readonly options: VllmServerOptions) {}

  private resolved(ctx: ServerContext) {
    const o = this.options;
    const maxModelLen = o.maxModelLen ?? 8192;
    const maxNumSeqs = o.maxNumSeqs ?? 64;
    const enableChunkedPrefill = o.enableChunkedPrefill ?? false;
    return {
      image: o.image ?? InferenceServerImages.vllm,
      maxNumSeqs,
      maxModelLen,
      maxNumBatchedTokens: o.maxNumBatchedTokens ?? defaultStepBudget(maxModelLen, maxNumSeqs, enableChunkedPrefill, ctx),
      enableChunkedPrefill,
      prefixCaching: o.prefixCaching ?? true,
      gpuMemoryUtilization: o.gpuMemoryUtilization ?? 0.9,
      extraArgs: o.extraArgs ?? [],
    };
  }

  validate(ctx: ServerContext): string[] {
    const o = this.options;
    const r = this.resolved(ctx);
    const problems = [
      ...imageProblems("server.image", r.image, InferenceServerImages.vllm),
      ...countProblems("maxNumSeqs", o.maxNumSeqs, "sequences", 64),
      ...countProblems("maxModelLen", o.maxModelLen, "tokens", 8192),
      ...countProblems("maxNumBatchedTokens", o.maxNumBatchedTokens, "tokens", 8192),
      ...fractionProblems(o.gpuMemoryUtilization),
      ...vllmDtypeProblems(ctx.dtype),
    ];
    const numbersValid = [r.maxNumSeqs, r.maxModelLen, r.maxNumBatchedTokens].every((n) => isLiteral(n) && isCount(n));
    if (numbersValid) {
      if (r.maxNumBatchedTokens < r.maxModelLen && !r.enableChunkedPrefill) {
        problems.push(
          `server.maxNumBatchedTokens: ${r.maxNumBatchedTokens} is below maxModelLen ${r.maxModelLen}, and without chunked prefill vLLM refuses to start because a full-length prompt could not fit in one step; raise maxNumBatchedTokens to at least ${r.maxModelLen} or set enableChunkedPrefill: true`,
        );
      }
      if (r.maxNumSeqs > r.maxNumBatchedTokens) {
        problems.push(
          `server.maxNumSeqs: ${r.maxNumSeqs} exceeds maxNumBatchedTokens ${r.maxNumBatchedTokens}, and each running sequence needs at least one token of the step budget; lower maxNumSeqs to at most ${r.maxNumBatchedTokens} or raise maxNumBatchedTokens`,
        );
      }
    }
    problems.push(...ownedFlagProblems(r.extraArgs, VLLM_OWNED_FLAGS));
    return problems;
  }

  build(ctx: ServerContext): ServerContainer {
    const r = this.resolved(ctx);
    const args = [
      "--model", ctx.modelDir,
      "--served-model-name", ctx.modelName,
      "--port", String(API_PORT),
      "--tensor-parallel-size", String(ctx.gpusPerReplica),
      "--max-num-seqs", String(r.maxNumSeqs),
      "--max-num-batched-tokens", String(r.maxNumBatchedTokens),
      "--max-model-len", String(r.maxModelLen),
      "--gpu-memory-utilization", String(r.gpuMemoryUtilization),
      r.prefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching",
    ];
    if (ctx.dtype !== undefined) args.push("--dtype", VLLM_DTYPES[ctx.dtype]);
    if (ctx.quantization !== undefined) args.push("--quantization", ctx.quantization);
    args.push(r.enableChunkedPrefill ? "--enable-chunked-prefill" : "--no-enable-chunked-prefill");
    args.push(...r.extraArgs);
    return {
      kind: this.kind,
      image: r.image,
      // The image's entrypoint starts the OpenAI server (`vllm serve`, or the api_server module in
      // older images); both take `--model`, so only arguments are given.
      args,
      env: vllmEnv(),
      port: API_PORT,
      metricsPort: API_PORT,
      metricsPath: "/metrics",
      livenessPath: "/health",
      readinessPath: "/health",
      runAsUser: UID,
      readOnlyRootFilesystem: true,
      writablePaths: [...WRITABLE_PATHS],
      // PyTorch worker processes exchange tensors through /dev/shm, NCCL too with tensor parallelism.
      sharedMemory: true,
      files: {},
      queueDepthQuery: meanGaugeQuery("vllm:num_requests_waiting"),
      ttftHistogram: VLLM_TTFT,
      batching: {
        batcher: "vllm-continuous",
        maxNumSeqs: r.maxNumSeqs,
        maxNumBatchedTokens: r.maxNumBatchedTokens,
        maxModelLen: r.maxModelLen,
        chunkedPrefill: r.enableChunkedPrefill,
        prefixCaching: r.prefixCaching,
      },
      maxModelLen: r.maxModelLen,
      gpuMemoryUtilization: r.gpuMemoryUtilization,
    };
  }
}

/** Step budgets are rounded up to this many tokens. */
const STEP_BUDGET_ROUNDING = 512;

/**
 * vLLM's default step budget: a full-length prompt when prefill cannot be chunked, at least 8192
 * tokens, and room for every running sequence's decode token plus one cold prompt (the shared
 * prefix, or the mean input when longer).
 */
function defaultStepBudget(maxModelLen: number, maxNumSeqs: number, chunkedPrefill: boolean, ctx: ServerContext): number {
  const coldPrompt = Math.max(ctx.sharedPrefixTokens ?? 0, ctx.meanInputTokens ?? 0);
  const coldStep = Math.ceil((maxNumSeqs + coldPrompt) / STEP_BUDGET_ROUNDING) * STEP_BUDGET_ROUNDING;
  return Math.max(chunkedPrefill ? 0 : maxModelLen, 8192, coldPrompt > 0 ? coldStep : 0);
}

const VLLM_OWNED_FLAGS: Record<string, string> = {
  "--model": "the endpoint passes its model directory",
  "--served-model-name": "the endpoint passes its model name",
  "--port": `the port is fixed at ${API_PORT} for the Service and probes`,
  "--tensor-parallel-size": "set the endpoint's gpusPerReplica",
  "-tp": "set the endpoint's gpusPerReplica",
  "--max-num-seqs": "use the maxNumSeqs option",
  "--max-num-batched-tokens": "use the maxNumBatchedTokens option",
  "--max-model-len": "use the maxModelLen option",
  "--gpu-memory-utilization": "use the gpuMemoryUtilization option",
  "--enable-prefix-caching": "use the prefixCaching option",
  "--no-enable-prefix-caching": "use the prefixCaching option",
  "--enable-chunked-prefill": "use the enableChunkedPrefill option",
  "--no-enable-chunked-prefill": "use the enableChunkedPrefill option",
  "--dtype": "set the endpoint's model dtype",
  "--quantization": "set the endpoint's model quantization",
  "-q": "set the endpoint's model quantization",
};

function fractionProblems(value: number | undefined): string[] {
  if (value === undefined || !isLiteral(value) || (value > 0 && value < 1)) return [];
  return [`server.gpuMemoryUtilization: ${show(value)} must be a fraction of each GPU's memory above 0 and below 1, e.g. 0.9`];
}
