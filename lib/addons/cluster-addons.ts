import { warn } from "../private/stack-synthesis";
import { Construct } from "constructs";
import { Release } from "@cdktf/provider-helm/lib/release";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { ClusterProviders } from "./cluster-providers";
import { WorkloadNamespace } from "./workload-namespace";
import { WEIGHT_CACHE_NAMESPACE } from "../planning/gpu-pool-description";
import { AWS_LOAD_BALANCER_CONTROLLER_CRDS, AWS_LOAD_BALANCER_CONTROLLER_CRDS_CHART_VERSION } from "./crds/aws-load-balancer-controller-crds";
import { AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION, DEFAULT_CONTROLLER_SERVICE_ACCOUNTS } from "../cluster/controller-roles";
import { GPU_TAINT, NodeLabels } from "../cluster/node-labels";
import type { ClusterConnection } from "../cluster/cluster-connection";
import { Problems, isLiteral, show } from "../private/validation";

/** The add-ons ClusterAddons installs, one Helm release each. */
export type AddonName = "awsLoadBalancerController" | "argoRollouts" | "keda" | "clusterAutoscaler" | "nvidiaDevicePlugin" | "metricsServer";

/** A pinned Helm chart and the image tag set explicitly in its values. */
export interface AddonVersion {
  /** URL of the chart's official Helm repository. */
  readonly repository: string;
  /** Chart name in that repository. */
  readonly chart: string;
  /** Exact chart version. */
  readonly chartVersion: string;
  /** Image of the main container (the chart's default repository). */
  readonly image: string;
  /** Image tag set in the values, so that a chart default can never move it. */
  readonly imageTag: string;
  /** Why this version. */
  readonly why: string;
}

/**
 * The pinned chart and image of every add-on. Each chart version's app version was read from the chart's Chart.yaml
 * at its release tag (see each comment); test/addons/cluster-addons-charts.test.ts renders these exact charts offline.
 * "Newer" below means tags present in the source repositories when checked on 2026-12-03.
 */
export const ADDON_VERSIONS: Readonly<Record<AddonName, AddonVersion>> = Object.freeze({
  // aws/eks-charts@a4b8061:stable/aws-load-balancer-controller/Chart.yaml: version 1.13.2, appVersion v2.13.2 (that repo tags no charts).
  // Newer exist (1.13.4 = v2.13.4; 3.5.0 newest); kept at v2.13.2 because ControllerRoles transcribes this release's IAM policy.
  awsLoadBalancerController: Object.freeze({
    repository: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    chartVersion: "1.13.2",
    image: "public.ecr.aws/eks/aws-load-balancer-controller",
    imageTag: AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION,
    why: `the release whose IAM policy ControllerRoles transcribes (${AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION}): a newer controller may call APIs the role lacks`,
  }),
  // argoproj/argo-helm@argo-rollouts-2.40.6:charts/argo-rollouts/Chart.yaml: appVersion v1.8.4, the newest v1.8.* tag of
  // argoproj/argo-rollouts. Chart 2.40.7 ships v1.8.4 too (adds only controller.createConfigmap); 2.40.8 and later ship v1.9.
  argoRollouts: Object.freeze({
    repository: "https://argoproj.github.io/argo-helm",
    chart: "argo-rollouts",
    chartVersion: "2.40.6",
    image: "quay.io/argoproj/argo-rollouts",
    imageTag: "v1.8.4",
    why: "newest 1.8 patch (checked 2026-12-03): ALB traffic routing with --aws-verify-target-group and the CloudWatch and Prometheus (SigV4 via IRSA) analysis providers the endpoints use",
  }),
  // kedacore/charts@v2.17.2:keda/Chart.yaml: version and appVersion 2.17.2, the last 2.17 tag (newer lines up to 2.20.2 exist).
  keda: Object.freeze({
    repository: "https://kedacore.github.io/charts",
    chart: "keda",
    chartVersion: "2.17.2",
    image: "ghcr.io/kedacore/keda",
    imageTag: "2.17.2",
    why: "Prometheus scaler with AWS (AMP) authentication through Pod Identity, and the scaling of Argo Rollouts targets the endpoints rely on",
  }),
  // kubernetes/autoscaler@cluster-autoscaler-chart-9.59.0:cluster-autoscaler/charts/cluster-autoscaler/Chart.yaml: appVersion 1.35.0,
  // the newest chart tag. The image tag is chosen per Kubernetes minor from CLUSTER_AUTOSCALER_IMAGE_TAGS.
  clusterAutoscaler: Object.freeze({
    repository: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    chartVersion: "9.59.0",
    image: "registry.k8s.io/autoscaling/cluster-autoscaler",
    imageTag: "v1.35.2",
    why: "cluster-autoscaler must match the cluster's Kubernetes minor; the image tag comes from CLUSTER_AUTOSCALER_IMAGE_TAGS (this one is for 1.35, the default cluster version)",
  }),
  // NVIDIA/k8s-device-plugin@v0.18.0:deployments/helm/nvidia-device-plugin/Chart.yaml: version and appVersion 0.18.0.
  // Newer patches v0.18.1 and v0.18.2 exist; not moved here.
  nvidiaDevicePlugin: Object.freeze({
    repository: "https://nvidia.github.io/k8s-device-plugin",
    chart: "nvidia-device-plugin",
    chartVersion: "0.18.0",
    image: "nvcr.io/nvidia/k8s-device-plugin",
    imageTag: "v0.18.0",
    why: "0.18 release line for the drivers of the EKS AL2023 NVIDIA AMI; only installed on AL2023 GPU pools (Bottlerocket ships its own plugin)",
  }),
  // kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.0:charts/metrics-server/Chart.yaml: appVersion 0.8.0.
  // Chart 3.13.1 (app 0.8.1) is newer; not moved here.
  metricsServer: Object.freeze({
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    chart: "metrics-server",
    chartVersion: "3.13.0",
    image: "registry.k8s.io/metrics-server/metrics-server",
    imageTag: "v0.8.0",
    why: "first chart of the 0.8 line, supports every Kubernetes minor EKS runs; only resource metrics for kubectl top and HPAs (KEDA serves the external metrics)",
  }),
});

