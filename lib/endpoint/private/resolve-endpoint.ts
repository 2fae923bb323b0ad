/*
 * Everything a CanaryModelEndpoint decides before it creates a resource: the props validated (every
 * problem at once), defaults applied, the server rendered once, the GPU fit, the rollout policy and
 * its timing, the names of what it creates and its line in the capacity plan. Pure: no constructs.
 */
import { Fn } from "cdktf";
import type { NamespaceIngressAllow } from "../../addons/workload-namespace";
import type { ClusterConnection } from "../../cluster/cluster-connection";
import { estimateReplicas, explainFit, GPU_PERFORMANCE, ModelFit, modelFit, ModelFitInput, ReplicaEstimate } from "../../planning/capacity";
import type { CapacityPlan, PlannedEndpoint } from "../../planning/capacity-plan";
import { DEFAULT_IMAGE_CACHE_INITIALIZATION_MIBPS, type GpuPoolDescription } from "../../planning/gpu-pool-description";
import { validateInternalAlb } from "../../private/internal-alb";
import { isDnsLabel, isLiteral, Problems, show } from "../../private/validation";
import { canaryRolloutTiming, CanaryRolloutTiming, ResolvedCanaryRollout, resolveCanaryRollout, validateCanaryRollout } from "../canary-rollout";
import { rollbackServerProblems } from "./rollback-checks";
import { latencyServerOf } from "./server-latency";
import { CanaryModelEndpointProps, DriftAlarm, ENDPOINT_LABEL, EndpointAutoscaling, EndpointIngress, EndpointModel, MODELS_DIR } from "../endpoint-props";
import { InferenceServer } from "../inference-server";
import { InferenceServerImages, SERVER_API_BASE_PATH, ServerContainer } from "../servers/server-types";
import { parseDuration } from "./duration";
import { serverPodResources } from "./pod-resources";
import { type ColdStart, coldStart, streamerConcurrency } from "../../planning/cold-start";
import { placedIngress, ResolvedPlacement, resolvePlacement } from "./placement";
import { endpointWeightCache, type EndpointWeightCache } from "./weight-cache-entry";

/** Largest warm-up an endpoint may give: above it, the value is taken for milliseconds. */
const MAX_WARMUP_SECONDS = 3600;

/** Where an endpoint sits, which its props do not say. */
export interface EndpointSite {
  /** Construct id: the Kubernetes name when `props.name` is not given. */
  readonly id: string;
  /** Construct path, as the capacity plan records it. */
  readonly path: string;
  /** The app's capacity plan, which places the endpoint beside those already on its pool. */
  readonly plan: Pick<CapacityPlan, "placementProblems" | "placementWarnings">;
}

/** The internal load balancer with its defaults applied. */
export interface ResolvedIngress {
  /** ACM certificate ARN of the HTTPS listener. */
  readonly certificateArn: string;
  /** Host name of the listener rule, when given. */
  readonly host?: string;
  /** ELB security policy, when given (the annotations apply the default). */
  readonly sslPolicy?: string;
  /** CIDRs the load balancer admits: `allowedCidrs`, else the VPC CIDR. */
  readonly allowedCidrs: string[];
  /** Seconds of ALB cookie stickiness, when on. */
  readonly sessionAffinitySeconds?: number;
  /** Private hosted zone that gets `host` as an alias of the load balancer, when given (with a host). */
  readonly privateHostedZoneId?: string;
  /** CIDRs the pods admit on the server ports: the load balancer subnets, else `allowedCidrs`. */
  readonly podSourceCidrs: string[];
  /**
   * Subnets the load balancer must be in, when not the cluster's load balancer subnets: a Local Zone pool's (an ALB
   * sends only to targets in zones it is enabled in, and cannot mix Local Zones with availability zones).
   * @default - the cluster's load balancer subnets (discovered by the controller from their tags)
   */
  readonly subnetIds?: string[];
}

