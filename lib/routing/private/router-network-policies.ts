/*
 * The router's NetworkPolicies. Its namespace (a WorkloadNamespace) denies all traffic but HTTPS and
 * DNS egress; each policy here opens one path, to one port.
 */
import { Construct } from "constructs";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ROUTER_PORT } from "../router-props";
import { CACHE_PORT } from "./response-cache";
import { DATABASE_PORT } from "./router-database";
import { adminClientLabels, datastoreClientLabels, RouterObjects } from "./router-labels";

/** Only the load balancer reaches the router port: its subnets (which hold no pods), else the client CIDRs. */
export function loadBalancerIngressPolicy(scope: Construct, r: RouterObjects, cidrs: readonly string[]): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, "allow-load-balancer", {
    provider: r.provider,
    metadata: { name: `${r.name}-from-load-balancer`, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Ingress"],
      ingress: [{ from: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
    },
  });
}

/** The router pods reach the response cache: port 6379 in the VPC. */
export function responseCacheEgressPolicy(scope: Construct, r: RouterObjects, vpcCidr: string): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, "allow-response-cache", {
    provider: r.provider,
    metadata: { name: `${r.name}-to-response-cache`, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [{ port: String(CACHE_PORT), protocol: "TCP" }] }],
    },
  });
}

/** The router pods and the database setup Job (the datastore-client label) reach PostgreSQL in the VPC. */
export function databaseEgressPolicy(scope: Construct, r: RouterObjects, vpcCidr: string): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, "allow-database", {
    provider: r.provider,
    metadata: { name: `${r.name}-to-database`, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: datastoreClientLabels(r.name) },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: vpcCidr } }], ports: [{ port: String(DATABASE_PORT), protocol: "TCP" }] }],
    },
  });
}

/** The admin client (the teams Job) may call the router port, in both directions of the namespace's default deny. */
export function adminClientPolicies(scope: Construct, r: RouterObjects): { ingress: NetworkPolicyV1; egress: NetworkPolicyV1 } {
  const adminClient = adminClientLabels(r.name);
  const ingress = new NetworkPolicyV1(scope, "allow-admin-client", {
    provider: r.provider,
    metadata: { name: `${r.name}-from-admin-client`, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: r.selector },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: adminClient } }], ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
    },
  });
  const egress = new NetworkPolicyV1(scope, "allow-admin-client-egress", {
    provider: r.provider,
    metadata: { name: `${r.name}-admin-client-to-router`, namespace: r.namespace, labels: r.labels },
    spec: {
      podSelector: { matchLabels: adminClient },
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: { matchLabels: r.selector } }], ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
    },
  });
  return { ingress, egress };
}
