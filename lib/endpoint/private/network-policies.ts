/*
 * Who may reach an endpoint's server pods: the load balancer and the metrics scraper from their
 * subnets, the namespaces named in `allowFrom`, and the pre-traffic evaluation job, which in turn may
 * reach only the server.
 */
import { Construct } from "constructs";
import { NetworkPolicyV1, NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { evaluationPodSelector } from "./evaluation";
import type { ResolvedEndpoint } from "./resolve-endpoint";

/** The NetworkPolicies of an endpoint: from the load balancer, from callers (when any), and the evaluation job's egress (with a gate). */
export function endpointNetworkPolicies(scope: Construct, e: ResolvedEndpoint, provider: KubernetesProvider): void {
  const metadata = (name: string) => ({ name: `${e.name}-${name}`, namespace: e.namespace, labels: e.labels });
  const apiPort = [{ port: String(e.container.port), protocol: "TCP" }];
  const ports = [...new Set([e.container.port, e.container.metricsPort])].map((port) => ({ port: String(port), protocol: "TCP" }));
  const from: NetworkPolicyV1SpecIngressFrom[] = e.ingress.podSourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  new NetworkPolicyV1(scope, "allow-load-balancer", {
    provider,
    metadata: metadata("from-load-balancer"),
    spec: { podSelector: { matchLabels: e.selector }, policyTypes: ["Ingress"], ingress: [{ from, ports }] },
  });
  const gate = e.rollout.preTrafficEvaluation;
  const callers: NetworkPolicyV1SpecIngressFrom[] = e.allowFrom.map((a) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": a.namespace } },
    podSelector: a.podLabels ? { matchLabels: a.podLabels } : undefined,
  }));
  if (gate) callers.push({ podSelector: { matchLabels: evaluationPodSelector(e) } });
  if (callers.length > 0) {
    new NetworkPolicyV1(scope, "allow-callers", {
      provider,
      metadata: metadata("from-callers"),
      spec: { podSelector: { matchLabels: e.selector }, policyTypes: ["Ingress"], ingress: [{ from: callers, ports: apiPort }] },
    });
  }
  if (gate) {
    new NetworkPolicyV1(scope, "evaluation-egress", {
      provider,
      metadata: metadata("evaluation-egress"),
      spec: {
        podSelector: { matchLabels: evaluationPodSelector(e) },
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: e.selector } }], ports: apiPort }],
      },
    });
  }
}
