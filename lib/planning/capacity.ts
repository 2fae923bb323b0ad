/*
 * Synth-time check that an LLM fits in the GPU memory of one serving replica, so a plan that
 * cannot start fails at `cdktf synth` instead of as a crash-looping pod.
 *
 * The model follows how vLLM sizes memory. The server may use gpuMemoryUtilization of each GPU's
 * memory (--gpu-memory-utilization); out of that budget come the weights, a runtime overhead
 * (CUDA context, activations of the profiling run, CUDA graphs), and what is left becomes the
 * KV cache. vLLM refuses to start when the KV cache cannot hold one sequence of max_model_len
 * tokens ("The model's max seq len (...) is larger than the maximum number of tokens that can be
 * stored in KV cache (...)"), or when nothing is left for it ("No available memory for the cache
 * blocks"). So a model fits when the KV cache holds at least maxModelLen tokens (or more, when
 * the caller asks for room for several sequences at once).
 *
 * Counted:
 * - weights: parameters x bytes per parameter. float32 is 4 bytes, bfloat16/float16 2, fp8/int8
 *   1, int4 0.5. AWQ, GPTQ and bitsandbytes 4-bit store 4-bit weights (0.5 byte; their scales and
 *   zero points add a few percent, within the overhead), fp8 quantization 1 byte.
 * - runtime overhead: OVERHEAD_PER_GPU_GIB per GPU of the replica.
 * - KV cache: 2 (K and V) x layers x KV heads x head dim x bytes per element, per token; exact
 *   when the architecture is given, otherwise a deliberately high estimate.
 * - usable memory: what the driver reports, a little less than the listed size on GDDR GPUs.
 * Not counted: vision encoders, LoRA adapters, speculative-decoding draft models, and the block
 * granularity of the KV cache (16 tokens in vLLM).
 *
 * It is an estimate and errs on the safe side: a plan that passes should start; a plan near the
 * edge may be refused although it would just start.
 */
import { GpuCatalog } from "./gpu-catalog";

/** Data type of the model's weights as served. */
export type ModelDtype = "float32" | "bfloat16" | "float16" | "fp8" | "int8" | "int4";

/** Weight quantization; when set it decides bytes per weight instead of dtype. */
export type ModelQuantization = "awq" | "gptq" | "fp8" | "bitsandbytes-4bit";

/** KV-cache geometry of a decoder model, from its config.json. */
export interface ModelArchitecture {
  /** Number of transformer layers (num_hidden_layers). */
  readonly layers: number;
  /** Number of key/value heads (num_key_value_heads; equals the attention heads without grouped-query attention). */
  readonly kvHeads: number;
  /** Size of one attention head (head_dim, or hidden_size / num_attention_heads). */
  readonly headDim: number;
}

/** A model served on one replica of a GPU pool. */
export interface ModelFitInput {
  /** Parameters of the model in billions, e.g. 8 for Llama 3.1 8B. */
  readonly parametersBillions: number;
  /** Data type of the weights. */
  readonly dtype: ModelDtype;
  /**
   * Weight quantization; when set it decides bytes per weight instead of dtype.
   * @default none
   */
  readonly quantization?: ModelQuantization;
  /**
   * Exact KV-cache geometry.
   * @default estimated from parametersBillions (estimateKvBytesPerToken)
   */
  readonly architecture?: ModelArchitecture;
  /**
   * Bytes of one KV-cache element: 2 for an fp16/bf16 cache, 1 for an fp8 cache (vLLM --kv-cache-dtype fp8).
   * @default 2
   */
  readonly kvCacheBytesPerElement?: number;
  /** Tokens of one sequence, the context window served (vLLM --max-model-len). */
  readonly maxModelLen: number;
  /** Fraction of each GPU's memory the server may use, 0 < x <= 1 (vLLM --gpu-memory-utilization). */
  readonly gpuMemoryUtilization: number;
  /** GPUs one replica spans (tensor parallelism). */
  readonly gpusPerReplica: number;
  /** GPU model, e.g. "L4" (a GpuModel of the catalog). */
  readonly gpuModel: string;
  /** Listed memory of one GPU in GiB (the catalog's gpuMemoryGiB). */
  readonly gpuMemoryGiB: number;
  /**
   * KV tokens that must fit at once. Never less than maxModelLen: vLLM refuses to start with less
   * than one full sequence.
   * @default maxModelLen
   */
  readonly minKvCacheTokens?: number;
}