/** Kubernetes and CloudWatch names of what an endpoint creates, all derived from its name. */
export interface EndpointNames {
  /** ConfigMap of the files the server reads (e.g. Triton's config.pbtxt). */
  readonly serverFiles: string;
  /** AnalysisTemplate run at every traffic step. */
  readonly rollbackChecks: string;
  /** AnalysisTemplate of the pre-traffic evaluation job. */
  readonly preTrafficEvaluation: string;
  /** Value of the role label that selects the evaluation job's pods. */
  readonly evaluationPods: string;
  /** KEDA TriggerAuthentication for AMP. */
  readonly triggerAuthentication: string;
  /** Prefix of alarm and dashboard names: cluster, namespace and endpoint. */
  readonly alarmPrefix: string;
}

/** An endpoint's props resolved into one valid value: everything the builders read. */
export interface ResolvedEndpoint {
  /** Kubernetes name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** The cluster. */
  readonly connection: ClusterConnection;
  /** The model as declared. */
  readonly model: EndpointModel;
  /** Name the server serves the model under (Triton: the endpoint name, its model repository entry). */
  readonly servedModelName: string;
  /** Directory of the weights in the server pod. */
  readonly modelDir: string;
  /** The pool the replicas run on. */
  readonly pool: GpuPoolDescription;
  /** GPUs per replica. */
  readonly gpusPerReplica: number;
  /** Replica bounds. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Waiting requests per replica that scale up, and seconds of low load before a replica goes. */
  readonly scaling: { readonly targetQueueDepthPerReplica: number; readonly scaleDownStabilizationSeconds: number };
  /** The GPU fit of the model on one replica; it fits. */
  readonly fit: ModelFit;
  /** The server container, rendered once. */
  readonly container: ServerContainer;
  /** The rollout policy with defaults applied. */
  readonly rollout: ResolvedCanaryRollout;
  /** Time to rollback and exposure of the policy at minReplicas. */
  readonly rolloutTiming: CanaryRolloutTiming;
  /** Replicas the declared load needs, when a load was declared. */
  readonly replicaEstimate?: ReplicaEstimate;
  /** Seconds from the end of the download to ready: loading the weights plus warm-up. */
  readonly loadSeconds: number;
  /** Seconds one replica needs from scheduling to ready. */
  readonly podStartSeconds: number;
  /** The load balancer. */
  readonly ingress: ResolvedIngress;
  /** Pods of other namespaces that may call the server directly. */
  readonly allowFrom: NamespaceIngressAllow[];
  /** The anomaly-detection alarm, when asked for. */
  readonly driftAlarm?: DriftAlarm;
  /** Service names; Argo Rollouts points them at the stable and canary ReplicaSets. */
  readonly services: { readonly stable: string; readonly canary: string };
  /** In-cluster base URL of the stable version. */
  readonly stableUrl: string;
  /** Names of the other resources. */
  readonly names: EndpointNames;
  /** Labels of every object of the endpoint. */
  readonly labels: Record<string, string>;
  /** Selector of the server pods. */
  readonly selector: Record<string, string>;
  /** PromQL label matchers of the server pods' series in AMP, without braces. */
  readonly promSelector: string;
  /** AMP's Prometheus endpoint without its trailing slash, for Argo and KEDA. */
  readonly prometheusAddress: string;
  /** The endpoint as the capacity plan records it. */
  readonly planned: PlannedEndpoint;
  /** Risks that do not stop synth, in the order they are reported. */
  readonly warnings: string[];
  /** Where the replicas run, and the residency tags when the endpoint is data-resident. */
  readonly placement: ResolvedPlacement;
  /** The pool's node-level weight cache, when the pool has one and the server reads local files. */
  readonly weightCache?: EndpointWeightCache;
}

/** Either every problem with the props, or the endpoint they describe. */
export type EndpointResolution = { readonly ok: false; readonly problems: readonly string[] } | { readonly ok: true; readonly endpoint: ResolvedEndpoint };

