/*
 * The props of a CanaryModelEndpoint and the constants its parts share, apart from the construct so
 * that the resolver and the builders in private/ import them without a cycle back to it.
 */
import type { NamespaceIngressAllow } from "../addons/workload-namespace";
import type { ClusterConnection } from "../cluster/cluster-connection";
import type { DeclaredLoad, ModelArchitecture, ModelDtype, ModelQuantization } from "../planning/capacity";
import type { CanaryRolloutOptions, RollbackConditions } from "./canary-rollout";
import type { InferenceServer } from "./inference-server";

/** The model an endpoint serves. */
export interface EndpointModel {
  /** Name clients send in the OpenAI `model` field, e.g. "llama-3.1-8b-instruct". */
  readonly name: string;
  /** Key prefix of the weights in the cluster's model bucket, e.g. "llama-3.1-8b-instruct/". The endpoint may read only this prefix. */
  readonly source: string;
  /** Parameters in billions, e.g. 8 for an 8B model: sizes GPU memory, volumes and probes. */
  readonly parametersBillions: number;
  /** Data type of the weights as served. */
  readonly dtype: ModelDtype;
  /**
   * Weight quantization; decides the bytes per weight when set.
   * @default - none
   */
  readonly quantization?: ModelQuantization;
  /**
   * Attention geometry for an exact KV-cache size.
   * @default - estimated from the parameter count (conservative for grouped-query attention)
   */
  readonly architecture?: ModelArchitecture;
}

/**
 * Data residency: the endpoint's model weights and request logs stay in named locations. The library declares where
 * they go (tags on the endpoint's model-read role) and the compliance rule DataResidencyRespected (GDPR; HIPAA as a
 * warning) refuses the endpoint when one is outside the list.
 */
export interface EndpointDataResidency {
  /**
   * Where the data may be: AWS regions (e.g. "eu-central-1", where the cluster's model bucket and the load balancer's
   * access logs are), Local Zones, and on-premises locations of your pools (e.g. "fra-dc1").
   */
  readonly allowedLocations: string[];
}

/** Where the replicas run. */
export interface EndpointGpu {
  /** Name of a GPU pool of the cluster. */
  readonly pool: string;
  /**
   * GPUs per replica (tensor parallelism): 1, 2, 4 or 8, at most the GPUs of the pool's instance type.
   * @default 1
   */
  readonly perReplica?: number;
}

/** Scaling on queue depth with KEDA. */
export interface EndpointAutoscaling {
  /**
   * Fewest replicas. At least 1: a GPU replica takes minutes to start, so an endpoint never scales to zero.
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * Most replicas.
   * @default 4
   */
  readonly maxReplicas?: number;
  /**
   * Requests waiting per replica that triggers a scale-up (vLLM `num_requests_waiting`, TGI queue size;
   * for Triton's non-vLLM backends, mean queued requests from `nv_inference_queue_duration_us`). Not
   * allowed where the server exports no queue signal (Triton's vLLM backend): run it with
   * `minReplicas` = `maxReplicas` instead.
   * @default 4
   */
  readonly targetQueueDepthPerReplica?: number;
  /**
   * How long load must stay low before a replica is removed, e.g. "15m". GPU replicas are slow to
   * bring back, so this errs long.
   * @default "15m"
   */
  readonly scaleDownStabilization?: string;
}

/** The internal HTTPS load balancer in front of the endpoint. */
export interface EndpointIngress {
  /** ACM certificate ARN for the HTTPS listener. */
  readonly certificateArn: string;
  /**
   * Host name the listener rule matches (the certificate must cover it).
   * @default - every host
   */
  readonly host?: string;
  /**
   * ELB security policy of the listener; TLS 1.2 or newer only.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * CIDRs that may connect to the load balancer.
   * @default - the cluster's VPC CIDR
   */
  readonly allowedCidrs?: string[];
  /**
   * Keeps a client on one replica, and on one version during a rollout, with the ALB's
   * duration-based cookie (AWSALB), so requests that repeat a prefix (a chat session, an agent
   * loop) hit the replica whose prefix cache holds it. Only clients that send the cookie back
   * benefit; calls through an InferenceRouter do not carry it, and a sticky client stays on the
   * canary for the duration even as its weight changes.
   * @default - off: requests spread over the replicas
   */
  readonly sessionAffinitySeconds?: number;
  /**
   * Route 53 private hosted zone in which to create `host` as an alias of the load balancer (needs `host`).
   * @default - no DNS record: point `host` at the load balancer yourself
   */
  readonly privateHostedZoneId?: string;
}

/** A CloudWatch anomaly-detection alarm on a metric the application publishes (e.g. an output-quality score). */
export interface DriftAlarm {
  /** CloudWatch namespace of the metric. */
  readonly namespace: string;
  /** Metric name. */
  readonly metricName: string;
  /**
   * Dimensions of the metric.
   * @default - none
   */
  readonly dimensions?: Record<string, string>;
  /**
   * Statistic.
   * @default "Average"
   */
  readonly statistic?: string;
  /**
   * Width of the expected band in standard deviations.
   * @default 2
   */
  readonly bandWidth?: number;
  /**
   * Consecutive 5-minute periods outside the band before the alarm fires.
   * @default 3
   */
  readonly evaluationPeriods?: number;
}