/** Memory plan of one replica; GiB are 2^30 bytes. */
export interface ModelFit {
  /** True when the KV cache holds requiredKvTokens (which implies weights and overhead fit). */
  readonly fits: boolean;
  /** Bytes of one weight. */
  readonly bytesPerParameter: number;
  /** Memory of the weights: parametersBillions * 1e9 * bytesPerParameter / 2^30. */
  readonly weightsGiB: number;
  /** Memory of one GPU as the driver reports it. */
  readonly usablePerGpuGiB: number;
  /** What the server may use: usablePerGpuGiB * gpusPerReplica * gpuMemoryUtilization. */
  readonly budgetGiB: number;
  /** Runtime overhead: OVERHEAD_PER_GPU_GIB * gpusPerReplica. */
  readonly overheadGiB: number;
  /** Left for the KV cache: budget - weights - overhead; negative when the weights do not fit. */
  readonly kvCacheGiB: number;
  /** KV-cache bytes of one token across the replica's GPUs. */
  readonly kvBytesPerToken: number;
  /** True when kvBytesPerToken is an estimate (no architecture given). */
  readonly kvEstimated: boolean;
  /** Tokens the KV cache holds: floor(max(0, kvCacheGiB) * 2^30 / kvBytesPerToken). */
  readonly kvCacheTokens: number;
  /** Tokens the KV cache must hold: max(minKvCacheTokens, maxModelLen). */
  readonly requiredKvTokens: number;
  /** Full-length sequences the KV cache holds at once: floor(kvCacheTokens / maxModelLen). */
  readonly concurrentFullSequences: number;
  /** GPU memory needed (weights + overhead + required KV) over the replica's usable memory, for reports; above 1 cannot work. */
  readonly usedFraction: number;
}

/**
 * Runtime overhead per GPU in GiB, taken out of the gpuMemoryUtilization budget. vLLM counts in
 * that budget the CUDA context and non-torch allocations (about 0.5-1 GiB with NCCL under tensor
 * parallelism), the peak activations of its profiling run at max_num_batched_tokens (about
 * 0.5-1.5 GiB for 8B-70B models), and CUDA graphs (a few hundred MiB up to 1 GiB). 2 GiB covers
 * the sum with room to spare; an exact figure depends on the model and the vLLM version.
 */
export const OVERHEAD_PER_GPU_GIB = 2;

const GIB = 2 ** 30;
const KIB = 1024;

/** Highest gpuMemoryUtilization we suggest: above it, memory outside vLLM's accounting (NCCL buffers, fragmentation, other processes) has no slack. */
const MAX_SUGGESTED_UTILIZATION = 0.95;

/** GPU counts suggested per replica: tensor parallelism must divide the attention heads, which come in powers of two, and one node has at most 8 GPUs. */
const TENSOR_PARALLEL_SIZES = [1, 2, 4, 8] as const;

/**
 * Memory the driver reports per GPU, in MiB, where it is lower than the listed size. A10G, L4 and
 * L40S are the values of the catalog's header comment (lib/planning/gpu-catalog.ts: EC2
 * DescribeInstanceTypes as published in Karpenter's instance-type reference). T4 is 15360 MiB as
 * nvidia-smi reports it on g4dn (EC2 lists 16 GiB). HBM parts (A100, H100, H200, B200) report
 * their listed size.
 */
const USABLE_MIB: Readonly<Record<string, number>> = {
  T4: 15360,
  A10G: 22888,
  L4: 22888,
  L40S: 45776,
};

/** Bytes of one weight: the quantization when given (AWQ/GPTQ/bitsandbytes-4bit 0.5, fp8 1), else the dtype (float32 4, bfloat16/float16 2, fp8/int8 1, int4 0.5). */
export function bytesPerParameter(dtype: ModelDtype, quantization?: ModelQuantization): number {
  if (quantization !== undefined) {
    switch (quantization) {
      case "awq":
      case "gptq":
      case "bitsandbytes-4bit":
        return 0.5;
      case "fp8":
        return 1;
    }
  }
  switch (dtype) {
    case "float32":
      return 4;
    case "bfloat16":
    case "float16":
      return 2;
    case "fp8":
    case "int8":
      return 1;
    case "int4":
      return 0.5;
  }
}

