/*
 * Hugging Face Text Generation Inference (`text-generation-launcher`).
 *
 * How it batches: TGI batches continuously too: its router admits at most `maxConcurrentRequests`
 * (128; more are refused with 429, which is backpressure rather than an unbounded queue), each
 * request at most `maxTotalTokens` (8192) tokens of which `maxInputTokens` (4096) are prompt. The
 * running batch holds at most a token budget that TGI infers at warmup from the GPU memory left
 * after loading the weights (its router logs "Setting max batch total tokens to N"). For Flash
 * Attention models, which is most current LLMs, TGI ignores `--max-batch-total-tokens` and only
 * warns that it is deprecated; models without automatic sizing use it, or fall back to
 * max(16000, max-total-tokens, max-batch-prefill-tokens).
 *
 * Pinned image (checked against public material on 2026-11-28):
 * ghcr.io/huggingface/text-generation-inference:3.3.6: TGI's commit history shows "Patch version
 * 3.3.6 (#3329)". Caveat: since 3.1 the image installs Python under /root, which a non-root uid
 * cannot read (huggingface/text-generation-inference#3082, fix #3197 unmerged when read), so under
 * restricted Pod Security the stock image needs rebuilding; see `TgiServerOptions.image`.
 *
 * Evidence, all huggingface/text-generation-inference@v3.3.6:
 * - flags (clap `long, env`): `--model-id` launcher/src/main.rs:588-589, `--num-shard` :612,
 *   `--quantize` :619-620 (values :407-447), `--dtype` :630-631 ("cannot be used with
 *   `--quantize`"; float16 | bfloat16 :490-494), `--max-concurrent-requests` :648-649 (default 128),
 *   `--max-input-tokens` :678-679, `--max-total-tokens` :694-695, `--max-batch-total-tokens`
 *   :734-735, `--port` :773-774 (default 3000; the image sets PORT=80, Dockerfile:147-149),
 *   `HUGGINGFACE_HUB_CACHE` :795-796, `--cuda-memory-fraction` :812-813 (default 1.0),
 *   `USAGE_STATS=off` :894-895 (UsageStatsLevel :553-560);
 * - the launcher refuses max_input_tokens >= max_total_tokens (:2153-2157) and max_total_tokens
 *   above max_batch_total_tokens (:2195-2200);
 * - Flash Attention models ignore `--max-batch-total-tokens`: backends/v3/src/lib.rs:86-97; the
 *   16000 fallback for the others: :72-79;
 * - a prompt longer than `--max-input-tokens` is a validation error (router/src/validation.rs:180-182),
 *   HTTP 422 (router/src/server.rs:2405);
 * - routes `GET /health` and `GET /metrics` on the API port: router/src/server.rs:2237, 2239;
 * - `tgi_queue_size`, a process-wide gauge of queued requests: backends/v3/src/queue.rs:143, 158.
 */
import { imageProblems } from "../../private/images";
import { isLiteral, show } from "../../private/validation";
import { API_PORT, baseEnv, countProblems, has, HOME, isCount, meanGaugeQuery, ownedFlagProblems, UID, WRITABLE_PATHS } from "./common";
import { InferenceServerImages, ServerContainer, ServerContext, ServerDefinition } from "./server-types";

