/*
 * vLLM's OpenAI-compatible server (`vllm serve`).
 *
 * How it batches, and why these defaults: vLLM batches continuously: every engine step the
 * scheduler runs up to `maxNumSeqs` sequences and at most `maxNumBatchedTokens` tokens (prompt
 * tokens of new requests plus one token per running sequence). Requests beyond that wait in vLLM's
 * queue (`vllm:num_requests_waiting`), which is what the autoscaler watches. 64 sequences bounds the
 * decode batch, so under load inter-token latency stays close to a lone request's and the excess
 * shows up as queue for the autoscaler; vLLM's own default (256 or more) trades latency for
 * throughput. vLLM 0.11 runs only its V1 engine, which always splits long prompts over steps
 * (chunked prefill) for generative models, so the step budget caps how much prefill one step does
 * beside the decodes rather than the longest prompt: 8192 tokens (vLLM's own default on L4, A10G,
 * L40S and A100 is 2048) or, when larger, the decode tokens of a full batch plus one cold prompt.
 * Prefix caching is on: chat traffic repeats system prompts, and reusing their KV blocks costs
 * little when prompts differ.
 *
 * Pinned image (checked against public material on 2026-11-28): vllm/vllm-openai:v0.11.0. vLLM's
 * Docker deployment guide (docs/deployment/docker.md, vLLM commit 275de34) builds
 * `FROM vllm/vllm-openai:v0.11.0`, and NVIDIA's Triton compatibility matrix lists vLLM 0.11.0 in
 * Triton 25.11. Request logging is off by default since 0.10.1 (`--disable-log-requests` is
 * deprecated, so it is not passed), and the image runs non-root since 0.8.2 (vllm-project/vllm#16402)
 * once HOME is writable and USER is set (torch calls getpass.getuser(), which fails for a uid missing
 * from /etc/passwd: kserve/kserve#5666).
 *
 * Evidence. The vllm-project/vllm tree at v0.11.0 (commit b8b302c) could not be fetched whole;
 * citations below read `vllm@v0.11.0:<path>` come from the search index's copy of the 0.11 line
 * ("[0.11-line copy]"), or from copies before and after 0.11.0 that agree ("[bracketed]"):
 * - flags `--model --served-model-name --port --tensor-parallel-size --max-num-seqs
 *   --max-num-batched-tokens --max-model-len --gpu-memory-utilization --dtype --quantization` and
 *   the boolean pair `--enable-prefix-caching | --no-enable-prefix-caching`: EngineArgs fields
 *   rendered by `EngineArgs.add_cli_args`, vllm@v0.11.0:vllm/engine/arg_utils.py [bracketed];
 * - V1 forces `enable_chunked_prefill = True` for every non-pooling model, whatever the flag says:
 *   `EngineArgs._set_default_args`, vllm@v0.11.0:vllm/engine/arg_utils.py [bracketed: index ids
 *   41526715 (0.10.x) and 7464787 (first copy after 0.11.0)]; V0 was removed in 0.11.0 (release notes);
 * - `max_num_batched_tokens` below `max_num_seqs` refuses to start; below `max_model_len` it refuses
 *   only without chunked prefill, which V1 never runs: `SchedulerConfig.verify_max_model_len`,
 *   vllm@v0.11.0:vllm/config/scheduler.py [bracketed: index id 12609500940];
 * - `GET /health` and `/metrics` on the API port: vllm@v0.11.0:vllm/entrypoints/openai/api_server.py
 *   (`@router.get("/health")`, `mount_metrics`) [bracketed];
 * - `vllm:num_requests_waiting` (gauge) and `vllm:time_to_first_token_seconds` (histogram):
 *   vllm@v0.11.0:vllm/v1/metrics/loggers.py [0.11-line copy, index id 905781883];
 * - `VLLM_NO_USAGE_STATS`, `DO_NOT_TRACK`: vllm@v0.11.0:vllm/usage/usage_lib.py
 *   `is_usage_stats_enabled`; `VLLM_CACHE_ROOT`: vllm@v0.11.0:vllm/envs.py [bracketed];
 * - weights streamed from S3 by the Run:ai Model Streamer: `--load-format runai_streamer` with the
 *   model given as `s3://bucket/prefix` (`is_runai_obj_uri`, SUPPORTED_SCHEMES "s3://",
 *   vllm@v0.11.0:vllm/transformers_utils/runai_utils.py) and `--model-loader-extra-config` keys
 *   `concurrency` and `memory_limit` (ints), which set RUNAI_STREAMER_CONCURRENCY and
 *   RUNAI_STREAMER_MEMORY_LIMIT: `RunaiModelStreamerLoader.__init__`,
 *   vllm@v0.11.0:vllm/model_executor/model_loader/runai_streamer_loader.py [0.11-line copy, index id
 *   183291687]. Only `*.safetensors` are streamed; config and tokenizer files are pulled to a local
 *   temporary directory (writable /tmp). The streamer's S3 reads use the AWS SDK for C++
 *   `S3CrtClient` with the default credentials chain, which reads the Pod Identity agent's
 *   AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
 *   (run-ai/runai-model-streamer@0.14.0:cpp/s3/client/client.cc; aws-sdk-cpp 1.11.584 >= 1.11.263, the
 *   EKS Pod Identity minimum), and its region comes from the boto3 session, so AWS_REGION and
 *   AWS_DEFAULT_REGION are set (py/runai_model_streamer_s3/.../credentials/credentials.py).
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
   * Token budget of one engine step (`--max-num-batched-tokens`), at least `maxNumSeqs`. vLLM 0.11
   * splits longer prompts over several steps (chunked prefill is always on), so it may be below
   * `maxModelLen`. The default also makes room, in one step, for the decode token of every running
   * sequence plus one cold prompt: the endpoint's shared prefix, or its declared mean input when
   * longer. A replica that has not cached the prefix yet (a new canary pod, or after eviction) then
   * computes it in one step and caches it for everyone, rather than over several chunked steps
   * while other requests recompute it too.
   * @default max(8192, maxNumSeqs + max(sharedPrefixTokens, load.meanInputTokens) rounded up to 512)
   */
  readonly maxNumBatchedTokens?: number;
  /**
   * Chunked prefill. vLLM 0.11 runs only its V1 engine, which chunks prefill for every generative
   * model and ignores `--no-enable-chunked-prefill`, so `false` is refused rather than passed as a
   * flag that does nothing; `true` passes `--enable-chunked-prefill`, which changes nothing either.
   * @default - on (V1 always chunks)
   * @deprecated vLLM 0.11 always chunks prefill; size `maxNumBatchedTokens` instead.
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
    return {
      image: o.image ?? InferenceServerImages.vllm,
      maxNumSeqs,
      maxModelLen,
      maxNumBatchedTokens: o.maxNumBatchedTokens ?? defaultStepBudget(maxNumSeqs, ctx),
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
    if (o.enableChunkedPrefill === false) {
      problems.push(
        "server.enableChunkedPrefill: false cannot be honoured: vLLM 0.11 runs only its V1 engine, which chunks prefill for every generative model and ignores --no-enable-chunked-prefill; " +
          "remove the option (a maxNumBatchedTokens at least as long as your prompts prefills each of them in one step)",
      );
    }
    const numbersValid = [r.maxNumSeqs, r.maxNumBatchedTokens].every((n) => isLiteral(n) && isCount(n));
    if (numbersValid) {
      // vLLM refuses to start: SchedulerConfig.verify_max_model_len (see the file comment).
      if (r.maxNumSeqs > r.maxNumBatchedTokens) {
        problems.push(
          `server.maxNumSeqs: ${r.maxNumSeqs} exceeds maxNumBatchedTokens ${r.maxNumBatchedTokens}, and each running sequence needs at least one token of the step budget; lower maxNumSeqs to at most ${r.maxNumBatchedTokens} or raise maxNumBatchedTokens`,
        );
      }
    }
    problems.push(...ownedFlagProblems(r.extraArgs, VLLM_OWNED_FLAGS));
    for (const arg of r.extraArgs) {
      const flag = arg.split("=")[0];
      if (flag === "--no-enable-chunked-prefill") {
        problems.push(`server.extraArgs: ${show(arg)} does nothing: vLLM 0.11 runs only its V1 engine, which always chunks prefill for generative models; remove it and size maxNumBatchedTokens instead`);
      }
    }
    return problems;
  }

  build(ctx: ServerContext): ServerContainer {
    const r = this.resolved(ctx);
    const s3 = ctx.objectStorage;
    const args = [
      "--model", s3 ? s3.uri : ctx.modelDir,
      "--served-model-name", ctx.modelName,
      "--port", String(API_PORT),
      "--tensor-parallel-size", String(ctx.gpusPerReplica),
      "--max-num-seqs", String(r.maxNumSeqs),
      "--max-num-batched-tokens", String(r.maxNumBatchedTokens),
      "--max-model-len", String(r.maxModelLen),
      "--gpu-memory-utilization", String(r.gpuMemoryUtilization),
      r.prefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching",
    ];
    if (s3) {
      // Straight from S3 into GPU memory, no copy on the node's disk (see the file comment).
      args.push("--load-format", "runai_streamer", "--model-loader-extra-config", JSON.stringify({ concurrency: s3.concurrency, memory_limit: s3.memoryLimitBytes }));
    }
    if (ctx.dtype !== undefined) args.push("--dtype", VLLM_DTYPES[ctx.dtype]);
    if (ctx.quantization !== undefined) args.push("--quantization", ctx.quantization);
    // Asked for explicitly: passed as given, although V1 chunks anyway. Never the "--no-" form (refused).
    if (this.options.enableChunkedPrefill === true) args.push("--enable-chunked-prefill");
    args.push(...r.extraArgs);
    return {
      kind: this.kind,
      image: r.image,
      // The image's entrypoint starts the OpenAI server (`vllm serve`, or the api_server module in
      // older images); both take `--model`, so only arguments are given.
      args,
      env: vllmEnv(),
      streamsWeights: s3 !== undefined,
      port: API_PORT,
      api: "openai",
      // /metrics and /health on the API port (api_server.py, see the file comment); /health answers
      // once the engine is up, and the server listens only after the model has loaded.
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
      // Gauge "Number of requests waiting to be processed" (loggers.py, see the file comment).
      queueDepthQuery: meanGaugeQuery("vllm:num_requests_waiting"),
      ttftHistogram: VLLM_TTFT,
      batching: {
        batcher: "vllm-continuous",
        maxNumSeqs: r.maxNumSeqs,
        maxNumBatchedTokens: r.maxNumBatchedTokens,
        maxModelLen: r.maxModelLen,
        // What the engine does, not what was asked: V1 always chunks prefill.
        chunkedPrefill: true,
        prefixCaching: r.prefixCaching,
      },
      maxModelLen: r.maxModelLen,
      // vLLM refuses a prompt longer than max_model_len (and a prompt plus max_tokens beyond it).
      maxInputTokens: r.maxModelLen,
      gpuMemoryUtilization: r.gpuMemoryUtilization,
    };
  }
}

/** Step budgets are rounded up to this many tokens. */
const STEP_BUDGET_ROUNDING = 512;