/** Validates a CanaryModelEndpoint's props, collecting every problem, and resolves them into one value. */
export function resolveEndpoint(props: CanaryModelEndpointProps, site: EndpointSite): EndpointResolution {
  const c = props.connection;
  const name = props.name ?? site.id;
  const server = props.server ?? InferenceServer.vllm();
  const p = new Problems();

  if (!isDnsLabel(name, 40)) p.add(props.name === undefined ? "id" : "name", `${show(name)} must be a DNS label of at most 40 characters (it prefixes Service, Ingress and alarm names); e.g. "chat"`);
  if (!isDnsLabel(props.namespace)) p.add("namespace", `${show(props.namespace)} is not a namespace name (DNS label)`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,127}$/.test(props.model.name)) p.add("model.name", `${show(props.model.name)} must be 1-128 letters, digits, ".", "_", "-" or "/" (what clients send as "model")`);
  const src = props.model.source;
  if (isLiteral(src) && (src.startsWith("s3://") || src.startsWith("/") || src.includes("*") || !src.endsWith("/"))) {
    p.add("model.source", `${show(src)} must be a key prefix inside the cluster's model bucket ending in "/", without "s3://", a leading "/" or wildcards; e.g. "llama-3.1-8b-instruct/"`);
  } else if (isLiteral(src) && !/^[A-Za-z0-9!_.()\-/]+$/.test(src)) {
    // S3's "safe characters" (S3 user guide, object-keys), without "'" and "*": the prefix goes into a quoted shell word and an IAM resource.
    p.add("model.source", `${show(src)} may hold only letters, digits and ! _ . ( ) - /; rename the prefix in the bucket`);
  }
  const params = props.model.parametersBillions;
  if (!(typeof params === "number" && params > 0 && params < 10000)) p.add("model.parametersBillions", `${show(params)} must be the parameter count in billions, e.g. 8 for an 8B model`);
  const { pool, perReplica, perReplicaFits } = gpuOf(props, p);
  const scaling = scalingOf(props.autoscaling, p);
  validateCanaryRollout(props.rollout, props.rollbackWhen, p);
  const ingress = ingressOf(props.ingress, c, p);
  const prefix = props.sharedPrefixTokens ?? 0;
  if (!Number.isInteger(prefix) || prefix < 0) p.add("sharedPrefixTokens", `${show(prefix)} must be a whole number of tokens, 0 or more`);
  const load = props.load;
  if (load) {
    if (!(load.requestsPerSecond > 0)) p.add("load.requestsPerSecond", `${show(load.requestsPerSecond)} must be a positive number of requests per second`);
    if (!(Number.isInteger(load.meanInputTokens) && load.meanInputTokens > 0)) p.add("load.meanInputTokens", `${show(load.meanInputTokens)} must be a positive whole number of tokens`);
    if (!(Number.isInteger(load.meanOutputTokens) && load.meanOutputTokens > 0)) p.add("load.meanOutputTokens", `${show(load.meanOutputTokens)} must be a positive whole number of tokens`);
    if (load.meanInputTokens < prefix) p.add("load.meanInputTokens", `${load.meanInputTokens} is shorter than sharedPrefixTokens (${prefix}); the shared prefix is part of the input`);
  }
  const loadPerGiB = props.loadSecondsPerGiB ?? 1;
  const downloadPerGiB = props.downloadSecondsPerGiB ?? 1;
  if (!(loadPerGiB > 0)) p.add("loadSecondsPerGiB", `${show(loadPerGiB)} must be a positive number of seconds`);
  if (!(downloadPerGiB > 0)) p.add("downloadSecondsPerGiB", `${show(downloadPerGiB)} must be a positive number of seconds`);
  const warmup = props.warmupSeconds;
  if (warmup !== undefined) {
    if (!isLiteral(warmup)) {
      p.add("warmupSeconds", "is a token; the planner needs the number at synth time (it sizes the startup probe and the rollback budget): give a literal number of seconds");
    } else if (!(typeof warmup === "number" && Number.isFinite(warmup) && warmup > 0)) {
      p.add("warmupSeconds", `${Number.isNaN(warmup) ? "NaN" : show(warmup)} must be a positive number of seconds, as measured from the server container's start to the pod's Ready condition less the weights' transfer`);
    } else if (warmup > MAX_WARMUP_SECONDS) {
      p.add("warmupSeconds", `${show(warmup)} is more than an hour; give seconds, not milliseconds (e.g. 95 for 95 s)`);
    }
  }

  // --- the server, rendered once when its options are valid -------------------------------------
  const modelDir = `${MODELS_DIR}/${name}`;
  // vLLM streams the weights from S3 into GPU memory; the other servers read a local copy.
  const streams = server.kind === "vllm";
  const objectStorage =
    streams && pool && perReplicaFits
      ? {
          uri: `s3://${c.modelBucketName}/${src}`,
          concurrency: streamerConcurrency(pool.instanceTypes[0], perReplica),
          // The streamer's CPU buffer, 20 GB by default (runai-model-streamer@0.14.0:
          // py/runai_model_streamer/.../requests_iterator.py), must fit beside the server in the pod's
          // memory limit: a quarter of it, at most the default.
          memoryLimitBytes: Math.min(20_000_000_000, Math.floor(serverPodResources(pool, perReplica).memoryGiB / 4) * 1024 ** 3),
        }
      : undefined;
  const ctx = {
    modelName: props.model.name,
    modelDir,
    gpusPerReplica: perReplica,
    dtype: props.model.dtype,
    quantization: props.model.quantization,
    sharedPrefixTokens: Number.isInteger(prefix) && prefix > 0 ? prefix : undefined,
    meanInputTokens: load && Number.isInteger(load.meanInputTokens) && load.meanInputTokens > 0 ? load.meanInputTokens : undefined,
    scrapeIntervalSeconds: c.scrapeIntervalSeconds,
    objectStorage,
  };
  const serverProblems = server.validate(ctx);
  p.addAll(serverProblems);
  const rendered = serverProblems.length === 0 ? server.render(ctx) : undefined;
  if (rendered?.maxModelLen !== undefined && load && Number.isInteger(load.meanInputTokens) && Number.isInteger(load.meanOutputTokens) && load.meanInputTokens + load.meanOutputTokens > rendered.maxModelLen) {
    p.add("load", `a mean request of ${load.meanInputTokens} input + ${load.meanOutputTokens} output tokens exceeds the server's maxModelLen ${rendered.maxModelLen}, so most requests would be refused; raise the server's maxModelLen or correct the declared load`);
  }
  if (rendered?.maxModelLen !== undefined && prefix >= rendered.maxModelLen) {
    p.add("sharedPrefixTokens", `${prefix} is not shorter than the server's maxModelLen ${rendered.maxModelLen}, and the shared prefix is part of every prompt; raise the server's maxModelLen above it or state the prefix actually shared`);
  }
  // Each rollback condition must be measurable on this server (rollback-checks.ts: which histogram, which buckets).
  if (rendered) p.addAll(rollbackServerProblems(props.rollbackWhen, latencyServerOf(rendered)).map((line) => (line.startsWith("rollbackWhen") ? line : `rollbackWhen: ${line}`)));
  if (rendered && rendered.queueDepthQuery === "") noQueueMetricProblems(rendered, props.autoscaling, scaling, p);

  // --- GPU fit ------------------------------------------------------------------------------
  // The KV cache is sized for the context the server is told (vLLM --max-model-len, Triton vllm
  // backend max_model_len, TGI --max-total-tokens). Servers told none (Triton's other backends,
  // custom) are assumed to need 8192 tokens.
  let fit: ModelFit | undefined;
  if (pool && params > 0 && perReplicaFits) {
    const fitInput: ModelFitInput = {
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
  // Hybrid and edge placement (placement.ts): what serves an on-premises pool, and data residency.
  const placement = pool ? resolvePlacement(pool, c, props.dataResidency, p, props.downloadSecondsPerGiB !== undefined) : undefined;
  // Every value below is known valid: a missing one has recorded its problem above.
  if (p.list.length > 0 || !pool || !placement || !fit || !rendered || scaling.scaleDownStabilizationSeconds === undefined) return { ok: false, problems: p.list };
  const replicaEstimate =
    load && GPU_PERFORMANCE[pool.gpuModel]
      ? estimateReplicas({ fit, parametersBillions: params, gpuModel: pool.gpuModel, gpusPerReplica: perReplica, maxBatch: maxBatchOf(rendered), load, cachedPrefixTokens: prefix })
      : undefined;

  // --- the rollout and how long a replica takes to start ----------------------------------------
  const rollout = resolveCanaryRollout(props.rollout, props.rollbackWhen, { scrapeIntervalSeconds: c.scrapeIntervalSeconds });
  // A pool's node-level weight cache serves the servers that read local files (vLLM streams instead).
  const poolCache = rendered.streamsWeights ? undefined : pool.weightCache;
  const cold = coldStart({
    instanceType: pool.instanceTypes[0],
    gpusPerReplica: perReplica,
    weightsGiB: fit.weightsGiB,
    serverKind: rendered.kind,
    weights: rendered.streamsWeights ? "stream" : "download",
    // A pool's data-volume snapshot serves the image only if it lists this exact reference.
    image: pool.imageCache?.images?.includes(rendered.image) ? { kind: "snapshot", initialization: pool.imageCache.initialization ?? DEFAULT_IMAGE_CACHE_INITIALIZATION_MIBPS } : { kind: "pull" },
    downloadSecondsPerGiB: props.downloadSecondsPerGiB,
    loadSecondsPerGiB: props.loadSecondsPerGiB,
    warmupSeconds: props.warmupSeconds,
    nodeCache: poolCache ? { readMiBps: poolCache.readMiBps } : undefined,
  });
  const cacheNeedGiB = Math.ceil(fit.weightsGiB);
  if (poolCache && poolCache.maxSizeGiB < cacheNeedGiB) {
    return {
      ok: false,
      problems: [
        `model: the ${fit.weightsGiB.toFixed(1)} GiB of weights do not fit the node weight cache of pool "${pool.name}" (weightCache.maxSizeGiB ${poolCache.maxSizeGiB}), so every replica would download its own copy; raise weightCache.maxSizeGiB to at least ${2 * cacheNeedGiB} (a canary and its stable) in the cluster, or put the endpoint on a pool without a cache`,
      ],
    };
  }
  const weightCache = poolCache ? endpointWeightCache(props.namespace, name, src, poolCache.maxSizeGiB, cold.weightsSeconds) : undefined;
  // Streamed weights arrive while the server starts, so the startup probe covers both; cached ones are read from the data volume as they load.
  const loadSeconds = rendered.streamsWeights ? cold.warmNodeSeconds : Math.max(cold.loadSeconds, cold.cacheHitSeconds ?? 0);
  const podStartSeconds = cold.warmNodeSeconds;
  // Detection uses the rendered server's error counter in AMP where it has one (vLLM, TGI), as the rendered checks do.
  // A rollback restores stable replicas on nodes whose cache still holds the stable version (the bound keeps it while it fits).
  const rolloutTiming = canaryRolloutTiming(rollout, scaling.min, cold.cacheHitSeconds ?? podStartSeconds, cold.nodeSeconds + cold.imageSeconds, latencyServerOf(rendered));
  if (rolloutTiming.stablePolicy.problem) return { ok: false, problems: [rolloutTiming.stablePolicy.problem] };
  const planned: PlannedEndpoint = {
    path: site.path,
    name: `${props.namespace}/${name}`,
    clusterName: c.clusterName,
    pool,
    gpusPerReplica: perReplica,
    minReplicas: scaling.min,
    maxReplicas: scaling.max,
    replicasForLoad: replicaEstimate?.replicas,
    fitUsedFraction: fit.usedFraction,
    weightsGiB: fit.weightsGiB,
    kvCacheGiB: fit.kvCacheGiB,
    kvCacheTokens: fit.kvCacheTokens,
    rollout: {
      steps: rolloutTiming.steps,
      detectionSeconds: rolloutTiming.detectionSeconds,
      firstStepRollbackSeconds: rolloutTiming.firstStep.rollbackSeconds,
      firstStepExposurePercentMinutes: rolloutTiming.firstStep.exposurePercentMinutes,
      worstStepRollbackSeconds: rolloutTiming.worstStep.rollbackSeconds,
      worstStepExposurePercentMinutes: rolloutTiming.worstStep.exposurePercentMinutes,
      fullRolloutSeconds: rolloutTiming.fullRolloutSeconds,
      rollbackBudgetSeconds: rolloutTiming.stablePolicy.budgetSeconds,
      warmStable: rolloutTiming.stablePolicy.warmStable,
      worstStepRollbackSecondsWithoutWarmStable: rolloutTiming.stablePolicy.worstStepRollbackSecondsWithoutWarmStable,
      warmStableExtraReplicas: rolloutTiming.stablePolicy.extraReplicasAtPeak,
      warmStableExtraReplicaSecondsPerRollout: rolloutTiming.stablePolicy.extraReplicaSecondsPerRollout,
    },
    coldStart: cold,
  };
  const placementProblems = site.plan.placementProblems(planned);
  if (placementProblems.length > 0) return { ok: false, problems: placementProblems };

  const ns = props.namespace;
  const services = { stable: `${name}-stable`, canary: `${name}-canary` };
  return {
    ok: true,
    endpoint: {
      name,
      namespace: ns,
      connection: c,
      model: props.model,
      // Triton serves the model under its repository directory name; the others under model.name.
      servedModelName: rendered.kind === "triton" ? name : props.model.name,
      modelDir,
      pool,
      gpusPerReplica: perReplica,
      replicas: { min: scaling.min, max: scaling.max },
      scaling: { targetQueueDepthPerReplica: scaling.targetQueueDepthPerReplica, scaleDownStabilizationSeconds: scaling.scaleDownStabilizationSeconds },
      fit,
      container: rendered,
      rollout,
      rolloutTiming,
      replicaEstimate,
      loadSeconds,
      podStartSeconds,
      ingress: placedIngress(ingress, placement),
      allowFrom: props.allowFrom ?? [],
      driftAlarm: props.driftAlarm,
      services,
      stableUrl: `http://${services.stable}.${ns}.svc.cluster.local:${rendered.port}`,
      names: {
        serverFiles: `${name}-server-files`,
        rollbackChecks: `${name}-rollback-checks`,
        preTrafficEvaluation: `${name}-pre-traffic-evaluation`,
        evaluationPods: `${name}-evaluation`,
        triggerAuthentication: `${name}-amp`,
        alarmPrefix: `${c.clusterName}-${ns}-${name}`,
      },
      labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "model-server", "app.kubernetes.io/managed-by": "cdktf-secure-inference", [ENDPOINT_LABEL]: name },
      selector: { [ENDPOINT_LABEL]: name },
      promSelector: `namespace="${ns}",secure_inference_io_endpoint="${name}"`,
      prometheusAddress: Fn.trimsuffix(c.prometheusEndpoint, "/"),
      planned,
      warnings: [...warningsOf(planned, site.plan, rendered, prefix, ingress, c, props.rollout?.preTrafficEvaluation !== undefined), ...placement.warnings, ...weightCacheWarnings(pool, cold, cacheNeedGiB, poolCache !== undefined)],
      weightCache,
      placement,
    },
  };
}

