/*
 * The Argo Rollout of an endpoint: the server pod (weights fetched from S3 by an init container,
 * restricted security, the replica's share of a GPU node, probes sized to the model) and the canary
 * strategy, whose steps set a weight and run the rollback checks, after the optional pre-traffic gate.
 */
import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import type { ICanaryStep } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/CanaryStep";
import type { IRollout } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout";
import { GPU_TAINT, NodeLabels } from "../../cluster/node-labels";
import { MODEL_FETCH_IMAGE } from "../../private/images";
import {
  restrictedContainerSecurity,
  restrictedManifestPodSecurity,
} from "../../private/pod-security";
import { MODELS_DIR } from "../endpoint-props";
import { evaluationTemplate } from "./evaluation";
import { serverPodResources } from "./pod-resources";
import type { ResolvedEndpoint } from "./resolve-endpoint";
import {
  ANALYSIS_ARGS,
  analysisMetric,
  counterAnalysisMetric,
  prometheusAnalysisMetric,
  rollbackAnalysisTemplate,
  rollbackChecks as checksOf,
} from "./rollback-checks";
import { latencyServerOf } from "./server-latency";
import { serverFileKeys } from "./services";
import { modelVolumeGiB, weightsOnDisk } from "./agreement";
import { DOWNLOAD_SCRIPT, downloadEnv, LINK_OR_DOWNLOAD_SCRIPT, linkOrDownloadEnv } from "./weight-cache";
import { WEIGHT_CACHE_MOUNT } from "./weight-cache-entry";

/** Seconds a terminating server keeps serving: longer than the ALB takes to stop sending it requests. */
const PRE_STOP_SECONDS = 20;
/** The startup probe allows this multiple of the modelled load time. */
export const STARTUP_ALLOWANCE_FACTOR = 3;

/** The Rollout of an endpoint and the AnalysisTemplates its steps run. */
export interface RolloutManifests {
  /** The Rollout. */
  readonly rollout: IRollout;
  /** The rollback checks, run at every traffic step. */
  readonly rollbackChecks: IAnalysisTemplate;
  /** The pre-traffic evaluation, when the rollout has a gate. */
  readonly preTrafficEvaluation?: IAnalysisTemplate;
}

/** The Rollout, its rollback checks and its pre-traffic evaluation. */
export function rolloutManifests(e: ResolvedEndpoint): RolloutManifests {
  const r = e.rollout;
  // Errors from the ALB (CloudWatch); latencies from the server's own histograms in AMP where it has them.
  // Errors also from the server's own counters in AMP where it exports them: the faster abort.
  const metrics = checksOf(r, latencyServerOf(e.container)).map((check) =>
    check.source === "cloudwatch"
      ? analysisMetric(check, r)
      : check.source === "prometheus-counter"
        ? counterAnalysisMetric(check, r, e.promSelector, e.prometheusAddress, e.connection.region)
        : prometheusAnalysisMetric(
            check,
            r,
            e.promSelector,
            e.prometheusAddress,
            e.connection.region
          )
  );
  const rollbackChecks = rollbackAnalysisTemplate(
    e.names.rollbackChecks,
    e.namespace,
    metrics,
    e.labels
  );
  const analysisArgs = [
    {
      name: ANALYSIS_ARGS.loadBalancer,
      valueFrom: {
        fieldRef: { fieldPath: "status.alb.loadBalancer.fullName" },
      },
    },
    {
      name: ANALYSIS_ARGS.targetGroup,
      valueFrom: {
        fieldRef: { fieldPath: "status.alb.canaryTargetGroup.fullName" },
      },
    },
    ...(metrics.some((m) => m.provider.prometheus)
      ? [
          {
            name: ANALYSIS_ARGS.canaryHash,
            valueFrom: { podTemplateHashValue: "Latest" as const },
          },
        ]
      : []),
  ];
  const gate = r.preTrafficEvaluation;
  const steps: ICanaryStep[] = [];
  if (gate) {
    // The canary runs one replica with 0% of user traffic while the evaluation job calls it.
    steps.push({ setCanaryScale: { replicas: 1 } });
    steps.push({
      analysis: { templates: [{ templateName: e.names.preTrafficEvaluation }] },
    });
  }
  for (const [i, weight] of r.steps.entries()) {
    steps.push({ setWeight: weight });
    // Back to weight-based canary scaling only once a weight is set: at weight 0 it would scale the
    // evaluated replica away and cold-start another GPU pod for the first step.
    if (gate && i === 0)
      steps.push({ setCanaryScale: { matchTrafficWeight: true } });
    // The analysis is the bake: one measurement a minute for stepDuration; a failure aborts at once.
    steps.push({
      analysis: {
        templates: [{ templateName: e.names.rollbackChecks }],
        args: analysisArgs,
      },
    });
  }
  const sticky = e.ingress.sessionAffinitySeconds;
  const rollout: IRollout = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: { name: e.name, namespace: e.namespace, labels: e.labels },
    spec: {
      // No `replicas`: KEDA owns the count; Terraform applies the manifest server-side without claiming it.
      revisionHistoryLimit: 3,
      selector: { matchLabels: e.selector },
      // A canary that cannot become ready (image, weights, GPU) aborts instead of hanging.
      progressDeadlineSeconds: e.podStartSeconds + 600,
      progressDeadlineAbort: true,
      template: serverPodTemplate(e),
      strategy: {
        canary: {
          stableService: e.services.stable,
          canaryService: e.services.canary,
          // Either scale the stable version down as the canary takes traffic, so KEDA's replica count
          // and the canary's share never add up to twice the GPUs; or, when a stable cold start would
          // break the rollback budget, keep it "fully scaled to support instantaneous aborts"
          // (argoproj/argo-rollouts@v1.8.4:pkg/apis/rollouts/v1alpha1/types.go:309-313). No
          // scaleDownDelaySeconds: with dynamicStableScale it is refused (validation.go:74-75, 296-297),
          // and without it the 30 s default already covers the ALB's re-targeting after promotion.
          dynamicStableScale: !e.rolloutTiming.stablePolicy.warmStable,
          trafficRouting: {
            alb: {
              ingress: e.name,
              servicePort: e.container.port,
              // Version stickiness on the weighted forward action, next to replica stickiness in the target groups.
              ...(sticky
                ? {
                    stickinessConfig: {
                      enabled: true,
                      durationSeconds: sticky,
                    },
                  }
                : {}),
            },
          },
          steps,
        },
      },
    },
  };
  return {
    rollout,
    rollbackChecks,
    preTrafficEvaluation: gate ? evaluationTemplate(e, gate) : undefined,
  };
}

