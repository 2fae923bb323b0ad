/**
 * ClusterAddons' values, rendered by the pinned charts themselves: `helm template` over the chart archives in
 * test/fixtures/charts (see its README for their sources), offline. What the static tests can only assume about a
 * chart (how it merges defaults, which labels its pods carry, whether it copies a list verbatim) is checked here.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ADDON_VERSIONS, AddonName, ClusterAddons } from "../../lib/addons/cluster-addons";
import { AWS_LOAD_BALANCER_CONTROLLER_CRDS } from "../../lib/addons/crds/aws-load-balancer-controller-crds";
import type { GpuAmiType } from "../../lib/planning/gpu-pool-description";
import { K8sObject, helmTemplate } from "../harness/helm";
import { platformAndAddons } from "./fixtures";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHARTS = path.join(__dirname, "../fixtures/charts");
const WORKLOAD_KINDS = ["Deployment", "DaemonSet", "StatefulSet", "Job"];

/** Release name, namespace and values of each enabled add-on, as the helm_release resources carry them. */
function releasesOf(amiType?: GpuAmiType) {
  const { app, cluster, addons } = platformAndAddons({ amiType });
  new ClusterAddons(addons, "addons", { connection: cluster.connection });
  app.synth();
  const json = JSON.parse(Testing.synth(addons));
  const releases = Object.values(json.resource.helm_release as Record<string, Json>);
  const kubernetesVersion = cluster.connection.kubernetesVersion;
  return { releases, kubeVersion: `${kubernetesVersion}.0`, json };
}

function chartArchive(name: AddonName): string {
  const v = ADDON_VERSIONS[name];
  return path.join(CHARTS, `${v.chart}-${v.chartVersion}.tgz`);
}

function render(name: AddonName, release: Json, kubeVersion: string, extra: { includeCrds?: boolean; values?: Record<string, unknown> } = {}): K8sObject[] {
  const namespace = /^\$\{/.test(release.namespace) ? release.name : release.namespace; // own namespaces are named after the release
  return helmTemplate(chartArchive(name), { release: release.name, namespace, values: extra.values ?? JSON.parse(release.values[0]), kubeVersion, includeCrds: extra.includeCrds });
}

function podSpecOf(o: K8sObject): Json {
  return o.spec.template.spec;
}

function containersOf(o: K8sObject): Json[] {
  const spec = podSpecOf(o);
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Pod Security "restricted" (kubernetes.io/docs/concepts/security/pod-security-standards): the problems of one pod template. */
function restrictedViolations(o: K8sObject): string[] {
  const spec = podSpecOf(o);
  const pod = spec.securityContext ?? {};
  const out: string[] = [];
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[f]) out.push(`${f}`);
  const allowedVolumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !allowedVolumes.includes(type)) out.push(`volume ${v.name}: ${type}`);
  }
  for (const c of containersOf(o)) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.privileged) out.push(`${where}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${where}: does not drop ALL capabilities`);
    if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== "NET_BIND_SERVICE")) out.push(`${where}: adds capabilities`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${where}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? pod.runAsUser) === 0) out.push(`${where}: runAsUser 0`);
    if (!["RuntimeDefault", "Localhost"].includes((sc.seccompProfile ?? pod.seccompProfile)?.type)) out.push(`${where}: no RuntimeDefault/Localhost seccomp profile`);
  }
  return out;
}

