import { warn } from "../private/stack-synthesis";
import type { ColdStart } from "../planning/cold-start";
import { Construct } from "constructs";
import type { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ClusterProviders } from "../addons/cluster-providers";
import { ValidationError } from "../errors";
import type { ModelFit, ReplicaEstimate } from "../planning/capacity";
import { CapacityPlan } from "../planning/capacity-plan";
import type { GpuPoolDescription } from "../planning/gpu-pool-description";
import type { PodIdentityRole } from "../security/pod-identity-role";
import type { CanaryRolloutTiming, ResolvedCanaryRollout } from "./canary-rollout";
import type { CanaryModelEndpointProps, EndpointModel } from "./endpoint-props";
import type { ServerContainer } from "./servers/server-types";
import { AGREEMENT_CLUSTER, agreementProblems, nodeDiskProblems } from "./private/agreement";
import { endpointAlarms } from "./private/alarms";
import { autoscalingManifests } from "./private/autoscaling";
import { endpointDashboard } from "./private/dashboard";
import { endpointIdentity } from "./private/identity";
import { endpointDnsRecord, endpointIngress, endpointLoadBalancer } from "./private/ingress";
import { endpointNetworkPolicies } from "./private/network-policies";
import { resolveEndpoint } from "./private/resolve-endpoint";
import { rolloutManifests } from "./private/rollout-manifest";
import { endpointServices } from "./private/services";
import { endpointWeightCacheResources } from "./private/weight-cache";


/**
 * A model served by a batching inference server on a GPU pool and released as a canary:
 * Argo Rollouts shifts traffic through an internal ALB in steps (1, 5, 10, 25, 50, 100 percent),
 * measures the canary target group's error rate and latency every minute and aborts to the stable
 * version when a threshold is crossed; CloudWatch alarms on the same metrics notify the cluster's
 * topic; KEDA scales replicas on queue depth. The GPU fit of the model is checked at synth time.
 *
 * Put it in a stack applied after the add-ons (its custom resources need their CRDs at plan time).
 */
export class CanaryModelEndpoint extends Construct {
  /** Kubernetes name. */
  public readonly endpointName: string;
  /** Name clients send in the OpenAI `model` field (Triton: the endpoint name, its model repository entry). */
  public readonly modelName: string;
  /** Host name of the internal load balancer's listener rule, when given (routers call `https://<host>/v1`). */
  public readonly host?: string;
  /** The model as declared. */
  public readonly model: EndpointModel;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster base URL of the stable version (OpenAI-compatible servers serve under /v1). */
  public readonly stableUrl: string;
  /** Service names. */
  public readonly services: { readonly stable: string; readonly canary: string };
  /** The GPU fit of the model on one replica. */
  public readonly fit: ModelFit;
  /** The pool the replicas run on. */
  public readonly pool: GpuPoolDescription;
  /** GPUs per replica. */
  public readonly gpusPerReplica: number;
  /** Replica bounds. */
  public readonly replicas: { readonly min: number; readonly max: number };
  /** The server container as rendered. */
  public readonly container: ServerContainer;
  /** The rollout policy with defaults applied. */
  public readonly rollout: ResolvedCanaryRollout;
  /** Time to rollback and exposure computed from the policy, at minReplicas. */
  public readonly rolloutTiming: CanaryRolloutTiming;
  /** Replicas the declared load needs, when a load was declared. */
  public readonly replicaEstimate?: ReplicaEstimate;
  /** Seconds one replica needs from scheduling to ready (download, load, warm-up), as estimated. */
  public readonly podStartSeconds: number;
  /** A replica's cold start part by part (node, image, weights, load), as the plan report shows it. */
  public readonly coldStart: ColdStart;
  /** The custom resources, as rendered (for schema validation and review). */
  public readonly customResources: ReadonlyArray<Record<string, unknown>>;
  /** CloudWatch alarms by name suffix (e.g. "canary-error-rate"). */
  public readonly alarms: Record<string, CloudwatchMetricAlarm>;
  /** The model-read role of the endpoint's pods. */
  public readonly modelReadRole: PodIdentityRole;
  /** The dashboard. */
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: CanaryModelEndpointProps) {
    super(scope, id);
    const plan = CapacityPlan.of(this);
    const resolution = resolveEndpoint(props, { id, path: this.node.path, plan });
    if (!resolution.ok) throw rejected(this, resolution.problems);
    const e = resolution.endpoint;
    const disk = nodeDiskProblems(e);
    if (disk.length > 0) throw rejected(this, disk);
    // What must agree with the rest of the app (namespace, quota, add-ons stack, names) is checked at synth.
    (this as { [AGREEMENT_CLUSTER]?: string })[AGREEMENT_CLUSTER] = e.connection.clusterName;
    this.node.addValidation({ validate: () => agreementProblems(this, e.connection.clusterName, props.externalNamespace) });
    for (const warning of e.warnings) warn(this, warning);

    this.endpointName = e.name;
    this.namespace = e.namespace;
    this.model = props.model;
    this.modelName = e.servedModelName;
    this.host = e.ingress.host;
    this.pool = e.pool;
    this.gpusPerReplica = e.gpusPerReplica;
    this.replicas = e.replicas;
    this.fit = e.fit;
    this.container = e.container;
    this.rollout = e.rollout;
    this.podStartSeconds = e.podStartSeconds;
    this.coldStart = e.planned.coldStart;
    this.rolloutTiming = e.rolloutTiming;
    this.replicaEstimate = e.replicaEstimate;
    this.services = e.services;
    this.stableUrl = e.stableUrl;
    plan.addEndpoint(this, e.planned);

    const provider = ClusterProviders.of(this, e.connection).kubernetes;
    this.modelReadRole = endpointIdentity(this, e, provider);
    endpointServices(this, e, provider);

    // --- custom resources: the Rollout and its analyses, then KEDA's scaler -------------------------
    const rollout = rolloutManifests(e);
    const scaling = autoscalingManifests(e);
    const manifests = [rollout.rollout, rollout.rollbackChecks, ...(rollout.preTrafficEvaluation ? [rollout.preTrafficEvaluation] : []), scaling.triggerAuthentication, scaling.scaledObject];
    for (const m of manifests) new Manifest(this, `${m.kind.toLowerCase()}-${m.metadata?.name}`, { provider, manifest: m });
    this.customResources = manifests.map((m) => ({ ...m }));

    new PodDisruptionBudgetV1(this, "pdb", {
      provider,
      metadata: { name: e.name, namespace: e.namespace, labels: e.labels },
      spec: { maxUnavailable: "1", selector: { matchLabels: e.selector } },
    });
    endpointNetworkPolicies(this, e, provider);
    if (e.weightCache) endpointWeightCacheResources(this, e, e.weightCache, provider);

    // --- internal HTTPS load balancer that Argo Rollouts drives, and alarms on its target groups ----
    const ingress = endpointIngress(this, e, provider);
    const lb = endpointLoadBalancer(this, e, ingress);
    endpointDnsRecord(this, e, lb.loadBalancer);
    this.alarms = endpointAlarms(this, e, lb);
    this.dashboard = endpointDashboard(this, e, lb, this.alarms);
  }
}

/**
 * The error for invalid props. Like Problems.throwIfAny, it first detaches the endpoint from its
 * parent, so a caller that catches the error holds no half-built construct that would synthesize.
 */
function rejected(endpoint: Construct, problems: readonly string[]): ValidationError {
  endpoint.node.scope?.node.tryRemoveChild(endpoint.node.id);
  return new ValidationError(endpoint.node.path, "CanaryModelEndpoint", problems);
}