/** Props of a CanaryModelEndpoint. */
export interface CanaryModelEndpointProps {
  /** The cluster, from the platform stack (`cluster.connection`). */
  readonly connection: ClusterConnection;
  /**
   * Namespace to deploy into: a WorkloadNamespace of the same cluster in this app, whose GPU quota
   * covers the peak of its endpoints' rollouts (checked at synth).
   */
  readonly namespace: string;
  /**
   * Declares that the namespace is made outside this app, so no WorkloadNamespace of this app is
   * expected for it. Whoever makes it answers for what a WorkloadNamespace gives: restricted Pod
   * Security, default-deny NetworkPolicies, the GPU quota, and the ALB readiness-gate label; the
   * reason (10 to 250 characters) is recorded.
   * @default - the namespace must be a WorkloadNamespace of this app
   */
  readonly externalNamespace?: { readonly reason: string };
  /**
   * Kubernetes name of the endpoint: a DNS label of at most 40 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /** The model. */
  readonly model: EndpointModel;
  /**
   * The batching inference server.
   * @default InferenceServer.vllm()
   */
  readonly server?: InferenceServer;
  /** GPU pool and GPUs per replica. */
  readonly gpu: EndpointGpu;
  /**
   * Marks the endpoint data-resident: weights and request logs must stay in the named locations (checked by the
   * compliance packs). Typical for an endpoint on an on-premises pool.
   * @default - not data-resident
   */
  readonly dataResidency?: EndpointDataResidency;
  /**
   * Replicas and the queue depth that scales them.
   * @default - 1 to 4 replicas at 4 waiting requests per replica
   */
  readonly autoscaling?: EndpointAutoscaling;
  /**
   * Traffic steps and bake time.
   * @default - steps 1, 5, 10, 25, 50, 100 percent, 10 minutes each
   */
  readonly rollout?: CanaryRolloutOptions;
  /**
   * Thresholds that abort the rollout and raise alarms.
   * @default - error rate above 1% or p99 latency above 30 s
   */
  readonly rollbackWhen?: RollbackConditions;
  /** The internal HTTPS load balancer. */
  readonly ingress: EndpointIngress;
  /**
   * Pods of other namespaces that may call the endpoint directly (e.g. an InferenceRouter).
   * @default - only the load balancer and the metrics scraper
   */
  readonly allowFrom?: NamespaceIngressAllow[];
  /**
   * Seconds to copy one GiB of weights from host to GPU memory; with the warm-up it sizes the startup
   * probe and the cold start in the plan report.
   * @default - modelled from the GPU's PCIe link (planning/cold-start.ts, HOST_TO_GPU_GB_PER_SECOND)
   */
  readonly loadSecondsPerGiB?: number;
  /**
   * Seconds to move one GiB of weights from S3 (streamed by vLLM, downloaded by the other servers);
   * sizes the progress deadline and the cold start in the plan report.
   * @default - modelled from the instance's network share and S3 per-connection throughput (planning/cold-start.ts)
   */
  readonly downloadSecondsPerGiB?: number;
  /**
   * Seconds the server spends starting beyond moving its weights into GPU memory: process start,
   * compilation, CUDA graph capture, memory profiling and warm-up. The planner estimates them per server
   * (planning/cold-start.ts SERVER_WARMUP), and they are the largest part of a warm-node start; set what
   * your own deploy measured to replace the estimate everywhere it is used: the startup probe, the
   * progress deadline, the rollback budget (and so whether the stable version is kept warm) and the plan
   * report, which then names it as given. Measure it as the time from the server container's start to the
   * pod's Ready condition, less the time its weights took.
   * @default - the estimate for the server kind: 95 s for vLLM, Triton and custom servers, 50 s for TGI
   */
  readonly warmupSeconds?: number;
  /**
   * An anomaly-detection alarm on a metric the application publishes.
   * @default - none
   */
  readonly driftAlarm?: DriftAlarm;
  /**
   * Peak traffic: sizes the replicas it needs (a conservative first-order estimate); synth fails
   * when the pool cannot hold them and warns when they exceed `maxReplicas`.
   * @default - no load check; only the minimum replicas are checked against the pool
   */
  readonly load?: DeclaredLoad;
  /**
   * Prompt tokens most requests share (a system prompt, few-shot examples). With prefix caching the
   * server keeps them in the KV cache: the fit check reserves room for them beside one full-length
   * sequence, the load estimate skips their prefill, and vLLM's default step budget
   * (`--max-num-batched-tokens`) holds them beside a full decode batch so that a replica computes
   * a cold prefix in one step. Must be shorter than the server's `maxModelLen`.
   * @default 0
   */
  readonly sharedPrefixTokens?: number;
}

/** Label every pod of an endpoint carries; the AMP scraper maps it to `secure_inference_io_endpoint`. */
export const ENDPOINT_LABEL = "secure-inference.io/endpoint";
/** Directory in the server pod that holds the weights, one subdirectory per endpoint. */
export const MODELS_DIR = "/models";