/** Memory of one GPU in GiB as the driver reports it: lower than listed for GDDR parts (T4, A10G, L4, L40S), the listed size otherwise. */
export function usableGpuMemoryGiB(gpuModel: string, listedGiB: number): number {
  const mib = USABLE_MIB[gpuModel];
  return mib === undefined ? listedGiB : Math.min(listedGiB, mib / KIB);
}

/**
 * Estimated KV-cache bytes per token for a grouped-query-attention decoder model:
 * 48 KiB x sqrt(parametersBillions) for a 2-byte cache, scaled by bytesPerElement / 2.
 * It is deliberately high: Llama 3.1 8B gets ~136 KiB (exact 128 KiB) and Llama 3.1 70B
 * ~402 KiB (exact 320 KiB). Models without grouped-query attention (every head a KV head, e.g.
 * Llama 2 7B at 512 KiB) need far more: give their architecture.
 */
export function estimateKvBytesPerToken(parametersBillions: number, bytesPerElement = 2): number {
  return Math.ceil(48 * KIB * Math.sqrt(parametersBillions) * (bytesPerElement / 2));
}

/** Exact KV-cache bytes per token: 2 (K and V) x layers x kvHeads x headDim x bytesPerElement. */
export function kvBytesPerToken(arch: ModelArchitecture, bytesPerElement = 2): number {
  return 2 * arch.layers * arch.kvHeads * arch.headDim * bytesPerElement;
}

/** Problems with a ModelFitInput, one line each naming the field, the value and what is valid; [] when valid. */
export function fitInputProblems(input: ModelFitInput): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) problems.push(`${name} (${value}) must be a positive number`);
  };
  const positiveInteger = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) problems.push(`${name} (${value}) must be a positive integer`);
  };
  positive("parametersBillions", input.parametersBillions);
  positive("gpuMemoryGiB", input.gpuMemoryGiB);
  positive("kvCacheBytesPerElement", input.kvCacheBytesPerElement);
  positiveInteger("maxModelLen", input.maxModelLen);
  positiveInteger("gpusPerReplica", input.gpusPerReplica);
  positiveInteger("minKvCacheTokens", input.minKvCacheTokens);
  if (input.architecture) {
    positiveInteger("architecture.layers", input.architecture.layers);
    positiveInteger("architecture.kvHeads", input.architecture.kvHeads);
    positiveInteger("architecture.headDim", input.architecture.headDim);
  }
  const u = input.gpuMemoryUtilization;
  if (!(Number.isFinite(u) && u > 0 && u <= 1)) problems.push(`gpuMemoryUtilization (${u}) must be a fraction with 0 < x <= 1, e.g. 0.9`);
  return problems;
}

/** Fits the model on one replica; throws an Error listing every invalid field (see fitInputProblems). */
export function modelFit(input: ModelFitInput): ModelFit {
  const problems = fitInputProblems(input);
  if (problems.length > 0) throw new Error(`invalid model fit input:\n- ${problems.join("\n- ")}`);

  const bpp = bytesPerParameter(input.dtype, input.quantization);
  const weightsGiB = (input.parametersBillions * 1e9 * bpp) / GIB;
  const usablePerGpuGiB = usableGpuMemoryGiB(input.gpuModel, input.gpuMemoryGiB);
  const budgetGiB = usablePerGpuGiB * input.gpusPerReplica * input.gpuMemoryUtilization;
  const overheadGiB = OVERHEAD_PER_GPU_GIB * input.gpusPerReplica;
  const kvCacheGiB = budgetGiB - weightsGiB - overheadGiB;
  const perToken = replicaKvBytesPerToken(input, input.gpusPerReplica);
  const kvCacheTokens = Math.floor((Math.max(0, kvCacheGiB) * GIB) / perToken);
  const requiredKvTokens = Math.max(input.minKvCacheTokens ?? input.maxModelLen, input.maxModelLen);
  const neededGiB = weightsGiB + overheadGiB + (requiredKvTokens * perToken) / GIB;
  return {
    fits: kvCacheTokens >= requiredKvTokens,
    bytesPerParameter: bpp,
    weightsGiB,
    usablePerGpuGiB,
    budgetGiB,
    overheadGiB,
    kvCacheGiB,
    kvBytesPerToken: perToken,
    kvEstimated: input.architecture === undefined,
    kvCacheTokens,
    requiredKvTokens,
    concurrentFullSequences: Math.floor(kvCacheTokens / input.maxModelLen),
    usedFraction: neededGiB / (usablePerGpuGiB * input.gpusPerReplica),
  };
}