/**
 * cluster-autoscaler image tag per Kubernetes minor: the newest kubernetes/autoscaler tag "cluster-autoscaler-1.<minor>.<patch>"
 * of each minor, checked 2026-12-03 (version/version.go at each tag agrees): 1.32.7 (2026-02-13); 1.33.6, 1.34.5, 1.35.2 (2026-07-22).
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = Object.freeze({
  "1.32": "v1.32.7",
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
});

/** Options of one add-on. */
export interface AddonOptions {
  /**
   * Installs the add-on.
   * @default true (nvidiaDevicePlugin: only when a GPU pool uses AL2023_x86_64_NVIDIA)
   */
  readonly enabled?: boolean;
  /**
   * Chart values deep-merged over this library's defaults (objects merge, lists and scalars replace).
   * @default - none
   */
  readonly values?: Record<string, unknown>;
  /**
   * Exact chart version (semver). The image tag stays the one in ADDON_VERSIONS unless `values` sets it.
   * @default - ADDON_VERSIONS[addon].chartVersion
   */
  readonly chartVersion?: string;
}

/** Options of cluster-autoscaler. */
export interface ClusterAutoscalerOptions extends AddonOptions {
  /**
   * cluster-autoscaler image tag; its minor must match the cluster's Kubernetes minor.
   * @default - CLUSTER_AUTOSCALER_IMAGE_TAGS[connection.kubernetesVersion]
   */
  readonly imageTag?: string;
}