/** Options of Hugging Face Text Generation Inference. */
export interface TgiServerOptions {
  /**
   * Container image of TGI, pinned by tag or digest. TGI images from 3.1 on install Python under
   * /root and cannot start as a non-root uid (huggingface/text-generation-inference#3082); under
   * restricted Pod Security give an image rebuilt with a world-readable Python (e.g.
   * `UV_PYTHON_INSTALL_DIR=/usr/share/uv`, the fix proposed in #3197).
   * @default "ghcr.io/huggingface/text-generation-inference:3.3.6"
   */
  readonly image?: string;
  /**
   * Token budget of the running batch across all requests (`--max-batch-total-tokens`). Flash
   * Attention models (most current LLMs) ignore it: TGI warns and uses the budget it infers at warmup.
   * @default unset: TGI sizes it at warmup from the GPU memory left after loading the weights
   */
  readonly maxBatchTotalTokens?: number;
  /**
   * Requests TGI admits at once (`--max-concurrent-requests`); more are refused with HTTP 429.
   * @default 128
   */
  readonly maxConcurrentRequests?: number;
  /**
   * Longest prompt in tokens (`--max-input-tokens`); below `maxTotalTokens`.
   * @default 4096
   */
  readonly maxInputTokens?: number;
  /**
   * Longest request in tokens, prompt plus output (`--max-total-tokens`).
   * @default 8192
   */
  readonly maxTotalTokens?: number;
  /**
   * More `text-generation-launcher` arguments, appended last. Flags this construct sets are refused.
   * @default []
   */
  readonly extraArgs?: string[];
}

const TGI_QUANTIZE = ["awq", "compressed-tensors", "eetq", "exl2", "gptq", "marlin", "bitsandbytes", "bitsandbytes-nf4", "bitsandbytes-fp4", "fp8"];
// TGI can force only these two dtypes (`--dtype`); others come from the checkpoint.
const TGI_DTYPES: Record<string, string | undefined> = {
  bfloat16: "bfloat16",
  bf16: "bfloat16",
  float16: "float16",
  fp16: "float16",
  half: "float16",
  auto: undefined,
  fp8: undefined,
  int8: undefined,
  int4: undefined,
};

/** TGI's options validated and rendered. */
export class TgiDefinition implements ServerDefinition {
  readonly kind = "tgi" as const;

  constructor(private readonly options: TgiServerOptions) {}

  private resolved() {
    const o = this.options;
    return {
      image: o.image ?? InferenceServerImages.tgi,
      maxBatchTotalTokens: o.maxBatchTotalTokens,
      maxConcurrentRequests: o.maxConcurrentRequests ?? 128,
      maxInputTokens: o.maxInputTokens ?? 4096,
      maxTotalTokens: o.maxTotalTokens ?? 8192,
      extraArgs: o.extraArgs ?? [],
    };
  }

  validate(ctx: ServerContext): string[] {
    const o = this.options;
    const r = this.resolved();
    const problems = [
      ...imageProblems("server.image", r.image, InferenceServerImages.tgi),
      ...countProblems("maxBatchTotalTokens", o.maxBatchTotalTokens, "tokens", 32768),
      ...countProblems("maxConcurrentRequests", o.maxConcurrentRequests, "requests", 128),
      ...countProblems("maxInputTokens", o.maxInputTokens, "tokens", 4096),
      ...countProblems("maxTotalTokens", o.maxTotalTokens, "tokens", 8192),
    ];
    const valid = (n: number | undefined): n is number => n !== undefined && isLiteral(n) && isCount(n);
    if (valid(r.maxInputTokens) && valid(r.maxTotalTokens) && r.maxInputTokens >= r.maxTotalTokens) {
      problems.push(
        `server.maxInputTokens: ${r.maxInputTokens} must be less than maxTotalTokens ${r.maxTotalTokens}, which counts the prompt and the generated tokens; lower maxInputTokens or raise maxTotalTokens above ${r.maxInputTokens}`,
      );
    }
    if (valid(r.maxBatchTotalTokens) && valid(r.maxTotalTokens) && r.maxBatchTotalTokens < r.maxTotalTokens) {
      problems.push(
        `server.maxBatchTotalTokens: ${r.maxBatchTotalTokens} is below maxTotalTokens ${r.maxTotalTokens}, so TGI refuses to start (a full-length request could never fit in a batch); raise maxBatchTotalTokens to at least ${r.maxTotalTokens} or leave it unset for TGI to size it`,
      );
    }
    if (ctx.quantization !== undefined && !TGI_QUANTIZE.includes(ctx.quantization)) {
      problems.push(`server: the model's quantization ${show(ctx.quantization)} is not one TGI supports; use one of ${TGI_QUANTIZE.map(show).join(", ")}`);
    }
    if (ctx.dtype !== undefined && ctx.quantization === undefined && !has(TGI_DTYPES, ctx.dtype)) {
      problems.push(`server: the model's dtype ${show(ctx.dtype)} cannot be served by TGI, which runs float16 or bfloat16 weights (or quantized ones); use "bfloat16" or "float16"`);
    }
    problems.push(...ownedFlagProblems(r.extraArgs, TGI_OWNED_FLAGS));
    return problems;
  }

