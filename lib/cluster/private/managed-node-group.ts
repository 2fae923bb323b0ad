import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EksNodeGroup, EksNodeGroupTaint } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate, LaunchTemplateBlockDeviceMappings } from "@cdktf/provider-aws/lib/launch-template";

/** Everything a hardened managed node group needs; shared by the system pool and the GPU pools. */
export interface ManagedNodeGroupSpec {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly poolName: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: string[];
  readonly instanceTypes: string[];
  readonly amiType: string;
  readonly capacityType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly rootVolume: VolumeSpec;
  /** Second volume (Bottlerocket's /dev/xvdb, container images and model cache); none for AL2023. */
  readonly dataVolume?: VolumeSpec;
  readonly storageKeyArn: string;
  readonly labels: Record<string, string>;
  readonly taints: EksNodeGroupTaint[];
  readonly tags: Record<string, string>;
  readonly dependsOn?: ITerraformDependable[];
}

/** Size and performance of one gp3 volume; performance defaults to the gp3 baseline (3000 IOPS, 125 MiB/s). */
export interface VolumeSpec {
  readonly sizeGiB: number;
  readonly iops?: number;
  readonly throughputMiBps?: number;
  /** A snapshot the volume starts from (re-encrypted with the storage key). */
  readonly snapshotId?: string;
  /** Provisioned initialization rate of a volume from a snapshot, MiB/s. */
  readonly initializationRateMiBps?: number;
}

/** Bottlerocket AMIs keep the OS on a small root volume and containers on a data volume. */
export function isBottlerocket(amiType: string): boolean {
  return amiType.startsWith("BOTTLEROCKET");
}

/**
 * Creates the launch template and managed node group. The launch template carries the
 * hardening EKS lets a user set: IMDSv2 only with hop limit 1 (pods cannot reach node
 * credentials), encrypted gp3 volumes with a customer key, EBS optimisation, monitoring.
 * No security groups in the template: EKS then attaches the cluster security group itself.
 */
export function createManagedNodeGroup(scope: Construct, spec: ManagedNodeGroupSpec): { nodeGroup: EksNodeGroup; launchTemplate: LaunchTemplate } {
  const volume = (deviceName: string, v: VolumeSpec): LaunchTemplateBlockDeviceMappings => ({
    deviceName,
    ebs: {
      volumeSize: v.sizeGiB,
      volumeType: "gp3",
      iops: v.iops ?? 3000,
      throughput: v.throughputMiBps ?? 125,
      encrypted: "true",
      kmsKeyId: spec.storageKeyArn,
      deleteOnTermination: "true",
      // A volume from a snapshot is encrypted with kmsKeyId whatever the snapshot's key (EBS re-encrypts on create).
      ...(v.snapshotId !== undefined ? { snapshotId: v.snapshotId } : {}),
      ...(v.initializationRateMiBps !== undefined ? { volumeInitializationRate: v.initializationRateMiBps } : {}),
    },
  });
  const blockDeviceMappings = [volume("/dev/xvda", spec.rootVolume)];
  if (spec.dataVolume !== undefined) blockDeviceMappings.push(volume("/dev/xvdb", spec.dataVolume));

  const launchTemplate = new LaunchTemplate(scope, "launch-template", {
    namePrefix: `${spec.clusterName}-${spec.poolName}-`,
    description: `Hardened nodes of pool ${spec.poolName} in EKS cluster ${spec.clusterName}`,
    updateDefaultVersion: true,
    ebsOptimized: "true",
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    },
    monitoring: { enabled: true },
    blockDeviceMappings,
    tagSpecifications: [
      { resourceType: "instance", tags: { ...spec.tags, Name: `${spec.clusterName}-${spec.poolName}` } },
      { resourceType: "volume", tags: { ...spec.tags, Name: `${spec.clusterName}-${spec.poolName}` } },
    ],
    tags: spec.tags,
    lifecycle: { createBeforeDestroy: true },
  });

  const nodeGroup = new EksNodeGroup(scope, "node-group", {
    clusterName: spec.clusterName,
    // A prefix plus create-before-destroy lets a changed instance list replace the group without downtime.
    nodeGroupNamePrefix: `${spec.poolName}-`,
    version: spec.kubernetesVersion,
    nodeRoleArn: spec.nodeRoleArn,
    subnetIds: spec.subnetIds,
    instanceTypes: spec.instanceTypes,
    amiType: spec.amiType,
    capacityType: spec.capacityType,
    scalingConfig: { minSize: spec.minSize, maxSize: spec.maxSize, desiredSize: spec.desiredSize },
    updateConfig: { maxUnavailable: 1 },
    // EKS node monitoring replaces nodes whose GPUs or kubelet report failures.
    nodeRepairConfig: { enabled: true },
    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.toString() },
    labels: spec.labels,
    taint: spec.taints.length ? spec.taints : undefined,
    tags: { ...spec.tags, Name: `${spec.clusterName}-${spec.poolName}` },
    lifecycle: { createBeforeDestroy: true, ignoreChanges: ["scaling_config[0].desired_size"] },
    dependsOn: spec.dependsOn,
  });
  return { nodeGroup, launchTemplate };
}
