import { Testing } from "cdktf";
import { Construct } from "constructs";
import { ADDON_VERSIONS, CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterAddons, ClusterAddonsProps } from "../../lib/addons/cluster-addons";
import type { GpuAmiType } from "../../lib/planning/gpu-pool-description";
import { platformAndAddons } from "./fixtures";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SYSTEM = { "secure-inference.io/pool": "system" };

type Opts = Omit<ClusterAddonsProps, "connection">;

function synthAddons(opts: Opts = {}, amiType?: GpuAmiType) {
  const { app, cluster, addons } = platformAndAddons({ amiType });
  const construct = new ClusterAddons(addons, "addons", { connection: cluster.connection, ...opts });
  app.synth();
  const json = JSON.parse(Testing.synth(addons));
  const releases: Record<string, Json> = json.resource?.helm_release ?? {};
  const byName = (name: string) => Object.values(releases).find((r: Json) => r.name === name) as Json;
  const values = (name: string) => JSON.parse(byName(name).values[0]);
  return { construct, json, releases, byName, values, addons };
}

function warnings(scope: Construct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}

describe("ClusterAddons with Bottlerocket GPU pools (defaults)", () => {
  const { construct, releases, byName, values, json } = synthAddons();

  it("installs the five controllers and no device plugin (Bottlerocket ships it)", () => {
    expect(Object.keys(construct.releases).sort()).toEqual(["argoRollouts", "awsLoadBalancerController", "clusterAutoscaler", "keda", "metricsServer"]);
    expect(Object.values(releases).map((r: Json) => r.name).sort()).toEqual(["argo-rollouts", "aws-load-balancer-controller", "cluster-autoscaler", "keda", "metrics-server"]);
  });

  it("pins each chart from its official repository, with the helm provider of ClusterProviders", () => {
    expect(json.provider.helm).toHaveLength(1);
    const expected: Record<string, { key: keyof typeof ADDON_VERSIONS; namespace: string }> = {
      "aws-load-balancer-controller": { key: "awsLoadBalancerController", namespace: "kube-system" },
      "argo-rollouts": { key: "argoRollouts", namespace: "argo-rollouts" },
      keda: { key: "keda", namespace: "keda" },
      "cluster-autoscaler": { key: "clusterAutoscaler", namespace: "kube-system" },
      "metrics-server": { key: "metricsServer", namespace: "kube-system" },
    };
    for (const [name, { key, namespace }] of Object.entries(expected)) {
      const r = byName(name);
      const v = ADDON_VERSIONS[key];
      expect(r).toMatchObject({ repository: v.repository, chart: v.chart, version: v.chartVersion, create_namespace: false, atomic: true, wait: true, provider: "helm" });
      // Own namespaces are created with Pod Security labels (a reference makes the release wait for them); kube-system is EKS's.
      expect(r.namespace).toEqual(namespace === "kube-system" ? "kube-system" : expect.stringMatching(new RegExp(`^\\$\\{kubernetes_namespace_v1\\.[\\w-]*namespace-${namespace}_\\w+\\.metadata\\[0\\]\\.name\\}$`)));
      expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(r.timeout).toBeGreaterThanOrEqual(300);
    }
  });

  it("sets every image tag explicitly, so a chart default can never move it", () => {
    expect(values("aws-load-balancer-controller").image.tag).toBe("v2.13.2");
    expect(values("argo-rollouts").controller.image.tag).toBe(ADDON_VERSIONS.argoRollouts.imageTag);
    expect(values("keda").image).toEqual({ keda: { tag: "2.17.2" }, metricsApiServer: { tag: "2.17.2" }, webhooks: { tag: "2.17.2" } });
    expect(values("cluster-autoscaler").image.tag).toBe(CLUSTER_AUTOSCALER_IMAGE_TAGS["1.35"]);
    expect(values("metrics-server").image.tag).toBe(ADDON_VERSIONS.metricsServer.imageTag);
  });

  it("runs every controller on the system nodes with requests, memory limits, two replicas and a PodDisruptionBudget", () => {
    const lbc = values("aws-load-balancer-controller");
    expect(lbc).toMatchObject({ nodeSelector: SYSTEM, replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(lbc.resources.requests).toBeDefined();
    expect(lbc.resources.limits.memory).toBeDefined();
    const argo = values("argo-rollouts").controller;
    expect(argo).toMatchObject({ nodeSelector: SYSTEM, replicas: 2, pdb: { enabled: true, maxUnavailable: 1 } });
    expect(argo.resources.limits.memory).toBeDefined();
    const keda = values("keda");
    expect(keda).toMatchObject({ nodeSelector: SYSTEM, operator: { replicaCount: 2 }, metricsServer: { replicaCount: 2 }, webhooks: { replicaCount: 2 } });
    expect(Object.keys(keda.podDisruptionBudget).sort()).toEqual(["metricServer", "operator", "webhooks"]);
    expect(keda.resources.operator.limits.memory).toBeDefined();
    const ca = values("cluster-autoscaler");
    expect(ca).toMatchObject({ nodeSelector: SYSTEM, replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(ca.resources.limits.memory).toBeDefined();
    const ms = values("metrics-server");
    expect(ms).toMatchObject({ nodeSelector: SYSTEM, replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } });
    expect(ms.args).toBeUndefined();
  });

  it("configures the Load Balancer Controller for this cluster, with Pod Identity (no role annotation) and no Service mutator", () => {
    const lbc = values("aws-load-balancer-controller");
    expect(lbc.clusterName).toBe("ml-prod");
    expect(lbc.region).toMatch(/remote_state\.cross-stack-reference-input-platform/);
    expect(lbc.vpcId).toMatch(/remote_state\.cross-stack-reference-input-platform/);
    expect(lbc.enableServiceMutatorWebhook).toBe(false);
    expect(lbc.serviceAccount).toEqual({ create: true, name: "aws-load-balancer-controller" });
  });

  it("gives Argo Rollouts its IRSA role, target-group verification, the AWS region and metrics", () => {
    const argo = values("argo-rollouts");
    expect(argo.serviceAccount.name).toBe("argo-rollouts");
    expect(argo.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\./);
    expect(argo.controller.extraArgs).toContain("--aws-verify-target-group");
    expect(argo.controller.extraEnv).toEqual([{ name: "AWS_REGION", value: expect.stringMatching(/remote_state/) }]);
    expect(argo.controller.metrics.enabled).toBe(true);
    expect(byName("argo-rollouts").depends_on).toEqual([expect.stringMatching(/^helm_release\.addons_aws-load-balancer-controller_\w+$/)]);
  });

  it("creates the add-on namespaces with Pod Security enforce=baseline and audit/warn=restricted", () => {
    const namespaces = Object.values(json.resource.kubernetes_namespace_v1 as Record<string, { metadata: { name: string; labels: Record<string, string> } }>);
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(["argo-rollouts", "keda"]);
    for (const n of namespaces) {
      expect(n.metadata.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });
    }
  });

  it("names KEDA's operator service account keda/keda-operator, the one its Pod Identity role trusts", () => {
    expect(byName("keda").namespace).toMatch(/kubernetes_namespace_v1\.[\w-]*namespace-keda_/);
    expect(values("keda").serviceAccount.operator).toEqual({ create: true, name: "keda-operator" });
  });

  it("auto-discovers the cluster's node groups and scales with GPU-minded settings", () => {
    const ca = values("cluster-autoscaler");
    expect(ca.autoDiscovery.clusterName).toBe("ml-prod");
    expect(ca.awsRegion).toMatch(/remote_state/);
    expect(ca.rbac.serviceAccount.name).toBe("cluster-autoscaler");
    expect(ca.extraArgs).toMatchObject({
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "scale-down-delay-after-add": "20m",
      "scale-down-unneeded-time": "15m",
      "skip-nodes-with-local-storage": false,
    });
  });

  it("matches the snapshot", () => {
    expect(releases).toMatchSnapshot();
  });
});

describe("ClusterAddons' default StorageClass", () => {
  const { construct, json } = synthAddons();
  const classes = Object.values((json.resource.kubernetes_storage_class_v1 ?? {}) as Record<string, Json>);

  it("makes encrypted gp3 through the EBS CSI driver, with the cluster's storage key, the cluster's default class", () => {
    expect(classes).toHaveLength(1);
    const sc = classes[0];
    expect(sc.metadata).toEqual({ name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } });
    expect(sc.storage_provisioner).toBe("ebs.csi.aws.com");
    expect(sc.parameters).toEqual({ type: "gp3", encrypted: "true", kmsKeyId: expect.stringMatching(/remote_state/), "csi.storage.k8s.io/fstype": "ext4" });
    expect(sc.parameters.kmsKeyId).toMatch(/storage/);
    expect(sc).toMatchObject({ volume_binding_mode: "WaitForFirstConsumer", reclaim_policy: "Delete", allow_volume_expansion: true, provider: "kubernetes" });
    expect(construct.storageClass).toBeDefined();
  });

  it("can be renamed, left non-default, or turned off", () => {
    const renamed = Object.values(synthAddons({ storageClass: { name: "models-gp3", isDefault: false } }).json.resource.kubernetes_storage_class_v1 as Record<string, Json>)[0];
    expect(renamed.metadata).toEqual({ name: "models-gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } });
    expect(synthAddons({ storageClass: { enabled: false } }).json.resource.kubernetes_storage_class_v1).toBeUndefined();
  });

  it("rejects a class name Kubernetes would refuse", () => {
    const { cluster, addons } = platformAndAddons();
    expect(() => new ClusterAddons(addons, "addons", { connection: cluster.connection, storageClass: { name: "GP3_Encrypted" } })).toThrow(/storageClass\.name: "GP3_Encrypted" is not a Kubernetes object name/);
  });
});

describe("ClusterAddons with an AL2023 NVIDIA pool", () => {
  const { byName, values } = synthAddons({}, "AL2023_x86_64_NVIDIA");

  it("installs the device plugin on the AL2023 GPU pool only, tolerating the GPU taint", () => {
    const r = byName("nvidia-device-plugin");
    expect(r).toMatchObject({ chart: "nvidia-device-plugin", version: ADDON_VERSIONS.nvidiaDevicePlugin.chartVersion, repository: "https://nvidia.github.io/k8s-device-plugin", provider: "helm" });
    const v = values("nvidia-device-plugin");
    expect(v.image.tag).toBe(ADDON_VERSIONS.nvidiaDevicePlugin.imageTag);
    expect(v.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "secure-inference.io/pool", operator: "In", values: ["l4"] }] },
    ]);
    expect(v.nodeSelector).toBeUndefined();
    expect(v.replicas).toBeUndefined();
    expect(v.podDisruptionBudget).toBeUndefined();
  });
});

