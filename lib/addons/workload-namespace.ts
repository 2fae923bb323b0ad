import { Token } from "cdktf";
import { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecIngressFrom } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { ResourceQuotaV1 } from "@cdktf/provider-kubernetes/lib/resource-quota-v1";
import type { ClusterConnection } from "../cluster/cluster-connection";
import { isDnsLabel, isLiteral, isOpenToWorld, parseCidr, Problems, show } from "../private/validation";
import { ClusterProviders } from "./cluster-providers";

/** Pod Security Standards level enforced by Pod Security Admission. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** Pods of another namespace allowed to connect to every pod of this namespace. */
export interface NamespaceIngressAllow {
  /** Name of the namespace the connections come from. */
  readonly namespace: string;
  /**
   * Only pods of that namespace carrying all these labels may connect.
   * @default - every pod of that namespace
   */
  readonly podLabels?: Record<string, string>;
  /**
   * TCP ports they may connect to.
   * @default - every port
   */
  readonly ports?: number[];
}

/** Addresses outside the cluster's pods (e.g. the VPC) allowed to connect on some ports. */
export interface CidrIngressAllow {
  /**
   * IPv4 CIDR the connections come from. The AMP managed scraper and ALB IP targets connect
   * from network interfaces in the cluster's subnets, so the VPC CIDR admits both.
   */
  readonly cidr: string;
  /** TCP ports they may connect to (e.g. the metrics port, 8000 for vLLM). Required: no CIDR gets every port. */
  readonly ports: number[];
}

/** Props of a WorkloadNamespace. */
export interface WorkloadNamespaceProps {
  /** The cluster, from the platform stack (`cluster.connection`); the namespace must be created in another stack. */
  readonly connection: ClusterConnection;
  /** Namespace name: a DNS label, not one of the namespaces Kubernetes reserves. */
  readonly name: string;
  /**
   * Pod Security Standards level enforced, audited and warned on. Anything weaker than "restricted"
   * must be asked for here (e.g. "privileged" for a node agent's namespace).
   * @default "restricted"
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Most `nvidia.com/gpu` the pods of the namespace may request in total. The default keeps a team
   * from landing on the GPU pools by accident: GPUs are granted, never implied.
   * @default 0
   */
  readonly gpuQuota?: number;
  /**
   * Namespaces whose pods may connect to this namespace's pods. Everything else is denied.
   * @default - none
   */
  readonly allowIngressFrom?: NamespaceIngressAllow[];
  /**
   * CIDRs that may connect on given ports, e.g. `{ cidr: vpcCidr, ports: [8000] }` so the AMP
   * scraper can collect metrics; without it default-deny drops the scrapes.
   * @default - none
   */
  readonly allowIngressFromCidrs?: CidrIngressAllow[];
  /**
   * Extra labels on the namespace. Pod Security Admission labels are set from `podSecurity` only.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Let the AWS Load Balancer Controller inject pod readiness gates: a pod behind an ALB counts as
   * ready only once its target is healthy, so rollouts and scale-ins never outpace the load balancer.
   * @default true
   */
  readonly loadBalancerReadinessGates?: boolean;
}

/** Namespaces Kubernetes creates and manages itself; workloads never go there. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const PSA_LABEL_PREFIX = "pod-security.kubernetes.io/";
/** Namespace label that turns on the AWS Load Balancer Controller's readiness-gate injection. */
const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";
const PSA_LEVELS: readonly PodSecurityLevel[] = ["restricted", "baseline", "privileged"];
/** Label the API server puts on every namespace (Kubernetes >= 1.22): selects a namespace by name. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
/** EKS Pod Identity agent's link-local address; SDKs fetch pod credentials from it over HTTP. */
const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

/**
 * A namespace for one team or app with guardrails on by default: Pod Security Admission at
 * "restricted" (enforce, audit and warn), NetworkPolicies that deny all traffic except DNS, HTTPS
 * egress, EKS Pod Identity credentials and the ingress explicitly allowed, and a ResourceQuota on
 * `nvidia.com/gpu` (0 unless granted).
 *
 * NetworkPolicies only take effect when the cluster enforces them (on EKS: the VPC CNI add-on with
 * `enableNetworkPolicy: "true"`).
 */
