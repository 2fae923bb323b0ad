/*
 * The identity of an endpoint's pods: a service account without a mounted token, and a Pod Identity
 * role that may read only the model's prefix of the cluster's model bucket.
 */
import { Construct } from "constructs";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { awsContext } from "../../private/aws-context";
import { PodIdentityRole } from "../../security/pod-identity-role";
import { modelReadPolicy } from "../../security/private/model-read-policy";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** The service account of the server pods and its model-read role. */
export function endpointIdentity(scope: Construct, e: ResolvedEndpoint, provider: KubernetesProvider): PodIdentityRole {
  const c = e.connection;
  const src = e.model.source;
  new ServiceAccountV1(scope, "service-account", {
    provider,
    metadata: { name: e.name, namespace: e.namespace, labels: e.labels },
    automountServiceAccountToken: false,
  });
  return new PodIdentityRole(scope, "model-read", {
    clusterName: c.clusterName,
    clusterArn: c.clusterArn,
    namespace: e.namespace,
    serviceAccount: e.name,
    purpose: `ep-${e.name}`.slice(0, 20),
    description: `Endpoint ${e.namespace}/${e.name} of ${c.clusterName}: reads model weights under ${src}`,
    // The bucket is in the cluster's region; the DNS suffix is the partition's, read in this stack.
    policies: { "model-read": modelReadPolicy(c.modelBucketArn, c.keys.storageKeyArn, src, `s3.${c.region}.${awsContext(scope).dnsSuffix}`) },
    // A data-resident endpoint declares here where its data goes; the compliance packs check it (DataResidencyRespected).
    tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${e.namespace}/${e.name}`, ...e.placement.residencyTags },
  });
}
