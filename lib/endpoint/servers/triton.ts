/*
 * NVIDIA Triton Inference Server, by default with its vLLM backend.
 *
 * How it batches: with its vLLM backend (the default backend) Triton hands every request to the
 * vLLM engine as it arrives; vLLM batches continuously (see vllm.ts), with `maxBatchSize` as its
 * `max_num_seqs`. The backend requires Triton's own batcher off (`max_batch_size: 0`, set again by
 * the backend's auto-complete) and KIND_MODEL instances (it refuses KIND_GPU with tensor
 * parallelism), so `preferredBatchSizes` and `maxQueueDelayMicroseconds` apply only to other
 * backends. There Triton's dynamic batcher gathers requests for up to 50 ms into batches of 4, 8 or
 * 16 (at most 32): 50 ms is small against an LLM request's seconds and fills batches at moderate load.
 *
 * What it cannot do: the vLLM backend publishes no queue-depth metric, so an endpoint on it cannot
 * scale on queue depth and runs a fixed number of replicas (resolve-endpoint refuses anything else).
 * Its `VllmStatLogger.record()` ignores vLLM's scheduler stats and exports only token counters and
 * latency histograms; Triton's own `nv_inference_pending_request_count` counts requests until the
 * backend starts executing them (server@r25.11:docs/user_guide/metrics.md:101), and this backend's
 * `execute()` hands each one to vLLM at once (vllm_backend@r25.11:src/model.py:438-449), so it does
 * not count vLLM's internal queue. KEDA would read the missing series as 0 and never scale.
 *
 * Pinned images (checked against public material on 2026-11-28):
 * nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3 and :25.11-py3: the release compatibility
 * matrix in triton-inference-server/server (docs/introduction/compatibility.md) lists
 * 25.11-vllm-python-py3 with vLLM 0.11.0, CUDA 13.0.2 and driver 580.95.05; the vLLM backend's
 * README says only the `-vllm-python-py3` images carry it. The image's user is triton-server,
 * uid 1000 (build.py chowns to 1000:1000: triton-inference-server/server#2600, #2753).
 *
 * Evidence (branch r25.11 of each triton-inference-server repository):
 * - flags: server@r25.11:src/command_line_parser.cc `model-repository` (and its alias `model-store`)
 *   :398-401, `model-control-mode` :423, `http-port` :484, `grpc-port` :525, `metrics-port` :722
 *   ("Default is 8002");
 * - routes: only KServe v2, `/v2/health/(live|ready)` and `/v2/models/...` (no OpenAI /v1):
 *   server@r25.11:src/http_server.cc:1118-1127; `/metrics` on the metrics port: src/http_server.h:151;
 * - `nv_inference_queue_duration_us` ("Cumulative inference queuing duration in microseconds") and
 *   `nv_inference_request_success`, counters created at 0 when the model loads:
 *   core@r25.11:src/metrics.cc:52-83, src/metric_model_reporter.cc:234-275;
 * - vllm backend: model.json is `json.load`ed and passed as `AsyncEngineArgs(**config)`, so its keys
 *   are vLLM engine arguments (`max_model_len`, `max_num_seqs`, `gpu_memory_utilization`,
 *   `tensor_parallel_size`, `dtype`, `quantization`, `disable_log_stats`):
 *   vllm_backend@r25.11:src/model.py:213-229; decoupled and `max_batch_size` 0 forced by
 *   auto-complete :61-64; KIND_GPU refused with tensor parallelism :321-326; metrics only with
 *   `REPORT_CUSTOM_METRICS` and `disable_log_stats` false :186-189;
 * - vllm backend metrics (labels `model`, `version`: src/model.py:368-371):
 *   `vllm:prompt_tokens_total`, `vllm:generation_tokens_total`, `vllm:time_to_first_token_seconds`,
 *   `vllm:time_per_output_token_seconds`, `vllm:e2e_request_latency_seconds`,
 *   `vllm:request_prompt_tokens`, `vllm:request_generation_tokens`, `vllm:request_params_n`, and no
 *   other: vllm_backend@r25.11:src/utils/metrics.py:41-83; `record()` skips scheduler stats :229-245.
 */
import { DEFAULT_SCRAPE_INTERVAL_SECONDS } from "../../cluster/cluster-monitoring";
import { imageProblems } from "../../private/images";
import { isLiteral, show } from "../../private/validation";
import { API_PORT, baseEnv, countProblems, has, isCount, ownedFlagProblems, UID, VLLM_DTYPES, VLLM_TTFT, vllmDtypeProblems, vllmEnv, WRITABLE_PATHS } from "./common";
import { InferenceServerImages, QUEUE_SELECTOR_PLACEHOLDER, ServerContainer, ServerContext, ServerDefinition } from "./server-types";

/** Options of NVIDIA Triton Inference Server. */
export interface TritonServerOptions {
  /**
   * Container image of Triton, pinned by tag or digest. Only the `-vllm-python-py3` images carry
   * the vLLM backend.
   * @default "nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3" for the vllm backend, "nvcr.io/nvidia/tritonserver:25.11-py3" otherwise
   */
  readonly image?: string;
  /**
   * Longest request in tokens, prompt plus output, for the vllm backend: written to model.json as
   * vLLM's `max_model_len`, and the length the GPU fit check reserves KV cache for. Without it vLLM
   * would use the model's native context (131,072 tokens for Llama 3.1) and may refuse to start
   * where the fit check passed. Not for other backends.
   * @default 8192 (vllm backend)
   */
  readonly maxModelLen?: number;
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

const TRITON_GRPC_PORT = 8001;
const TRITON_METRICS_PORT = 8002;

/** Absolute, without a trailing slash; "/models/x" → parent "/models", name "x". */
function splitModelDir(modelDir: string): { parent: string; name: string } {
  const trimmed = modelDir.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  return { parent: trimmed.slice(0, slash) || "/", name: trimmed.slice(slash + 1) };
}

/** Triton's options validated and rendered, with the model repository files it reads. */
export class TritonDefinition implements ServerDefinition {
  readonly kind = "triton" as const;

