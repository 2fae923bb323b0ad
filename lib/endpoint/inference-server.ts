/*
 * The model server container of a CanaryModelEndpoint: which image, which flags, which probes,
 * which metrics. Pure data: `render` returns a plan that the endpoint turns into a pod spec.
 *
 * How each server batches, and why these defaults
 *
 * - vLLM batches continuously: every engine step the scheduler runs up to `maxNumSeqs` sequences
 *   and at most `maxNumBatchedTokens` tokens (prompt tokens of new requests plus one token per
 *   running sequence). Requests beyond that wait in vLLM's queue (`vllm:num_requests_waiting`),
 *   which is what the autoscaler watches. 64 sequences bounds the decode batch, so under load
 *   inter-token latency stays close to a lone request's and the excess shows up as queue for the
 *   autoscaler; vLLM's own default (256 or more) trades latency for throughput. A step budget of
 *   max(maxModelLen, 8192) tokens lets the longest prompt prefill in one step. vLLM 0.11's V1
 *   engine turns chunked prefill on by itself, so `enableChunkedPrefill: false` is passed as
 *   `--no-enable-chunked-prefill`: without chunking a long prompt never interleaves with decodes,
 *   which makes time to first token predictable. Prefix caching is on: chat traffic repeats
 *   system prompts, and reusing their KV blocks costs little when prompts differ.
 * - Triton with its vLLM backend (the default backend) hands every request to the vLLM engine as
 *   it arrives; vLLM batches continuously as above, with `maxBatchSize` as its `max_num_seqs`. The
 *   backend requires Triton's own batcher off (`max_batch_size: 0`, set again by the backend's
 *   auto-complete) and KIND_MODEL instances (it refuses KIND_GPU with tensor parallelism), so
 *   `preferredBatchSizes` and `maxQueueDelayMicroseconds` apply only to other backends. There
 *   Triton's dynamic batcher gathers requests for up to 50 ms into batches of 4, 8 or 16 (at most
 *   32): 50 ms is small against an LLM request's seconds and fills batches at moderate load.
 * - TGI batches continuously too: its router admits at most `maxConcurrentRequests` (128; more
 *   are refused with 429, which is backpressure rather than an unbounded queue), each request at
 *   most `maxTotalTokens` (8192) tokens of which `maxInputTokens` (4096) are prompt, and the
 *   running batch holds at most `maxBatchTotalTokens` tokens, which TGI sizes at warmup from the
 *   GPU memory left after loading the weights unless set (its router logs "Setting max batch
 *   total tokens to N"; models without automatic sizing fall back to 16000).
 *
 * Pinned images (each checked against public material on 2026-11-28):
 * - vllm/vllm-openai:v0.11.0: vLLM's Docker deployment guide (docs/deployment/docker.md, vLLM
 *   commit 275de34) builds `FROM vllm/vllm-openai:v0.11.0`, and NVIDIA's Triton compatibility
 *   matrix lists vLLM 0.11.0 in Triton 25.11. Flags checked against vLLM's engine-argument
 *   reference: `--enable-prefix-caching | --no-enable-prefix-caching` and
 *   `--enable-chunked-prefill | --no-enable-chunked-prefill` are boolean pairs, chunked prefill is
 *   on by default in V1, request logging is off by default since 0.10.1
 *   (`--disable-log-requests` is deprecated, so it is not passed), and the image runs non-root
 *   since 0.8.2 (vllm-project/vllm#16402) once HOME is writable and USER is set (torch calls
 *   getpass.getuser(), which fails for a uid missing from /etc/passwd: kserve/kserve#5666).
 * - nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3 and :25.11-py3: the release compatibility
 *   matrix in triton-inference-server/server (docs/introduction/compatibility.md) lists
 *   25.11-vllm-python-py3 with vLLM 0.11.0, CUDA 13.0.2 and driver 580.95.05; the vLLM backend's
 *   README says only the `-vllm-python-py3` images carry it. Flags (`--model-repository`,
 *   `--http-port`, `--grpc-port`, `--metrics-port`, `--model-control-mode`) from `tritonserver
 *   --help`. config.pbtxt and model.json follow the vLLM backend's sample model repository and
 *   src/model.py; `REPORT_CUSTOM_METRICS` and the `vllm:` metric names from its README and
 *   src/utils/metrics.py. The image's user is triton-server, uid 1000 (build.py chowns to
 *   1000:1000: triton-inference-server/server#2600, #2753).
 * - ghcr.io/huggingface/text-generation-inference:3.3.6: TGI's commit history shows "Patch
 *   version 3.3.6 (#3329)". Flags and defaults from its launcher reference
 *   (docs/source/reference/launcher.md), metrics from its metrics reference, and the router's
 *   refusal of `max_total_tokens` above `max_batch_total_tokens` from its source. Caveat: since 3.1 the
 *   image installs Python under /root, which a non-root uid cannot read
 *   (huggingface/text-generation-inference#3082, fix #3197 unmerged when read), so under
 *   restricted Pod Security the stock image needs rebuilding; see `TgiServerOptions.image`.
 */