/**
 * KV bytes per token across a replica of `gpus` GPUs. With more GPUs than KV heads, vLLM
 * replicates KV heads so that each GPU holds one, which multiplies the cache per token.
 */
function replicaKvBytesPerToken(input: ModelFitInput, gpus: number): number {
  const bpe = input.kvCacheBytesPerElement ?? 2;
  if (!input.architecture) return estimateKvBytesPerToken(input.parametersBillions, bpe);
  const replication = Math.max(1, gpus / input.architecture.kvHeads);
  return Math.ceil(kvBytesPerToken(input.architecture, bpe) * replication);
}

/**
 * Problems when the model does not fit, each one line with the numbers (GiB to 1 decimal) and the
 * fixes; [] when it fits. `what` names the pool and its instance type for the messages.
 */
export function explainFit(
  fit: ModelFit,
  input: ModelFitInput,
  what: { readonly pool: string; readonly instanceType: string; readonly gpusPerNode: number },
): string[] {
  if (fit.fits) return [];
  const gpus = `${input.gpusPerReplica} x ${input.gpuModel} (${gib(fit.usablePerGpuGiB)} GiB usable each) at gpuMemoryUtilization ${input.gpuMemoryUtilization}`;
  const moreGpus = moreGpusFix(input, what);

  if (fit.weightsGiB + fit.overheadGiB > fit.budgetGiB) {
    const fixes = [moreGpus];
    const larger = largerGpuFix(input);
    if (larger) fixes.push(larger);
    const quantize = quantizationFix(input, fit.bytesPerParameter);
    if (quantize) fixes.push(quantize);
    return [
      `pool "${what.pool}": ${describeModel(input)} needs ${gib(fit.weightsGiB)} GiB of weights + ${gib(fit.overheadGiB)} GiB runtime overhead, ` +
        `but ${gpus} gives ${gib(fit.budgetGiB)} GiB; fixes: ${orList(fixes)}`,
    ];
  }

  const perToken = fit.kvEstimated
    ? `~${kib(fit.kvBytesPerToken)} KiB/token (estimated; give model.architecture for the exact size)`
    : `${kib(fit.kvBytesPerToken)} KiB/token`;
  const requiredGiB = (fit.requiredKvTokens * fit.kvBytesPerToken) / GIB;
  const asksMore = fit.requiredKvTokens > input.maxModelLen;
  const need = asksMore
    ? `but minKvCacheTokens asks for ${tokens(fit.requiredKvTokens)} tokens = ${gib(requiredGiB)} GiB`
    : `but one maxModelLen ${tokens(input.maxModelLen)}-token sequence needs ${gib(requiredGiB)} GiB and vLLM refuses to start without it`;
  const fixes = [`lower ${asksMore ? "minKvCacheTokens" : "maxModelLen"} to at most ${tokens(fit.kvCacheTokens)}`];
  if (input.gpuMemoryUtilization < MAX_SUGGESTED_UTILIZATION) {
    const raised = modelFit({ ...input, gpuMemoryUtilization: MAX_SUGGESTED_UTILIZATION });
    fixes.push(`raise gpuMemoryUtilization up to ${MAX_SUGGESTED_UTILIZATION} (${tokens(raised.kvCacheTokens)} tokens)`);
  }
  fixes.push(moreGpus);
  const bpe = input.kvCacheBytesPerElement ?? 2;
  if (bpe > 1) {
    const fp8 = modelFit({ ...input, kvCacheBytesPerElement: 1 });
    fixes.push(`an fp8 KV cache (kvCacheBytesPerElement 1, vLLM --kv-cache-dtype fp8: ${tokens(fp8.kvCacheTokens)} tokens)`);
  }
  return [
    `pool "${what.pool}": ${describeModel(input)} on ${gpus} leaves ${gib(fit.kvCacheGiB)} GiB for the KV cache ` +
      `(after ${gib(fit.weightsGiB)} GiB of weights + ${gib(fit.overheadGiB)} GiB runtime overhead of ${gib(fit.budgetGiB)} GiB) ` +
      `= ${tokens(fit.kvCacheTokens)} tokens at ${perToken}, ${need}; fixes: ${orList(fixes)}`,
  ];
}