/** Props of ClusterAddons. */
export interface ClusterAddonsProps {
  /** The cluster, from the platform stack (`cluster.connection`); the add-ons must live in another stack. */
  readonly connection: ClusterConnection;
  /** AWS Load Balancer Controller: internal ALBs and the canary's weighted target groups. @default - enabled */
  readonly awsLoadBalancerController?: AddonOptions;
  /** Argo Rollouts: canary steps, ALB traffic routing, analysis. @default - enabled */
  readonly argoRollouts?: AddonOptions;
  /** KEDA: scales the model servers on queue depth from AMP. @default - enabled */
  readonly keda?: AddonOptions;
  /** cluster-autoscaler: adds and removes nodes, GPU pools from zero. @default - enabled */
  readonly clusterAutoscaler?: ClusterAutoscalerOptions;
  /** NVIDIA device plugin: exposes nvidia.com/gpu on AL2023 GPU nodes. @default - enabled only when a pool uses AL2023_x86_64_NVIDIA */
  readonly nvidiaDevicePlugin?: AddonOptions;
  /** metrics-server: resource metrics for `kubectl top` and CPU/memory HPAs. @default - enabled */
  readonly metricsServer?: AddonOptions;
  /**
   * The cluster's default StorageClass: gp3 volumes through the EBS CSI driver, encrypted with the
   * cluster's storage key, so a PersistentVolumeClaim without a class gets an encrypted volume.
   * @default - created, named "gp3-encrypted", and marked as the default class
   */
  readonly storageClass?: EncryptedStorageClassOptions;
}

/** The encrypted default StorageClass of ClusterAddons. */
export interface EncryptedStorageClassOptions {
  /**
   * Creates the class. Turning it off leaves PersistentVolumeClaims without a class to whatever default
   * the cluster has (none on EKS 1.30 and later, where gp2 is no longer marked default).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Name of the class.
   * @default "gp3-encrypted"
   */
  readonly name?: string;
  /**
   * Marks it as the cluster's default class (annotation `storageclass.kubernetes.io/is-default-class`).
   * @default true
   */
  readonly isDefault?: boolean;
}

const ADDON_NAMES = Object.keys(ADDON_VERSIONS) as AddonName[];

/** Helm release name and namespace of each add-on; controllers use the namespaces their IAM roles trust. */
const PLACEMENT: Record<AddonName, { release: string; namespace: string }> = {
  awsLoadBalancerController: { release: "aws-load-balancer-controller", namespace: DEFAULT_CONTROLLER_SERVICE_ACCOUNTS.awsLoadBalancerController.namespace },
  argoRollouts: { release: "argo-rollouts", namespace: DEFAULT_CONTROLLER_SERVICE_ACCOUNTS.argoRollouts.namespace },
  keda: { release: "keda", namespace: DEFAULT_CONTROLLER_SERVICE_ACCOUNTS.keda.namespace },
  clusterAutoscaler: { release: "cluster-autoscaler", namespace: DEFAULT_CONTROLLER_SERVICE_ACCOUNTS.clusterAutoscaler.namespace },
  nvidiaDevicePlugin: { release: "nvidia-device-plugin", namespace: "kube-system" },
  metricsServer: { release: "metrics-server", namespace: "kube-system" },
};

/** Name of the encrypted StorageClass ClusterAddons creates. */
const DEFAULT_STORAGE_CLASS_NAME = "gp3-encrypted";

/** Helm waits this long for the pods to become ready, in seconds; a fresh system node can take a few minutes. */
const RELEASE_TIMEOUT_SECONDS = 600;

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * One replica per node at most while another node has none (maxSkew 1, DoNotSchedule), so a node loss never takes both
 * replicas. Only nodes the pods may use count (nodeAffinityPolicy Honor, the default), so a single system node still runs both.
 * `matchLabels` must select this workload's pods only; undefined where the chart fills in its own selector.
 * kubernetes/website@02aa04fe:content/en/docs/concepts/scheduling-eviction/topology-spread-constraints.md: matchLabelKeys
 * [pod-template-hash] counts each Deployment revision apart, so a rolling update spreads the new pods too (beta, on since 1.27).
 */
function spreadOverNodes(matchLabels?: Record<string, string>): Array<Record<string, unknown>> {
  return [
    {
      maxSkew: 1,
      topologyKey: "kubernetes.io/hostname",
      whenUnsatisfiable: "DoNotSchedule",
      ...(matchLabels ? { labelSelector: { matchLabels } } : {}),
      matchLabelKeys: ["pod-template-hash"],
    },
  ];
}

/** Container settings Pod Security "restricted" requires (besides runAsNonRoot and a seccomp profile), plus a read-only root filesystem. */
function restrictedContainer(): Record<string, unknown> {
  return { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true };
}