describe("ClusterAddons options", () => {
  it("removes the release of a disabled add-on", () => {
    const { construct, byName } = synthAddons({ keda: { enabled: false }, metricsServer: { enabled: false } });
    expect(byName("keda")).toBeUndefined();
    expect(byName("metrics-server")).toBeUndefined();
    expect(construct.releases.keda).toBeUndefined();
    expect(byName("cluster-autoscaler")).toBeDefined();
  });

  it("deep-merges values over the defaults and honours a chart version override", () => {
    const { values, byName } = synthAddons({
      clusterAutoscaler: { chartVersion: "9.59.1", values: { extraArgs: { expander: "priority" }, resources: { limits: { memory: "1Gi" } } } },
    });
    const ca = values("cluster-autoscaler");
    expect(ca.extraArgs).toMatchObject({ expander: "priority", "balance-similar-node-groups": true, "scale-down-unneeded-time": "15m" });
    expect(ca.resources).toEqual({ requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "1Gi" } });
    expect(ca.nodeSelector).toEqual(SYSTEM);
    expect(byName("cluster-autoscaler").version).toBe("9.59.1");
  });

  it("uses clusterAutoscaler.imageTag for a Kubernetes minor it has no image for", () => {
    const { app, cluster, addons } = platformAndAddons({ kubernetesVersion: "1.32" });
    new ClusterAddons(addons, "addons", { connection: { ...cluster.connection, kubernetesVersion: "1.36" }, clusterAutoscaler: { imageTag: "v1.36.0" } });
    app.synth();
    const rel = Object.values(JSON.parse(Testing.synth(addons)).resource.helm_release as Record<string, Json>).find((r: Json) => r.name === "cluster-autoscaler") as Json;
    expect(JSON.parse(rel.values[0]).image.tag).toBe("v1.36.0");
  });
});