/** The pool and GPUs per replica; `perReplicaFits` when the count is valid for the pool. */
function gpuOf(props: CanaryModelEndpointProps, p: Problems): { pool?: GpuPoolDescription; perReplica: number; perReplicaFits: boolean } {
  const c = props.connection;
  const pool = c.gpuPools.find((g) => g.name === props.gpu.pool);
  if (!pool) p.add("gpu.pool", `${show(props.gpu.pool)} is not a GPU pool of cluster ${c.clusterName}; pools: ${c.gpuPools.map((g) => `"${g.name}"`).join(", ") || "none"}`);
  const perReplica = props.gpu.perReplica ?? 1;
  const validCount = [1, 2, 4, 8].includes(perReplica);
  if (!validCount) p.add("gpu.perReplica", `${show(perReplica)} must be 1, 2, 4 or 8 (tensor parallelism splits attention heads evenly)`);
  else if (pool && perReplica > pool.gpuCount) {
    p.add("gpu.perReplica", `${perReplica} exceeds the ${pool.gpuCount} GPU(s) of one ${pool.instanceTypes.join("/")} node in pool "${pool.name}"; a replica cannot span nodes: use a pool with larger instances or fewer GPUs per replica`);
  }
  return { pool, perReplica, perReplicaFits: validCount && pool !== undefined && perReplica <= pool.gpuCount };
}