/** One-line summary for reports, e.g. "weights 15.0 GiB + overhead 2.0 GiB + KV 3.2 GiB (24,300 tokens) of 20.1 GiB budget; 2 full-length sequences". */
export function describeFit(fit: ModelFit): string {
  if (fit.kvCacheGiB < 0) {
    return `weights ${gib(fit.weightsGiB)} GiB + overhead ${gib(fit.overheadGiB)} GiB exceed the ${gib(fit.budgetGiB)} GiB budget by ${gib(-fit.kvCacheGiB)} GiB; no room for the KV cache`;
  }
  const n = fit.concurrentFullSequences;
  const sequences = n === 0 ? "no full-length sequence" : `${tokens(n)} full-length sequence${n === 1 ? "" : "s"}`;
  return (
    `weights ${gib(fit.weightsGiB)} GiB + overhead ${gib(fit.overheadGiB)} GiB + KV ${gib(fit.kvCacheGiB)} GiB ` +
    `(${tokens(fit.kvCacheTokens)} tokens) of ${gib(fit.budgetGiB)} GiB budget; ${sequences}`
  );
}

/** Smallest tensor-parallel size whose budget holds weights, overhead and the required KV cache on this GPU; undefined beyond 8. */
function minGpus(input: ModelFitInput, gpuModel: string, listedGiB: number): number | undefined {
  for (const n of TENSOR_PARALLEL_SIZES) {
    const fit = modelFit({ ...input, gpuModel, gpuMemoryGiB: listedGiB, gpusPerReplica: n });
    if (fit.fits) return n;
  }
  return undefined;
}

function moreGpusFix(input: ModelFitInput, what: { readonly instanceType: string; readonly gpusPerNode: number }): string {
  const n = minGpus(input, input.gpuModel, input.gpuMemoryGiB);
  const max = TENSOR_PARALLEL_SIZES[TENSOR_PARALLEL_SIZES.length - 1];
  if (n === undefined) {
    return `more GPUs per replica would not do (needs more than ${max} x ${input.gpuModel}, more than one node's ${gpuCount(what.gpusPerNode)}: use a larger GPU or quantize)`;
  }
  if (n > what.gpusPerNode) {
    return `more GPUs per replica (needs at least ${n} x ${input.gpuModel}, more than one node's ${gpuCount(what.gpusPerNode)}: use a larger GPU or quantize)`;
  }
  return `more GPUs per replica (needs at least ${n} x ${input.gpuModel}, the pool's ${what.instanceType} has ${what.gpusPerNode})`;
}

/** Catalog GPUs with more memory than the current one, with the fewest of each that fit, e.g. "a larger GPU (4 x L40S 48 GiB, 2 x A100/H100 80 GiB, 1 x B200 179 GiB)". */
function largerGpuFix(input: ModelFitInput): string | undefined {
  const byMemory = new Map<number, string[]>();
  for (const type of GpuCatalog.instanceTypes()) {
    const entry = GpuCatalog.find(type);
    if (!entry || entry.gpuMemoryGiB <= input.gpuMemoryGiB) continue;
    const models = byMemory.get(entry.gpuMemoryGiB) ?? [];
    if (!models.includes(entry.gpuModel)) models.push(entry.gpuModel);
    byMemory.set(entry.gpuMemoryGiB, models);
  }
  const options: string[] = [];
  let fewest = Infinity;
  for (const memory of [...byMemory.keys()].sort((a, b) => a - b)) {
    const models = byMemory.get(memory) ?? [];
    const n = minGpus(input, models[0] ?? "", memory);
    // A bigger GPU is worth naming only when it needs fewer GPUs than a smaller one already named.
    if (n === undefined || n >= fewest) continue;
    fewest = n;
    options.push(`${n} x ${models.join("/")} ${memory} GiB`);
  }
  return options.length > 0 ? `a larger GPU (${options.join(", ")})` : undefined;
}