/**
 * The cluster's controllers, installed with Helm in the add-ons stack: each chart and image pinned
 * (ADDON_VERSIONS), each controller on the system nodes with resource requests and memory limits (no CPU
 * limits), two replicas spread over nodes and a PodDisruptionBudget, using the IAM role the platform stack
 * created for its service account. The Load Balancer Controller's CRDs are applied by Terraform
 * (awsLoadBalancerControllerCrds), so that chart upgrades upgrade them; the kubernetes provider then needs
 * the cluster's API at plan time, as for the endpoints' custom resources.
 */
export class ClusterAddons extends Construct {
  /** Name of the cluster the add-ons are installed in. */
  public readonly clusterName: string;
  /** The Helm releases of the enabled add-ons, by add-on. */
  public readonly releases: Record<string, Release>;
  /**
   * The AWS Load Balancer Controller's CustomResourceDefinitions (IngressClassParams, TargetGroupBinding), by name, applied by
   * Terraform from the pinned chart's crds/ so that an upgrade of the chart upgrades them (Helm never does). Empty when the
   * controller is disabled. A cluster whose CRDs an earlier `helm install` created must import them once, e.g.
   * `crd.importFrom("apiVersion=apiextensions.k8s.io/v1,kind=CustomResourceDefinition,name=<name>")` for one apply.
   */
  public readonly awsLoadBalancerControllerCrds: Record<string, Manifest>;
  /** The encrypted default StorageClass, unless turned off. */
  public readonly storageClass?: StorageClassV1;
  /**
   * The namespace of the weight-cache fillers (`weight-cache`), when a GPU pool has a `weightCache`: Pod Security
   * "privileged" (the fillers mount the cache's host path), default-deny network policies with DNS, HTTPS and
   * Pod Identity egress only, and no GPUs.
   */
  public readonly weightCacheNamespace?: WorkloadNamespace;

  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    const c = props.connection;
    this.clusterName = c.clusterName;
    const al2023Pools = c.gpuPools.filter((p) => p.amiType === "AL2023_x86_64_NVIDIA").map((p) => p.name);
    const enabled: Record<AddonName, boolean> = {
      awsLoadBalancerController: props.awsLoadBalancerController?.enabled ?? true,
      argoRollouts: props.argoRollouts?.enabled ?? true,
      keda: props.keda?.enabled ?? true,
      clusterAutoscaler: props.clusterAutoscaler?.enabled ?? true,
      nvidiaDevicePlugin: props.nvidiaDevicePlugin?.enabled ?? al2023Pools.length > 0,
      metricsServer: props.metricsServer?.enabled ?? true,
    };

    const caImageTag = props.clusterAutoscaler?.imageTag ?? (isLiteral(c.kubernetesVersion) ? CLUSTER_AUTOSCALER_IMAGE_TAGS[c.kubernetesVersion] : undefined);
    validate(props, enabled, caImageTag).throwIfAny(this, "ClusterAddons");
    if (props.nvidiaDevicePlugin?.enabled === true && al2023Pools.length === 0) {
      warn(this, 
        `nvidiaDevicePlugin.enabled is true but no GPU pool uses AL2023_x86_64_NVIDIA (pools: ${c.gpuPools.map((p) => `${p.name}=${p.amiType}`).join(", ") || "none"}). ` +
          `Bottlerocket NVIDIA AMIs ship the device plugin; a second plugin on those nodes competes for the same GPUs. Leave nvidiaDevicePlugin.enabled unset unless you run AL2023 GPU pools.`,
      );
    }

    const providers = ClusterProviders.of(this, c);
    const systemNodes = { [NodeLabels.POOL]: "system" };
    const sa = DEFAULT_CONTROLLER_SERVICE_ACCOUNTS;
    const tag = (name: AddonName) => ADDON_VERSIONS[name].imageTag;