/** The server pod: fetch the weights, then serve them on the replica's GPUs. */
function serverPodTemplate(
  e: ResolvedEndpoint
): NonNullable<IRollout["spec"]["template"]> {
  const container = e.container;
  const region = e.connection.region;
  const files = serverFileKeys(e);
  const modelVolume = modelVolumeGiB(e);
  const writable = container.writablePaths.map((path, i) => ({
    path,
    volume: `writable-${i}`,
  }));
  const { cpu, memoryGiB } = serverPodResources(e.pool, e.gpusPerReplica);
  // The load time is a model (planning/cold-start.ts), not a measurement: the probe allows three
  // times it, so a slow start is not killed and restarted in a loop; a hung one is still caught.
  const startupFailures = Math.ceil((STARTUP_ALLOWANCE_FACTOR * e.loadSeconds) / 10);
  // The Run:ai streamer takes its region from the boto3 session; the Pod Identity agent injects only
  // the container-credential variables (research: runai-model-streamer@0.14.0 credentials.py).
  const env = [
    ...Object.entries(container.env).map(([k, v]) => ({ name: k, value: v })),
    { name: "AWS_REGION", value: region },
    ...(container.streamsWeights
      ? [{ name: "AWS_DEFAULT_REGION", value: region }]
      : []),
  ];
  return {
    metadata: {
      labels: e.labels,
      annotations: {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": String(container.metricsPort),
        "prometheus.io/path": container.metricsPath,
      },
    },
    spec: {
      serviceAccountName: e.name,
      automountServiceAccountToken: false,
      securityContext: restrictedManifestPodSecurity(container.runAsUser),
      nodeSelector: { [NodeLabels.POOL]: e.pool.name },
      tolerations: [
        {
          key: GPU_TAINT.key,
          operator: "Equal",
          value: GPU_TAINT.value,
          effect: GPU_TAINT.effect,
        },
      ],
      // GPU capacity is scarce: spread when possible, never leave a replica pending for balance.
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: e.selector },
        },
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: e.selector },
        },
      ],
      // preStop delay, then in-flight generations finish.
      terminationGracePeriodSeconds: PRE_STOP_SECONDS + 60,
      // vLLM streams the weights from S3 (servers/vllm.ts); the others get a copy on the node first.
      ...(container.streamsWeights
        ? {}
        : {
            initContainers: [
              {
                name: "fetch-model",
                image: MODEL_FETCH_IMAGE,
                // With the pool's weight cache: link the node's verified copy, or wait for the node's filler,
                // or download this pod's own copy; without: download (weight-cache.ts, the CRT client at the
                // replica's network share; the server never starts on a partial copy).
                command: ["/bin/sh", "-c", e.weightCache ? LINK_OR_DOWNLOAD_SCRIPT : DOWNLOAD_SCRIPT],
                env: [
                  { name: "AWS_REGION", value: region },
                  { name: "HOME", value: "/tmp" },
                  ...(e.weightCache ? linkOrDownloadEnv(e, e.weightCache) : downloadEnv(e)),
                ],
                securityContext: restrictedContainerSecurity(true),
                resources: {
                  requests: { cpu: "1", memory: "1Gi" },
                  limits: { memory: "2Gi" },
                },
                volumeMounts: [
                  { name: "models", mountPath: MODELS_DIR },
                  { name: "fetch-tmp", mountPath: "/tmp" },
                  ...(e.weightCache ? [{ name: "weight-cache", mountPath: WEIGHT_CACHE_MOUNT, readOnly: true }] : []),
                ],
              },
            ],
          }),
      containers: [
        {
          name: "server",
          image: container.image,
          ...(container.command ? { command: container.command } : {}),
          args: container.args,
          env,
          ports: [
            {
              name: "http",
              containerPort: container.port,
              protocol: "TCP" as const,
            },
            ...(container.metricsPort !== container.port
              ? [
                  {
                    name: "metrics",
                    containerPort: container.metricsPort,
                    protocol: "TCP" as const,
                  },
                ]
              : []),
          ],
          resources: {
            requests: {
              cpu: String(cpu),
              memory: `${memoryGiB}Gi`,
              "nvidia.com/gpu": String(e.gpusPerReplica),
            },
            limits: {
              memory: `${memoryGiB}Gi`,
              "nvidia.com/gpu": String(e.gpusPerReplica),
            },
          },
          securityContext: restrictedContainerSecurity(
            container.readOnlyRootFilesystem
          ),
          startupProbe: {
            httpGet: { path: container.livenessPath, port: "http" },
            periodSeconds: 10,
            failureThreshold: startupFailures,
          },
          // Keep serving while the ALB deregisters the pod (scale-in, dynamicStableScale), so no request meets a closed port.
          lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
          readinessProbe: {
            httpGet: { path: container.readinessPath, port: "http" },
            periodSeconds: 5,
            failureThreshold: 3,
          },
          livenessProbe: {
            httpGet: { path: container.livenessPath, port: "http" },
            periodSeconds: 15,
            failureThreshold: 4,
            timeoutSeconds: 5,
          },
          volumeMounts: [
            ...(!weightsOnDisk(e)
              ? []
              : [
                  {
                    name: "models",
                    mountPath: MODELS_DIR,
                    readOnly: files.length === 0,
                  },
                ]),
            // The model directory's links point into the node's cache, read-only.
            ...(e.weightCache ? [{ name: "weight-cache", mountPath: WEIGHT_CACHE_MOUNT, readOnly: true }] : []),
            ...writable.map((w) => ({ name: w.volume, mountPath: w.path })),
            ...(container.sharedMemory
              ? [{ name: "dshm", mountPath: "/dev/shm" }]
              : []),
            ...files.map((f) => ({
              name: "server-files",
              mountPath: f.path,
              subPath: f.key,
              readOnly: true,
            })),
          ],
        },
      ],
      volumes: [
        // The node's ephemeral storage: on the GPU pools, the encrypted data volume. With the pool's
        // weight cache it holds links into the cache (or, on a miss, the pod's own copy); restricted Pod
        // Security refuses a hostPath volume, so the cache comes through a claim on a pre-bound volume.
        ...(!weightsOnDisk(e)
          ? []
          : [
              {
                name: "models",
                emptyDir: { sizeLimit: `${modelVolume}Gi` },
              },
            ]),
        ...(container.streamsWeights
          ? []
          : [{ name: "fetch-tmp", emptyDir: { sizeLimit: "1Gi" } }]),
        ...(e.weightCache ? [{ name: "weight-cache", persistentVolumeClaim: { claimName: e.weightCache.names.claim, readOnly: true } }] : []),
        ...writable.map((w) => ({
          name: w.volume,
          emptyDir: { sizeLimit: "10Gi" },
        })),
        ...(container.sharedMemory
          ? [
              {
                name: "dshm",
                emptyDir: {
                  medium: "Memory",
                  sizeLimit: `${Math.min(
                    16,
                    Math.max(2, Math.floor(memoryGiB / 4))
                  )}Gi`,
                },
              },
            ]
          : []),
        ...(files.length > 0
          ? [{ name: "server-files", configMap: { name: e.names.serverFiles } }]
          : []),
      ],
    },
  };
}