/** Quantizations that shrink the weights, with their size, e.g. "quantization (int4/AWQ: 32.6 GiB of weights, fp8: 65.2 GiB)". */
function quantizationFix(input: ModelFitInput, currentBytes: number): string | undefined {
  const options: string[] = [];
  const int4 = bytesPerParameter("int4");
  const fp8 = bytesPerParameter(input.dtype, "fp8");
  if (int4 < currentBytes) options.push(`int4/AWQ: ${gib(weightsOf(input, int4))} GiB of weights`);
  if (fp8 < currentBytes) options.push(`fp8: ${gib(weightsOf(input, fp8))} GiB`);
  return options.length > 0 ? `quantization (${options.join(", ")})` : undefined;
}

function weightsOf(input: ModelFitInput, bytes: number): number {
  return (input.parametersBillions * 1e9 * bytes) / GIB;
}

/** "a 70B-parameter bfloat16 model", "an 8B-parameter awq-quantized model". */
function describeModel(input: ModelFitInput): string {
  const params = input.parametersBillions.toLocaleString("en-US", { maximumFractionDigits: 2 });
  const whole = params.split(".")[0] ?? "";
  const digits = whole.replace(/,/g, "");
  // "eight", "eleven", "eighteen", "eighty..." start with a vowel sound.
  const an = digits.startsWith("8") || ((digits.startsWith("11") || digits.startsWith("18")) && whole.split(",")[0]?.length === 2);
  const kind = input.quantization ? `${input.quantization}-quantized` : input.dtype;
  return `${an ? "an" : "a"} ${params}B-parameter ${kind} model`;
}

function gpuCount(n: number): string {
  return `${n} GPU${n === 1 ? "" : "s"}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")}, or ${items[items.length - 1]}`;
}