/** Replica bounds and scaling behaviour with defaults; the stabilization is undefined when it is not a valid duration. */
function scalingOf(a: EndpointAutoscaling | undefined, p: Problems) {
  const min = a?.minReplicas ?? 1;
  const max = a?.maxReplicas ?? Math.max(4, min);
  if (!Number.isInteger(min) || min < 1) p.add("autoscaling.minReplicas", `${show(min)} must be a whole number, at least 1: a GPU replica takes minutes to start, so the endpoint never scales to zero`);
  if (!Number.isInteger(max) || max < 1) p.add("autoscaling.maxReplicas", `${show(max)} must be a whole number, at least 1`);
  else if (min > max) p.add("autoscaling", `minReplicas (${min}) must not exceed maxReplicas (${max})`);
  const target = a?.targetQueueDepthPerReplica ?? 4;
  if (!(target > 0)) p.add("autoscaling.targetQueueDepthPerReplica", `${show(target)} must be a positive number of waiting requests per replica, e.g. 4`);
  const scaleDown = parseDuration(a?.scaleDownStabilization ?? "15m");
  const validScaleDown = scaleDown !== undefined && scaleDown <= 3600 ? scaleDown : undefined;
  if (validScaleDown === undefined) p.add("autoscaling.scaleDownStabilization", `${show(a?.scaleDownStabilization)} must be a duration up to "1h" (the HPA maximum), e.g. "15m"`);
  return { min, max, targetQueueDepthPerReplica: target, scaleDownStabilizationSeconds: validScaleDown };
}

