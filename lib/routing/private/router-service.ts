/*
 * How clients reach the router: a ClusterIP Service in the cluster, and an internal HTTPS load
 * balancer (an Ingress for the AWS Load Balancer Controller, annotated as an endpoint's is).
 */
import { Construct } from "constructs";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { albFipsPolicyRequired } from "../../compliance/compliance";
import { albAccessLogPrefix, internalAlbAnnotations } from "../../private/internal-alb";
import { ROUTER_PORT } from "../router-props";
import { ResolvedIngress } from "./resolve-router";
import { RouterObjects } from "./router-labels";

/** The router's ClusterIP Service (construct id "service"); returns its in-cluster URL. */
export function routerService(scope: Construct, r: RouterObjects): string {
  new ServiceV1(scope, "service", {
    provider: r.provider,
    metadata: { name: r.name, namespace: r.namespace, labels: r.labels },
    spec: { type: "ClusterIP", selector: r.selector, port: [{ name: "http", port: ROUTER_PORT, targetPort: "http", protocol: "TCP" }] },
  });
  return `http://${r.name}.${r.namespace}.svc.cluster.local:${ROUTER_PORT}`;
}

/** The router's internal HTTPS load balancer (construct id "ingress"); returns its HTTPS URL. */
export function routerLoadBalancer(
  scope: Construct,
  r: RouterObjects,
  props: {
    ingress: ResolvedIngress;
    timeoutSeconds: number;
    clusterName: string;
    /** The cluster's load balancer log bucket and prefix (ClusterConnection). */
    accessLogs: { bucketName: string; prefix: string };
  },
): string {
  const ing = props.ingress;
  const logs = props.accessLogs;
  const ingress: IngressV1 = new IngressV1(scope, "ingress", {
    provider: r.provider,
    metadata: {
      name: r.name,
      namespace: r.namespace,
      labels: r.labels,
      annotations: {
        ...internalAlbAnnotations({
          certificateArn: ing.certificateArn,
          sslPolicy: ing.sslPolicy,
          // Asked at synth, of the packs enforced on this Ingress (FedRAMP Moderate asks for FIPS).
          fipsRequired: () => albFipsPolicyRequired(ingress),
          accessLogs: { bucket: logs.bucketName, prefix: albAccessLogPrefix(logs.prefix, r.namespace, r.name) },
          inboundCidrs: ing.cidrs,
          healthCheckPath: "/health/readiness",
          // Idle timeout = one call's timeout: the load balancer never cuts a call LiteLLM still waits on.
          idleTimeoutSeconds: props.timeoutSeconds,
          tags: { "secure-inference/cluster": props.clusterName, "secure-inference/router": `${r.namespace}.${r.name}` },
        }),
      },
    },
    spec: {
      ingressClassName: "alb",
      rule: [{ host: ing.host, http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: r.name, port: { number: ROUTER_PORT } } } }] } }],
    },
    waitForLoadBalancer: true,
  });
  return ing.host !== undefined ? `https://${ing.host}` : `https://${ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname}`;
}