import { imageProblems } from "../private/images";
import { ValidationError } from "../errors";
import { isLiteral, show } from "../private/validation";

/** The model servers an endpoint can run. */
export type InferenceServerKind = "vllm" | "triton" | "tgi" | "custom";

/** Images pinned by this library; override per server with the `image` option. */
export const InferenceServerImages = {
  /** vLLM's OpenAI-compatible server. */
  vllm: "vllm/vllm-openai:v0.11.0",
  /** Triton with the vLLM backend (the default Triton backend), bundling vLLM 0.11.0. */
  tritonVllm: "nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3",
  /** Triton with its standard backends (python, onnxruntime, pytorch, tensorrt, ...). */
  triton: "nvcr.io/nvidia/tritonserver:25.11-py3",
  /** Hugging Face Text Generation Inference. */
  tgi: "ghcr.io/huggingface/text-generation-inference:3.3.6",
} as const;

/**
 * The placeholder in `ServerContainer.queueDepthQuery` for the caller's label matchers. It stands
 * for the comma-separated matchers without braces, e.g. `namespace="models",app="chat"`; the query
 * already has the braces around it. Replace every occurrence with {@link renderQueueDepthQuery}.
 */
export const QUEUE_SELECTOR_PLACEHOLDER = "{{selector}}";

/**
 * Fills `queueDepthQuery` with label matchers, e.g. `namespace="models",app="chat"` (no braces).
 * An empty selector leaves `metric{}`, which PromQL accepts.
 */
export function renderQueueDepthQuery(query: string, selector: string): string {
  return query.split(QUEUE_SELECTOR_PLACEHOLDER).join(selector);
}

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

/** Options of NVIDIA Triton Inference Server. */
export interface TritonServerOptions {
  /**
   * Container image of Triton, pinned by tag or digest. Only the `-vllm-python-py3` images carry
   * the vLLM backend.
   * @default "nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3" for the vllm backend, "nvcr.io/nvidia/tritonserver:25.11-py3" otherwise
   */
  readonly image?: string;
  /**
   * Largest batch: Triton's `max_batch_size` for batching backends; for the vllm backend, vLLM's
   * `max_num_seqs` (sequences per engine step), since that backend requires `max_batch_size: 0`.
   * @default 32
   */
  readonly maxBatchSize?: number;
  /**
   * Batch sizes Triton's dynamic batcher aims for, strictly increasing and at most `maxBatchSize`.
   * Not for the vllm backend, where vLLM batches.
   * @default [4, 8, 16] (backends other than vllm)
   */
  readonly preferredBatchSizes?: number[];
  /**
   * Longest time in microseconds the dynamic batcher holds a request to fill a batch. Not for the
   * vllm backend.
   * @default 50000 (50 ms; backends other than vllm)
   */
  readonly maxQueueDelayMicroseconds?: number;
  /**
   * Triton backend that runs the model. "vllm" serves the Hugging Face weights in the model
   * directory (the construct writes config.pbtxt and 1/model.json, so the bucket holds only the
   * weights); any other backend ("python", "onnxruntime", "pytorch", "tensorrt") needs the model
   * file under `<modelDir>/1/` in the bucket (model.py, model.onnx, model.pt, model.plan).
   * @default "vllm"
   */
  readonly backend?: string;
  /**
   * More `tritonserver` arguments, appended last. Flags this construct sets (repository, ports,
   * model control mode) are refused.
   * @default []
   */
  readonly extraArgs?: string[];
}

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
   * Token budget of the running batch across all requests (`--max-batch-total-tokens`).
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