export class WorkloadNamespace extends Construct {
  /** The namespace's name, as a reference to the namespace resource: dependents wait for it. */
  public readonly namespaceName: string;
  /** The namespace. */
  public readonly namespace: NamespaceV1;
  /** The policy selecting every pod for ingress and egress, with no rule: what is not allowed is denied. */
  public readonly defaultDeny: NetworkPolicyV1;
  /** The GPU quota. */
  public readonly gpuQuota: ResourceQuotaV1;
  /** The namespace's name, as a literal. */
  public readonly name: string;
  /** Name of the cluster it lives in. */
  public readonly clusterName: string;
  /** GPUs the quota admits (`requests.nvidia.com/gpu`). */
  public readonly gpuQuotaGpus: number;

  constructor(scope: Construct, id: string, props: WorkloadNamespaceProps) {
    super(scope, id);
    validate(props).throwIfAny(this, "WorkloadNamespace");
    this.name = props.name;
    this.clusterName = props.connection.clusterName;
    this.gpuQuotaGpus = props.gpuQuota ?? 0;
    const providers = ClusterProviders.of(this, props.connection);
    const provider = providers.kubernetes;
    const level = props.podSecurity ?? "restricted";
    const managedBy = { "app.kubernetes.io/managed-by": "cdktf-secure-inference" };

    this.namespace = new NamespaceV1(this, "namespace", {
      provider,
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          ...managedBy,
          ...((props.loadBalancerReadinessGates ?? true) ? { [READINESS_GATE_LABEL]: "enabled" } : {}),
          [`${PSA_LABEL_PREFIX}enforce`]: level,
          [`${PSA_LABEL_PREFIX}enforce-version`]: "latest",
          [`${PSA_LABEL_PREFIX}audit`]: level,
          [`${PSA_LABEL_PREFIX}audit-version`]: "latest",
          [`${PSA_LABEL_PREFIX}warn`]: level,
          [`${PSA_LABEL_PREFIX}warn-version`]: "latest",
        },
      },
    });
    this.namespaceName = this.namespace.metadata.name;
    const metadata = (name: string) => ({ name, namespace: this.namespaceName, labels: managedBy });
    const allPods = {};

    this.defaultDeny = new NetworkPolicyV1(this, "default-deny", {
      provider,
      metadata: metadata("default-deny"),
      spec: { podSelector: allPods, policyTypes: ["Ingress", "Egress"] },
    });

    new NetworkPolicyV1(this, "allow-dns", {
      provider,
      metadata: metadata("allow-dns"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
        ],
      },
    });

    // AWS APIs (STS for IRSA, S3 for model weights, ECR) are HTTPS, reached through VPC endpoints or
    // NAT at addresses that change: allow port 443 anywhere, and nothing else leaves the namespace.
    new NetworkPolicyV1(this, "allow-https-egress", {
      provider,
      metadata: metadata("allow-https-egress"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "443", protocol: "TCP" }] }],
      },
    });

    // Pods using EKS Pod Identity get their credentials from the node's agent over plain HTTP.
    new NetworkPolicyV1(this, "allow-pod-identity-agent", {
      provider,
      metadata: metadata("allow-pod-identity-agent"),
      spec: {
        podSelector: allPods,
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ port: "80", protocol: "TCP" }] }],
      },
    });

    const seen = new Map<string, number>();
    for (const [i, allow] of (props.allowIngressFrom ?? []).entries()) {
      const from: NetworkPolicyV1SpecIngressFrom = {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: allow.namespace } },
        podSelector: allow.podLabels ? { matchLabels: allow.podLabels } : undefined,
      };
      const base = isLiteral(allow.namespace) ? `allow-from-${allow.namespace}` : `allow-from-${i}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      new NetworkPolicyV1(this, `allow-ingress-${i}`, {
        provider,
        metadata: metadata(n === 0 ? base : `${base}-${n + 1}`),
        spec: { podSelector: allPods, policyTypes: ["Ingress"], ingress: [{ from: [from], ports: tcpPorts(allow.ports) }] },
      });
    }

    for (const [i, allow] of (props.allowIngressFromCidrs ?? []).entries()) {
      new NetworkPolicyV1(this, `allow-cidr-ingress-${i}`, {
        provider,
        metadata: metadata(`allow-from-cidr-${i}`),
        spec: { podSelector: allPods, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: allow.cidr } }], ports: tcpPorts(allow.ports) }] },
      });
    }

    // Extended resources cannot be overcommitted (a GPU request equals its limit), so Kubernetes
    // quotas them by `requests.` only.
    this.gpuQuota = new ResourceQuotaV1(this, "gpu-quota", {
      provider,
      metadata: metadata("gpu"),
      spec: { hard: { "requests.nvidia.com/gpu": String(props.gpuQuota ?? 0) } },
    });
  }
}

function tcpPorts(ports: number[] | undefined) {
  return ports?.map((p) => ({ port: Token.isUnresolved(p) ? Token.asString(p) : String(p), protocol: "TCP" }));
}

function validate(props: WorkloadNamespaceProps): Problems {
  const p = new Problems();
  const name = props.name;
  if (isLiteral(name)) {
    if (!isDnsLabel(name)) p.add("name", `${show(name)} is not a DNS label; use 1-63 lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "team-search")`);
    else if (RESERVED_NAMESPACES.includes(name)) p.add("name", `${show(name)} is reserved by Kubernetes (${RESERVED_NAMESPACES.join(", ")}); give the workload its own namespace (e.g. "team-search")`);
  }
  if (props.podSecurity !== undefined && !PSA_LEVELS.includes(props.podSecurity)) {
    p.add("podSecurity", `${show(props.podSecurity)} is not a Pod Security Standards level; use ${PSA_LEVELS.map((l) => show(l)).join(", ")}`);
  }
  const q = props.gpuQuota;
  if (q !== undefined && isLiteral(q) && (!Number.isInteger(q) || q < 0)) {
    p.add("gpuQuota", `${q} must be a whole number of GPUs, 0 or more (0 keeps the namespace off the GPU pools)`);
  }
  for (const key of Object.keys(props.labels ?? {})) {
    if (key.startsWith(PSA_LABEL_PREFIX)) p.add(`labels`, `${show(key)} is a Pod Security Admission label; set the level with podSecurity instead, so weakening it is explicit`);
  }
  const checkPorts = (prop: string, ports: number[] | undefined) => {
    for (const [j, port] of (ports ?? []).entries()) {
      if (isLiteral(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) p.add(`${prop}.ports[${j}]`, `${port} is not a TCP port; use a whole number from 1 to 65535`);
    }
  };
  for (const [i, allow] of (props.allowIngressFrom ?? []).entries()) {
    const prop = `allowIngressFrom[${i}]`;
    if (isLiteral(allow.namespace) && !isDnsLabel(allow.namespace)) p.add(`${prop}.namespace`, `${show(allow.namespace)} is not a namespace name; use a DNS label (e.g. "ingress")`);
    checkPorts(prop, allow.ports);
  }
  for (const [i, allow] of (props.allowIngressFromCidrs ?? []).entries()) {
    const prop = `allowIngressFromCidrs[${i}]`;
    if (isLiteral(allow.cidr)) {
      if (isOpenToWorld(allow.cidr)) p.add(`${prop}.cidr`, `${show(allow.cidr)} admits every address; use the VPC CIDR or the networks that must connect`);
      else if (!parseCidr(allow.cidr)) p.add(`${prop}.cidr`, `${show(allow.cidr)} is not an IPv4 CIDR; use e.g. "10.0.0.0/16"`);
    }
    if (!allow.ports || allow.ports.length === 0) p.add(`${prop}.ports`, `is empty; list the TCP ports that CIDR may reach (e.g. the metrics port)`);
    checkPorts(prop, allow.ports);
  }
  return p;
}
