/*
 * What an inference server and the endpoint exchange: the context the endpoint gives (model,
 * directory, GPUs) and the container plan the server returns, plus the images this library pins.
 */

/** The model servers an endpoint can run. */
export type InferenceServerKind = "vllm" | "triton" | "tgi" | "custom";

/**
 * The HTTP API a server answers on its port: "openai" (OpenAI-compatible, under /v1) or
 * "kserve-v2" (KServe v2 inference protocol, under /v2: plain `tritonserver`, which serves no /v1,
 * triton-inference-server/server@r25.11:src/http_server.cc:1118-1127).
 */
export type ServerApi = "openai" | "kserve-v2";

/** Base path of each API, appended to `http://<service>:<port>`. */
export const SERVER_API_BASE_PATH: Record<ServerApi, string> = { openai: "/v1", "kserve-v2": "/v2" };

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
 * already has the braces around it. Replace every occurrence with `renderQueueDepthQuery`.
 */
export const QUEUE_SELECTOR_PLACEHOLDER = "{{selector}}";

/**
 * Fills `queueDepthQuery` with label matchers, e.g. `namespace="models",app="chat"` (no braces).
 * An empty selector leaves `metric{}`, which PromQL accepts.
 */
export function renderQueueDepthQuery(query: string, selector: string): string {
  return query.split(QUEUE_SELECTOR_PLACEHOLDER).join(selector);
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
  /**
   * Seconds between two scrapes of the server's metrics (the cluster's monitoring
   * `scrapeIntervalSeconds`); rate() windows in the queue query span 4 of them.
   * @default 30 (DEFAULT_SCRAPE_INTERVAL_SECONDS of cluster-monitoring.ts)
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * Where the weights are in S3, for servers that read them straight from there (vLLM with the
   * Run:ai Model Streamer): `s3://<bucket>/<prefix>/`, the S3 connections to open and the CPU buffer
   * in bytes. Absent, the server reads `modelDir`.
   * @default - weights are read from modelDir
   */
  readonly objectStorage?: { readonly uri: string; readonly concurrency: number; readonly memoryLimitBytes: number };
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
  /** The API served on `port`; its base path is `SERVER_API_BASE_PATH`. */
  readonly api: ServerApi;
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
  /** True when the server reads the weights straight from S3 (`ServerContext.objectStorage`), so the pod downloads nothing. */
  readonly streamsWeights?: boolean;
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
   * `QUEUE_SELECTOR_PLACEHOLDER` inside braces; fill it with `renderQueueDepthQuery`.
   * Empty when the server exposes no queue metric (Triton's vllm backend, a custom server without
   * `queueDepthMetric`): such an endpoint runs a fixed number of replicas.
   */
  readonly queueDepthQuery: string;
  /** Base name of the time-to-first-token histogram, when the server exports one (vLLM's, also through Triton's vllm backend). */
  readonly ttftHistogram?: string;
  /** The effective batching settings, for reports and tests. */
  readonly batching: Record<string, string | number | boolean>;
  /**
   * Longest request in tokens, prompt plus output, when the server is told one: vLLM's
   * `--max-model-len` (also `max_model_len` in the model.json of Triton's vllm backend) and TGI's
   * `--max-total-tokens`. The fit check sizes the KV cache for exactly this number.
   */
  readonly maxModelLen?: number;
  /**
   * Longest prompt in tokens the server accepts, when the server is told one: vLLM's
   * `--max-model-len` (a prompt may fill the context) and TGI's `--max-input-tokens` (longer prompts
   * get HTTP 422). A router's context-window check must use this, not `maxModelLen`.
   */
  readonly maxInputTokens?: number;
  /**
   * Fraction of each GPU's memory the server may use, for the fit check: vLLM's option (also
   * written for Triton's vllm backend), TGI's `--cuda-memory-fraction` default 1.0, and 0.9 as an
   * assumption for other Triton backends. Absent for custom servers.
   */
  readonly gpuMemoryUtilization?: number;
}

/** How one kind of server validates its options and renders its container; InferenceServer wraps one. */
export interface ServerDefinition {
  /** Which server this is. */
  readonly kind: InferenceServerKind;
  /** Problems with the options, each "prop: message with value and fix" (prop prefixed "server."), [] when valid. */
  validate(ctx: ServerContext): string[];
  /** The container, for valid options. */
  build(ctx: ServerContext): ServerContainer;
}