/** A server image this library does not know; the endpoint runs it as described here. */
export interface CustomServerOptions {
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  /**
   * Container command, replacing the image's entrypoint.
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default []
   */
  readonly args?: string[];
  /** Port of the HTTP API the endpoint's Service targets. */
  readonly port: number;
  /** HTTP path that answers 200 while the server is alive (liveness probe). */
  readonly healthPath: string;
  /**
   * HTTP path that answers 200 once the model can serve (readiness probe).
   * @default healthPath
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the Prometheus metrics.
   * @default "/metrics"
   */
  readonly metricsPath?: string;
  /**
   * Port of the Prometheus metrics.
   * @default port
   */
  readonly metricsPort?: number;
  /**
   * Name of a Prometheus gauge of requests waiting in the server's queue; the autoscaler averages
   * it over ready replicas.
   * @default none: the endpoint cannot scale on queue depth
   */
  readonly queueDepthMetric?: string;
  /**
   * Non-root uid the container runs as.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Mount the image's filesystem read-only; the server writes only to `writablePaths`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Absolute directories mounted as empty writable volumes (caches, HOME, scratch).
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
  /**
   * Mount a memory-backed /dev/shm (needed by NCCL with tensor parallelism and by Python multiprocessing).
   * @default false
   */
  readonly sharedMemory?: boolean;
  /**
   * Environment variables of the container.
   * @default {}
   */
  readonly env?: Record<string, string>;
}

/** What the endpoint tells the server about the model and its GPUs. */
export interface ServerContext {
  /** Served model name: the OpenAI "model" field clients send. */
  readonly modelName: string;
  /**
   * Local directory holding the weights, e.g. "/models/llama-3.1-8b-instruct". For Triton its
   * parent is the model repository and its last segment the Triton model name.
   */
  readonly modelDir: string;
  /** GPUs of one replica; the server shards the model over all of them (tensor parallelism). */
  readonly gpusPerReplica: number;
  /** Weight precision, e.g. "bfloat16", "float16", "fp8", "int8", "int4". */
  readonly dtype?: string;
  /** Quantization method of the weights, e.g. "awq", "gptq", "fp8", "bitsandbytes". */
  readonly quantization?: string;
  /**
   * Prompt tokens most requests share (the endpoint's `sharedPrefixTokens`). vLLM sizes its
   * default step budget with it, see {@link VllmServerOptions.maxNumBatchedTokens}.
   * @default 0
   */
  readonly sharedPrefixTokens?: number;
  /**
   * Mean prompt tokens per request, shared prefix included (the endpoint's declared
   * `load.meanInputTokens`), when known.
   * @default - unknown
   */
  readonly meanInputTokens?: number;
}