/** The load balancer settings, validated, and the CIDRs the pods admit. */
function ingressOf(ing: EndpointIngress, c: ClusterConnection, p: Problems): ResolvedIngress {
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
  return {
    certificateArn: ing.certificateArn,
    host: ing.host,
    sslPolicy: ing.sslPolicy,
    allowedCidrs: cidrs,
    sessionAffinitySeconds: sticky,
    privateHostedZoneId: ing.privateHostedZoneId,
    // The load balancer's and the scraper's subnets hold no pods; without them (an existing VPC) the
    // VPC CIDR is the fallback, and that admits every pod of the cluster too.
    podSourceCidrs: c.loadBalancerCidrs ?? cidrs,
  };
}

/**
 * Problems of a server without a queue-depth metric: it cannot autoscale, so it must run a fixed
 * number of replicas. KEDA would read the missing series as 0 (its Prometheus scaler's
 * `ignoreNullValues` defaults to true: kedacore/keda@v2.17.2:pkg/scalers/prometheus_scaler.go:50,
 * 259-263) and never scale up.
 */
function noQueueMetricProblems(container: ServerContainer, a: EndpointAutoscaling | undefined, scaling: { min: number; max: number }, p: Problems): void {
  const triton = container.kind === "triton";
  const why = triton
    ? "Triton's vllm backend exports no queue-depth metric (only token counters and latency histograms; Triton's nv_inference_pending_request_count counts a request only until the backend starts it, and this backend hands every request to vLLM at once), so KEDA would read 0 and never scale up"
    : "the custom server has no queueDepthMetric, and KEDA scales only on queue depth";
  const fix = triton ? "serve the model with InferenceServer.vllm(), which exports vllm:num_requests_waiting" : "give the custom server's queueDepthMetric (a Prometheus gauge of waiting requests)";
  const { min, max } = scaling;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) return;
  if (min !== max) {
    const given = `minReplicas ${min}${a?.minReplicas === undefined ? " (default)" : ""} and maxReplicas ${max}${a?.maxReplicas === undefined ? " (default)" : ""}`;
    p.add("autoscaling", `${given} ask for scaling on queue depth, but ${why}; set autoscaling.minReplicas and maxReplicas to the same number for a fixed number of replicas, or ${fix}`);
  } else if (a?.targetQueueDepthPerReplica !== undefined) {
    p.add("autoscaling.targetQueueDepthPerReplica", `${show(a.targetQueueDepthPerReplica)} has no effect: ${why}, and the endpoint runs a fixed ${min} replica(s); remove it, or ${fix}`);
  }
}