    const defaults: Record<AddonName, () => Record<string, unknown>> = {
      // Keys: aws/eks-charts@a4b8061:stable/aws-load-balancer-controller/values.yaml.
      awsLoadBalancerController: () => ({
        clusterName: c.clusterName,
        region: c.region,
        vpcId: c.vpcId,
        image: { tag: tag("awsLoadBalancerController") },
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        // The Service mutator would take over every new type=LoadBalancer Service; endpoints use internal ALBs through Ingress.
        enableServiceMutatorWebhook: false,
        // Pod Identity: the association (platform stack) binds the role, so no role annotation.
        serviceAccount: { create: true, name: sa.awsLoadBalancerController.serviceAccount },
        nodeSelector: systemNodes,
        // values.yaml L62 `resources: {}`: no default limit to inherit.
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        // values.yaml L51-57 (container) leaves capabilities and seccomp unset, which Pod Security "restricted" requires; podSecurityContext keeps fsGroup 65534.
        securityContext: { ...restrictedContainer(), runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        // values.yaml L94, copied verbatim (templates/deployment.yaml L268-271); pod labels: _helpers.tpl L64-67 selectorLabels.
        // The chart's preferred anti-affinity (configureDefaultAffinity, L87) stays.
        topologySpreadConstraints: spreadOverNodes({ "app.kubernetes.io/name": "aws-load-balancer-controller", "app.kubernetes.io/instance": PLACEMENT.awsLoadBalancerController.release }),
      }),
      // Keys: argoproj/argo-helm@argo-rollouts-2.40.6:charts/argo-rollouts/values.yaml (controller.*); the pod and container
      // security contexts default to restricted (L270-281), so they are left alone.
      argoRollouts: () => ({
        controller: {
          image: { tag: tag("argoRollouts") },
          replicas: 2,
          pdb: { enabled: true, maxUnavailable: 1 },
          // The controller has no --aws-region flag: its AWS SDK reads the region from AWS_REGION (chart's own extraEnv example).
          extraArgs: ["--aws-verify-target-group"],
          extraEnv: [{ name: "AWS_REGION", value: c.region }],
          metrics: { enabled: true },
          nodeSelector: systemNodes,
          // values.yaml L139 `resources: {}`: no default limit to inherit.
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
          // values.yaml L93; templates/controller/deployment.yaml L123-134 adds the component and selector labels when labelSelector is absent.
          topologySpreadConstraints: spreadOverNodes(),
        },
        // IRSA, not Pod Identity: its Prometheus SigV4 signer cannot read Pod Identity credentials (see ControllerRoles.argoRollouts).
        serviceAccount: { create: true, name: sa.argoRollouts.serviceAccount, annotations: { "eks.amazonaws.com/role-arn": c.controllerRoleArns.argoRollouts } },
      }),
      // Keys: kedacore/charts@v2.17.2:keda/values.yaml; its security contexts default to restricted (L409-466), left alone.
      keda: () => ({
        image: { keda: { tag: tag("keda") }, metricsApiServer: { tag: tag("keda") }, webhooks: { tag: tag("keda") } },
        // Extra replicas only shorten a failover (one leader serves), which is what the PDBs protect.
        operator: { replicaCount: 2 },
        metricsServer: { replicaCount: 2 },
        webhooks: { replicaCount: 2 },
        podDisruptionBudget: { operator: { maxUnavailable: 1 }, metricServer: { maxUnavailable: 1 }, webhooks: { maxUnavailable: 1 } },
        serviceAccount: { operator: { create: true, name: sa.keda.serviceAccount } },
        nodeSelector: systemNodes,
        // values.yaml L483-507 default each limit to `cpu: 1`, which survives a map merge: `cpu: null` deletes it
        // (helm/helm-www@00c249eb:docs/chart_template_guide/values_files.mdx, "Deleting a default key"). No CPU limit: throttling a
        // controller slows scaling decisions; the requests reserve its share.
        resources: {
          operator: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: null, memory: "1000Mi" } },
          metricServer: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: null, memory: "1000Mi" } },
          webhooks: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: null, memory: "256Mi" } },
        },
        // values.yaml L515-521 (note `metricsServer` here, `metricServer` above), copied verbatim (templates/manager/deployment.yaml L238,
        // metrics-server/deployment.yaml L200, webhooks/deployment.yaml L170). Each pod's `app` label is its component name (same templates, L20-31).
        topologySpreadConstraints: {
          operator: spreadOverNodes({ app: "keda-operator" }),
          metricsServer: spreadOverNodes({ app: "keda-operator-metrics-apiserver" }),
          webhooks: spreadOverNodes({ app: "keda-admission-webhooks" }),
        },
      }),
      // Keys: kubernetes/autoscaler@cluster-autoscaler-chart-9.59.0:cluster-autoscaler/charts/cluster-autoscaler/values.yaml.
      clusterAutoscaler: () => ({
        cloudProvider: "aws",
        awsRegion: c.region,
        autoDiscovery: { clusterName: c.clusterName },
        image: { tag: caImageTag },
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        rbac: { serviceAccount: { create: true, name: sa.clusterAutoscaler.serviceAccount } },
        extraArgs: {
          // Keep node groups that differ only by zone the same size, so a zone outage leaves GPU capacity elsewhere.
          "balance-similar-node-groups": true,
          // Pick the group that leaves the fewest idle CPUs/GPUs: an unused GPU is the most expensive waste.
          expander: "least-waste",
          // A new GPU node needs 5-15 minutes to join, pull a multi-GB server image and load the weights; judging it for
          // scale-down sooner would remove capacity that KEDA or a canary step is still ramping onto.
          "scale-down-delay-after-add": "20m",
          // Keep an idle GPU node a little longer than the 10m default: traffic dips between bursts or rollout steps are short,
          // and a removed GPU node costs a cold start and may not come back (scarce capacity). Beyond 15m the idle cost wins.
          "scale-down-unneeded-time": "15m",
          // Model servers cache weights in emptyDir; with the default (true) such nodes would never scale down.
          "skip-nodes-with-local-storage": false,
        },
        nodeSelector: systemNodes,
        // values.yaml L409 `resources: {}`: no default limit to inherit.
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
        // values.yaml L166 `containerSecurityContext: {}` and L421 `securityContext: {}` render nothing (templates/deployment.yaml
        // L298-300, L342-345): set the values commented there. fsGroup 65534 as in cluster-autoscaler/cloudprovider/aws/examples/
        // cluster-autoscaler-autodiscover.yaml at the same tag, so the non-root process can read its projected identity token.
        containerSecurityContext: restrictedContainer(),
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        // values.yaml L483, copied verbatim (templates/deployment.yaml L338-341). Pod labels: _helpers.tpl L36-39, name "<cloudProvider>-cluster-autoscaler".
        topologySpreadConstraints: spreadOverNodes({ "app.kubernetes.io/instance": PLACEMENT.clusterAutoscaler.release, "app.kubernetes.io/name": "aws-cluster-autoscaler" }),
      }),
      // Keys: NVIDIA/k8s-device-plugin@v0.18.0:deployments/helm/nvidia-device-plugin/values.yaml. A DaemonSet (one pod per GPU node):
      // no replicas to spread; it needs host paths, so its security context stays the chart's (drop ALL, no privilege escalation).
      nvidiaDevicePlugin: () => ({
        image: { tag: tag("nvidiaDevicePlugin") },
        // The chart's default affinity needs Node Feature Discovery labels, which these nodes lack: select the GPU pools
        // by the library's labels instead, and only the AL2023 ones (Bottlerocket runs its own plugin).
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                al2023Pools.length > 0
                  ? { matchExpressions: [{ key: NodeLabels.POOL, operator: "In", values: al2023Pools }] }
                  : { matchExpressions: [{ key: NodeLabels.GPU_MODEL, operator: "Exists" }] },
              ],
            },
          },
        },
        tolerations: [
          { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect },
          { key: "CriticalAddonsOnly", operator: "Exists" },
        ],
        // values.yaml L62 `resources: {}`: no default limit to inherit.
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
      }),
      // Keys: kubernetes-sigs/metrics-server@metrics-server-helm-chart-3.13.0:charts/metrics-server/values.yaml; its container
      // security context defaults to restricted (L55-65), left alone.
      metricsServer: () => ({
        image: { tag: tag("metricsServer") },
        replicas: 2,
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
        nodeSelector: systemNodes,
        // values.yaml L173-178 set requests only (the limit is commented out): no default limit to inherit.
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
        // values.yaml L191, copied verbatim (templates/deployment.yaml L174-177); pod labels: _helpers.tpl L51-54 selectorLabels.
        topologySpreadConstraints: spreadOverNodes({ "app.kubernetes.io/name": "metrics-server", "app.kubernetes.io/instance": PLACEMENT.metricsServer.release }),
      }),
    };

    if (c.gpuPools.some((p) => p.weightCache !== undefined)) {
      this.weightCacheNamespace = new WorkloadNamespace(this, "weight-cache-namespace", {
        connection: c,
        name: WEIGHT_CACHE_NAMESPACE,
        // The only level that admits a hostPath volume; the fillers' own security contexts are as tight as writing it allows.
        podSecurity: "privileged",
        gpuQuota: 0,
        loadBalancerReadinessGates: false,
      });
    }

    // Add-on namespaces of their own get Pod Security labels at the level the charts need: enforce
    // "baseline" (no privileged or host access), and audit/warn "restricted" so drift shows. kube-system is EKS's.
    const namespaces = new Map<string, NamespaceV1>();
    const namespaceOf = (ns: string): string => {
      if (ns === "kube-system") return ns;
      let created = namespaces.get(ns);
      if (!created) {
        created = new NamespaceV1(this, `namespace-${ns}`, {
          provider: providers.kubernetes,
          metadata: {
            name: ns,
            labels: {
              "pod-security.kubernetes.io/enforce": "baseline",
              "pod-security.kubernetes.io/enforce-version": "latest",
              "pod-security.kubernetes.io/audit": "restricted",
              "pod-security.kubernetes.io/audit-version": "latest",
              "pod-security.kubernetes.io/warn": "restricted",
              "pod-security.kubernetes.io/warn-version": "latest",
            },
          },
        });
        namespaces.set(ns, created);
      }
      return created.metadata.name;
    };

    // Helm installs a chart's crds/ on first install only: "no support at this time for upgrading or deleting CRDs"
    // (helm/helm-www@243c2d6a:docs/chart_best_practices/custom_resource_definitions.md). So Terraform applies the
    // Load Balancer Controller's CRDs of the pinned chart (lib/addons/crds/) and the release skips its own (skipCrds).
    const crds: Record<string, Manifest> = {};
    if (enabled.awsLoadBalancerController) {
      for (const crd of AWS_LOAD_BALANCER_CONTROLLER_CRDS) {
        const crdName = (crd.metadata as { name: string }).name;
        crds[crdName] = new Manifest(this, `aws-load-balancer-controller-crd-${crdName.split(".")[0]}`, {
          provider: providers.kubernetes,
          manifest: JSON.parse(JSON.stringify(crd)) as Record<string, unknown>,
          // Server-side apply: take over fields an earlier `helm install` created, so a schema change in a chart upgrade applies.
          fieldManager: { forceConflicts: true },
          // The chart renders an IngressClassParams object: its type must be served before Helm runs.
          wait: { condition: [{ type: "Established", status: "True" }] },
        });
      }
      const chartVersion = props.awsLoadBalancerController?.chartVersion;
      if (chartVersion !== undefined && chartVersion !== AWS_LOAD_BALANCER_CONTROLLER_CRDS_CHART_VERSION) {
        warn(this, 
          `awsLoadBalancerController.chartVersion is ${chartVersion}, but ClusterAddons applies the CustomResourceDefinitions of chart ${AWS_LOAD_BALANCER_CONTROLLER_CRDS_CHART_VERSION} ` +
            `and installs the chart with skipCrds. Compare the crds/ directory of chart ${chartVersion} (aws/eks-charts stable/aws-load-balancer-controller/crds) with those; apply any difference yourself.`,
        );
      }
    }
    this.awsLoadBalancerControllerCrds = crds;

    const releases: Record<string, Release> = {};
    for (const name of ADDON_NAMES) {
      if (!enabled[name]) continue;
      const options: AddonOptions | undefined = props[name];
      const v = ADDON_VERSIONS[name];
      const values = deepMerge(defaults[name](), options?.values ?? {});
      const isLbc = name === "awsLoadBalancerController";
      // The ALB traffic routing of Rollouts acts through the Load Balancer Controller's CRDs and webhooks (created first: ADDON_NAMES order).
      const dependsOn = isLbc ? Object.values(crds) : name === "argoRollouts" && releases.awsLoadBalancerController ? [releases.awsLoadBalancerController] : [];
      releases[name] = new Release(this, PLACEMENT[name].release, {
        provider: providers.helm,
        name: PLACEMENT[name].release,
        repository: v.repository,
        chart: v.chart,
        version: options?.chartVersion ?? v.chartVersion,
        namespace: namespaceOf(PLACEMENT[name].namespace),
        createNamespace: false,
        atomic: true,
        wait: true,
        cleanupOnFail: true,
        timeout: RELEASE_TIMEOUT_SECONDS,
        // JSON is YAML: one document of values, tokens (region, role ARN) resolved by Terraform.
        values: [JSON.stringify(values)],
        skipCrds: isLbc ? true : undefined,
        dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
      });
    }
    this.releases = releases;

    const sc = props.storageClass ?? {};
    if (sc.enabled ?? true) {
      this.storageClass = new StorageClassV1(this, "storage-class", {
        provider: providers.kubernetes,
        metadata: {
          name: sc.name ?? DEFAULT_STORAGE_CLASS_NAME,
          annotations: { "storageclass.kubernetes.io/is-default-class": String(sc.isDefault ?? true) },
        },
        // The EKS add-on aws-ebs-csi-driver (platform stack) is this provisioner; its role may use the storage key.
        storageProvisioner: "ebs.csi.aws.com",
        // kubernetes-sigs/aws-ebs-csi-driver@038816d9:docs/parameters.md: "type", "encrypted" ("true"/"false"),
        // "kmsKeyId" (the key's full ARN; without it AWS uses the account's aws/ebs key), "csi.storage.k8s.io/fstype".
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: c.keys.storageKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
        // EBS volumes live in one zone: bind where the pod is scheduled, not where the claim is made.
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Delete",
        allowVolumeExpansion: true,
      });
    }
  }
}