/**
 * The default step budget: at least 8192 tokens, and room for every running sequence's decode token
 * plus one cold prompt (the shared prefix, or the mean input when longer). Longer prompts are
 * chunked over several steps by V1, so the budget need not reach maxModelLen.
 */
function defaultStepBudget(maxNumSeqs: number, ctx: ServerContext): number {
  const coldPrompt = Math.max(ctx.sharedPrefixTokens ?? 0, ctx.meanInputTokens ?? 0);
  const coldStep = Math.ceil((maxNumSeqs + coldPrompt) / STEP_BUDGET_ROUNDING) * STEP_BUDGET_ROUNDING;
  return Math.max(8192, coldPrompt > 0 ? coldStep : 0);
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
  "--enable-chunked-prefill": "use the enableChunkedPrefill option (or nothing: V1 always chunks)",
  "--load-format": "the endpoint streams the weights from S3 with the Run:ai Model Streamer",
  "--model-loader-extra-config": "the endpoint sizes the streamer's concurrency and memory from the node",
  "--dtype": "set the endpoint's model dtype",
  "--quantization": "set the endpoint's model quantization",
  "-q": "set the endpoint's model quantization",
};

function fractionProblems(value: number | undefined): string[] {
  if (value === undefined || !isLiteral(value) || (value > 0 && value < 1)) return [];
  return [`server.gpuMemoryUtilization: ${show(value)} must be a fraction of each GPU's memory above 0 and below 1, e.g. 0.9`];
}
