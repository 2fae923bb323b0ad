/*
 * The internal HTTPS load balancer of an endpoint: the Ingress that Argo Rollouts drives, the ALB
 * and target groups the load balancer controller creates for it (found by their tags, for the alarms
 * and the dashboard), and the optional DNS alias of the host.
 */
import { Construct } from "constructs";
import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { DataAwsLbTargetGroup } from "@cdktf/provider-aws/lib/data-aws-lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { albFipsPolicyRequired } from "../../compliance/compliance";
import { albAccessLogPrefix, internalAlbAnnotations } from "../../private/internal-alb";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** The ALB of an endpoint and its target groups by version, as Terraform data sources. */
export interface EndpointLoadBalancer {
  /** The ALB. */
  readonly loadBalancer: DataAwsLb;
  /** Target groups of the canary and the stable Service, canary first. */
  readonly targetGroups: { readonly canary: DataAwsLbTargetGroup; readonly stable: DataAwsLbTargetGroup };
}

/** The Ingress of an internal HTTPS ALB that starts with all traffic on the stable Service. */
export function endpointIngress(scope: Construct, e: ResolvedEndpoint, provider: KubernetesProvider): IngressV1 {
  const ing = e.ingress;
  const c = e.connection;
  const port = String(e.container.port);
  const actionAnnotation = `alb.ingress.kubernetes.io/actions.${e.services.stable}`;
  const ingress: IngressV1 = new IngressV1(scope, "ingress", {
    provider,
    metadata: {
      name: e.name,
      namespace: e.namespace,
      labels: e.labels,
      annotations: {
        ...internalAlbAnnotations({
          certificateArn: ing.certificateArn,
          sslPolicy: ing.sslPolicy,
          // Asked at synth, of the packs enforced on this Ingress (FedRAMP Moderate asks for FIPS).
          fipsRequired: () => albFipsPolicyRequired(ingress),
          accessLogs: { bucket: c.loadBalancerLogBucketName, prefix: albAccessLogPrefix(c.loadBalancerLogPrefix, e.namespace, e.name) },
          inboundCidrs: ing.allowedCidrs,
          healthCheckPath: e.container.readinessPath,
          idleTimeoutSeconds: 600,
          targetGroupAttributes: ing.sessionAffinitySeconds ? ["stickiness.enabled=true", "stickiness.type=lb_cookie", `stickiness.lb_cookie.duration_seconds=${ing.sessionAffinitySeconds}`] : [],
          tags: { "secure-inference/cluster": c.clusterName, "secure-inference/endpoint": `${e.namespace}.${e.name}` },
        }),
        // A Local Zone pool's load balancer is in the zone, next to its targets (placement.ts).
        ...(ing.subnetIds ? { "alb.ingress.kubernetes.io/subnets": ing.subnetIds.join(",") } : {}),
        // Argo Rollouts rewrites this action at every step; it starts with all traffic on stable.
        [actionAnnotation]: JSON.stringify({
          type: "forward",
          forwardConfig: {
            targetGroups: [
              { serviceName: e.services.canary, servicePort: port, weight: 0 },
              { serviceName: e.services.stable, servicePort: port, weight: 100 },
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
          http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name: e.services.stable, port: { name: "use-annotation" } } } }] },
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
  return ingress;
}

/**
 * The ALB and target groups behind `ingress`. The load balancer controller creates them, so they are
 * found by the tags it sets, after the Ingress has a load balancer (read during apply on the first deploy).
 */
export function endpointLoadBalancer(scope: Construct, e: ResolvedEndpoint, ingress: IngressV1): EndpointLoadBalancer {
  const cluster = e.connection.clusterName;
  const stackTag = `${e.namespace}/${e.name}`;
  const loadBalancer = new DataAwsLb(scope, "alb", {
    tags: { "elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": stackTag, "ingress.k8s.aws/resource": "LoadBalancer" },
    dependsOn: [ingress],
  });
  const targetGroup = (id: string, service: string) =>
    new DataAwsLbTargetGroup(scope, id, {
      tags: { "elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": stackTag, "ingress.k8s.aws/resource": `${stackTag}-${service}:${e.container.port}` },
      dependsOn: [ingress],
    });
  const canary = targetGroup("canary-target-group", e.services.canary);
  const stable = targetGroup("stable-target-group", e.services.stable);
  return { loadBalancer, targetGroups: { canary, stable } };
}

/** An alias record of the host in the private hosted zone, when both are given. */
export function endpointDnsRecord(scope: Construct, e: ResolvedEndpoint, lb: DataAwsLb): void {
  const { privateHostedZoneId, host } = e.ingress;
  if (privateHostedZoneId === undefined || host === undefined) return;
  new Route53Record(scope, "dns", {
    zoneId: privateHostedZoneId,
    name: host,
    type: "A",
    alias: { name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true },
  });
}
