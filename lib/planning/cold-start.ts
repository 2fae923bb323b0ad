/*
 * How long a new replica takes to serve, part by part: a node (when none is free), the image, the
 * weights, and loading them into GPU memory. Pure arithmetic over stated bandwidths; every number
 * below names its source, and the ones that are estimates say so. The endpoint sizes its probes,
 * progress deadline and rollback policy from it, and the plan report shows it.
 */
import { GpuCatalog } from "./gpu-catalog";

/**
 * Network bandwidth of one instance in Gbit/s, as the EC2 family pages list it (the "up to" figure of
 * the smaller sizes is a burst that lasts 5 to 60 minutes, long enough for one cold start: EC2 user
 * guide, ec2-instance-network-bandwidth). g6: https://aws.amazon.com/ec2/instance-types/g6/ ;
 * p5: https://aws.amazon.com/ec2/instance-types/p5/ (3200 Gbit/s EFA, of which S3 traffic uses the ENA part:
 * taken here as 100 Gbit/s, the largest single-interface figure, an assumption). Types not listed
 * fall back to FALLBACK_NETWORK_GBPS.
 */
export const INSTANCE_NETWORK_GBPS: Readonly<Record<string, number>> = Object.freeze({
  "g6.xlarge": 10,
  "g6.2xlarge": 10,
  "g6.4xlarge": 25,
  "g6.8xlarge": 25,
  "g6.12xlarge": 40,
  "g6.16xlarge": 25,
  "g6.24xlarge": 50,
  "g6.48xlarge": 100,
  "p5.48xlarge": 100,
});
/** Bandwidth assumed for an instance type missing from INSTANCE_NETWORK_GBPS: the smallest "up to" figure of the GPU families. */
export const FALLBACK_NETWORK_GBPS = 10;

/**
 * Throughput of one S3 connection, MB/s: "make one concurrent request for each 85-90 MB/s of desired
 * network throughput" (Amazon S3 user guide, optimizing-performance-guidelines, "Horizontally scale
 * storage connections"). The low end is used.
 */
export const S3_MB_PER_SECOND_PER_CONNECTION = 85;

/**
 * Host-to-GPU copy rate per GPU in GB/s: one direction of the PCIe link, from NVIDIA's data sheets
 * (L4, A10G, A100 PCIe Gen4 x16: 32 GB/s; H100/H200/B200 SXM PCIe Gen5 x16: 64 GB/s), halved for
 * pageable-memory copies (an assumption, not a measurement). T4 and L40S per their data sheets.
 */
export const HOST_TO_GPU_GB_PER_SECOND: Readonly<Record<string, number>> = Object.freeze({
  T4: 8, // PCIe Gen3 x16, 16 GB/s
  A10G: 16,
  L4: 16,
  L40S: 16,
  A100: 16,
  H100: 32,
  H200: 32,
  B200: 32,
});

/**
 * Compressed sizes of the pinned server images in GiB. vLLM: "the image is around 12 GB"
 * (vllm-project/vllm#27154, 2025-10-18, when :latest was v0.11.0). Triton and TGI: the same order
 * (the CUDA runtime and PyTorch dominate every one); an assumption until measured with
 * `crane manifest | jq '[.layers[].size]|add'`.
 */
export const SERVER_IMAGE_GIB: Readonly<Record<string, number>> = Object.freeze({ vllm: 12, triton: 12, tgi: 10, custom: 12 });

/**
 * The one public measurement of a large image's start on EKS found, and the anchor of the image model:
 * nvcr.io/nvidia/pytorch:24.08-py3, "9.5 GB compressed and 20.4 GB decompressed on disk", pod start
 * "roughly 6 minutes (334 seconds ...)" when the image is pulled and unpacked, "less than 5 seconds"
 * from an EBS snapshot with Fast Snapshot Restore (aws-ia/terraform-aws-eks-blueprints, docs
 * patterns/machine-learning/ml-container-cache, "Results"). Pulls are scaled by compressed size from it
 * (registry, instance and unpacking as in that run: an assumption), and an image's size on disk by its
 * ratio.
 */
export const IMAGE_BENCHMARK = Object.freeze({ compressedGB: 9.5, onDiskGB: 20.4, pullSeconds: 334, snapshotSeconds: 5 });

/** How a node gets the server image: pulled from the registry, or from a data-volume snapshot (planning/gpu-pool-description.ts GpuImageCache). */
export type ImageSource = { readonly kind: "pull" } | { readonly kind: "snapshot"; readonly initialization: "fast-snapshot-restore" | number };

