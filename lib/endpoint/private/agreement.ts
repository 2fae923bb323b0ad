/*
 * Checks between an endpoint and the rest of the app: what must agree across constructs and stacks
 * (its namespace, the GPU quota, the add-ons' CRDs, the node's disk, other endpoints' names). They run
 * at synth (cdktf runs construct validations in App.synth), so the order in which constructs are made
 * does not matter.
 */
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ClusterAddons } from "../../addons/cluster-addons";
import { WorkloadNamespace } from "../../addons/workload-namespace";
import { rolloutPeakReplicas } from "../../planning/capacity-plan";
import { EVICTION_FREE_FRACTION, NODE_DISK_HEADROOM_GIB } from "../../planning/gpu-pool-description";
import { show } from "../../private/validation";
import type { ResolvedEndpoint } from "./resolve-endpoint";


/** What the agreement checks read of an endpoint; the construct passes itself. */
export interface AgreementSubject extends IConstruct {
  readonly endpointName: string;
  readonly namespace: string;
  readonly gpusPerReplica: number;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly rollout: { readonly steps: readonly number[] };
  readonly rolloutTiming: { readonly stablePolicy: { readonly warmStable: boolean } };
}

/** Size of the emptyDir that holds one replica's weights, GiB: the weights plus 10% and 1 GiB of slack. */
export function modelVolumeGiB(e: Pick<ResolvedEndpoint, "fit">): number {
  return Math.ceil(e.fit.weightsGiB * 1.1 + 1);
}

/**
 * True when a replica keeps its weights on the node's disk (an emptyDir of modelVolumeGiB): every server but
 * one that streams them from S3 straight into GPU memory and mounts no files (vLLM with the Run:ai streamer).
 */
export function weightsOnDisk(e: Pick<ResolvedEndpoint, "container">): boolean {
  return !(e.container.streamsWeights && Object.keys(e.container.files).length === 0);
}

/** Disk for the weights of the replicas one node holds, checked when the endpoint is made (streamed weights take none). */
export function nodeDiskProblems(e: ResolvedEndpoint): string[] {
  if (!weightsOnDisk(e)) return [];
  const volume = modelVolumeGiB(e);
  const perNode = Math.max(1, Math.floor(e.pool.gpuCount / e.gpusPerReplica));
  const replicasOnNode = Math.min(perNode, e.replicas.max + 1);
  // A pool's weight cache takes up to its bound besides the pods' own copies (a pod whose node misses still downloads one).
  const cache = e.weightCache?.maxSizeGiB ?? 0;
  const needed = replicasOnNode * volume + cache + NODE_DISK_HEADROOM_GIB;
  const usable = Math.floor(e.pool.dataVolumeSizeGiB * (1 - EVICTION_FREE_FRACTION));
  if (needed <= usable) return [];
  return [
    `model: ${replicasOnNode} replica(s) per node of pool "${e.pool.name}" x ${volume} GiB for the weights (${e.fit.weightsGiB.toFixed(1)} GiB + 10%)${cache > 0 ? ` + ${cache} GiB of weight cache` : ""} + ${NODE_DISK_HEADROOM_GIB} GiB for images = ${needed} GiB, ` +
      `but the node's ${e.pool.dataVolumeSizeGiB} GiB data volume leaves ${usable} GiB before the kubelet evicts pods (at 10% free); ` +
      `raise dataVolumeSizeGiB of pool "${e.pool.name}" to at least ${Math.ceil((needed / (1 - EVICTION_FREE_FRACTION)))} in the cluster, or use a smaller model or more GPUs per replica`,
  ];
}

