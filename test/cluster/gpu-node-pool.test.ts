import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { GpuNodePool, GpuNodePoolProps } from "../../lib/cluster/gpu-node-pool";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

const props: GpuNodePoolProps = {
  name: "l4",
  instanceTypes: ["g6.xlarge", "g6.2xlarge"],
  maxSize: 8,
  clusterName: "ml-prod",
  kubernetesVersion: "1.35",
  nodeRoleArn: "arn:aws:iam::111122223333:role/ml-prod-node",
  clusterSubnetIds: ["subnet-a", "subnet-b"],
  storageKeyArn: "arn:aws:kms:us-east-1:111122223333:key/storage",
};

function poolJson(overrides: Partial<GpuNodePoolProps> = {}) {
  const stack = awsStack();
  const pool = new GpuNodePool(stack, "pool", { ...props, ...overrides });
  return { pool, ...synth(stack) };
}

describe("GpuNodePool", () => {
  const { pool, raw, json } = poolJson();
  const group = onlyResource(json, "aws_eks_node_group");
  const template = onlyResource(json, "aws_launch_template");

  it("taints every node nvidia.com/gpu=true:NoSchedule", () => {
    expect(group.taint).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
  });

  it("labels nodes with the pool, GPU model, GPU count and GPU memory", () => {
    expect(group.labels).toEqual({
      "secure-inference.io/pool": "l4",
      "secure-inference.io/gpu-model": "L4",
      "secure-inference.io/gpu-count": "1",
      "secure-inference.io/gpu-memory-gib": "24",
      "k8s.amazonaws.com/accelerator": "nvidia-l4",
    });
    expect(pool.gpu.gpuModel).toBe("L4");
  });

  it("runs Bottlerocket NVIDIA, on-demand, from zero, with all instance types for capacity fallback", () => {
    expect(raw).toHaveResourceWithProperties(EksNodeGroup, {
      ami_type: "BOTTLEROCKET_x86_64_NVIDIA",
      capacity_type: "ON_DEMAND",
      instance_types: ["g6.xlarge", "g6.2xlarge"],
      scaling_config: { min_size: 0, max_size: 8, desired_size: 0 },
      subnet_ids: ["subnet-a", "subnet-b"],
      node_repair_config: { enabled: true },
    });
  });

  it("leaves the desired size to cluster-autoscaler after creation", () => {
    expect(group.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ["scaling_config[0].desired_size"] });
  });

  it("requires IMDSv2 with hop limit 1 so pods cannot read node credentials", () => {
    expect(template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" });
  });

  it("encrypts the Bottlerocket root and data volumes (gp3) with the storage key, the data volume sized and provisioned for model caches", () => {
    expect(template.block_device_mappings).toEqual([
      // The small OS volume stays at the gp3 baseline: 6000 IOPS on 8 GiB would exceed 500 IOPS per GiB and fail every launch.
      { device_name: "/dev/xvda", ebs: expect.objectContaining({ volume_size: 8, volume_type: "gp3", encrypted: "true", kms_key_id: props.storageKeyArn, delete_on_termination: "true", iops: 3000, throughput: 125 }) },
      { device_name: "/dev/xvdb", ebs: expect.objectContaining({ volume_size: 200, volume_type: "gp3", encrypted: "true", kms_key_id: props.storageKeyArn, iops: 6000, throughput: 500 }) },
    ]);
  });

  it("puts no security groups or public IPs in the launch template (EKS attaches the cluster security group)", () => {
    expect(template.vpc_security_group_ids).toBeUndefined();
    expect(template.network_interfaces).toBeUndefined();
  });

  it("tags the Auto Scaling group so cluster-autoscaler can scale the pool up from zero", () => {
    const tags = Object.values(resourcesOf(json, "aws_autoscaling_group_tag")).map((t) => [t.tag.key, t.tag.value, t.tag.propagate_at_launch]);
    expect(tags).toEqual(
      expect.arrayContaining([
        ["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu", "1", false],
        ["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu", "true:NoSchedule", false],
        ["k8s.io/cluster-autoscaler/node-template/label/secure-inference.io/pool", "l4", false],
        ["k8s.io/cluster-autoscaler/node-template/label/secure-inference.io/gpu-model", "L4", false],
        ["k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator", "nvidia-l4", false],
      ]),
    );
    expect(Object.values(resourcesOf(json, "aws_autoscaling_group_tag")).every((t) => /resources\[0\]\.autoscaling_groups\[0\]\.name/.test(t.autoscaling_group_name))).toBe(true);
  });

  it("puts the model cache on the root volume for AL2023", () => {
    const al = poolJson({ amiType: "AL2023_x86_64_NVIDIA", dataVolumeSizeGiB: 500 });
    expect(onlyResource(al.json, "aws_launch_template").block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: expect.objectContaining({ volume_size: 500, encrypted: "true" }) },
    ]);
    expect(onlyResource(al.json, "aws_eks_node_group").ami_type).toBe("AL2023_x86_64_NVIDIA");
  });

  it("counts 8 GPUs for p5.48xlarge nodes and labels them H100", () => {
    const big = poolJson({ name: "h100", instanceTypes: ["p5.48xlarge"], capacityType: "SPOT" });
    const group = onlyResource(big.json, "aws_eks_node_group");
    expect(group.labels).toMatchObject({ "secure-inference.io/gpu-model": "H100", "secure-inference.io/gpu-count": "8", "secure-inference.io/gpu-memory-gib": "80" });
    expect(group.capacity_type).toBe("SPOT");
  });

  it("rejects reserved label prefixes, malformed labels and out-of-range gp3 settings", () => {
    expect(() => poolJson({ labels: { "secure-inference.io/pool": "x", "team name": "a b" }, volumeIops: 100, volumeThroughputMiBps: 5000 })).toThrow(
      /test\/pool: invalid GpuNodePool props \(5 problems\)[\s\S]*volumeIops: 100 must be 3000 to 80000[\s\S]*volumeThroughputMiBps: 5000 must be 125 to 2000[\s\S]*labels: "secure-inference\.io\/pool" uses a reserved prefix[\s\S]*labels: "team name" is not a Kubernetes label key[\s\S]*labels: value "a b" of "team name" is not a Kubernetes label value/,
    );
  });

  it("rejects gp3 settings beyond 500 IOPS per GiB or throughput beyond IOPS / 4", () => {
    expect(() => poolJson({ dataVolumeSizeGiB: 50, volumeIops: 30000 })).toThrow(/volumeIops: 30000 exceeds gp3's 500 IOPS per GiB for a 50 GiB volume; raise dataVolumeSizeGiB to 60/);
    expect(() => poolJson({ volumeIops: 3000, volumeThroughputMiBps: 1000 })).toThrow(/volumeThroughputMiBps: 1000 MiB\/s exceeds gp3's limit of IOPS \/ 4 = 750 MiB\/s; raise volumeIops to 4000/);
  });

  it("starts the data volume from an image-cache snapshot, re-encrypted with the storage key, at the highest initialization rate by default", () => {
    const cached = poolJson({ imageCache: { snapshotId: "snap-0123456789abcdef0", images: ["vllm/vllm-openai:v0.11.0"] } });
    const lt = onlyResource(cached.json, "aws_launch_template");
    const data = lt.block_device_mappings.find((b: { device_name: string }) => b.device_name === "/dev/xvdb").ebs;
    expect(data).toMatchObject({ snapshot_id: "snap-0123456789abcdef0", volume_initialization_rate: 300, encrypted: "true", kms_key_id: props.storageKeyArn, volume_size: 200 });
    // The root volume never takes the snapshot (bottlerocket-images-cache: /dev/xvdb only).
    const root = lt.block_device_mappings.find((b: { device_name: string }) => b.device_name === "/dev/xvda").ebs;
    expect(root.snapshot_id).toBeUndefined();
    // With Fast Snapshot Restore every block is there at creation: no provisioned rate.
    const fsr = onlyResource(poolJson({ imageCache: { snapshotId: "snap-0123456789abcdef0", initialization: "fast-snapshot-restore" } }).json, "aws_launch_template");
    const fsrData = fsr.block_device_mappings.find((b: { device_name: string }) => b.device_name === "/dev/xvdb").ebs;
    expect(fsrData.snapshot_id).toBe("snap-0123456789abcdef0");
    expect(fsrData.volume_initialization_rate).toBeUndefined();
    // Without a cache, no snapshot.
    expect(template.block_device_mappings.every((b: { ebs: { snapshot_id?: string } }) => b.ebs.snapshot_id === undefined)).toBe(true);
  });

  it("refuses an image cache on AL2023, a malformed snapshot id, a rate outside EBS's limits and an unpinned image", () => {
    expect(() =>
      poolJson({ amiType: "AL2023_x86_64_NVIDIA", imageCache: { snapshotId: "snapshot-1", initialization: 500, images: ["vllm/vllm-openai"] } }),
    ).toThrow(
      /imageCache: needs a Bottlerocket amiType[\s\S]*imageCache\.snapshotId: "snapshot-1" is not an EBS snapshot id[\s\S]*imageCache\.initialization: 500 must be "fast-snapshot-restore" or a volume initialization rate of 100 to 300 MiB\/s[\s\S]*imageCache\.images: "vllm\/vllm-openai" is not a pinned image reference/,
    );
  });

  it("describes a weight cache with the data volume's read rate, and refuses one the data volume cannot hold", () => {
    expect(poolJson({ weightCache: { maxSizeGiB: 64 }, volumeThroughputMiBps: 1000 }).pool.weightCache).toEqual({ maxSizeGiB: 64, readMiBps: 1000 });
    expect(pool.weightCache).toBeUndefined();
    // 200 GiB leaves 180 GiB before eviction, 140 GiB after the images' 40.
    expect(poolJson({ weightCache: { maxSizeGiB: 140 } }).pool.weightCache?.maxSizeGiB).toBe(140);
    expect(() => poolJson({ weightCache: { maxSizeGiB: 141 } })).toThrow(
      /weightCache\.maxSizeGiB: 141 GiB does not fit the 200 GiB data volume, which leaves 140 GiB after images and the kubelet's 10% eviction reserve; raise dataVolumeSizeGiB to at least 202 or lower maxSizeGiB/,
    );
    expect(() => poolJson({ weightCache: { maxSizeGiB: 2.5 } })).toThrow(/weightCache\.maxSizeGiB: 2\.5 must be a whole number of GiB/);
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});