/** Seconds until the server image is usable on a new node. */
export function imageSeconds(imageGiB: number, source: ImageSource): number {
  const gb = imageGiB * 1.073741824;
  if (source.kind === "pull") return Math.ceil((gb * IMAGE_BENCHMARK.pullSeconds) / IMAGE_BENCHMARK.compressedGB);
  if (source.initialization === "fast-snapshot-restore") return IMAGE_BENCHMARK.snapshotSeconds;
  // Lazily initialized: at worst every block of the unpacked image is read before the initialization
  // reaches it, so the image arrives at the provisioned rate (EBS user guide, "Initialize Amazon EBS volumes").
  const onDiskMiB = ((gb * IMAGE_BENCHMARK.onDiskGB) / IMAGE_BENCHMARK.compressedGB) * (1e9 / 1048576);
  return Math.ceil(onDiskMiB / source.initialization);
}

/**
 * Seconds from a pending pod to a Ready GPU node: EC2 launch, Bottlerocket boot, join, NVIDIA driver
 * and device plugin. An estimate, not a measurement; rollout timing uses it for a new node too.
 */
export const NODE_READY_SECONDS = 300;

/**
 * What a server does after its weights are in GPU memory and before it answers: process and CUDA
 * start, compilation, CUDA graph capture, memory profiling and warm-up passes. Seconds per part,
 * each with its source; the parts that are estimates say so, and none is a measurement of this
 * library's own (no GPU here). The startup probe allows three times the total (rollout-manifest.ts),
 * so an estimate that is too low costs a slower abort of a hung start, never a restart loop.
 */
export interface ServerWarmup {
  /** Python imports, CUDA context and model construction on the GPUs. */
  readonly processSeconds: number;
  /** torch.compile (vLLM V1 compiles before serving; no cache survives the pod, see below). */
  readonly compileSeconds: number;
  /** CUDA graph capture of the decode batch sizes. */
  readonly graphCaptureSeconds: number;
  /** Memory profiling (a forward pass at the step budget) and warm-up requests. */
  readonly profileSeconds: number;
}

/**
 * Per server kind. vLLM 0.11 (V1 engine): graph capture "usually takes 5~20 seconds", vLLM's own
 * comment beside the "Graph capturing finished in %.0f secs" log in `capture_model()`
 * (vllm-project/vllm@v0.11.0:vllm/v1/worker/gpu_model_runner.py; read in the search index's copies of
 * that file, the tag's exact line not verified): the upper end is used. torch.compile runs at every
 * cold start and is cached in $VLLM_CACHE_ROOT/torch_compile_cache ("On warm start, the artifacts are
 * retrieved from the cache", vllm-project/vllm-project.github.io@c3a01c4:_posts/2025-08-20-torch-compile.md:80-82);
 * the cache lives in the pod's filesystem, so every new replica compiles. vLLM publishes no compile time
 * for Llama 3 8B or 70B (ibid., and docs/design/torch_compile.md): 45 s is an estimate, above the 30-35 s
 * of the public logs found (third-party, models unstated), not a measurement. Process start and profiling:
 * estimates. TGI 3.x compiles nothing; its warm-up prefills a full batch and captures CUDA graphs for
 * its default batch sizes 1 to 32 (huggingface/text-generation-inference@v3.3.6:launcher/src/main.rs:2165-2177
 * `cuda_graphs`), taken at vLLM's 20 s; the rest estimates. Triton and custom servers: the vLLM figures, as the most expensive known.
 */
export const SERVER_WARMUP: Readonly<Record<string, ServerWarmup>> = Object.freeze({
  vllm: { processSeconds: 20, compileSeconds: 45, graphCaptureSeconds: 20, profileSeconds: 10 },
  tgi: { processSeconds: 20, compileSeconds: 0, graphCaptureSeconds: 20, profileSeconds: 10 },
  triton: { processSeconds: 20, compileSeconds: 45, graphCaptureSeconds: 20, profileSeconds: 10 },
  custom: { processSeconds: 20, compileSeconds: 45, graphCaptureSeconds: 20, profileSeconds: 10 },
});

/** Total warm-up seconds of a server kind (SERVER_WARMUP; unknown kinds as custom). */
export function serverWarmupSeconds(serverKind: string): number {
  const w = SERVER_WARMUP[serverKind] ?? SERVER_WARMUP.custom;
  return w.processSeconds + w.compileSeconds + w.graphCaptureSeconds + w.profileSeconds;
}

/** Most connections the Run:ai streamer is given; beyond it one replica's share of a p5 is not the limit. */
export const MAX_STREAMER_CONCURRENCY = 64;
/** The streamer's own S3 default (run-ai/runai-model-streamer@0.14.0:cpp/streamer/impl/config/config.cc:40-41). */
export const MIN_STREAMER_CONCURRENCY = 8;

