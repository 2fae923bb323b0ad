/*
 * The router's Kubernetes identity, shared by its builders: the provider, names, labels and the
 * selector of its pods, and the labels that let other pods through its NetworkPolicies.
 */
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ROUTER_LABEL } from "../router-props";

/** Pods that may reach the router's datastores carry this label (router pods, the database setup Job). */
const DATASTORE_CLIENT_LABEL = "secure-inference.io/router-datastore-client";
/** Pods that may call the router's admin API in the cluster carry this label (the teams Job). */
const ADMIN_CLIENT_LABEL = "secure-inference.io/router-admin-client";

/** What every Kubernetes object of one router is created with. */
export interface RouterObjects {
  readonly provider: KubernetesProvider;
  /** Kubernetes name of the router. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of the router's objects and pods. */
  readonly labels: Record<string, string>;
  /** Selects the router's pods (and no Job pod). */
  readonly selector: Record<string, string>;
}

/** The provider, names and labels of router `name` in `namespace`. */
export function routerObjects(provider: KubernetesProvider, name: string, namespace: string): RouterObjects {
  return {
    provider,
    name,
    namespace,
    labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "inference-router", "app.kubernetes.io/managed-by": "cdktf-secure-inference", [ROUTER_LABEL]: name },
    selector: { [ROUTER_LABEL]: name },
  };
}

/** Labels of one of the router's Jobs; without the router label, so the Service, PDB and router policies never select it. */
export function jobLabels(routerName: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": `${routerName}-${component}`,
    "app.kubernetes.io/component": `inference-router-${component}`,
    "app.kubernetes.io/managed-by": "cdktf-secure-inference",
  };
}

/** Label of the pods that may reach router `routerName`'s datastores (its database egress policy selects them). */
export function datastoreClientLabels(routerName: string): Record<string, string> {
  return { [DATASTORE_CLIENT_LABEL]: routerName };
}

/** Label of the pods that may call router `routerName`'s admin API in the cluster. */
export function adminClientLabels(routerName: string): Record<string, string> {
  return { [ADMIN_CLIENT_LABEL]: routerName };
}
