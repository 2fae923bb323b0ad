/*
 * Autoscaling of an endpoint with KEDA: a ScaledObject on the Rollout that scales on the server's
 * queue depth per replica in AMP, quickly up and slowly down, since a GPU replica takes minutes to start.
 * A server without a queue metric (Triton's vllm backend, a custom server without one) runs a fixed
 * number of replicas (resolve-endpoint refuses minReplicas below maxReplicas for it).
 */
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { ITriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { renderQueueDepthQuery } from "../servers/server-types";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** The KEDA objects of an endpoint. */
export interface AutoscalingManifests {
  /** How KEDA authenticates to AMP. */
  readonly triggerAuthentication: ITriggerAuthentication;
  /** The scaler of the Rollout. */
  readonly scaledObject: IScaledObject;
}

/**
 * Query of a fixed number of replicas (minReplicaCount = maxReplicaCount): the HPA cannot change the
 * count whatever the value, and a ScaledObject needs a trigger, so it reads a constant 0 rather than
 * a metric the server does not export.
 */
export const FIXED_REPLICAS_QUERY = "vector(0)";

/** The TriggerAuthentication and ScaledObject that scale the Rollout on queue depth. */
export function autoscalingManifests(e: ResolvedEndpoint): AutoscalingManifests {
  const fixed = e.container.queueDepthQuery === "";
  if (fixed && e.replicas.min !== e.replicas.max) {
    throw new Error(`${e.name}: a server without a queue-depth metric needs minReplicas = maxReplicas (resolveEndpoint checks this)`);
  }
  const triggerAuthentication: ITriggerAuthentication = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: e.names.triggerAuthentication, namespace: e.namespace, labels: e.labels },
    // The KEDA operator's own role (Pod Identity) queries AMP; the endpoint gets no AMP access.
    spec: { podIdentity: { provider: "aws" } },
  };
  const scaledObject: IScaledObject = {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: e.name, namespace: e.namespace, labels: e.labels },
    spec: {
      scaleTargetRef: { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: e.name },
      minReplicaCount: e.replicas.min,
      maxReplicaCount: e.replicas.max,
      pollingInterval: 30,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
            scaleDown: { stabilizationWindowSeconds: e.scaling.scaleDownStabilizationSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
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
            serverAddress: e.prometheusAddress,
            query: fixed ? FIXED_REPLICAS_QUERY : renderQueueDepthQuery(e.container.queueDepthQuery, e.promSelector),
            threshold: String(e.scaling.targetQueueDepthPerReplica),
            awsRegion: e.connection.region,
          },
          authenticationRef: { name: e.names.triggerAuthentication },
        },
      ],
    },
  };
  return { triggerAuthentication, scaledObject };
}