/** What a cold start depends on. */
export interface ColdStartInput {
  /** The pool's first (preferred) instance type. */
  readonly instanceType: string;
  /** GPUs of one replica; the replica gets this share of the node's network. */
  readonly gpusPerReplica: number;
  /** Weights of one replica, GiB. */
  readonly weightsGiB: number;
  /** The server kind, for its image size. */
  readonly serverKind: string;
  /**
   * How a new node gets the server image.
   * @default { kind: "pull" }
   */
  readonly image?: ImageSource;
  /** How the weights arrive: streamed from S3 into GPU memory (vLLM + Run:ai streamer), or downloaded to disk first. */
  readonly weights: "stream" | "download";
  /**
   * Seconds of process start, compilation, graph capture and warm-up beyond moving the weights.
   * @default - serverWarmupSeconds(serverKind)
   */
  readonly warmupSeconds?: number;
  /** Overrides of the modelled rates, seconds per GiB (the endpoint's downloadSecondsPerGiB / loadSecondsPerGiB). */
  readonly downloadSecondsPerGiB?: number;
  readonly loadSecondsPerGiB?: number;
  /**
   * The pool's node-level weight cache, when the endpoint uses it (downloaded weights only): a replica on a
   * node whose cache holds its version links the files and reads them from the data volume at this rate.
   * @default - no cache: every replica downloads
   */
  readonly nodeCache?: { readonly readMiBps: number };
}

/** A replica's cold start, in whole seconds, with the assumptions it rests on. */
export interface ColdStart {
  /** A new GPU node to Ready. */
  readonly nodeSeconds: number;
  /** The server image on a new node: pulled and unpacked, or read from a data-volume snapshot. */
  readonly imageSeconds: number;
  /** Where a new node's image comes from: "pulled", or a snapshot and how its blocks arrive. */
  readonly image: string;
  /** Moving the weights from S3 (streamed, or downloaded to the node's disk). */
  readonly weightsSeconds: number;
  /** Host to GPU memory plus warm-up (for streamed weights the copy overlaps the transfer, so only the slower part counts). */
  readonly loadSeconds: number;
  /** A new replica on a node already up that holds the image: weights + load. */
  readonly warmNodeSeconds: number;
  /** A new replica that needs a new node: node + image + weights + load. */
  readonly newNodeSeconds: number;
  /**
   * A new replica on a node whose weight cache already holds its version (a restart, a rollback to the
   * stable version, a second replica on the node): the weights are read from the data volume instead of
   * downloaded. Absent without a cache.
   */
  readonly cacheHitSeconds?: number;
  /** The data volume's read rate the cache hit assumes, MiB/s (the pool's provisioned gp3 throughput). */
  readonly cacheReadMiBps?: number;
  /** How the weights arrive. */
  readonly weights: "stream" | "download";
  /** S3 connections the weights use (the streamer's concurrency, or what the CRT client's target bandwidth needs). */
  readonly s3Connections: number;
  /** The bandwidths used, for the report. */
  readonly assumptions: {
    readonly networkGbps: number;
    readonly replicaNetworkGbps: number;
    readonly s3MBPerSecondPerConnection: number;
    readonly weightsMBPerSecond: number;
    readonly imageGiB: number;
    readonly hostToGpuGBPerSecond: number;
    readonly warmupSeconds: number;
    /** Where warmupSeconds comes from: the server kind's estimate (SERVER_WARMUP), or given by the endpoint (its own measurement). */
    readonly warmupSource: "estimate" | "given";
  };
}

/** A replica's share of its node's network, Gbit/s. */
export function replicaNetworkGbps(instanceType: string, gpusPerReplica: number): number {
  const node = INSTANCE_NETWORK_GBPS[instanceType] ?? FALLBACK_NETWORK_GBPS;
  const gpus = GpuCatalog.find(instanceType)?.gpuCount ?? 1;
  return (node * Math.min(gpusPerReplica, gpus)) / gpus;
}

/**
 * S3 connections that fill a replica's network share at S3_MB_PER_SECOND_PER_CONNECTION, from the
 * streamer's default 8 up to MAX_STREAMER_CONCURRENCY (each is a thread of the streamer's C++ reader,
 * cheap beside the replica's vCPUs).
 */
export function streamerConcurrency(instanceType: string, gpusPerReplica: number): number {
  const mbps = (replicaNetworkGbps(instanceType, gpusPerReplica) * 1000) / 8;
  return Math.min(MAX_STREAMER_CONCURRENCY, Math.max(MIN_STREAMER_CONCURRENCY, Math.ceil(mbps / S3_MB_PER_SECOND_PER_CONNECTION)));
}

