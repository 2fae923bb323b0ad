import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { Construct } from "constructs";
import * as yaml from "js-yaml";
import { ADDON_VERSIONS, CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterAddons, ClusterAddonsProps } from "../../lib/addons/cluster-addons";
import { AWS_LOAD_BALANCER_CONTROLLER_CRDS, AWS_LOAD_BALANCER_CONTROLLER_CRDS_CHART_VERSION } from "../../lib/addons/crds/aws-load-balancer-controller-crds";
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
    expect(construct.clusterName).toBe("ml-prod");
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

  it("creates no weight-cache namespace when no pool has a weight cache", () => {
    expect(construct.weightCacheNamespace).toBeUndefined();
    expect(Object.values(json.resource.kubernetes_namespace_v1 as Json).map((n: Json) => n.metadata.name)).not.toContain("weight-cache");
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

  it("removes KEDA's default 1-CPU limits (a key set to null is deleted by Helm) and sets no CPU limit anywhere", () => {
    const keda = values("keda").resources;
    for (const component of ["operator", "metricServer", "webhooks"]) {
      expect(keda[component].limits).toHaveProperty("cpu", null);
      expect(keda[component].limits.memory).toBeDefined();
    }
    for (const r of [values("aws-load-balancer-controller").resources, values("argo-rollouts").controller.resources, values("cluster-autoscaler").resources, values("metrics-server").resources]) {
      expect(r.limits).not.toHaveProperty("cpu");
    }
  });

  it("spreads the two replicas of every controller over nodes, selecting only that controller's pods", () => {
    const spread = (matchLabels?: Record<string, string>) => [
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", ...(matchLabels ? { labelSelector: { matchLabels } } : {}), matchLabelKeys: ["pod-template-hash"] },
    ];
    expect(values("aws-load-balancer-controller").topologySpreadConstraints).toEqual(
      spread({ "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": "aws-load-balancer-controller" }),
    );
    // The argo-rollouts chart adds its own component + selector labels when labelSelector is absent.
    expect(values("argo-rollouts").controller.topologySpreadConstraints).toEqual(spread());
    expect(values("keda").topologySpreadConstraints).toEqual({
      operator: spread({ app: "keda-operator" }),
      metricsServer: spread({ app: "keda-operator-metrics-apiserver" }),
      webhooks: spread({ app: "keda-admission-webhooks" }),
    });
    expect(values("cluster-autoscaler").topologySpreadConstraints).toEqual(spread({ "app.kubernetes.io/instance": "cluster-autoscaler", "app.kubernetes.io/name": "aws-cluster-autoscaler" }));
    expect(values("metrics-server").topologySpreadConstraints).toEqual(spread({ "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": "metrics-server" }));
  });

  it("runs cluster-autoscaler non-root with a read-only root filesystem, no capabilities and the runtime's seccomp profile", () => {
    const ca = values("cluster-autoscaler");
    expect(ca.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
    expect(ca.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
  });

  it("drops all capabilities of the Load Balancer Controller and gives it the runtime's seccomp profile (Pod Security restricted)", () => {
    expect(values("aws-load-balancer-controller").securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("applies the Load Balancer Controller's CRDs with Terraform before its release, which skips the chart's own", () => {
    const manifests = json.resource.kubernetes_manifest as Record<string, Json>;
    expect(Object.keys(manifests)).toHaveLength(2);
    const byCrd: Record<string, { id: string; m: Json }> = Object.fromEntries(Object.entries(manifests).map(([id, m]) => [m.manifest.metadata.name, { id, m }]));
    expect(Object.keys(byCrd).sort()).toEqual(["ingressclassparams.elbv2.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"]);
    for (const crd of AWS_LOAD_BALANCER_CONTROLLER_CRDS) {
      const { m } = byCrd[(crd.metadata as { name: string }).name];
      expect(m.manifest).toEqual(crd);
      expect(m).toMatchObject({ provider: "kubernetes", field_manager: { force_conflicts: true }, wait: { condition: [{ type: "Established", status: "True" }] } });
    }
    const lbc = byName("aws-load-balancer-controller");
    expect(lbc.skip_crds).toBe(true);
    expect([...lbc.depends_on].sort()).toEqual(Object.values(byCrd).map(({ id }) => `kubernetes_manifest.${id}`).sort());
    for (const other of ["argo-rollouts", "keda", "cluster-autoscaler", "metrics-server"]) expect(byName(other).skip_crds).toBeUndefined();
    expect(Object.keys(construct.awsLoadBalancerControllerCrds).sort()).toEqual(Object.keys(byCrd).sort());
  });

  it("matches the snapshot", () => {
    expect(releases).toMatchSnapshot();
  });
});

describe("ClusterAddons with a weight-cached GPU pool", () => {
  it("creates the fillers' namespace: Pod Security privileged (hostPath), default-deny with DNS, HTTPS and Pod Identity egress, no GPUs", () => {
    const { app, cluster, addons } = platformAndAddons({ weightCache: { maxSizeGiB: 64 } });
    const construct = new ClusterAddons(addons, "addons", { connection: cluster.connection });
    app.synth();
    const json = JSON.parse(Testing.synth(addons));
    expect(construct.weightCacheNamespace?.name).toBe("weight-cache");
    const ns = Object.values(json.resource.kubernetes_namespace_v1 as Json).find((n: Json) => n.metadata.name === "weight-cache") as Json;
    expect(ns.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/audit": "privileged",
      "pod-security.kubernetes.io/warn": "privileged",
    });
    const policies = Object.values(json.resource.kubernetes_network_policy_v1 as Json).filter((p: Json) => p.metadata.namespace.includes("weight-cache"));
    expect(policies.map((p: Json) => p.metadata.name).sort()).toEqual(["allow-dns", "allow-https-egress", "allow-pod-identity-agent", "default-deny"]);
    const quota = Object.values(json.resource.kubernetes_resource_quota_v1 as Json).find((q: Json) => q.metadata.namespace.includes("weight-cache")) as Json;
    expect(quota.spec.hard["requests.nvidia.com/gpu"]).toBe("0");
  });
});

describe("The vendored CRDs of the AWS Load Balancer Controller", () => {
  const file = path.join(__dirname, "../../lib/addons/crds", `aws-load-balancer-controller-${ADDON_VERSIONS.awsLoadBalancerController.chartVersion}.crds.yaml`);
  const text = fs.readFileSync(file, "utf8");
  const header = text.split("\n").filter((l) => l.startsWith("#"));
  const upstream = text.split("\n").slice(header.length).join("\n");

  it("are crds/crds.yaml of the pinned chart, unchanged below a header naming the source", () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_CRDS_CHART_VERSION).toBe(ADDON_VERSIONS.awsLoadBalancerController.chartVersion);
    expect(header[0]).toBe("# Vendored from aws/eks-charts@a4b8061ee4c36fc0e4338013955eb628258e53b0:stable/aws-load-balancer-controller/crds/crds.yaml");
    const blob = Buffer.from(upstream, "utf8");
    const blobId = createHash("sha1").update(`blob ${blob.length}\0`).update(blob).digest("hex");
    expect(header.join("\n")).toContain(`git blob ${blobId}`);
    expect(blobId).toBe("cbb325657639204e55e2fc2235fd2b8bf32f0372");
  });

  it("are what the generated module holds, and hold no Terraform template sequences", () => {
    expect(yaml.loadAll(upstream).filter(Boolean)).toEqual(AWS_LOAD_BALANCER_CONTROLLER_CRDS);
    expect(AWS_LOAD_BALANCER_CONTROLLER_CRDS.map((c) => c.kind)).toEqual(["CustomResourceDefinition", "CustomResourceDefinition"]);
    // cdktf passes strings through; Terraform would read "${" or "%{" inside a description as a template.
    expect(JSON.stringify(AWS_LOAD_BALANCER_CONTROLLER_CRDS)).not.toMatch(/[$%]\{/);
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

  it("creates no CRDs when the Load Balancer Controller is disabled", () => {
    const { construct, json } = synthAddons({ awsLoadBalancerController: { enabled: false }, argoRollouts: { enabled: false } });
    expect(json.resource.kubernetes_manifest).toBeUndefined();
    expect(construct.awsLoadBalancerControllerCrds).toEqual({});
  });

  it("warns that the CRDs stay those of the pinned chart when the Load Balancer Controller's chart version is overridden", () => {
    const { construct, byName } = synthAddons({ awsLoadBalancerController: { chartVersion: "1.13.4" } });
    expect(byName("aws-load-balancer-controller")).toMatchObject({ version: "1.13.4", skip_crds: true });
    expect(warnings(construct)).toEqual([
      expect.stringMatching(/awsLoadBalancerController\.chartVersion is 1\.13\.4, but ClusterAddons applies the CustomResourceDefinitions of chart 1\.13\.2 and installs the chart with skipCrds/),
    ]);
    expect(warnings(synthAddons({ awsLoadBalancerController: { chartVersion: "1.13.2" } }).construct)).toEqual([]);
  });

  it("lets a cluster whose CRDs an earlier helm install created import them, with the id the JSDoc gives", () => {
    const { app, cluster, addons } = platformAndAddons();
    const construct = new ClusterAddons(addons, "addons", { connection: cluster.connection });
    for (const [name, crd] of Object.entries(construct.awsLoadBalancerControllerCrds)) crd.importFrom(`apiVersion=apiextensions.k8s.io/v1,kind=CustomResourceDefinition,name=${name}`);
    app.synth();
    const json = JSON.parse(Testing.synth(addons));
    expect(json.import).toEqual(
      ["ingressclassparams.elbv2.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"].map((name) =>
        expect.objectContaining({ id: `apiVersion=apiextensions.k8s.io/v1,kind=CustomResourceDefinition,name=${name}`, to: expect.stringMatching(/^kubernetes_manifest\./) }),
      ),
    );
  });

  it("uses clusterAutoscaler.imageTag for a Kubernetes minor it has no image for", () => {
    const { app, cluster, addons } = platformAndAddons({ kubernetesVersion: "1.32" });
    new ClusterAddons(addons, "addons", { connection: { ...cluster.connection, kubernetesVersion: "1.36" }, clusterAutoscaler: { imageTag: "v1.36.0" } });
    app.synth();
    const rel = Object.values(JSON.parse(Testing.synth(addons)).resource.helm_release as Record<string, Json>).find((r: Json) => r.name === "cluster-autoscaler") as Json;
    expect(JSON.parse(rel.values[0]).image.tag).toBe("v1.36.0");
  });
});

describe("ClusterAddons versions", () => {
  it("pins Argo Rollouts v1.8.4 with chart 2.40.6, and the newest cluster-autoscaler patch of each Kubernetes minor", () => {
    expect(ADDON_VERSIONS.argoRollouts).toMatchObject({ chartVersion: "2.40.6", imageTag: "v1.8.4" });
    expect(CLUSTER_AUTOSCALER_IMAGE_TAGS).toEqual({ "1.32": "v1.32.7", "1.33": "v1.33.6", "1.34": "v1.34.5", "1.35": "v1.35.2" });
    expect(ADDON_VERSIONS.awsLoadBalancerController).toMatchObject({ chartVersion: "1.13.2", imageTag: "v2.13.2" });
    expect(ADDON_VERSIONS.keda).toMatchObject({ chartVersion: "2.17.2", imageTag: "2.17.2" });
    for (const v of Object.values(ADDON_VERSIONS)) expect(v.why).not.toMatch(/\blatest\b/i);
  });

  it("runs cluster-autoscaler v1.32.7 on a Kubernetes 1.32 cluster", () => {
    const { app, cluster, addons } = platformAndAddons({ kubernetesVersion: "1.32" });
    new ClusterAddons(addons, "addons", { connection: cluster.connection });
    app.synth();
    const rel = Object.values(JSON.parse(Testing.synth(addons)).resource.helm_release as Record<string, Json>).find((r: Json) => r.name === "cluster-autoscaler") as Json;
    expect(JSON.parse(rel.values[0]).image.tag).toBe("v1.32.7");
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