function validate(props: ClusterAddonsProps, enabled: Record<AddonName, boolean>, caImageTag: string | undefined): Problems {
  const p = new Problems();
  if (enabled.argoRollouts && !enabled.awsLoadBalancerController) {
    p.add(
      "argoRollouts.enabled",
      `true while awsLoadBalancerController.enabled is false: Argo Rollouts' ALB traffic routing shifts canary weights through the AWS Load Balancer Controller's ` +
        `Ingress and target groups; enable awsLoadBalancerController, or set argoRollouts.enabled: false`,
    );
  }
  for (const name of ADDON_NAMES) {
    const version = props[name]?.chartVersion;
    if (version !== undefined && !SEMVER.test(version)) {
      p.add(`${name}.chartVersion`, `${show(version)} is not an exact semantic version; pin one release, e.g. "${ADDON_VERSIONS[name].chartVersion}" (no "v", no range)`);
    }
  }
  const scName = props.storageClass?.name;
  if (scName !== undefined && !(isLiteral(scName) && /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(scName))) {
    p.add("storageClass.name", `${show(scName)} is not a Kubernetes object name (lower-case letters, digits, "-" and "."); use e.g. "gp3-encrypted"`);
  }
  const version = props.connection.kubernetesVersion;
  if (enabled.clusterAutoscaler && caImageTag === undefined) {
    p.add(
      "clusterAutoscaler",
      `no cluster-autoscaler image is known for Kubernetes ${show(version)} (known: ${Object.keys(CLUSTER_AUTOSCALER_IMAGE_TAGS).join(", ")}); ` +
        `pass clusterAutoscaler.imageTag with a cluster-autoscaler release of that minor (kubernetes/autoscaler releases "cluster-autoscaler-1.<minor>.<patch>"; the image tag is "v1.<minor>.<patch>")`,
    );
  }
  return p;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Helm's own merge of values: objects merge key by key, anything else (lists included) replaces. */
function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
