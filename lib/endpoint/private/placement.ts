/*
 * Where an endpoint's replicas run and what serves their traffic there, and the tags that declare where its data
 * goes when it is data-resident. Pure: no constructs.
 *
 * What serves traffic for an on-premises pool: the same internal ALB, with IP targets in the remote pod network over
 * the VPN or Direct Connect. The AWS Load Balancer Controller supports hybrid nodes with target type ip only when a
 * remote pod network is declared on the cluster and the pod IPs are routable from the VPC (EKS user guide,
 * hybrid-nodes-add-ons, "AWS Load Balancer Controller"; e.g. Cilium or Calico BGP advertising the pod CIDRs).
 */
import type { ClusterConnection } from "../../cluster/cluster-connection";
import { LOCATION_NAME, RESIDENCY_TAGS, UNKNOWN_LOCATION } from "../../planning/data-residency";
import { describePlacement, GpuPoolDescription } from "../../planning/gpu-pool-description";
import { isLiteral, Problems, show } from "../../private/validation";
import type { EndpointDataResidency } from "../endpoint-props";

/** The placement of an endpoint, resolved. */
export interface ResolvedPlacement {
  /** The pool's placement in words, e.g. "on-premises fra-dc1". */
  readonly description: string;
  /** Tags of the model-read role that declare where the data goes, when the endpoint is data-resident. */
  readonly residencyTags?: Record<string, string>;
  /** Risks that do not stop synth. */
  readonly warnings: string[];
  /** The Local Zone's load balancer subnet, for an endpoint on a Local Zone pool. */
  readonly loadBalancerSubnet?: { readonly subnetId: string; readonly cidr: string };
}

/**
 * The load balancer settings for the pool's placement: a Local Zone pool's ALB goes in the zone's load balancer
 * subnet, and the pods admit that subnet (their NetworkPolicy) instead of the region's load balancer subnets.
 */
export function placedIngress<I extends { readonly podSourceCidrs: string[]; readonly subnetIds?: string[] }>(ingress: I, placement: ResolvedPlacement): I {
  const lb = placement.loadBalancerSubnet;
  return lb ? { ...ingress, subnetIds: [lb.subnetId], podSourceCidrs: [lb.cidr] } : ingress;
}

/** Checks that the pool's placement can be served and resolves the residency declaration; problems go to `p`. */
export function resolvePlacement(pool: GpuPoolDescription, c: ClusterConnection, residency: EndpointDataResidency | undefined, p: Problems, downloadRateGiven = false): ResolvedPlacement {
  const placement = pool.placement ?? { kind: "region" as const };
  const warnings: string[] = [];
  if (placement.kind === "local-zone" && !placement.loadBalancerSubnet) {
    p.add(
      "gpu.pool",
      `${show(pool.name)} is in Local Zone ${placement.zone}, and an ALB sends only to targets in zones it is enabled in (never mixing a Local Zone with availability zones), ` +
        `so the endpoint's load balancer must be in the zone; give the pool localZone.loadBalancerSubnet (a subnet of ${placement.zone}, /27 or larger), or place the endpoint on a region pool`,
    );
  }
  if (placement.kind === "on-premises") {
    if (!c.remotePodNetworks || c.remotePodNetworks.length === 0) {
      p.add(
        "gpu.pool",
        `${show(pool.name)} is an on-premises pool, whose replicas the internal ALB reaches as IP targets in the remote pod network, but cluster ${c.clusterName} declares none; ` +
          "set hybridNodes.remotePodNetworks on the cluster to the CIDRs your CNI gives pods there and make them routable from the VPC (e.g. Cilium or Calico BGP), or place the endpoint on a cloud pool",
      );
    }
    if (!downloadRateGiven) warnings.push(
      `gpu.pool: ${show(pool.name)} is on premises (${placement.location}): its replicas read the weights from S3 in ${c.regionName ?? "the cluster's region"} over your VPN or Direct Connect, ` +
        "and the plan's cold start assumes a cloud instance's network; set downloadSecondsPerGiB to what your link achieves",
    );
  }
  const loadBalancerSubnet = placement.kind === "local-zone" ? placement.loadBalancerSubnet : undefined;
  if (!residency) return { description: describePlacement(placement), warnings, loadBalancerSubnet };

  const allowed = residency.allowedLocations ?? [];
  if (allowed.length === 0) p.add("dataResidency.allowedLocations", "is empty; name the regions and on-premises locations where weights and request logs may be, e.g. [\"fra-dc1\", \"eu-central-1\"]");
  for (const [i, loc] of allowed.entries()) {
    if (!LOCATION_NAME.test(loc)) p.add(`dataResidency.allowedLocations[${i}]`, `${show(loc)} is not a location name (a region, Local Zone or on-premises location such as "fra-dc1")`);
  }
  const serves = placement.kind === "on-premises" ? placement.location : placement.kind === "local-zone" ? placement.zone : c.region;
  // Weights: the cluster's model bucket. Request logs: the internal ALB's access logs, in the cluster's access-log bucket.
  const region = c.regionName ?? (isLiteral(c.region) ? c.region : UNKNOWN_LOCATION);
  return {
    description: describePlacement(placement),
    warnings,
    loadBalancerSubnet,
    residencyTags: {
      [RESIDENCY_TAGS.allowed]: allowed.join(" "),
      [RESIDENCY_TAGS.serves]: placement.kind === "region" ? region : serves,
      [RESIDENCY_TAGS.weights]: region,
      [RESIDENCY_TAGS.logs]: region,
    },
  };
}