/** The container plan the endpoint turns into a pod spec. */
export interface ServerContainer {
  /** Which server this is. */
  readonly kind: InferenceServerKind;
  /** Pinned container image. */
  readonly image: string;
  /** Container command; absent keeps the image's entrypoint. */
  readonly command?: string[];
  /** Container arguments. */
  readonly args: string[];
  /** Environment variables; caches point into `writablePaths`. */
  readonly env: Record<string, string>;
  /** Port of the HTTP API: OpenAI-compatible for vllm and tgi, KServe v2 for triton. */
  readonly port: number;
  /** Port of the Prometheus metrics. */
  readonly metricsPort: number;
  /** HTTP path of the Prometheus metrics. */
  readonly metricsPath: string;
  /** HTTP path for the liveness probe. */
  readonly livenessPath: string;
  /** HTTP path for the readiness probe. */
  readonly readinessPath: string;
  /** Non-root uid the container runs as (restricted Pod Security). */
  readonly runAsUser: number;
  /** Whether the image's filesystem is mounted read-only. */
  readonly readOnlyRootFilesystem: boolean;
  /** Absolute directories to mount as emptyDir volumes (HOME, caches, /tmp). */
  readonly writablePaths: string[];
  /** Whether to mount a memory-backed /dev/shm (NCCL with tensor parallelism, Python backends). */
  readonly sharedMemory: boolean;
  /** Files to mount read-only, by absolute path, e.g. Triton's "<modelDir>/config.pbtxt". */
  readonly files: Record<string, string>;
  /**
   * PromQL of the mean number of waiting requests per ready replica, for KEDA. Contains
   * {@link QUEUE_SELECTOR_PLACEHOLDER} inside braces; fill it with {@link renderQueueDepthQuery}.
   * Empty when the server exposes no queue metric.
   */
  readonly queueDepthQuery: string;
  /** Base name of the time-to-first-token histogram, when the server exports one (vLLM's, also through Triton's vllm backend). */
  readonly ttftHistogram?: string;
  /** The effective batching settings, for reports and tests. */
  readonly batching: Record<string, string | number | boolean>;
  /** Longest request in tokens, prompt plus output, when the server is told one. */
  readonly maxModelLen?: number;
  /**
   * Fraction of each GPU's memory the server may use, for the fit check: vLLM's option (also
   * written for Triton's vllm backend), TGI's `--cuda-memory-fraction` default 1.0, and 0.9 as an
   * assumption for other Triton backends. Absent for custom servers.
   */
  readonly gpuMemoryUtilization?: number;
}

/**
 * The model server of a CanaryModelEndpoint. Create one with `InferenceServer.vllm()`,
 * `.triton()`, `.tgi()` or `.custom()`.
 */
export abstract class InferenceServer {
  /** vLLM's OpenAI-compatible server. */
  static vllm(options: VllmServerOptions = {}): InferenceServer {
    return new VllmServer(options);
  }

  /** NVIDIA Triton Inference Server, by default with its vLLM backend. */
  static triton(options: TritonServerOptions = {}): InferenceServer {
    return new TritonServer(options);
  }

  /** Hugging Face Text Generation Inference. */
  static tgi(options: TgiServerOptions = {}): InferenceServer {
    return new TgiServer(options);
  }

  /** Any other server image, described by its options. */
  static custom(options: CustomServerOptions): InferenceServer {
    return new CustomServer(options);
  }

  /** Which server this is. */
  abstract readonly kind: InferenceServerKind;

  /** Problems with the options, each "prop: message with value and fix" (prop prefixed "server."), [] when valid. */
  abstract validate(ctx: ServerContext): string[];

  /** The container for this model; call validate first (this throws a ValidationError when it finds problems). */
  render(ctx: ServerContext): ServerContainer {
    const problems = this.validate(ctx);
    if (problems.length > 0) throw new ValidationError(ctx.modelName, "InferenceServer", problems);
    return this.build(ctx);
  }

  /** The container, for valid options. */
  protected abstract build(ctx: ServerContext): ServerContainer;
}

// Every server listens on 8000: the endpoint's Service, probes and scrape config target it.
const API_PORT = 8000;
const TRITON_GRPC_PORT = 8001;
const TRITON_METRICS_PORT = 8002;
// uid 1000: triton-server in Triton's images; vLLM's and TGI's images have no user for it, so USER
// and HOME are set (Python's getpass.getuser() reads USER before /etc/passwd).
const UID = 1000;
const USER_NAME = "inference";
const HOME = "/home/inference";
const WRITABLE_PATHS = [HOME, "/tmp"];
const VLLM_TTFT = "vllm:time_to_first_token_seconds";

/** Caches under the writable HOME; weights are local, so the Hub is never called. */
function baseEnv(): Record<string, string> {
  return {
    HOME,
    USER: USER_NAME,
    XDG_CACHE_HOME: `${HOME}/.cache`,
    HF_HOME: `${HOME}/.cache/huggingface`,
    HF_HUB_OFFLINE: "1",
    // Compiled kernels of the Triton language (not Triton server), used by vLLM and TGI.
    TRITON_CACHE_DIR: `${HOME}/.triton/cache`,
  };
}