describe("ClusterAddons' values rendered by the pinned charts (helm template, offline)", () => {
  const defaults = releasesOf();
  const al2023 = releasesOf("AL2023_x86_64_NVIDIA");
  const releaseNames: Record<AddonName, string> = {
    awsLoadBalancerController: "aws-load-balancer-controller",
    argoRollouts: "argo-rollouts",
    keda: "keda",
    clusterAutoscaler: "cluster-autoscaler",
    metricsServer: "metrics-server",
    nvidiaDevicePlugin: "nvidia-device-plugin",
  };
  const addons = Object.keys(releaseNames) as AddonName[];
  const releaseOf = (name: AddonName) => {
    const from = name === "nvidiaDevicePlugin" ? al2023 : defaults;
    return { release: from.releases.find((r) => r.name === releaseNames[name]) as Json, kubeVersion: from.kubeVersion };
  };
  const rendered = Object.fromEntries(
    addons.map((name) => {
      const { release, kubeVersion } = releaseOf(name);
      return [name, render(name, release, kubeVersion)];
    }),
  ) as Record<AddonName, K8sObject[]>;
  const workloads = (name: AddonName) => rendered[name].filter((o) => WORKLOAD_KINDS.includes(o.kind));
  const controllers = addons.filter((n) => n !== "nvidiaDevicePlugin");

  it("has the chart archive of every pinned chart version, whose appVersion is the pinned image", () => {
    for (const name of addons) {
      const v = ADDON_VERSIONS[name];
      expect(fs.existsSync(chartArchive(name))).toBe(true);
      const labels = rendered[name].find((o) => o.kind === "Deployment" || o.kind === "DaemonSet")!.metadata.labels ?? {};
      if (labels["helm.sh/chart"]) expect(labels["helm.sh/chart"]).toBe(`${v.chart}-${v.chartVersion}`);
    }
    // Chart.yaml appVersion, as the charts render it into app.kubernetes.io/version.
    const version = (name: AddonName) => rendered[name].find((o) => o.kind === "Deployment" || o.kind === "DaemonSet")!.metadata.labels?.["app.kubernetes.io/version"];
    expect(version("awsLoadBalancerController")).toBe(ADDON_VERSIONS.awsLoadBalancerController.imageTag);
    expect(version("argoRollouts")).toBe(ADDON_VERSIONS.argoRollouts.imageTag);
    expect(version("keda")).toBe(ADDON_VERSIONS.keda.imageTag);
    expect(version("metricsServer")).toBe(ADDON_VERSIONS.metricsServer.imageTag.replace(/^v/, ""));
    expect(version("nvidiaDevicePlugin")).toBe(ADDON_VERSIONS.nvidiaDevicePlugin.imageTag.replace(/^v/, ""));
  });

  it("renders every container at its pinned image tag", () => {
    const expectedTag: Record<AddonName, string> = {
      awsLoadBalancerController: "v2.13.2",
      argoRollouts: "v1.8.4",
      keda: "2.17.2",
      clusterAutoscaler: "v1.35.2",
      metricsServer: "v0.8.0",
      nvidiaDevicePlugin: "v0.18.0",
    };
    for (const name of addons) {
      const images = workloads(name).flatMap((w) => containersOf(w).map((c) => c.image as string));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) expect(`${name} ${image}`).toBe(`${name} ${image.replace(/:[^:/]+$/, "")}:${expectedTag[name]}`);
      expect(images).toContain(`${ADDON_VERSIONS[name].image}:${expectedTag[name]}`);
    }
    expect(workloads("keda").flatMap((w) => containersOf(w).map((c) => c.image))).toEqual([
      "ghcr.io/kedacore/keda:2.17.2",
      "ghcr.io/kedacore/keda-metrics-apiserver:2.17.2",
      "ghcr.io/kedacore/keda-admission-webhooks:2.17.2",
    ]);
  });

  it("sets no CPU limit on any container (KEDA's default 1-CPU limits are deleted), and a memory limit on each", () => {
    for (const name of addons) {
      for (const w of workloads(name)) {
        for (const c of containersOf(w)) {
          expect(`${w.metadata.name}/${c.name} cpu limit ${c.resources?.limits?.cpu}`).toBe(`${w.metadata.name}/${c.name} cpu limit undefined`);
          expect(c.resources?.limits?.memory).toBeDefined();
        }
      }
    }
  });

  it("needs the nulls: KEDA's chart keeps its 1-CPU limit when only the memory limit is set", () => {
    const { release, kubeVersion } = releaseOf("keda");
    const values = JSON.parse(release.values[0]);
    for (const component of Object.values(values.resources) as Json[]) delete component.limits.cpu;
    const operator = render("keda", release, kubeVersion, { values }).find((o) => o.kind === "Deployment" && o.metadata.name === "keda-operator")!;
    expect(containersOf(operator)[0].resources.limits).toEqual({ cpu: 1, memory: "1000Mi" });
  });

  it("spreads every two-replica Deployment over nodes, selecting its own pods and no other's", () => {
    const spread: string[] = [];
    for (const name of controllers) {
      const deployments = rendered[name].filter((o) => o.kind === "Deployment");
      for (const d of deployments) {
        expect(`${d.metadata.name} replicas ${d.spec.replicas}`).toBe(`${d.metadata.name} replicas 2`);
        const constraints = (podSpecOf(d).topologySpreadConstraints ?? []) as Json[];
        const byNode = constraints.filter((t) => t.topologyKey === "kubernetes.io/hostname");
        expect(byNode).toEqual([expect.objectContaining({ maxSkew: 1, whenUnsatisfiable: "DoNotSchedule", matchLabelKeys: ["pod-template-hash"] })]);
        const selector = byNode[0].labelSelector?.matchLabels as Record<string, string>;
        expect(byNode[0].labelSelector).toEqual({ matchLabels: selector });
        expect(Object.keys(selector).length).toBeGreaterThan(0);
        const podLabels = d.spec.template.metadata.labels as Record<string, string>;
        expect(matches(selector, podLabels)).toBe(true);
        for (const other of deployments.filter((o) => o !== d)) expect(`${d.metadata.name} selects ${other.metadata.name}: ${matches(selector, other.spec.template.metadata.labels)}`).toMatch(/: false$/);
        spread.push(d.metadata.name);
      }
    }
    expect(spread.sort()).toEqual([
      "argo-rollouts",
      "aws-load-balancer-controller",
      "cluster-autoscaler-aws-cluster-autoscaler",
      "keda-admission-webhooks",
      "keda-operator",
      "keda-operator-metrics-apiserver",
      "metrics-server",
    ]);
  });

  it("runs cluster-autoscaler as nobody, read-only, without capabilities, under the runtime's seccomp profile", () => {
    const [ca] = workloads("clusterAutoscaler");
    expect(podSpecOf(ca).securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } });
    expect(containersOf(ca).map((c) => c.securityContext)).toEqual([{ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true }]);
  });

  it("meets Pod Security restricted in every controller pod", () => {
    for (const name of controllers) {
      for (const w of workloads(name)) expect({ workload: w.metadata.name, violations: restrictedViolations(w) }).toEqual({ workload: w.metadata.name, violations: [] });
    }
  });

  it("renders the Load Balancer Controller's CRDs only from crds/, and those are the ones ClusterAddons applies", () => {
    expect(rendered.awsLoadBalancerController.filter((o) => o.kind === "CustomResourceDefinition")).toEqual([]);
    const { release, kubeVersion } = releaseOf("awsLoadBalancerController");
    const crds = render("awsLoadBalancerController", release, kubeVersion, { includeCrds: true }).filter((o) => o.kind === "CustomResourceDefinition");
    expect(crds).toEqual(AWS_LOAD_BALANCER_CONTROLLER_CRDS);
    const applied = Object.values(defaults.json.resource.kubernetes_manifest as Record<string, Json>).map((m) => m.manifest);
    expect(applied).toEqual(crds);
  });
});