describe("ClusterAddons validation", () => {
  it("rejects Argo Rollouts without the Load Balancer Controller, because ALB routing needs it", () => {
    const { cluster, addons } = platformAndAddons();
    expect(() => new ClusterAddons(addons, "addons", { connection: cluster.connection, awsLoadBalancerController: { enabled: false } })).toThrow(
      /addons\/addons: invalid ClusterAddons props[\s\S]*argoRollouts\.enabled: true while awsLoadBalancerController\.enabled is false: Argo Rollouts' ALB traffic routing[\s\S]*enable awsLoadBalancerController, or set argoRollouts\.enabled: false/,
    );
  });

  it("rejects a chart version that is not an exact semver", () => {
    const { cluster, addons } = platformAndAddons();
    expect(() => new ClusterAddons(addons, "addons", { connection: cluster.connection, keda: { chartVersion: "latest" }, metricsServer: { chartVersion: "~3.13" } })).toThrow(
      /keda\.chartVersion: "latest" is not an exact semantic version; pin one release, e\.g\. "2\.17\.2"[\s\S]*metricsServer\.chartVersion: "~3\.13" is not an exact semantic version/,
    );
  });

  it("rejects an unknown Kubernetes minor for cluster-autoscaler, with the fix", () => {
    const { cluster, addons } = platformAndAddons();
    expect(() => new ClusterAddons(addons, "addons", { connection: { ...cluster.connection, kubernetesVersion: "1.36" } })).toThrow(
      /clusterAutoscaler: no cluster-autoscaler image is known for Kubernetes "1\.36" \(known: 1\.32, 1\.33, 1\.34, 1\.35\); pass clusterAutoscaler\.imageTag/,
    );
  });

  it("reports every problem at once", () => {
    const { cluster, addons } = platformAndAddons();
    expect(() =>
      new ClusterAddons(addons, "addons", { connection: { ...cluster.connection, kubernetesVersion: "1.36" }, awsLoadBalancerController: { enabled: false }, argoRollouts: { chartVersion: "v2" } }),
    ).toThrow(/\(3 problems\)/);
  });

  it("warns when the device plugin is forced on with only Bottlerocket pools", () => {
    const { construct } = synthAddons({ nvidiaDevicePlugin: { enabled: true } });
    expect(warnings(construct)).toEqual([expect.stringMatching(/nvidiaDevicePlugin\.enabled is true but no GPU pool uses AL2023_x86_64_NVIDIA \(pools: l4=BOTTLEROCKET_x86_64_NVIDIA\)[\s\S]*Bottlerocket NVIDIA AMIs ship the device plugin/)]);
    expect(construct.releases.nvidiaDevicePlugin).toBeDefined();
  });

  it("does not warn by default", () => {
    const { construct } = synthAddons();
    expect(warnings(construct)).toEqual([]);
  });
});