/** Risks of an endpoint's use of its pool's weight cache: room for one version only, or a data volume slower than the network. */
function weightCacheWarnings(pool: GpuPoolDescription, cold: ColdStart, needGiB: number, cached: boolean): string[] {
  const cache = pool.weightCache;
  if (!cached || !cache) return [];
  const warnings: string[] = [];
  if (cache.maxSizeGiB < 2 * needGiB) {
    warnings.push(
      `pool "${pool.name}" weightCache.maxSizeGiB ${cache.maxSizeGiB} holds one version of this model's ${needGiB} GiB, not two: while a canary runs, its version does not fit beside the stable one, so the canary's pods download their own copies; raise it to ${2 * needGiB}`,
    );
  }
  if (cold.cacheHitSeconds !== undefined && cold.cacheHitSeconds > cold.warmNodeSeconds) {
    const mbps = cold.assumptions.weightsMBPerSecond;
    warnings.push(
      `pool "${pool.name}": a cache hit reads the weights from the data volume at ${cache.readMiBps} MiB/s, slower than downloading them at ${mbps} MB/s (${cold.cacheHitSeconds} s against ${cold.warmNodeSeconds} s to a ready replica); ` +
        `raise volumeThroughputMiBps of the pool to at least ${Math.min(2000, Math.ceil((mbps * 1e6) / 1048576))} (gp3 allows 2000, with volumeIops at 4 per MiB/s)`,
    );
  }
  return warnings;
}

