import { Annotations, Fn } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { DataAwsLbTargetGroup } from "@cdktf/provider-aws/lib/data-aws-lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { NetworkPolicyV1, NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import type { ICanaryStep } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/CanaryStep";
import type { IRollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { ITriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { ClusterProviders } from "../addons/cluster-providers";
import type { NamespaceIngressAllow } from "../addons/workload-namespace";
import { GPU_TAINT, NodeLabels } from "../cluster/node-labels";
import type { ClusterConnection } from "../cluster/cluster-connection";
import type { GpuPoolDescription } from "../planning/gpu-pool-description";
import { GpuCatalog } from "../planning/gpu-catalog";
import { DeclaredLoad, estimateReplicas, explainFit, GPU_PERFORMANCE, ModelArchitecture, ModelDtype, ModelFit, modelFit, ModelFitInput, ModelQuantization, ReplicaEstimate } from "../planning/capacity";
import { CapacityPlan, PlannedEndpoint } from "../planning/capacity-plan";
import { internalAlbAnnotations, validateInternalAlb } from "../private/internal-alb";
import { restrictedContainerSecurity } from "../private/pod-security";
import { awsContext } from "../private/aws-context";
import { MODEL_FETCH_IMAGE } from "../private/images";
import { modelReadPolicy } from "../security/private/model-read-policy";
import { isDnsLabel, isLiteral, Problems, show } from "../private/validation";
import { PodIdentityRole } from "../security/pod-identity-role";
import {
  CanaryRolloutOptions,
  canaryRolloutTiming,
  CanaryRolloutTiming,
  ResolvedCanaryRollout,
  resolveCanaryRollout,
  RollbackConditions,
  validateCanaryRollout,
} from "./canary-rollout";
import { InferenceServer, InferenceServerImages, renderQueueDepthQuery, ServerContainer } from "./inference-server";
import { endpointDashboardBody } from "./private/dashboard";
import { parseDuration } from "./private/duration";
import { ALB_NAMESPACE, ANALYSIS_ARGS, analysisMetric, cloudWatchChecks, rollbackAnalysisTemplate, ttftMetric, ttftQuery } from "./private/rollback-checks";

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
   * for Triton, milliseconds of mean queue time).
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
  /** Namespace to deploy into (a WorkloadNamespace with a GPU quota). */
  readonly namespace: string;
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
   * Seconds to load one GiB of weights into GPU memory after the download; sizes the startup probe.
   * @default 10
   */
  readonly loadSecondsPerGiB?: number;
  /**
   * Seconds to download one GiB of weights from S3 to the node; sizes the progress deadline.
   * @default 8
   */
  readonly downloadSecondsPerGiB?: number;
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

/** Seconds a server needs beyond loading weights: CUDA init, graph capture, warm-up. An estimate. */
export const SERVER_WARMUP_SECONDS = 180;
/** Label every pod of an endpoint carries; the AMP scraper maps it to `secure_inference_io_endpoint`. */
export const ENDPOINT_LABEL = "secure-inference.io/endpoint";
const EVALUATION_ROLE_LABEL = "secure-inference.io/role";
const MODELS_DIR = "/models";
/** Seconds a terminating server keeps serving: longer than the ALB takes to stop sending it requests. */
const PRE_STOP_SECONDS = 20;

/**
 * A model served by a batching inference server on a GPU pool and released as a canary:
 * Argo Rollouts shifts traffic through an internal ALB in steps (1, 5, 10, 25, 50, 100 percent),
 * measures the canary target group's error rate and latency every minute and aborts to the stable
 * version when a threshold is crossed; CloudWatch alarms on the same metrics notify the cluster's
 * topic; KEDA scales replicas on queue depth. The GPU fit of the model is checked at synth time.
 *
 * Put it in a stack applied after the add-ons (its custom resources need their CRDs at plan time).
 */
export class CanaryModelEndpoint extends Construct {
  /** Kubernetes name. */
  public readonly endpointName: string;
  /** Name clients send in the OpenAI `model` field (Triton: the endpoint name, its model repository entry). */
  public readonly modelName: string;
  /** Host name of the internal load balancer's listener rule, when given (routers call `https://<host>/v1`). */
  public readonly host?: string;
  /** The model as declared. */
  public readonly model: EndpointModel;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster base URL of the stable version (OpenAI-compatible servers serve under /v1). */
  public readonly stableUrl: string;
  /** Service names. */
  public readonly services: { readonly stable: string; readonly canary: string };
  /** The GPU fit of the model on one replica. */
  public readonly fit: ModelFit;
  /** The pool the replicas run on. */
  public readonly pool: GpuPoolDescription;
  /** GPUs per replica. */
  public readonly gpusPerReplica: number;
  /** Replica bounds. */
  public readonly replicas: { readonly min: number; readonly max: number };
  /** The server container as rendered. */
  public readonly container: ServerContainer;
  /** The rollout policy with defaults applied. */
  public readonly rollout: ResolvedCanaryRollout;
  /** Time to rollback and exposure computed from the policy, at minReplicas. */
  public readonly rolloutTiming: CanaryRolloutTiming;
  /** Replicas the declared load needs, when a load was declared. */
  public readonly replicaEstimate?: ReplicaEstimate;
  /** Seconds one replica needs from scheduling to ready (download, load, warm-up), as estimated. */
  public readonly podStartSeconds: number;
  /** The custom resources, as rendered (for schema validation and review). */
  public readonly customResources: ReadonlyArray<Record<string, unknown>>;
  /** CloudWatch alarms by name suffix (e.g. "canary-error-rate"). */
  public readonly alarms: Record<string, CloudwatchMetricAlarm>;
  /** The model-read role of the endpoint's pods. */
  public readonly modelReadRole: PodIdentityRole;
  /** The dashboard. */
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: CanaryModelEndpointProps) {
    super(scope, id);
    const c = props.connection;
    const name = props.name ?? id;
    const server = props.server ?? InferenceServer.vllm();
    const p = new Problems();

    // --- validation: every problem at once ----------------------------------------------------
    if (!isDnsLabel(name, 40)) p.add(props.name === undefined ? "id" : "name", `${show(name)} must be a DNS label of at most 40 characters (it prefixes Service, Ingress and alarm names); e.g. "chat"`);
    if (!isDnsLabel(props.namespace)) p.add("namespace", `${show(props.namespace)} is not a namespace name (DNS label)`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,127}$/.test(props.model.name)) p.add("model.name", `${show(props.model.name)} must be 1-128 letters, digits, ".", "_", "-" or "/" (what clients send as "model")`);
    const src = props.model.source;
    if (isLiteral(src) && (src.startsWith("s3://") || src.startsWith("/") || src.includes("*") || !src.endsWith("/"))) {
      p.add("model.source", `${show(src)} must be a key prefix inside the cluster's model bucket ending in "/", without "s3://", a leading "/" or wildcards; e.g. "llama-3.1-8b-instruct/"`);
    }
    const params = props.model.parametersBillions;
    if (!(typeof params === "number" && params > 0 && params < 10000)) p.add("model.parametersBillions", `${show(params)} must be the parameter count in billions, e.g. 8 for an 8B model`);
    const pool = c.gpuPools.find((g) => g.name === props.gpu.pool);
    if (!pool) p.add("gpu.pool", `${show(props.gpu.pool)} is not a GPU pool of cluster ${c.clusterName}; pools: ${c.gpuPools.map((g) => `"${g.name}"`).join(", ") || "none"}`);
    const perReplica = props.gpu.perReplica ?? 1;
    if (![1, 2, 4, 8].includes(perReplica)) p.add("gpu.perReplica", `${show(perReplica)} must be 1, 2, 4 or 8 (tensor parallelism splits attention heads evenly)`);
    else if (pool && perReplica > pool.gpuCount) {
      p.add("gpu.perReplica", `${perReplica} exceeds the ${pool.gpuCount} GPU(s) of one ${pool.instanceTypes.join("/")} node in pool "${pool.name}"; a replica cannot span nodes: use a pool with larger instances or fewer GPUs per replica`);
    }
    const minReplicas = props.autoscaling?.minReplicas ?? 1;
    const maxReplicas = props.autoscaling?.maxReplicas ?? Math.max(4, minReplicas);
    if (!Number.isInteger(minReplicas) || minReplicas < 1) p.add("autoscaling.minReplicas", `${show(minReplicas)} must be a whole number, at least 1: a GPU replica takes minutes to start, so the endpoint never scales to zero`);
    if (!Number.isInteger(maxReplicas) || maxReplicas < 1) p.add("autoscaling.maxReplicas", `${show(maxReplicas)} must be a whole number, at least 1`);
    else if (minReplicas > maxReplicas) p.add("autoscaling", `minReplicas (${minReplicas}) must not exceed maxReplicas (${maxReplicas})`);
    const target = props.autoscaling?.targetQueueDepthPerReplica ?? 4;
    if (!(target > 0)) p.add("autoscaling.targetQueueDepthPerReplica", `${show(target)} must be a positive number of waiting requests per replica, e.g. 4`);
    const scaleDown = parseDuration(props.autoscaling?.scaleDownStabilization ?? "15m");
    if (scaleDown === undefined || scaleDown > 3600) p.add("autoscaling.scaleDownStabilization", `${show(props.autoscaling?.scaleDownStabilization)} must be a duration up to "1h" (the HPA maximum), e.g. "15m"`);
    validateCanaryRollout(props.rollout, props.rollbackWhen, p);
    if (props.rollbackWhen?.timeToFirstTokenP99Ms !== undefined && server.kind !== "vllm") {
      p.add("rollbackWhen.timeToFirstTokenP99Ms", `is only measured for vLLM (its time-to-first-token histogram); the ${server.kind} server does not publish one`);
    }
    const ing = props.ingress;
    if (ing.host !== undefined && isLiteral(ing.host) && !/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(ing.host)) {
      p.add("ingress.host", `${show(ing.host)} is not a lower-case DNS name; use e.g. "chat.models.example.internal" (the certificate must cover it)`);
    }
    const sticky = ing.sessionAffinitySeconds;
    if (sticky !== undefined && !(Number.isInteger(sticky) && sticky >= 1 && sticky <= 604800)) {
      p.add("ingress.sessionAffinitySeconds", `${show(sticky)} must be whole seconds from 1 to 604800 (7 days), the ALB's cookie limits`);
    }
    if (ing.privateHostedZoneId !== undefined && ing.host === undefined) p.add("ingress.privateHostedZoneId", "needs ingress.host: the record created in the zone is the host name");
    const cidrs = ing.allowedCidrs ?? (c.vpcCidr !== undefined ? [c.vpcCidr] : []);
    validateInternalAlb(p, "ingress", ing.certificateArn, ing.sslPolicy, cidrs);
    const prefix = props.sharedPrefixTokens ?? 0;
    if (!Number.isInteger(prefix) || prefix < 0) p.add("sharedPrefixTokens", `${show(prefix)} must be a whole number of tokens, 0 or more`);
    const load = props.load;
    if (load) {
      if (!(load.requestsPerSecond > 0)) p.add("load.requestsPerSecond", `${show(load.requestsPerSecond)} must be a positive number of requests per second`);
      if (!(Number.isInteger(load.meanInputTokens) && load.meanInputTokens > 0)) p.add("load.meanInputTokens", `${show(load.meanInputTokens)} must be a positive whole number of tokens`);
      if (!(Number.isInteger(load.meanOutputTokens) && load.meanOutputTokens > 0)) p.add("load.meanOutputTokens", `${show(load.meanOutputTokens)} must be a positive whole number of tokens`);
      if (load.meanInputTokens < prefix) p.add("load.meanInputTokens", `${load.meanInputTokens} is shorter than sharedPrefixTokens (${prefix}); the shared prefix is part of the input`);
    }
    const loadPerGiB = props.loadSecondsPerGiB ?? 10;
    const downloadPerGiB = props.downloadSecondsPerGiB ?? 8;
    if (!(loadPerGiB > 0)) p.add("loadSecondsPerGiB", `${show(loadPerGiB)} must be a positive number of seconds`);
    if (!(downloadPerGiB > 0)) p.add("downloadSecondsPerGiB", `${show(downloadPerGiB)} must be a positive number of seconds`);
    const ctx = {
      modelName: props.model.name,
      modelDir: `${MODELS_DIR}/${name}`,
      gpusPerReplica: perReplica,
      dtype: props.model.dtype,
      quantization: props.model.quantization,
      sharedPrefixTokens: Number.isInteger(prefix) && prefix > 0 ? prefix : undefined,
      meanInputTokens: load && Number.isInteger(load.meanInputTokens) && load.meanInputTokens > 0 ? load.meanInputTokens : undefined,
    };
    const serverProblems = server.validate(ctx);
    p.addAll(serverProblems);
    // Rendered once, when valid; everything below reads this.
    const rendered = serverProblems.length === 0 ? server.render(ctx) : undefined;
    if (rendered?.maxModelLen !== undefined && load && Number.isInteger(load.meanInputTokens) && Number.isInteger(load.meanOutputTokens) && load.meanInputTokens + load.meanOutputTokens > rendered.maxModelLen) {
      p.add("load", `a mean request of ${load.meanInputTokens} input + ${load.meanOutputTokens} output tokens exceeds the server's maxModelLen ${rendered.maxModelLen}, so most requests would be refused; raise the server's maxModelLen or correct the declared load`);
    }
    if (rendered?.maxModelLen !== undefined && prefix >= rendered.maxModelLen) {
      p.add("sharedPrefixTokens", `${prefix} is not shorter than the server's maxModelLen ${rendered.maxModelLen}, and the shared prefix is part of every prompt; raise the server's maxModelLen above it or state the prefix actually shared`);
    }
    const budget = rendered?.batching.maxNumBatchedTokens;
    const seqs = rendered?.batching.maxNumSeqs;
    const coldPrefixWarning =
      rendered?.batching.chunkedPrefill === true && typeof budget === "number" && typeof seqs === "number" && prefix > 0 && budget < seqs + prefix
        ? `server.maxNumBatchedTokens ${budget} cannot hold the ${prefix}-token shared prefix beside ${seqs} running sequences in one step, so a replica that has not cached it yet (a new canary pod) computes it over several chunked steps; raise maxNumBatchedTokens to at least ${seqs + prefix} or leave it unset to size it from sharedPrefixTokens`
        : undefined;
    if (rendered && rendered.queueDepthQuery === "") {
      p.add("server", "has no queue-depth metric, and autoscaling scales on queue depth; give the custom server's queueDepthMetric (a Prometheus gauge of waiting requests)");
    }

    // --- GPU fit ------------------------------------------------------------------------------
    let fit: ModelFit | undefined;
    let fitInput: ModelFitInput | undefined;
    if (pool && params > 0 && [1, 2, 4, 8].includes(perReplica) && perReplica <= pool.gpuCount) {
      fitInput = {
        parametersBillions: params,
        dtype: props.model.dtype,
        quantization: props.model.quantization,
        architecture: props.model.architecture,
        maxModelLen: rendered?.maxModelLen ?? 8192,
        gpuMemoryUtilization: rendered?.gpuMemoryUtilization ?? 0.9,
        gpusPerReplica: perReplica,
        gpuModel: pool.gpuModel,
        gpuMemoryGiB: pool.gpuMemoryGiB,
        // The shared prefix stays cached beside one full-length sequence.
        minKvCacheTokens: (rendered?.maxModelLen ?? 8192) + Math.max(0, prefix),
      };
      fit = modelFit(fitInput);
      if (!fit.fits) {
        for (const problem of explainFit(fit, fitInput, { pool: pool.name, instanceType: pool.instanceTypes[0], gpusPerNode: pool.gpuCount })) p.add("model", problem);
      }
    }
    let estimate: ReplicaEstimate | undefined;
    if (fit?.fits && load && p.list.length === 0 && GPU_PERFORMANCE[(pool as GpuPoolDescription).gpuModel]) {
      estimate = estimateReplicas({
        fit,
        parametersBillions: params,
        gpuModel: (pool as GpuPoolDescription).gpuModel,
        gpusPerReplica: perReplica,
        maxBatch: maxBatchOf(rendered as ServerContainer),
        load,
        cachedPrefixTokens: prefix,
      });
    }
    const plan = CapacityPlan.of(this);
    let planned: PlannedEndpoint | undefined;
    if (p.list.length === 0 && fit && pool) {
      const timing = canaryRolloutTiming(resolveCanaryRollout(props.rollout, props.rollbackWhen), minReplicas, 0);
      planned = {
        path: this.node.path,
        name: `${props.namespace}/${name}`,
        clusterName: c.clusterName,
        pool,
        gpusPerReplica: perReplica,
        minReplicas,
        maxReplicas,
        replicasForLoad: estimate?.replicas,
        fitUsedFraction: fit.usedFraction,
        weightsGiB: fit.weightsGiB,
        kvCacheGiB: fit.kvCacheGiB,
        kvCacheTokens: fit.kvCacheTokens,
        rollout: { steps: timing.steps, detectionSeconds: 0, firstStepRollbackSeconds: 0, firstStepExposurePercentMinutes: 0, worstStepRollbackSeconds: 0, worstStepExposurePercentMinutes: 0, fullRolloutSeconds: 0 },
      };
      p.addAll(plan.placementProblems(planned));
    }
    p.throwIfAny(this, "CanaryModelEndpoint");
    for (const w of planned ? plan.placementWarnings(planned) : []) Annotations.of(this).addWarning(w);
    if (coldPrefixWarning) Annotations.of(this).addWarning(coldPrefixWarning);
    if (server.kind === "tgi" && rendered?.image === InferenceServerImages.tgi) {
      Annotations.of(this).addWarning(
        `${InferenceServerImages.tgi} cannot start as a non-root user (huggingface/text-generation-inference#3082), which restricted Pod Security requires; ` +
          "give InferenceServer.tgi({ image }) an image rebuilt to run as uid 1000, or use vLLM",
      );
    }

    // From here on every input is valid.
    const gpuPool = pool as GpuPoolDescription;
    this.endpointName = name;
    this.namespace = props.namespace;
    this.model = props.model;
    this.host = ing.host;
    this.pool = gpuPool;
    this.gpusPerReplica = perReplica;
    this.replicas = { min: minReplicas, max: maxReplicas };
    this.fit = fit as ModelFit;
    this.container = rendered as ServerContainer;
    // Triton serves the model under its repository directory name; the others under model.name.
    this.modelName = this.container.kind === "triton" ? name : props.model.name;
    this.rollout = resolveCanaryRollout(props.rollout, props.rollbackWhen);
    const weightsGiB = this.fit.weightsGiB;
    const downloadSeconds = Math.ceil(weightsGiB * downloadPerGiB);
    const loadSeconds = SERVER_WARMUP_SECONDS + Math.ceil(weightsGiB * loadPerGiB);
    this.podStartSeconds = downloadSeconds + loadSeconds;
    this.rolloutTiming = canaryRolloutTiming(this.rollout, minReplicas, this.podStartSeconds);
    this.replicaEstimate = estimate;
    const t = this.rolloutTiming;
    plan.addEndpoint(this, {
      ...(planned as PlannedEndpoint),
      rollout: {
        steps: t.steps,
        detectionSeconds: t.detectionSeconds,
        firstStepRollbackSeconds: t.firstStep.rollbackSeconds,
        firstStepExposurePercentMinutes: t.firstStep.exposurePercentMinutes,
        worstStepRollbackSeconds: t.worstStep.rollbackSeconds,
        worstStepExposurePercentMinutes: t.worstStep.exposurePercentMinutes,
        fullRolloutSeconds: t.fullRolloutSeconds,
      },
    });

    const ns = props.namespace;
    const stableService = `${name}-stable`;
    const canaryService = `${name}-canary`;
    this.services = { stable: stableService, canary: canaryService };
    this.stableUrl = `http://${stableService}.${ns}.svc.cluster.local:${this.container.port}`;
    const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "model-server", "app.kubernetes.io/managed-by": "cdktf-secure-inference", [ENDPOINT_LABEL]: name };
    const selector = { [ENDPOINT_LABEL]: name };
    const provider = ClusterProviders.of(this, c).kubernetes;
    const region = c.region;
    const promSelector = `namespace="${ns}",secure_inference_io_endpoint="${name}"`;

    // --- identity: read-only on the model's prefix ----------------------------------------------
    new ServiceAccountV1(this, "service-account", {
      provider,
      metadata: { name, namespace: ns, labels },
      automountServiceAccountToken: false,
    });
    this.modelReadRole = new PodIdentityRole(this, "model-read", {
      clusterName: c.clusterName,
      clusterArn: c.clusterArn,
      namespace: ns,
      serviceAccount: name,
      purpose: `ep-${name}`.slice(0, 20),
      description: `Endpoint ${ns}/${name} of ${c.clusterName}: reads model weights under ${src}`,
      // The bucket is in the cluster's region; the DNS suffix is the partition's, read in this stack.
      policies: { "model-read": modelReadPolicy(c.modelBucketArn, c.keys.storageKeyArn, src, `s3.${c.region}.${awsContext(this).dnsSuffix}`) },
      tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${ns}/${name}` },
    });

    // --- files the server reads (e.g. Triton's config.pbtxt) -------------------------------------
    const fileEntries = Object.entries(this.container.files);
    const configMapName = `${name}-server-files`;
    if (fileEntries.length > 0) {
      new ConfigMapV1(this, "server-files", {
        provider,
        metadata: { name: configMapName, namespace: ns, labels },
        data: Object.fromEntries(fileEntries.map(([path], i) => [`file-${i}`, this.container.files[path]])),
      });
    }

    // --- services: Argo points their selectors at the stable and canary ReplicaSets ----------------
    for (const [svcId, svcName] of [["stable-service", stableService], ["canary-service", canaryService]] as const) {
      new ServiceV1(this, svcId, {
        provider,
        metadata: { name: svcName, namespace: ns, labels },
        spec: { type: "ClusterIP", selector, port: [{ name: "http", port: this.container.port, targetPort: "http", protocol: "TCP" }] },
        // Argo Rollouts pins each Service to a ReplicaSet by adding the pod-template hash to its selector;
        // Terraform must not undo that on the next apply, or both versions would get all traffic.
        lifecycle: { ignoreChanges: ['spec[0].selector["rollouts-pod-template-hash"]', 'metadata[0].annotations["argo-rollouts.argoproj.io/managed-by-rollouts"]'] },
      });
    }

    // --- rollout ------------------------------------------------------------------------------
    const analysisName = `${name}-rollback-checks`;
    const evaluationName = `${name}-pre-traffic-evaluation`;
    const metrics = cloudWatchChecks(this.rollout).map((check) => analysisMetric(check, this.rollout));
    const prometheusAddress = Fn.trimsuffix(c.prometheusEndpoint, "/");
    if (this.rollout.timeToFirstTokenP99Ms !== undefined && this.container.ttftHistogram) {
      metrics.push(ttftMetric(this.rollout, ttftQuery(this.container.ttftHistogram, promSelector), prometheusAddress, region));
    }
    const analysisTemplate = rollbackAnalysisTemplate(analysisName, ns, metrics, labels);
    const analysisArgs = [
      { name: ANALYSIS_ARGS.loadBalancer, valueFrom: { fieldRef: { fieldPath: "status.alb.loadBalancer.fullName" } } },
      { name: ANALYSIS_ARGS.targetGroup, valueFrom: { fieldRef: { fieldPath: "status.alb.canaryTargetGroup.fullName" } } },
      ...(metrics.some((m) => m.provider.prometheus) ? [{ name: ANALYSIS_ARGS.canaryHash, valueFrom: { podTemplateHashValue: "Latest" } }] : []),
    ];
    const steps: ICanaryStep[] = [];
    const gate = this.rollout.preTrafficEvaluation;
    const customResources: Array<Record<string, unknown>> = [];
    if (gate) {
      // The canary runs one replica with 0% of user traffic while the evaluation job calls it.
      steps.push({ setCanaryScale: { replicas: 1 } });
      steps.push({ analysis: { templates: [{ templateName: evaluationName }] } });
      customResources.push(this.evaluationTemplate(evaluationName, ns, labels, gate, this.container.port, this.modelName));
    }
    for (const [i, weight] of this.rollout.steps.entries()) {
      steps.push({ setWeight: weight });
      // Back to weight-based canary scaling only once a weight is set: at weight 0 it would scale the
      // evaluated replica away and cold-start another GPU pod for the first step.
      if (gate && i === 0) steps.push({ setCanaryScale: { matchTrafficWeight: true } });
      // The analysis is the bake: one measurement a minute for stepDuration; a failure aborts at once.
      steps.push({ analysis: { templates: [{ templateName: analysisName }], args: analysisArgs } });
    }

    const podSecurity = {
      runAsNonRoot: true,
      runAsUser: this.container.runAsUser,
      runAsGroup: this.container.runAsUser,
      fsGroup: this.container.runAsUser,
      seccompProfile: { type: "RuntimeDefault" as const },
    };
    const containerSecurity = restrictedContainerSecurity;
    const modelVolumeGiB = Math.ceil(weightsGiB * 1.1 + 1);
    const writable = this.container.writablePaths.map((path, i) => ({ path, volume: `writable-${i}` }));
    const instance = GpuCatalog.get(gpuPool.instanceTypes[0]);
    const share = perReplica / gpuPool.gpuCount;
    // Leave room for the kubelet, system pods and the device plugin: 75% of the node's share.
    const cpu = Math.max(1, Math.floor(instance.vcpus * share * 0.75));
    const memoryGiB = Math.max(4, Math.floor(instance.memoryGiB * share * 0.75));
    const startupFailures = Math.ceil(loadSeconds / 10);
    const env = [
      ...Object.entries(this.container.env).map(([k, v]) => ({ name: k, value: v })),
      { name: "AWS_REGION", value: region },
    ];
    const rollout: IRollout = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: { name, namespace: ns, labels },
      spec: {
        // No `replicas`: KEDA owns the count; Terraform applies the manifest server-side without claiming it.
        revisionHistoryLimit: 3,
        selector: { matchLabels: selector },
        // A canary that cannot become ready (image, weights, GPU) aborts instead of hanging.
        progressDeadlineSeconds: this.podStartSeconds + 600,
        progressDeadlineAbort: true,
        template: {
          metadata: {
            labels,
            annotations: {
              "prometheus.io/scrape": "true",
              "prometheus.io/port": String(this.container.metricsPort),
              "prometheus.io/path": this.container.metricsPath,
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: podSecurity,
            nodeSelector: { [NodeLabels.POOL]: gpuPool.name },
            tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }],
            // GPU capacity is scarce: spread when possible, never leave a replica pending for balance.
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            ],
            // preStop delay, then in-flight generations finish.
            terminationGracePeriodSeconds: PRE_STOP_SECONDS + 60,
            initContainers: [
              {
                name: "fetch-model",
                image: MODEL_FETCH_IMAGE,
                command: ["aws", "s3", "sync", "--only-show-errors", "--no-progress", `s3://${c.modelBucketName}/${src}`, ctx.modelDir],
                env: [
                  { name: "AWS_REGION", value: region },
                  { name: "HOME", value: "/tmp" },
                ],
                securityContext: containerSecurity(true),
                resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } },
                volumeMounts: [
                  { name: "models", mountPath: MODELS_DIR },
                  { name: "fetch-tmp", mountPath: "/tmp" },
                ],
              },
            ],
            containers: [
              {
                name: "server",
                image: this.container.image,
                ...(this.container.command ? { command: this.container.command } : {}),
                args: this.container.args,
                env,
                ports: [
                  { name: "http", containerPort: this.container.port, protocol: "TCP" as const },
                  ...(this.container.metricsPort !== this.container.port ? [{ name: "metrics", containerPort: this.container.metricsPort, protocol: "TCP" as const }] : []),
                ],
                resources: {
                  requests: { cpu: String(cpu), memory: `${memoryGiB}Gi`, "nvidia.com/gpu": String(perReplica) },
                  limits: { memory: `${memoryGiB}Gi`, "nvidia.com/gpu": String(perReplica) },
                },
                securityContext: containerSecurity(this.container.readOnlyRootFilesystem),
                startupProbe: { httpGet: { path: this.container.livenessPath, port: "http" }, periodSeconds: 10, failureThreshold: startupFailures },
                // Keep serving while the ALB deregisters the pod (scale-in, dynamicStableScale), so no request meets a closed port.
                lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
                readinessProbe: { httpGet: { path: this.container.readinessPath, port: "http" }, periodSeconds: 5, failureThreshold: 3 },
                livenessProbe: { httpGet: { path: this.container.livenessPath, port: "http" }, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 },
                volumeMounts: [
                  { name: "models", mountPath: MODELS_DIR, readOnly: fileEntries.length === 0 },
                  ...writable.map((w) => ({ name: w.volume, mountPath: w.path })),
                  ...(this.container.sharedMemory ? [{ name: "dshm", mountPath: "/dev/shm" }] : []),
                  ...fileEntries.map(([path], i) => ({ name: "server-files", mountPath: path, subPath: `file-${i}`, readOnly: true })),
                ],
              },
            ],
            volumes: [
              // The node's ephemeral storage: on the GPU pools, the encrypted data volume.
              { name: "models", emptyDir: { sizeLimit: `${modelVolumeGiB}Gi` } },
              { name: "fetch-tmp", emptyDir: { sizeLimit: "1Gi" } },
              ...writable.map((w) => ({ name: w.volume, emptyDir: { sizeLimit: "10Gi" } })),
              ...(this.container.sharedMemory ? [{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${Math.min(16, Math.max(2, Math.floor(memoryGiB / 4)))}Gi` } }] : []),
              ...(fileEntries.length > 0 ? [{ name: "server-files", configMap: { name: configMapName } }] : []),
            ],
          },
        },
        strategy: {
          canary: {
            stableService,
            canaryService,
            // Scale the stable version down as the canary takes traffic, so KEDA's replica count and
            // the canary's share never add up to twice the GPUs.
            dynamicStableScale: true,
            trafficRouting: {
              alb: {
                ingress: name,
                servicePort: this.container.port,
                // Version stickiness on the weighted forward action, next to replica stickiness in the target groups.
                ...(ing.sessionAffinitySeconds ? { stickinessConfig: { enabled: true, durationSeconds: ing.sessionAffinitySeconds } } : {}),
              },
            },
            steps,
          },
        },
      },
    };
    customResources.unshift(rollout as unknown as Record<string, unknown>, analysisTemplate as unknown as Record<string, unknown>);

    // --- autoscaling on queue depth -------------------------------------------------------------
    const triggerAuthName = `${name}-amp`;
    const triggerAuth: ITriggerAuthentication = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: triggerAuthName, namespace: ns, labels },
      // The KEDA operator's own role (Pod Identity) queries AMP; the endpoint gets no AMP access.
      spec: { podIdentity: { provider: "aws" } },
    };
    const scaledObject: IScaledObject = {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name, namespace: ns, labels },
      spec: {
        scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name },
        minReplicaCount: minReplicas,
        maxReplicaCount: maxReplicas,
        pollingInterval: 30,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
              scaleDown: { stabilizationWindowSeconds: scaleDown as number, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
            },
          },
        },
        triggers: [
          {
            type: "prometheus",
            // The query is already per replica (mean waiting requests): "Value" makes the HPA compare it
            // to the target as is (desired = current x value / target) instead of dividing it again.
            metricType: "Value",
            metadata: {
              serverAddress: prometheusAddress,
              query: renderQueueDepthQuery(this.container.queueDepthQuery, promSelector),
              threshold: String(target),
              awsRegion: region,
            },
            authenticationRef: { name: triggerAuthName },
          },
        ],
      },
    };
    customResources.push(triggerAuth as unknown as Record<string, unknown>, scaledObject as unknown as Record<string, unknown>);
    this.customResources = customResources;
    for (const cr of customResources) {
      const meta = cr.metadata as { name: string };
      new Manifest(this, `${String(cr.kind).toLowerCase()}-${meta.name}`, { provider, manifest: cr as Record<string, unknown> });
    }

    new PodDisruptionBudgetV1(this, "pdb", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: { maxUnavailable: "1", selector: { matchLabels: selector } },
    });

    // --- network: the load balancer and the scraper from the VPC, named callers, the evaluation job
    const ports = [...new Set([this.container.port, this.container.metricsPort])].map((port) => ({ port: String(port), protocol: "TCP" }));
    // The load balancer's and the scraper's subnets hold no pods; without them (an existing VPC) the
    // VPC CIDR is the fallback, and that admits every pod of the cluster too.
    const sources = c.loadBalancerCidrs ?? cidrs;
    if (!c.loadBalancerCidrs) {
      Annotations.of(this).addWarning(
        `the cluster has no dedicated load balancer subnets (existingVpc), so the pods admit ${sources.join(", ")}: every pod in that range can call the model API directly; ` +
          "give internal load balancers and the scraper their own subnets, or accept it",
      );
    }
    const from: NetworkPolicyV1SpecIngressFrom[] = sources.map((cidr) => ({ ipBlock: { cidr } }));
    new NetworkPolicyV1(this, "allow-load-balancer", {
      provider,
      metadata: { name: `${name}-from-load-balancer`, namespace: ns, labels },
      spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress: [{ from, ports }] },
    });
    const callers: NetworkPolicyV1SpecIngressFrom[] = (props.allowFrom ?? []).map((a) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": a.namespace } },
      podSelector: a.podLabels ? { matchLabels: a.podLabels } : undefined,
    }));
    if (gate) callers.push({ podSelector: { matchLabels: { [EVALUATION_ROLE_LABEL]: `${name}-evaluation` } } });
    if (callers.length > 0) {
      new NetworkPolicyV1(this, "allow-callers", {
        provider,
        metadata: { name: `${name}-from-callers`, namespace: ns, labels },
        spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress: [{ from: callers, ports: [{ port: String(this.container.port), protocol: "TCP" }] }] },
      });
    }
    if (gate) {
      new NetworkPolicyV1(this, "evaluation-egress", {
        provider,
        metadata: { name: `${name}-evaluation-egress`, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: { [EVALUATION_ROLE_LABEL]: `${name}-evaluation` } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ podSelector: { matchLabels: selector } }], ports: [{ port: String(this.container.port), protocol: "TCP" }] }],
        },
      });
    }

    // --- internal HTTPS load balancer that Argo Rollouts drives -----------------------------------
    const actionAnnotation = `alb.ingress.kubernetes.io/actions.${stableService}`;
    const ingress = new IngressV1(this, "ingress", {
      provider,
      metadata: {
        name,
        namespace: ns,
        labels,
        annotations: {
          ...internalAlbAnnotations({
            certificateArn: ing.certificateArn,
            sslPolicy: ing.sslPolicy,
            inboundCidrs: cidrs,
            healthCheckPath: this.container.readinessPath,
            idleTimeoutSeconds: 600,
            targetGroupAttributes: ing.sessionAffinitySeconds ? ["stickiness.enabled=true", "stickiness.type=lb_cookie", `stickiness.lb_cookie.duration_seconds=${ing.sessionAffinitySeconds}`] : [],
            tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${ns}.${name}` },
          }),
          // Argo Rollouts rewrites this action at every step; it starts with all traffic on stable.
          [actionAnnotation]: JSON.stringify({
            type: "forward",
            forwardConfig: {
              targetGroups: [
                { serviceName: canaryService, servicePort: String(this.container.port), weight: 0 },
                { serviceName: stableService, servicePort: String(this.container.port), weight: 100 },
              ],
            },
          }),
        },
      },
      spec: {
        ingressClassName: "alb",
        rule: [
          {
            host: ing.host,
            http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: stableService, port: { name: "use-annotation" } } } }] },
          },
        ],
      },
      // The load balancer must exist before the alarms look up its target groups.
      waitForLoadBalancer: true,
      // Argo Rollouts owns the action and records what it manages (managed-alb-annotations since 1.5,
      // managed-alb-actions before); Terraform must leave them alone or every plan shows drift.
      lifecycle: {
        ignoreChanges: [
          `metadata[0].annotations["${actionAnnotation}"]`,
          'metadata[0].annotations["rollouts.argoproj.io/managed-alb-annotations"]',
          'metadata[0].annotations["rollouts.argoproj.io/managed-alb-actions"]',
        ],
      },
    });

    // --- alarms on the same metrics, statistics, periods and thresholds as the analysis ------------
    // The ALB and its target groups are created by the load balancer controller, so they are found by
    // the tags it sets, after the Ingress has a load balancer (read during apply on the first deploy).
    const stackTag = `${ns}/${name}`;
    const lb = new DataAwsLb(this, "alb", {
      tags: { "elbv2.k8s.aws/cluster": c.clusterName, "ingress.k8s.aws/stack": stackTag, "ingress.k8s.aws/resource": "LoadBalancer" },
      dependsOn: [ingress],
    });
    const targetGroups = {
      canary: new DataAwsLbTargetGroup(this, "canary-target-group", {
        tags: { "elbv2.k8s.aws/cluster": c.clusterName, "ingress.k8s.aws/stack": stackTag, "ingress.k8s.aws/resource": `${stackTag}-${canaryService}:${this.container.port}` },
        dependsOn: [ingress],
      }),
      stable: new DataAwsLbTargetGroup(this, "stable-target-group", {
        tags: { "elbv2.k8s.aws/cluster": c.clusterName, "ingress.k8s.aws/stack": stackTag, "ingress.k8s.aws/resource": `${stackTag}-${stableService}:${this.container.port}` },
        dependsOn: [ingress],
      }),
    };
    if (ing.privateHostedZoneId !== undefined && ing.host !== undefined) {
      new Route53Record(this, "dns", {
        zoneId: ing.privateHostedZoneId,
        name: ing.host,
        type: "A",
        alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true },
      });
    }

    this.alarms = {};
    const alarmPrefix = `${c.clusterName}-${ns}-${name}`;
    for (const check of cloudWatchChecks(this.rollout)) {
      for (const [version, tg] of Object.entries(targetGroups)) {
        const key = `${version}-${check.name}`;
        this.alarms[key] = new CloudwatchMetricAlarm(this, `alarm-${key}`, {
          alarmName: `${alarmPrefix}-${key}`,
          alarmDescription: `${ns}/${name} (${version}): ${check.description}. The same threshold aborts a canary rollout in Argo Rollouts.`,
          comparisonOperator: "GreaterThanThreshold",
          threshold: check.threshold,
          // Argo aborts after failureLimit + 1 failed one-minute measurements; the alarm waits as long.
          evaluationPeriods: this.rollout.failureLimit + 1,
          datapointsToAlarm: this.rollout.failureLimit + 1,
          // No requests in a minute is not an error.
          treatMissingData: "notBreaching",
          metricQuery: check.queries.map((q) =>
            q.expression
              ? { id: q.id, expression: q.expression, returnData: q.returnData, label: check.name }
              : {
                  id: q.id,
                  returnData: q.returnData,
                  metric: {
                    namespace: ALB_NAMESPACE,
                    metricName: q.metricName as string,
                    period: 60,
                    stat: q.stat as string,
                    dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix },
                  },
                },
          ),
          alarmActions: [c.alarmTopicArn],
          okActions: [c.alarmTopicArn],
          tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${ns}/${name}` },
        });
      }
    }
    if (props.driftAlarm) this.alarms.drift = this.driftAlarm(props.driftAlarm, alarmPrefix, c.alarmTopicArn);

    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: `${alarmPrefix}`.slice(0, 255),
      dashboardBody: endpointDashboardBody({
        title: `${ns}/${name} on ${c.clusterName} (${props.model.name})`,
        region,
        loadBalancer: lb.arnSuffix,
        targetGroups: { stable: targetGroups.stable.arnSuffix, canary: targetGroups.canary.arnSuffix },
        alarmArns: Object.values(this.alarms).map((a) => a.arn),
        queueDepthQuery: renderQueueDepthQuery(this.container.queueDepthQuery, promSelector),
        gpuUtilizationQuery: `avg(DCGM_FI_DEV_GPU_UTIL{${promSelector.replace("secure_inference_io_endpoint", "exported_secure_inference_io_endpoint")}})`,
        prometheusWorkspaceArn: c.prometheusWorkspaceArn,
      }),
    });
  }

  private evaluationTemplate(templateName: string, ns: string, labels: Record<string, string>, gate: NonNullable<ResolvedCanaryRollout["preTrafficEvaluation"]>, port: number, servedModel: string): Record<string, unknown> {
    const timeout = this.rollout.evaluationTimeoutSeconds;
    const template: IAnalysisTemplate = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AnalysisTemplate",
      metadata: { name: templateName, namespace: ns, labels },
      spec: {
        metrics: [
          {
            name: "evaluation",
            // A job either passes or fails: no retries, one measurement.
            failureLimit: 0,
            provider: {
              job: {
                metadata: { labels: { ...labels, [EVALUATION_ROLE_LABEL]: `${this.endpointName}-evaluation`, [ENDPOINT_LABEL]: `${this.endpointName}-evaluation` } },
                spec: {
                  backoffLimit: 0,
                  activeDeadlineSeconds: timeout,
                  ttlSecondsAfterFinished: 86400,
                  template: {
                    metadata: { labels: { [EVALUATION_ROLE_LABEL]: `${this.endpointName}-evaluation` } },
                    spec: {
                      restartPolicy: "Never",
                      automountServiceAccountToken: false,
                      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" as const } },
                      containers: [
                        {
                          name: "evaluate",
                          image: gate.image,
                          ...(gate.command ? { command: gate.command } : {}),
                          ...(gate.args ? { args: gate.args } : {}),
                          env: [
                            { name: "ENDPOINT_URL", value: `http://${this.services.canary}.${ns}.svc.cluster.local:${port}/v1` },
                            { name: "MODEL_NAME", value: servedModel },
                            ...Object.entries(gate.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
                          ],
                          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "2Gi" } },
                          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        },
                      ],
                      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    return template as unknown as Record<string, unknown>;
  }

  private driftAlarm(d: DriftAlarm, prefix: string, topicArn: string): CloudwatchMetricAlarm {
    return new CloudwatchMetricAlarm(this, "alarm-drift", {
      alarmName: `${prefix}-drift`,
      alarmDescription: `${d.namespace}/${d.metricName} left its expected band (${d.bandWidth ?? 2} standard deviations): the model's outputs may have drifted`,
      comparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold",
      evaluationPeriods: d.evaluationPeriods ?? 3,
      thresholdMetricId: "band",
      treatMissingData: "missing",
      metricQuery: [
        { id: "m", returnData: true, metric: { namespace: d.namespace, metricName: d.metricName, period: 300, stat: d.statistic ?? "Average", dimensions: d.dimensions } },
        { id: "band", expression: `ANOMALY_DETECTION_BAND(m, ${d.bandWidth ?? 2})`, label: `${d.metricName} (expected)`, returnData: true },
      ],
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
  }
}


/** Most sequences one replica decodes at once, from the server's batching settings. */
function maxBatchOf(container: ServerContainer): number {
  const b = container.batching;
  return Number(b.maxNumSeqs ?? b.maxBatchSize ?? b.maxConcurrentRequests ?? 64);
}