  build(ctx: ServerContext): ServerContainer {
    const r = this.resolved();
    const args = [
      "--model-id", ctx.modelDir,
      "--port", String(API_PORT),
      "--num-shard", String(ctx.gpusPerReplica),
      "--max-concurrent-requests", String(r.maxConcurrentRequests),
      "--max-input-tokens", String(r.maxInputTokens),
      "--max-total-tokens", String(r.maxTotalTokens),
    ];
    if (r.maxBatchTotalTokens !== undefined) args.push("--max-batch-total-tokens", String(r.maxBatchTotalTokens));
    // TGI refuses --dtype together with --quantize.
    if (ctx.quantization !== undefined) args.push("--quantize", ctx.quantization);
    else if (ctx.dtype !== undefined && has(TGI_DTYPES, ctx.dtype) && TGI_DTYPES[ctx.dtype] !== undefined) args.push("--dtype", TGI_DTYPES[ctx.dtype] as string);
    args.push(...r.extraArgs);
    return {
      kind: this.kind,
      image: r.image,
      args,
      env: {
        ...baseEnv(),
        HUGGINGFACE_HUB_CACHE: `${HOME}/.cache/huggingface/hub`,
        // TGI sends anonymous usage statistics unless told not to.
        USAGE_STATS: "off",
      },
      port: API_PORT,
      api: "openai",
      metricsPort: API_PORT,
      metricsPath: "/metrics",
      livenessPath: "/health",
      readinessPath: "/health",
      runAsUser: UID,
      readOnlyRootFilesystem: true,
      writablePaths: [...WRITABLE_PATHS],
      // NCCL between shards, and the shards' Python processes.
      sharedMemory: true,
      files: {},
      // Set when requests queue (queue.rs:143, 158): a replica that never queued exports no series
      // yet, and KEDA reads the empty result as 0, which is then the truth.
      queueDepthQuery: meanGaugeQuery("tgi_queue_size"),
      batching: {
        batcher: "tgi-continuous",
        maxConcurrentRequests: r.maxConcurrentRequests,
        maxInputTokens: r.maxInputTokens,
        maxTotalTokens: r.maxTotalTokens,
        maxBatchTotalTokens: r.maxBatchTotalTokens ?? "sized by TGI at warmup",
      },
      // The KV cache holds whole requests: the fit check sizes it for --max-total-tokens.
      maxModelLen: r.maxTotalTokens,
      // Longer prompts get 422: a router must compare prompts with --max-input-tokens.
      maxInputTokens: r.maxInputTokens,
      // TGI's --cuda-memory-fraction default.
      gpuMemoryUtilization: 1.0,
    };
  }
}

const TGI_OWNED_FLAGS: Record<string, string> = {
  "--model-id": "the endpoint passes its model directory",
  "--port": `the port is fixed at ${API_PORT} for the Service and probes`,
  "-p": `the port is fixed at ${API_PORT} for the Service and probes`,
  "--num-shard": "set the endpoint's gpusPerReplica",
  "--sharded": "set the endpoint's gpusPerReplica",
  "--max-concurrent-requests": "use the maxConcurrentRequests option",
  "--max-input-tokens": "use the maxInputTokens option",
  "--max-input-length": "use the maxInputTokens option",
  "--max-total-tokens": "use the maxTotalTokens option",
  "--max-batch-total-tokens": "use the maxBatchTotalTokens option",
  "--dtype": "set the endpoint's model dtype",
  "--quantize": "set the endpoint's model quantization",
};