/**
 * The AWS CLI's S3 transfers on the CRT client with a target bandwidth ("Controls the target bandwidth
 * that the transfer client will try to reach ... may make adjustments mid-transfer command in order to
 * increase throughput"; preferred_transfer_client = crt: aws/aws-cli@2.22.0:awscli/topics/s3-config.rst:269-360),
 * as the download init container configures it (endpoint/private/rollout-manifest.ts): it fills the
 * replica's network share, with no fixed connection count. Reported as the connections that share
 * needs at S3_MB_PER_SECOND_PER_CONNECTION.
 */
export function downloadTargetGbps(instanceType: string, gpusPerReplica: number): number {
  return Math.max(1, Math.floor(replicaNetworkGbps(instanceType, gpusPerReplica)));
}

/** A replica's cold start. */
export function coldStart(i: ColdStartInput): ColdStart {
  const warmupSeconds = i.warmupSeconds ?? serverWarmupSeconds(i.serverKind);
  const gpu = GpuCatalog.find(i.instanceType);
  const networkGbps = INSTANCE_NETWORK_GBPS[i.instanceType] ?? FALLBACK_NETWORK_GBPS;
  const shareGbps = replicaNetworkGbps(i.instanceType, i.gpusPerReplica);
  const shareMBps = (shareGbps * 1000) / 8;
  const connections = i.weights === "stream" ? streamerConcurrency(i.instanceType, i.gpusPerReplica) : Math.ceil(shareMBps / S3_MB_PER_SECOND_PER_CONNECTION);
  const weightsMBps = i.weights === "stream" ? Math.min(shareMBps, connections * S3_MB_PER_SECOND_PER_CONNECTION) : (downloadTargetGbps(i.instanceType, i.gpusPerReplica) * 1000) / 8;
  const gib = i.weightsGiB;
  const mb = gib * 1.073741824 * 1000;
  const weightsSeconds = Math.ceil(i.downloadSecondsPerGiB !== undefined ? gib * i.downloadSecondsPerGiB : mb / weightsMBps);
  const h2d = HOST_TO_GPU_GB_PER_SECOND[gpu?.gpuModel ?? "L4"] ?? 16;
  // Tensor parallelism: each GPU receives its shard over its own link.
  const copySeconds = Math.ceil(i.loadSecondsPerGiB !== undefined ? gib * i.loadSecondsPerGiB : (gib * 1.073741824) / (h2d * Math.max(1, i.gpusPerReplica)));
  const loadSeconds = warmupSeconds + copySeconds;
  const imageGiB = SERVER_IMAGE_GIB[i.serverKind] ?? SERVER_IMAGE_GIB.custom;
  const image = i.image ?? { kind: "pull" as const };
  const imageReadySeconds = imageSeconds(imageGiB, image);
  // Streamed weights are copied to the GPU as they arrive: the slower of the two bounds the pair.
  const moveSeconds = i.weights === "stream" ? Math.max(weightsSeconds, copySeconds) : weightsSeconds + copySeconds;
  const warmNodeSeconds = moveSeconds + warmupSeconds;
  // A cache hit reads the linked files from the data volume; the server copies them to the GPU as it reads
  // them (TGI, Triton's vllm backend and vLLM read safetensors tensor by tensor), so the slower part bounds the pair.
  const cacheHitSeconds =
    i.nodeCache && i.weights === "download" ? Math.max(Math.ceil((gib * 1024) / i.nodeCache.readMiBps), copySeconds) + warmupSeconds : undefined;
  return {
    nodeSeconds: NODE_READY_SECONDS,
    imageSeconds: imageReadySeconds,
    weightsSeconds,
    loadSeconds,
    warmNodeSeconds,
    newNodeSeconds: NODE_READY_SECONDS + imageReadySeconds + warmNodeSeconds,
    ...(cacheHitSeconds !== undefined ? { cacheHitSeconds, cacheReadMiBps: i.nodeCache?.readMiBps } : {}),
    image: image.kind === "pull" ? "pulled" : image.initialization === "fast-snapshot-restore" ? "snapshot (Fast Snapshot Restore)" : `snapshot (initialized at ${image.initialization} MiB/s)`,
    weights: i.weights,
    s3Connections: connections,
    assumptions: {
      networkGbps,
      replicaNetworkGbps: round1(shareGbps),
      s3MBPerSecondPerConnection: S3_MB_PER_SECOND_PER_CONNECTION,
      weightsMBPerSecond: Math.round(weightsMBps),
      imageGiB,
      hostToGpuGBPerSecond: h2d,
      warmupSeconds,
      warmupSource: i.warmupSeconds === undefined ? "estimate" : "given",
    },
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