function vllmEnv(): Record<string, string> {
  return {
    ...baseEnv(),
    VLLM_CACHE_ROOT: `${HOME}/.cache/vllm`,
    NUMBA_CACHE_DIR: `${HOME}/.cache/numba`,
    // vLLM reports usage to its maintainers unless told not to.
    VLLM_NO_USAGE_STATS: "1",
    DO_NOT_TRACK: "1",
  };
}

/** Mean of a per-replica gauge over the replicas that export it. */
function meanGaugeQuery(metric: string): string {
  const series = `${metric}{${QUEUE_SELECTOR_PLACEHOLDER}}`;
  return `sum(${series}) / count(${series})`;
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/** A problem when a literal number is not a positive integer. */
function countProblems(prop: string, value: number | undefined, what: string, example: number): string[] {
  if (value === undefined || !isLiteral(value) || isCount(value)) return [];
  return [`server.${prop}: ${show(value)} must be a positive whole number of ${what}, e.g. ${example}`];
}

/** Problems for extra arguments that set a flag the construct owns; `owned` maps each flag to what to use instead. */
function ownedFlagProblems(extraArgs: readonly string[] | undefined, owned: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const arg of extraArgs ?? []) {
    const flag = arg.split("=")[0];
    const instead = owned[flag];
    if (instead !== undefined) problems.push(`server.extraArgs: ${show(arg)} sets ${flag}, which the construct sets; ${instead} instead`);
  }
  return problems;
}

const VLLM_DTYPES: Record<string, string> = {
  auto: "auto",
  bfloat16: "bfloat16",
  bf16: "bfloat16",
  float16: "float16",
  fp16: "float16",
  half: "float16",
  float32: "float32",
  fp32: "float32",
  float: "float32",
  // Quantized weights: vLLM picks the activation dtype from the checkpoint.
  fp8: "auto",
  int8: "auto",
  int4: "auto",
};

/** Own keys only, so "constructor" and friends are not taken for dtypes. */
function has(table: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, key);
}

function vllmDtypeProblems(dtype: string | undefined): string[] {
  if (dtype === undefined || has(VLLM_DTYPES, dtype)) return [];
  return [`server: the model's dtype ${show(dtype)} has no vLLM --dtype equivalent; use one of ${Object.keys(VLLM_DTYPES).map(show).join(", ")}`];
}

/** Absolute, without a trailing slash; "/models/x" → parent "/models", name "x". */
function splitModelDir(modelDir: string): { parent: string; name: string } {
  const trimmed = modelDir.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  return { parent: trimmed.slice(0, slash) || "/", name: trimmed.slice(slash + 1) };
}

class VllmServer extends InferenceServer {
  readonly kind = "vllm" as const;

  constructor(private readonly options: VllmServerOptions) {
    super();
  }

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

