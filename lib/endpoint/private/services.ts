/*
 * The Services of an endpoint, which Argo Rollouts points at the stable and the canary ReplicaSet,
 * and the ConfigMap of the files the server reads (e.g. Triton's config.pbtxt).
 */
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** The server's files as ConfigMap keys ("file-<i>") by mount path, in the container's order. */
export function serverFileKeys(e: ResolvedEndpoint): Array<{ readonly path: string; readonly key: string }> {
  return Object.keys(e.container.files).map((path, i) => ({ path, key: `file-${i}` }));
}

/** The ConfigMap of the server's files (when it has any), then the stable and canary Services. */
export function endpointServices(scope: Construct, e: ResolvedEndpoint, provider: KubernetesProvider): void {
  const files = serverFileKeys(e);
  if (files.length > 0) {
    new ConfigMapV1(scope, "server-files", {
      provider,
      metadata: { name: e.names.serverFiles, namespace: e.namespace, labels: e.labels },
      data: Object.fromEntries(files.map((f) => [f.key, e.container.files[f.path]])),
    });
  }
  for (const [id, name] of [["stable-service", e.services.stable], ["canary-service", e.services.canary]] as const) {
    new ServiceV1(scope, id, {
      provider,
      metadata: { name, namespace: e.namespace, labels: e.labels },
      spec: { type: "ClusterIP", selector: e.selector, port: [{ name: "http", port: e.container.port, targetPort: "http", protocol: "TCP" }] },
      // Argo Rollouts pins each Service to a ReplicaSet by adding the pod-template hash to its selector;
      // Terraform must not undo that on the next apply, or both versions would get all traffic.
      lifecycle: { ignoreChanges: ['spec[0].selector["rollouts-pod-template-hash"]', 'metadata[0].annotations["argo-rollouts.argoproj.io/managed-by-rollouts"]'] },
    });
  }
}
