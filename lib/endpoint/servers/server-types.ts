/*
 * What an inference server and the endpoint exchange: the context the endpoint gives (model,
 * directory, GPUs) and the container plan the server returns, plus the images this library pins.
 */

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

/** How one kind of server validates its options and renders its container; InferenceServer wraps one. */
export interface ServerDefinition {
  /** Which server this is. */
  readonly kind: InferenceServerKind;
  /** Problems with the options, each "prop: message with value and fix" (prop prefixed "server."), [] when valid. */
  validate(ctx: ServerContext): string[];
  /** The container, for valid options. */
  build(ctx: ServerContext): ServerContainer;
}