  constructor(private readonly options: TritonServerOptions) {}

  private resolved() {
    const o = this.options;
    const backend = o.backend ?? "vllm";
    const vllmBackend = backend === "vllm";
    return {
      backend,
      vllmBackend,
      image: o.image ?? (vllmBackend ? InferenceServerImages.tritonVllm : InferenceServerImages.triton),
      maxBatchSize: o.maxBatchSize ?? 32,
      maxModelLen: o.maxModelLen ?? 8192,
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
      ...countProblems("maxModelLen", o.maxModelLen, "tokens", 8192),
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
      if (o.maxModelLen !== undefined) {
        problems.push(`server.maxModelLen: ${show(o.maxModelLen)} is set, but it is vLLM's max_model_len and only the vllm backend reads it; remove it, or use backend "vllm"`);
      }
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

  build(ctx: ServerContext): ServerContainer {
    const r = this.resolved();
    const { parent, name } = splitModelDir(ctx.modelDir);
    const modelDir = `${parent}/${name}`;
    const files: Record<string, string> = { [`${modelDir}/config.pbtxt`]: this.configPbtxt(name, r) };
    let batching: Record<string, string | number | boolean>;
    if (r.vllmBackend) {
      files[`${modelDir}/1/model.json`] = this.modelJson(ctx, r.maxBatchSize, r.maxModelLen);
      batching = { batcher: "vllm-continuous", tritonModel: name, tritonMaxBatchSize: 0, maxNumSeqs: r.maxBatchSize, maxModelLen: r.maxModelLen };
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
      // Plain tritonserver serves KServe v2 only; its OpenAI frontend is a separate Python app.
      api: "kserve-v2",
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
      // The vllm backend exports no queue metric (see the file comment): none, rather than a
      // vllm:num_requests_waiting series that never exists.
      queueDepthQuery: r.vllmBackend ? "" : tritonQueueDepthQuery(ctx.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS),
      ttftHistogram: r.vllmBackend ? VLLM_TTFT : undefined,
      batching,
      ...(r.vllmBackend ? { maxModelLen: r.maxModelLen, maxInputTokens: r.maxModelLen } : {}),
      // Written to model.json for the vllm backend; an assumption for the others.
      gpuMemoryUtilization: 0.9,
    };
  }

  private configPbtxt(name: string, r: ReturnType<TritonDefinition["resolved"]>): string {
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

  /** vLLM engine arguments the vllm backend reads from `<model>/1/model.json` (AsyncEngineArgs field names). */
  private modelJson(ctx: ServerContext, maxNumSeqs: number, maxModelLen: number): string {
    const engineArgs: Record<string, string | number | boolean> = {
      model: ctx.modelDir,
      tensor_parallel_size: ctx.gpusPerReplica,
      max_num_seqs: maxNumSeqs,
      // The context the fit check sized the KV cache for; unset, vLLM takes the model's own.
      max_model_len: maxModelLen,
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

/**
 * Scrape intervals a rate() window spans. rate() needs two samples in its window; a window of two
 * intervals sometimes holds only one and returns nothing, which KEDA reads as 0.
 */
export const RATE_WINDOW_SCRAPES = 4;

/**
 * Mean number of requests waiting in Triton's scheduler queue per replica, in requests. Little's
 * law: the queue-time counter (microseconds, cumulative) grows by one microsecond per queued request
 * per microsecond, so its per-second rate divided by 1e6 is the time-averaged number of queued
 * requests; divided by the replicas reporting the model's success counter (one series each), it is
 * per replica, the unit of `targetQueueDepthPerReplica`. The window is 4 scrape intervals: 2m at
 * the AMP scraper's default of 30 s (cluster-monitoring.ts). Both counters exist from model load at
 * 0, so with no traffic the query is 0, not empty; it is empty only when no replica is scraped,
 * where 0 would be false, hence no `or vector(0)`.
 */
function tritonQueueDepthQuery(scrapeIntervalSeconds: number): string {
  const window = `${RATE_WINDOW_SCRAPES * scrapeIntervalSeconds}s`;
  return `sum(rate(nv_inference_queue_duration_us{${QUEUE_SELECTOR_PLACEHOLDER}}[${window}])) / 1e6 / count(nv_inference_request_success{${QUEUE_SELECTOR_PLACEHOLDER}})`;
}

const TRITON_OWNED_FLAGS: Record<string, string> = {
  "--model-repository": "the endpoint passes the parent of its model directory",
  "--model-store": "the endpoint passes the parent of its model directory",
  "--http-port": `the HTTP port is fixed at ${API_PORT} for the Service and probes`,
  "--grpc-port": `the gRPC port is fixed at ${TRITON_GRPC_PORT}`,
  "--metrics-port": `the metrics port is fixed at ${TRITON_METRICS_PORT} for scraping`,
  "--model-control-mode": "the mode is none, which loads the model at start and disables the load/unload API",
};
