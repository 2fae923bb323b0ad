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
 * Pinned images (checked against public material on 2026-11-28):
 * nvcr.io/nvidia/tritonserver:25.11-vllm-python-py3 and :25.11-py3: the release compatibility
 * matrix in triton-inference-server/server (docs/introduction/compatibility.md) lists
 * 25.11-vllm-python-py3 with vLLM 0.11.0, CUDA 13.0.2 and driver 580.95.05; the vLLM backend's
 * README says only the `-vllm-python-py3` images carry it. Flags (`--model-repository`,
 * `--http-port`, `--grpc-port`, `--metrics-port`, `--model-control-mode`) from `tritonserver
 * --help`. config.pbtxt and model.json follow the vLLM backend's sample model repository and
 * src/model.py; `REPORT_CUSTOM_METRICS` and the `vllm:` metric names from its README and
 * src/utils/metrics.py. The image's user is triton-server, uid 1000 (build.py chowns to
 * 1000:1000: triton-inference-server/server#2600, #2753).
 */
import { imageProblems } from "../../private/images";
import { isLiteral, show } from "../../private/validation";
import { API_PORT, baseEnv, countProblems, has, isCount, meanGaugeQuery, ownedFlagProblems, UID, VLLM_DTYPES, VLLM_TTFT, vllmDtypeProblems, vllmEnv, WRITABLE_PATHS } from "./common";
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

  build(ctx: ServerContext): ServerContainer {
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