function gib(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function kib(bytes: number): string {
  return Math.round(bytes / KIB).toLocaleString("en-US");
}

function tokens(n: number): string {
  return n.toLocaleString("en-US");
}

// ---------------------------------------------------------------------------------------------
// Replicas for a declared load.
//
// Decoding is memory-bound: every step of a batch reads each GPU's share of the weights and the
// batch's KV cache once, so a replica's step time is (weights + KV read) / (GPUs x bandwidth x
// efficiency) and it emits `batch` tokens per step. Prefill is compute-bound: 2 x parameters
// FLOPs per input token at a model FLOPs utilization. Both are first-order estimates meant to size
// pools before deploy, not to replace a load test; they err on the slow side (bandwidth efficiency
// 0.6, MFU 0.4) and count only the dense bf16/fp16 tensor throughput.
// ---------------------------------------------------------------------------------------------

/** Memory bandwidth (GB/s) and dense bf16/fp16 tensor throughput (TFLOPS, without sparsity) of one GPU, from NVIDIA's datasheets. */
export const GPU_PERFORMANCE: Readonly<Record<string, { readonly memoryBandwidthGBps: number; readonly denseTflops: number }>> = Object.freeze({
  T4: { memoryBandwidthGBps: 320, denseTflops: 65 },
  A10G: { memoryBandwidthGBps: 600, denseTflops: 70 },
  L4: { memoryBandwidthGBps: 300, denseTflops: 121 },
  L40S: { memoryBandwidthGBps: 864, denseTflops: 362 },
  A100: { memoryBandwidthGBps: 1555, denseTflops: 312 }, // 40 GB part; the 80 GB p4de part has 2039 GB/s (conservative here)
  H100: { memoryBandwidthGBps: 3350, denseTflops: 989 },
  H200: { memoryBandwidthGBps: 4800, denseTflops: 989 },
  B200: { memoryBandwidthGBps: 8000, denseTflops: 2250 },
});
/** Share of the datasheet bandwidth a serving engine reaches while decoding. */
export const DECODE_BANDWIDTH_EFFICIENCY = 0.6;
/** Model FLOPs utilization while prefilling. */
export const PREFILL_MFU = 0.4;
/** Replicas are sized to run at this share of their estimated peak, leaving room for bursts. */
export const TARGET_UTILIZATION = 0.7;

/** Traffic an endpoint is expected to serve. */
export interface DeclaredLoad {
  /** Requests per second at peak. */
  readonly requestsPerSecond: number;
  /** Mean prompt tokens per request (after any cached shared prefix is counted in). */
  readonly meanInputTokens: number;
  /** Mean generated tokens per request. */
  readonly meanOutputTokens: number;
}

/** What sizes one replica's throughput. */
export interface ThroughputInput {
  readonly fit: ModelFit;
  readonly parametersBillions: number;
  readonly gpuModel: string;
  readonly gpusPerReplica: number;
  /** The server's most concurrent sequences (vLLM --max-num-seqs). */
  readonly maxBatch: number;
  readonly load: DeclaredLoad;
  /** Prompt tokens served from the prefix cache per request (skip prefill). @default 0 */
  readonly cachedPrefixTokens?: number;
}

/** The estimate, with its intermediate numbers for reports. */
export interface ReplicaEstimate {
  /** Sequences one replica runs at once: maxBatch, or fewer when the KV cache cannot hold them. */
  readonly batch: number;
  /** Seconds per decode step. */
  readonly decodeStepSeconds: number;
  /** Generated tokens per second of one replica at that batch. */
  readonly outputTokensPerSecond: number;
  /** Prompt tokens per second one replica prefills. */
  readonly prefillTokensPerSecond: number;
  /** Requests per second one replica sustains at full load. */
  readonly requestsPerSecondPerReplica: number;
  /** Replicas for the declared load at TARGET_UTILIZATION. */
  readonly replicas: number;
}

/** Estimates the replicas a declared load needs; throws on a GPU without performance data. */
export function estimateReplicas(i: ThroughputInput): ReplicaEstimate {
  const perf = GPU_PERFORMANCE[i.gpuModel];
  if (!perf) throw new Error(`no performance data for GPU ${i.gpuModel}; known: ${Object.keys(GPU_PERFORMANCE).join(", ")}`);
  const { meanInputTokens: input, meanOutputTokens: output, requestsPerSecond } = i.load;
  // A cached shared prefix occupies the KV cache once, not once per sequence.
  const prefix = Math.min(i.cachedPrefixTokens ?? 0, input);
  const perSequenceTokens = input - prefix + output;
  const batch = Math.max(1, Math.min(i.maxBatch, Math.floor(Math.max(0, i.fit.kvCacheTokens - prefix) / perSequenceTokens)));
  const weightBytes = i.fit.weightsGiB * 2 ** 30;
  // Mean context of a sequence while decoding: the prompt plus half the output.
  const kvReadBytes = batch * (input + output / 2) * i.fit.kvBytesPerToken;
  const bandwidth = i.gpusPerReplica * perf.memoryBandwidthGBps * 1e9 * DECODE_BANDWIDTH_EFFICIENCY;
  const decodeStepSeconds = (weightBytes + kvReadBytes) / bandwidth;
  const outputTokensPerSecond = batch / decodeStepSeconds;
  const prefillTokensPerSecond = (i.gpusPerReplica * perf.denseTflops * 1e12 * PREFILL_MFU) / (2 * i.parametersBillions * 1e9);
  const freshInput = input - prefix;
  const secondsPerRequest = output / outputTokensPerSecond + freshInput / prefillTokensPerSecond;
  const requestsPerSecondPerReplica = 1 / secondsPerRequest;
  const replicas = Math.max(1, Math.ceil(requestsPerSecond / (requestsPerSecondPerReplica * TARGET_UTILIZATION)));
  return { batch, decodeStepSeconds, outputTokensPerSecond, prefillTokensPerSecond, requestsPerSecondPerReplica, replicas };
}