/** Problems between the endpoint and the other constructs of its app; empty when they agree. */
export function agreementProblems(endpoint: AgreementSubject, clusterName: string, externalNamespace: { readonly reason: string } | undefined): string[] {
  const problems: string[] = [];
  const all = endpoint.node.root.node.findAll();
  const sameCluster = (c: ClusterAddons) => c.clusterName === clusterName;
  const endpoints = all.filter((c): c is AgreementSubject & Construct => c !== endpoint && isEndpointLike(c) && endpointCluster(c) === clusterName);

  // Two endpoints with one name in one namespace: their Kubernetes objects, alarms and dashboards collide.
  const twin = endpoints.find((c) => c.namespace === endpoint.namespace && c.endpointName === endpoint.endpointName);
  if (twin) {
    problems.push(`name: ${show(endpoint.endpointName)} in namespace ${show(endpoint.namespace)} of cluster ${clusterName} is also endpoint ${twin.node.path}; their Kubernetes objects, alarms and dashboards would overwrite each other: give each endpoint its own name`);
  }

  // The namespace must be a WorkloadNamespace of the same cluster, unless declared external.
  const namespaces = all.filter((c): c is WorkloadNamespace => c instanceof WorkloadNamespace && c.clusterName === clusterName && c.name === endpoint.namespace);
  if (externalNamespace) {
    const reason = externalNamespace.reason ?? "";
    if (reason.trim().length < 10 || reason.length > 250) problems.push(`externalNamespace.reason: ${show(reason)} must say in 10 to 250 characters who makes and hardens the namespace`);
    if (namespaces.length > 0) problems.push(`externalNamespace: namespace ${show(endpoint.namespace)} is WorkloadNamespace ${namespaces[0].node.path} of this app; remove externalNamespace`);
  } else if (namespaces.length === 0) {
    problems.push(
      `namespace: ${show(endpoint.namespace)} is not a WorkloadNamespace of cluster ${clusterName} in this app, so it would lack restricted Pod Security, default-deny egress, the GPU quota and the ALB readiness-gate label; ` +
        `add new WorkloadNamespace(addons, "${endpoint.namespace}", { connection, name: "${endpoint.namespace}", gpuQuota }) to the add-ons stack, ` +
        `or set externalNamespace: { reason } if it is made elsewhere`,
    );
  } else {
    // The quota must hold every endpoint of the namespace at its maximum, plus the largest rollout surplus (one rollout at a time).
    const ns = namespaces[0];
    const inNamespace = [endpoint, ...endpoints.filter((c) => c.namespace === endpoint.namespace)];
    const atMax = inNamespace.map((c) => ({ c, gpus: c.replicas.max * c.gpusPerReplica, surplus: (rolloutPeakReplicas(c.replicas.max, c.rollout.steps, c.rolloutTiming.stablePolicy.warmStable) - c.replicas.max) * c.gpusPerReplica }));
    const steady = atMax.reduce((n, x) => n + x.gpus, 0);
    const surplus = Math.max(...atMax.map((x) => x.surplus));
    const peak = steady + surplus;
    if (ns.gpuQuotaGpus < peak && isFirstOfNamespace(endpoint, endpoints)) {
      const terms = atMax.map((x) => `${x.c.endpointName} ${x.c.replicas.max} x ${x.c.gpusPerReplica}`).join(" + ");
      problems.push(
        `namespace: the GPU quota of WorkloadNamespace ${ns.node.path} is ${ns.gpuQuotaGpus}, below the ${peak} GPUs its endpoints hold at peak: ` +
          `maximum replicas (${terms} = ${steady}) + the largest rollout surplus (${surplus}: a step runs canary and stable replicas together, the stable at full size where it is kept warm); ` +
          `raise gpuQuota to ${peak} or lower maxReplicas`,
      );
    }
  }

  // Custom resources (Rollout, ScaledObject) need the add-ons' CRDs at plan time: their stack comes first.
  const stack = TerraformStack.of(endpoint);
  for (const addons of all.filter((c): c is ClusterAddons => c instanceof ClusterAddons && sameCluster(c))) {
    const addonsStack = TerraformStack.of(addons);
    if (addonsStack === stack) {
      problems.push(`connection: ClusterAddons ${addons.node.path} is in the same stack as this endpoint, but the endpoint's custom resources need its CRDs at plan time; move the endpoint to a stack that depends on ${addonsStack.node.id}`);
    } else if (!dependsOn(stack, addonsStack)) {
      problems.push(
        `connection: stack ${stack.node.id} does not depend on stack ${addonsStack.node.id}, which installs the CRDs of its Rollout and ScaledObject (ClusterAddons ${addons.node.path}); ` +
          `a deploy could plan it first and fail: add ${stack.node.id}.addDependency(${addonsStack.node.id})`,
      );
    }
  }
  return problems;
}

function isEndpointLike(c: IConstruct): c is AgreementSubject & Construct {
  const e = c as Partial<AgreementSubject> & { [AGREEMENT_CLUSTER]?: string };
  return typeof e.endpointName === "string" && typeof e.namespace === "string" && e[AGREEMENT_CLUSTER] !== undefined;
}

/** Marks a construct as an endpoint of a cluster for these checks (set by CanaryModelEndpoint). */
export const AGREEMENT_CLUSTER = Symbol.for("secure-inference.endpoint-cluster");

function endpointCluster(c: IConstruct): string | undefined {
  return (c as { [AGREEMENT_CLUSTER]?: string })[AGREEMENT_CLUSTER];
}

/** Only one endpoint of a namespace reports the quota problem (the first in the tree), so it is not repeated. */
function isFirstOfNamespace(endpoint: AgreementSubject, others: ReadonlyArray<AgreementSubject & Construct>): boolean {
  const all = endpoint.node.root.node.findAll();
  const first = all.find((c) => c === endpoint || others.some((o) => o === c && o.namespace === endpoint.namespace));
  return first === endpoint;
}

function dependsOn(stack: TerraformStack, other: TerraformStack, seen = new Set<TerraformStack>()): boolean {
  for (const d of stack.dependencies) {
    if (d === other) return true;
    if (!seen.has(d)) {
      seen.add(d);
      if (dependsOn(d, other, seen)) return true;
    }
  }
  return false;
}