  protected build(ctx: ServerContext): ServerContainer {
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

class TritonServer extends InferenceServer {
  readonly kind = "triton" as const;

  constructor(private readonly options: TritonServerOptions) {
    super();
  }

  private resolved() {
    const o = this.options;
    const backend = o.backend ?? "vllm";
    const vllmBackend = backend === "vllm";
    return {
      backend,
      vllmBackend,
      image: o.image ?? (vllmBackend ? InferenceServerImages.tritonVllm : InferenceServerImages.triton),
      maxBatchSize: o.maxBatchSize ?? 32,
      preferredBatchSizes: o.preferredBatchSizes ?? [4, 8, 16],
      maxQueueDelayMicroseconds: o.maxQueueDelayMicroseconds ?? 50000,
      extraArgs: o.extraArgs ?? [],
    };
  }

  validate(ctx: ServerContext): string[] {
    const o = this.options;
    const r = this.resolved();
    const problems = [
      ...imageProblems("server.image", r.image, r.vllmBackend ? InferenceServerImages.tritonVllm : InferenceServerImages.triton),
      ...countProblems("maxBatchSize", o.maxBatchSize, "requests", 32),
    ];
    if (typeof r.backend !== "string" || !/^[a-z][a-z0-9_]*$/.test(r.backend)) {
      problems.push(`server.backend: ${show(r.backend)} is not a Triton backend name; use e.g. "vllm", "python", "onnxruntime", "pytorch" or "tensorrt"`);
    }
    if (r.vllmBackend) {
      const why = `the vllm backend batches inside vLLM and requires Triton's batcher off (max_batch_size 0), so Triton's dynamic batcher does not run`;
      if (o.preferredBatchSizes !== undefined) {
        problems.push(`server.preferredBatchSizes: ${show(o.preferredBatchSizes)} is set, but ${why}; remove it, or choose a backend Triton batches for (e.g. "python")`);
      }
      if (o.maxQueueDelayMicroseconds !== undefined) {
        problems.push(`server.maxQueueDelayMicroseconds: ${show(o.maxQueueDelayMicroseconds)} is set, but ${why}; remove it, or choose a backend Triton batches for (e.g. "python")`);
      }
      problems.push(...vllmDtypeProblems(ctx.dtype));
    } else {
      problems.push(...this.dynamicBatchingProblems(r.preferredBatchSizes, r.maxBatchSize, r.maxQueueDelayMicroseconds));
    }
    const { parent, name } = splitModelDir(ctx.modelDir);
    if (!ctx.modelDir.startsWith("/") || parent === "/" || name === "") {
      problems.push(`server: the model directory ${show(ctx.modelDir)} must be an absolute path below a repository directory for Triton, e.g. "/models/${name || "my-model"}" (repository "/models", model "${name || "my-model"}")`);
    }
    problems.push(...ownedFlagProblems(r.extraArgs, TRITON_OWNED_FLAGS));
    return problems;
  }

  private dynamicBatchingProblems(sizes: readonly number[], maxBatchSize: number, delay: number): string[] {
    const problems: string[] = [];
    const bad = sizes.filter((s) => isLiteral(s) && !isCount(s));
    if (bad.length > 0) problems.push(`server.preferredBatchSizes: ${show(sizes)} has ${show(bad)}, but each size must be a positive whole number of requests, e.g. [4, 8, 16]`);
    if (isLiteral(maxBatchSize) && isCount(maxBatchSize)) {
      const over = sizes.filter((s) => s > maxBatchSize);
      if (over.length > 0) problems.push(`server.preferredBatchSizes: ${show(over)} of ${show(sizes)} exceed maxBatchSize ${maxBatchSize}; keep every preferred size at most ${maxBatchSize} or raise maxBatchSize`);
    }
    if (sizes.some((s, i) => i > 0 && s <= sizes[i - 1])) {
      problems.push(`server.preferredBatchSizes: ${show(sizes)} must be strictly increasing, e.g. ${show([...new Set(sizes)].sort((a, b) => a - b))}`);
    }
    if (isLiteral(delay) && !(Number.isInteger(delay) && delay >= 0)) {
      problems.push(`server.maxQueueDelayMicroseconds: ${show(delay)} must be a whole number of microseconds, 0 or more, e.g. 50000 (50 ms)`);
    }
    return problems;
  }

  protected build(ctx: ServerContext): ServerContainer {
    const r = this.resolved();
    const { parent, name } = splitModelDir(ctx.modelDir);
    const modelDir = `${parent}/${name}`;
    const files: Record<string, string> = { [`${modelDir}/config.pbtxt`]: this.configPbtxt(name, r) };
    let batching: Record<string, string | number | boolean>;
    if (r.vllmBackend) {
      files[`${modelDir}/1/model.json`] = this.modelJson(ctx, r.maxBatchSize);
      batching = { batcher: "vllm-continuous", tritonModel: name, tritonMaxBatchSize: 0, maxNumSeqs: r.maxBatchSize };
    } else {
      batching = {
        batcher: "triton-dynamic",
        tritonModel: name,
        maxBatchSize: r.maxBatchSize,
        preferredBatchSizes: r.preferredBatchSizes.join(","),
        maxQueueDelayMicroseconds: r.maxQueueDelayMicroseconds,
      };
    }
    return {
      kind: this.kind,
      image: r.image,
      command: ["tritonserver"],
      args: [
        `--model-repository=${parent}`,
        `--http-port=${API_PORT}`,
        `--grpc-port=${TRITON_GRPC_PORT}`,
        `--metrics-port=${TRITON_METRICS_PORT}`,
        // Loads every model of the repository at start and disables the load/unload API.
        "--model-control-mode=none",
        ...r.extraArgs,
      ],
      env: r.vllmBackend ? vllmEnv() : baseEnv(),
      port: API_PORT,
      metricsPort: TRITON_METRICS_PORT,
      metricsPath: "/metrics",
      livenessPath: "/v2/health/live",
      readinessPath: "/v2/health/ready",
      runAsUser: UID,
      readOnlyRootFilesystem: true,
      writablePaths: [...WRITABLE_PATHS],
      // The Python backend (which the vllm backend is) passes tensors to its stub through /dev/shm.
      sharedMemory: true,
      files,
      queueDepthQuery: r.vllmBackend
        ? meanGaugeQuery("vllm:num_requests_waiting")
        : // Little's law: cumulative queue time grows by one microsecond per queued request per
          // microsecond, so its rate divided by 1e6 is the mean number of queued requests.
          `sum(rate(nv_inference_queue_duration_us{${QUEUE_SELECTOR_PLACEHOLDER}}[1m])) / 1e6 / count(nv_inference_request_success{${QUEUE_SELECTOR_PLACEHOLDER}})`,
      ttftHistogram: r.vllmBackend ? VLLM_TTFT : undefined,
      batching,
      gpuMemoryUtilization: 0.9,
    };
  }

  private configPbtxt(name: string, r: ReturnType<TritonServer["resolved"]>): string {
    if (r.vllmBackend) {
      // As the vllm backend's sample: its auto-complete adds the inputs, outputs and the decoupled
      // transaction policy; KIND_MODEL leaves the GPUs to vLLM.
      return [
        `name: "${name}"`,
        `backend: "vllm"`,
        `max_batch_size: 0`,
        `instance_group [`,
        `  {`,
        `    count: 1`,
        `    kind: KIND_MODEL`,
        `  }`,
        `]`,
        `parameters: {`,
        `  key: "REPORT_CUSTOM_METRICS"`,
        `  value: { string_value: "true" }`,
        `}`,
        ``,
      ].join("\n");
    }
    return [
      `name: "${name}"`,
      `backend: "${r.backend}"`,
      `max_batch_size: ${r.maxBatchSize}`,
      `dynamic_batching {`,
      `  preferred_batch_size: [ ${r.preferredBatchSizes.join(", ")} ]`,
      `  max_queue_delay_microseconds: ${r.maxQueueDelayMicroseconds}`,
      `}`,
      `instance_group [`,
      `  {`,
      `    count: 1`,
      `    kind: KIND_GPU`,
      `  }`,
      `]`,
      ``,
    ].join("\n");
  }

  /** vLLM engine arguments the vllm backend reads from `<model>/1/model.json`. */
  private modelJson(ctx: ServerContext, maxNumSeqs: number): string {
    const engineArgs: Record<string, string | number | boolean> = {
      model: ctx.modelDir,
      tensor_parallel_size: ctx.gpusPerReplica,
      max_num_seqs: maxNumSeqs,
      gpu_memory_utilization: 0.9,
      // vLLM must collect stats for the backend to report them to Triton's /metrics.
      disable_log_stats: false,
    };
    const dtype = ctx.dtype === undefined || !has(VLLM_DTYPES, ctx.dtype) ? undefined : VLLM_DTYPES[ctx.dtype];
    if (dtype !== undefined && dtype !== "auto") engineArgs.dtype = dtype;
    if (ctx.quantization !== undefined) engineArgs.quantization = ctx.quantization;
    return `${JSON.stringify(engineArgs, null, 2)}\n`;
  }
}

const TRITON_OWNED_FLAGS: Record<string, string> = {
  "--model-repository": "the endpoint passes the parent of its model directory",
  "--model-store": "the endpoint passes the parent of its model directory",
  "--http-port": `the HTTP port is fixed at ${API_PORT} for the Service and probes`,
  "--grpc-port": `the gRPC port is fixed at ${TRITON_GRPC_PORT}`,
  "--metrics-port": `the metrics port is fixed at ${TRITON_METRICS_PORT} for scraping`,
  "--model-control-mode": "the mode is none, which loads the model at start and disables the load/unload API",
};

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

class TgiServer extends InferenceServer {
  readonly kind = "tgi" as const;

  constructor(private readonly options: TgiServerOptions) {
    super();
  }

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

  protected build(ctx: ServerContext): ServerContainer {
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
      queueDepthQuery: meanGaugeQuery("tgi_queue_size"),
      batching: {
        batcher: "tgi-continuous",
        maxConcurrentRequests: r.maxConcurrentRequests,
        maxInputTokens: r.maxInputTokens,
        maxTotalTokens: r.maxTotalTokens,
        maxBatchTotalTokens: r.maxBatchTotalTokens ?? "sized by TGI at warmup",
      },
      maxModelLen: r.maxTotalTokens,
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

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function portProblems(prop: string, value: number | undefined): string[] {
  if (value === undefined || !isLiteral(value) || (Number.isInteger(value) && value >= 1 && value <= 65535)) return [];
  return [`server.${prop}: ${show(value)} is not a TCP port; use a whole number from 1 to 65535, e.g. 8080`];
}

function httpPathProblems(prop: string, value: string | undefined): string[] {
  if (value === undefined || !isLiteral(value) || value.startsWith("/")) return [];
  return [`server.${prop}: ${show(value)} must be an HTTP path starting with "/", e.g. "/${value}"`];
}

class CustomServer extends InferenceServer {
  readonly kind = "custom" as const;

  constructor(private readonly options: CustomServerOptions) {
    super();
  }

  validate(_ctx: ServerContext): string[] {
    const o = this.options;
    const problems = [
      ...imageProblems("server.image", o.image, "registry.example.com/team/server:1.2.3"),
      ...portProblems("port", o.port),
      ...portProblems("metricsPort", o.metricsPort),
      ...httpPathProblems("healthPath", o.healthPath),
      ...httpPathProblems("readinessPath", o.readinessPath),
      ...httpPathProblems("metricsPath", o.metricsPath),
    ];
    if (o.queueDepthMetric !== undefined && !METRIC_NAME.test(o.queueDepthMetric)) {
      problems.push(`server.queueDepthMetric: ${show(o.queueDepthMetric)} is not a Prometheus metric name; use letters, digits, "_" and ":", e.g. "server_queue_size"`);
    }
    if (o.runAsUser !== undefined && isLiteral(o.runAsUser) && !isCount(o.runAsUser)) {
      problems.push(`server.runAsUser: ${show(o.runAsUser)} is not a non-root uid; restricted Pod Security refuses root, so use a positive whole number, e.g. 1000`);
    }
    const relative = (o.writablePaths ?? []).filter((p) => !p.startsWith("/"));
    if (relative.length > 0) {
      problems.push(`server.writablePaths: ${show(relative)} must be absolute directories, e.g. "/tmp"`);
    }
    return problems;
  }

  protected build(_ctx: ServerContext): ServerContainer {
    const o = this.options;
    return {
      kind: this.kind,
      image: o.image,
      command: o.command,
      args: [...(o.args ?? [])],
      env: { ...(o.env ?? {}) },
      port: o.port,
      metricsPort: o.metricsPort ?? o.port,
      metricsPath: o.metricsPath ?? "/metrics",
      livenessPath: o.healthPath,
      readinessPath: o.readinessPath ?? o.healthPath,
      runAsUser: o.runAsUser ?? UID,
      readOnlyRootFilesystem: o.readOnlyRootFilesystem ?? true,
      writablePaths: [...(o.writablePaths ?? ["/tmp"])],
      sharedMemory: o.sharedMemory ?? false,
      files: {},
      queueDepthQuery: o.queueDepthMetric === undefined ? "" : meanGaugeQuery(o.queueDepthMetric),
      batching: { batcher: "custom" },
    };
  }
}
