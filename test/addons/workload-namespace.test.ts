import { Testing, TerraformStack } from "cdktf";
import { WorkloadNamespace, WorkloadNamespaceProps } from "../../lib/addons/workload-namespace";
import { ValidationError } from "../../lib/errors";
import { resourcesOf } from "../util";
import { platformAndAddons } from "./fixtures";


function synthNamespace(props: Omit<WorkloadNamespaceProps, "connection">) {
  const { app, cluster, addons } = platformAndAddons();
  const ns = new WorkloadNamespace(addons, "team", { connection: cluster.connection, ...props });
  app.synth();
  const raw = Testing.synth(addons);
  return { ns, raw, json: JSON.parse(raw) };
}

const policies = (json: Record<string, any>) => Object.values(resourcesOf(json, "kubernetes_network_policy_v1")) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
const policy = (json: Record<string, any>, name: string) => policies(json).find((p) => p.metadata.name === name); // eslint-disable-line @typescript-eslint/no-explicit-any
const NS_REF = /^\$\{kubernetes_namespace_v1\.team_namespace_[A-Z0-9]+\.metadata\[0\]\.name\}$/;

describe("WorkloadNamespace with defaults", () => {
  const { ns, json } = synthNamespace({ name: "team-search" });
  const namespace = Object.values(resourcesOf(json, "kubernetes_namespace_v1"))[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("enforces, audits and warns on the restricted Pod Security Standard by default", () => {
    expect(namespace.metadata.name).toBe("team-search");
    expect(namespace.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
  });

  it("lets the load balancer controller inject pod readiness gates, so pods count as ready only once their ALB target is healthy", () => {
    expect(namespace.metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBe("enabled");
    const off = synthNamespace({ name: "team-batch", loadBalancerReadinessGates: false }).json;
    const offNs = Object.values(resourcesOf(off, "kubernetes_namespace_v1"))[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(offNs.metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"]).toBeUndefined();
  });

  it("denies all ingress and egress of every pod unless a policy allows it", () => {
    expect(policy(json, "default-deny").spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  it("allows DNS to CoreDNS in kube-system on UDP and TCP 53", () => {
    expect(policy(json, "allow-dns").spec).toEqual(
      {
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [
          {
            to: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } }, pod_selector: { match_labels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
        ],
      },
    );
  });

  it("allows egress on TCP 443 only (AWS APIs), plus the Pod Identity agent on TCP 80", () => {
    expect(policy(json, "allow-https-egress").spec.egress).toEqual([{ to: [{ ip_block: { cidr: "0.0.0.0/0" } }], ports: [{ port: "443", protocol: "TCP" }] }]);
    expect(policy(json, "allow-pod-identity-agent").spec.egress).toEqual([{ to: [{ ip_block: { cidr: "169.254.170.23/32" } }], ports: [{ port: "80", protocol: "TCP" }] }]);
  });

  it("allows no ingress unless asked", () => {
    expect(policies(json).filter((p) => p.spec.ingress)).toEqual([]);
  });

  it("grants no GPU by default (quota of 0 nvidia.com/gpu)", () => {
    const quota = Object.values(resourcesOf(json, "kubernetes_resource_quota_v1")) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(quota).toHaveLength(1);
    expect(quota[0].spec.hard).toEqual({ "requests.nvidia.com/gpu": "0" });
  });

  it("puts every resource in the namespace by reference, so it waits for the namespace", () => {
    expect(ns.namespaceName).toMatch(/^\$\{TfToken/);
    const namespaced = [...policies(json), ...Object.values(resourcesOf(json, "kubernetes_resource_quota_v1"))] as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(namespaced.length).toBeGreaterThan(0);
    for (const r of namespaced) expect(r.metadata.namespace).toMatch(NS_REF);
  });

  it("uses the cluster's kubernetes provider on every resource", () => {
    let count = 0;
    for (const [type, byId] of Object.entries(json.resource as Record<string, Record<string, any>>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!type.startsWith("kubernetes_")) continue;
      for (const r of Object.values(byId)) {
        expect(r.provider).toBe("kubernetes");
        count++;
      }
    }
    expect(count).toBe(6);
    expect(json.provider.kubernetes).toHaveLength(1);
  });

  it("matches the snapshot (Kubernetes resources; the remote-state path depends on the checkout folder)", () => {
    expect(json.resource).toMatchSnapshot();
  });
});

describe("WorkloadNamespace with options", () => {
  const { json } = synthNamespace({
    name: "gpu-agents",
    podSecurity: "privileged",
    gpuQuota: 4,
    labels: { team: "ml" },
    allowIngressFrom: [{ namespace: "gateway", podLabels: { app: "envoy" }, ports: [8000] }, { namespace: "monitoring" }],
    allowIngressFromCidrs: [{ cidr: "10.0.0.0/16", ports: [8000, 8002] }],
  });
  const namespace = Object.values(resourcesOf(json, "kubernetes_namespace_v1"))[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("weakens Pod Security only when asked, at every mode", () => {
    expect(namespace.metadata.labels).toMatchObject({
      team: "ml",
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/audit": "privileged",
      "pod-security.kubernetes.io/warn": "privileged",
    });
  });

  it("allows ingress from a named namespace's labelled pods on the given ports", () => {
    expect(policy(json, "allow-from-gateway").spec).toEqual(
      {
        pod_selector: {},
        policy_types: ["Ingress"],
        ingress: [
          {
            from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "gateway" } }, pod_selector: { match_labels: { app: "envoy" } } }],
            ports: [{ port: "8000", protocol: "TCP" }],
          },
        ],
      },
    );
    expect(policy(json, "allow-from-monitoring").spec.ingress).toEqual([{ from: [{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "monitoring" } } }] }]);
  });

  it("allows ingress from a CIDR on the given ports only (e.g. the AMP scraper from the VPC)", () => {
    expect(policy(json, "allow-from-cidr-0").spec.ingress).toEqual([
      {
        from: [{ ip_block: { cidr: "10.0.0.0/16" } }],
        ports: [
          { port: "8000", protocol: "TCP" },
          { port: "8002", protocol: "TCP" },
        ],
      },
    ]);
  });

  it("sets the GPU quota to the GPUs granted", () => {
    const quota = Object.values(resourcesOf(json, "kubernetes_resource_quota_v1"))[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(quota.spec.hard).toEqual({ "requests.nvidia.com/gpu": "4" });
  });

  it("keeps default-deny whatever is allowed", () => {
    expect(policy(json, "default-deny").spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });
});

describe("WorkloadNamespace validation", () => {
  const build = (props: Omit<WorkloadNamespaceProps, "connection">) => {
    const { cluster, addons } = platformAndAddons();
    return () => new WorkloadNamespace(addons, "team", { connection: cluster.connection, ...props });
  };

  it("rejects a name that is not a DNS label", () => {
    expect(build({ name: "Team_Search" })).toThrow(/name: "Team_Search" is not a DNS label/);
  });

  it.each(["default", "kube-system", "kube-public", "kube-node-lease"])("rejects the reserved namespace %s", (name) => {
    expect(build({ name })).toThrow(new RegExp(`name: "${name}" is reserved by Kubernetes`));
  });

  it("rejects a negative or fractional GPU quota", () => {
    expect(build({ name: "a", gpuQuota: -1 })).toThrow(/gpuQuota: -1 must be a whole number of GPUs, 0 or more/);
    expect(build({ name: "a", gpuQuota: 1.5 })).toThrow(/gpuQuota: 1.5 must be a whole number of GPUs/);
  });

  it("rejects an invalid namespace and out-of-range ports in allowIngressFrom", () => {
    expect(build({ name: "a", allowIngressFrom: [{ namespace: "Bad NS", ports: [0, 70000] }] })).toThrow(
      /allowIngressFrom\[0\]\.namespace: "Bad NS" is not a namespace name[\s\S]*allowIngressFrom\[0\]\.ports\[0\]: 0 is not a TCP port[\s\S]*allowIngressFrom\[0\]\.ports\[1\]: 70000 is not a TCP port/,
    );
  });

  it("rejects an open, malformed or portless CIDR allow", () => {
    expect(build({ name: "a", allowIngressFromCidrs: [{ cidr: "0.0.0.0/0", ports: [80] }, { cidr: "10.0.0/8", ports: [] }] })).toThrow(
      /allowIngressFromCidrs\[0\]\.cidr: "0\.0\.0\.0\/0" admits every address[\s\S]*allowIngressFromCidrs\[1\]\.cidr: "10\.0\.0\/8" is not an IPv4 CIDR[\s\S]*allowIngressFromCidrs\[1\]\.ports: is empty/,
    );
  });

  it("rejects Pod Security labels given through labels, so weakening goes through podSecurity", () => {
    expect(build({ name: "a", labels: { "pod-security.kubernetes.io/enforce": "privileged" } })).toThrow(/labels: "pod-security.kubernetes.io\/enforce" is a Pod Security Admission label/);
  });

  it("reports every problem at once, naming the construct path", () => {
    let error: unknown;
    try {
      build({ name: "kube-system", gpuQuota: -2, allowIngressFrom: [{ namespace: "x", ports: [99999] }] })();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).constructPath).toBe("addons/team");
    expect((error as ValidationError).problems).toHaveLength(3);
    expect((error as Error).message).toMatch(/^addons\/team: invalid WorkloadNamespace props \(3 problems\)/);
  });

  it("refuses a cluster created in the same stack", () => {
    const { cluster } = platformAndAddons();
    const platform = TerraformStack.of(cluster);
    expect(() => new WorkloadNamespace(platform, "team", { connection: cluster.connection, name: "a" })).toThrow(/is created in this same stack \(platform\)/);
  });
});