/** Risks of a valid endpoint, in the order they are reported. */
function warningsOf(planned: PlannedEndpoint, plan: EndpointSite["plan"], container: ServerContainer, prefix: number, ingress: ResolvedIngress, c: ClusterConnection, evaluates: boolean): string[] {
  const warnings = [...plan.placementWarnings(planned)];
  const budget = container.batching.maxNumBatchedTokens;
  const seqs = container.batching.maxNumSeqs;
  // vLLM 0.11 (V1) always chunks prefill, so a budget below the shared prefix splits it over steps.
  if (container.batching.chunkedPrefill === true && typeof budget === "number" && typeof seqs === "number" && prefix > 0 && budget < seqs + prefix) {
    warnings.push(
      `server.maxNumBatchedTokens ${budget} cannot hold the ${prefix}-token shared prefix beside ${seqs} running sequences in one step, so a replica that has not cached it yet (a new canary pod) computes it over several chunked steps; raise maxNumBatchedTokens to at least ${seqs + prefix} or leave it unset to size it from sharedPrefixTokens`,
    );
  }
  if (container.kind === "tgi" && container.image === InferenceServerImages.tgi) {
    warnings.push(
      `${InferenceServerImages.tgi} cannot start as a non-root user (huggingface/text-generation-inference#3082), which restricted Pod Security requires; ` +
        "give InferenceServer.tgi({ image }) an image rebuilt to run as uid 1000, or use vLLM",
    );
  }
  if (evaluates && container.api !== "openai") {
    warnings.push(
      `rollout.preTrafficEvaluation: the ${container.kind} server answers only the ${container.api} API (no OpenAI-compatible /v1), so the evaluation job gets ENDPOINT_URL=<canary>${SERVER_API_BASE_PATH[container.api]} and ENDPOINT_API=${container.api}; ` +
        `write the harness against that API (e.g. POST /v2/models/<MODEL_NAME>/generate), or serve the model with InferenceServer.vllm() for an OpenAI-compatible one`,
    );
  }
  if (!c.loadBalancerCidrs) {
    warnings.push(
      `the cluster has no dedicated load balancer subnets (existingVpc), so the pods admit ${ingress.podSourceCidrs.join(", ")}: every pod in that range can call the model API directly; ` +
        "give internal load balancers and the scraper their own subnets, or accept it",
    );
  }
  return warnings;
}

/** Most sequences one replica decodes at once, from the server's batching settings. */
function maxBatchOf(container: ServerContainer): number {
  const b = container.batching;
  return Number(b.maxNumSeqs ?? b.maxBatchSize ?? b.maxConcurrentRequests ?? 64);
}
