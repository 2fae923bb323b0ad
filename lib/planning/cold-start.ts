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
 * Layers pulled at once: containerd's CRI `max_concurrent_downloads` default of 3 (containerd's CRI
 * config documentation; not checked against Bottlerocket's containerd settings, an assumption). Each layer is one TCP flow, and a
 * single flow leaves an instance at no more than 5 Gbit/s (EC2 user guide,
 * ec2-instance-network-bandwidth, "Single-flow traffic"). Unpacking is not counted.
 */
const IMAGE_PARALLEL_FLOWS = 3;
const SINGLE_FLOW_GBPS = 5;

/**
 * Seconds from a pending pod to a Ready GPU node: EC2 launch, Bottlerocket boot, join, NVIDIA driver
 * and device plugin. An estimate, not a measurement; rollout timing uses it for a new node too.
 */
export const NODE_READY_SECONDS = 300;

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
  /** How the weights arrive: streamed from S3 into GPU memory (vLLM + Run:ai streamer), or downloaded to disk first. */
  readonly weights: "stream" | "download";
  /** Seconds of CUDA init, graph capture and warm-up beyond moving the weights. */
  readonly warmupSeconds: number;
  /** Overrides of the modelled rates, seconds per GiB (the endpoint's downloadSecondsPerGiB / loadSecondsPerGiB). */
  readonly downloadSecondsPerGiB?: number;
  readonly loadSecondsPerGiB?: number;
}

/** A replica's cold start, in whole seconds, with the assumptions it rests on. */
export interface ColdStart {
  /** A new GPU node to Ready. */
  readonly nodeSeconds: number;
  /** Pulling the server image on a node that does not hold it. */
  readonly imageSeconds: number;
  /** Moving the weights from S3 (streamed, or downloaded to the node's disk). */
  readonly weightsSeconds: number;
  /** Host to GPU memory plus warm-up (for streamed weights the copy overlaps the transfer, so only the slower part counts). */
  readonly loadSeconds: number;
  /** A new replica on a node already up that holds the image: weights + load. */
  readonly warmNodeSeconds: number;
  /** A new replica that needs a new node: node + image + weights + load. */
  readonly newNodeSeconds: number;
  /** How the weights arrive. */
  readonly weights: "stream" | "download";
  /** S3 connections the weights use (the streamer's concurrency, or the CLI's default 10). */
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

/** The AWS CLI's `max_concurrent_requests` default (AWS CLI S3 configuration reference). */
const CLI_CONNECTIONS = 10;

/** A replica's cold start. */
export function coldStart(i: ColdStartInput): ColdStart {
  const gpu = GpuCatalog.find(i.instanceType);
  const networkGbps = INSTANCE_NETWORK_GBPS[i.instanceType] ?? FALLBACK_NETWORK_GBPS;
  const shareGbps = replicaNetworkGbps(i.instanceType, i.gpusPerReplica);
  const connections = i.weights === "stream" ? streamerConcurrency(i.instanceType, i.gpusPerReplica) : CLI_CONNECTIONS;
  const weightsMBps = Math.min((shareGbps * 1000) / 8, connections * S3_MB_PER_SECOND_PER_CONNECTION);
  const gib = i.weightsGiB;
  const mb = gib * 1.073741824 * 1000;
  const weightsSeconds = Math.ceil(i.downloadSecondsPerGiB !== undefined ? gib * i.downloadSecondsPerGiB : mb / weightsMBps);
  const h2d = HOST_TO_GPU_GB_PER_SECOND[gpu?.gpuModel ?? "L4"] ?? 16;
  // Tensor parallelism: each GPU receives its shard over its own link.
  const copySeconds = Math.ceil(i.loadSecondsPerGiB !== undefined ? gib * i.loadSecondsPerGiB : (gib * 1.073741824) / (h2d * Math.max(1, i.gpusPerReplica)));
  const loadSeconds = i.warmupSeconds + copySeconds;
  const imageGiB = SERVER_IMAGE_GIB[i.serverKind] ?? SERVER_IMAGE_GIB.custom;
  const imageGbps = Math.min(networkGbps, IMAGE_PARALLEL_FLOWS * SINGLE_FLOW_GBPS);
  const imageSeconds = Math.ceil((imageGiB * 1.073741824 * 8) / imageGbps);
  // Streamed weights are copied to the GPU as they arrive: the slower of the two bounds the pair.
  const moveSeconds = i.weights === "stream" ? Math.max(weightsSeconds, copySeconds) : weightsSeconds + copySeconds;
  const warmNodeSeconds = moveSeconds + i.warmupSeconds;
  return {
    nodeSeconds: NODE_READY_SECONDS,
    imageSeconds,
    weightsSeconds,
    loadSeconds,
    warmNodeSeconds,
    newNodeSeconds: NODE_READY_SECONDS + imageSeconds + warmNodeSeconds,
    weights: i.weights,
    s3Connections: connections,
    assumptions: {
      networkGbps,
      replicaNetworkGbps: round1(shareGbps),
      s3MBPerSecondPerConnection: S3_MB_PER_SECOND_PER_CONNECTION,
      weightsMBPerSecond: Math.round(weightsMBps),
      imageGiB,
      hostToGpuGBPerSecond: h2d,
      warmupSeconds: i.warmupSeconds,
    },
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
