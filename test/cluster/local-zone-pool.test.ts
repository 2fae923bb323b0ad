import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecureInferenceCluster, SecureInferenceClusterProps } from "../../lib/cluster/secure-inference-cluster";
import { ValidationError } from "../../lib/errors";
import { resourcesOf, synth } from "../util";

const base: SecureInferenceClusterProps = {
  clusterName: "ml-west",
  existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], cidrBlock: "10.20.0.0/16" },
  gpuNodePools: [{ name: "lax", instanceTypes: ["g5.xlarge", "g5.2xlarge"], maxSize: 2, localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0bbbbbbbbbbbbbbb1" } }],
};

function build(props: Partial<SecureInferenceClusterProps> = {}, region = "us-west-2"): { stack: TerraformStack; cluster: SecureInferenceCluster } {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region });
  return { stack, cluster: new SecureInferenceCluster(stack, "ml", { ...base, ...props }) };
}

function problemsOf(props: Partial<SecureInferenceClusterProps>, region?: string): string[] {
  try {
    build(props, region);
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("a GPU pool in a Local Zone", () => {
  const { stack, cluster } = build();
  const { json } = synth(stack);
  const group = Object.values(resourcesOf(json, "aws_eks_node_group")).find((g) => g.labels["secure-inference.io/pool"] === "lax")!;
  const template = Object.entries(resourcesOf(json, "aws_launch_template")).find(([k]) => k.includes("gpu-pool-lax"))![1];

  it("launches its nodes only in the zone's subnet", () => {
    expect(group.subnet_ids).toEqual(["subnet-0bbbbbbbbbbbbbbb1"]);
  });

  it("keeps the region pools' hardening: IMDSv2 with hop limit 1, encrypted gp3 volumes, the GPU taint", () => {
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    for (const bd of template.block_device_mappings) expect(bd.ebs).toMatchObject({ encrypted: "true", volume_type: "gp3", kms_key_id: expect.stringMatching(/aws_kms_key\.ml_storage-key/) });
    expect(group.taint).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
  });

  it("tells planning and endpoints where the pool is", () => {
    expect(cluster.gpuNodePools.lax.placement).toEqual({ kind: "local-zone", zone: "us-west-2-lax-1a", zoneGroup: "us-west-2-lax-1" });
    expect(cluster.connection.gpuPools[0].placement).toEqual({ kind: "local-zone", zone: "us-west-2-lax-1a", zoneGroup: "us-west-2-lax-1" });
  });

  it("matches the snapshot of its node group", () => {
    expect(group).toMatchSnapshot();
  });
});

describe("Local Zone validation", () => {
  it("refuses instance types the zone does not offer, citing the table's source and the command that checks", () => {
    expect(problemsOf({ gpuNodePools: [{ name: "lax", instanceTypes: ["g6e.xlarge"], maxSize: 1, localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0bbbbbbbbbbbbbbb1" } }] })).toEqual([
      expect.stringMatching(
        /^gpuNodePools\[0\]\.localZone: "g6e\.xlarge" is not offered in us-west-2-lax-1 as far as the library knows \(its GPU families: g4dn, g5; source https:\/\/aws\.amazon\.com\/about-aws\/global-infrastructure\/localzones\/features\/\); .*describe-instance-type-offerings .*Values=us-west-2-lax-1a --region us-west-2.*localZone\.verifiedInstanceTypes$/,
      ),
    ]);
  });

  it("refuses a load balancer subnet that is not a subnet or too small for an ALB", () => {
    expect(
      problemsOf({ gpuNodePools: [{ name: "lax", instanceTypes: ["g5.xlarge"], maxSize: 1, localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0bbbbbbbbbbbbbbb1", loadBalancerSubnet: { subnetId: "lb", cidr: "10.20.240.0/28" } } }] }),
    ).toEqual([
      expect.stringMatching(/^gpuNodePools\[0\]\.localZone\.loadBalancerSubnet\.subnetId: "lb" is not a subnet id/),
      expect.stringMatching(/^gpuNodePools\[0\]\.localZone\.loadBalancerSubnet\.cidr: "10\.20\.240\.0\/28" is smaller than the \/27 an Application Load Balancer needs/),
    ]);
  });

  it("accepts a type the user verified for the zone", () => {
    expect(() => build({ gpuNodePools: [{ name: "lax", instanceTypes: ["g6e.xlarge"], maxSize: 1, localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0bbbbbbbbbbbbbbb1", verifiedInstanceTypes: ["g6e.xlarge"] } }] })).not.toThrow();
  });

  it("refuses a zone of another region, a non-Local-Zone name, a bad subnet and subnetIds beside it", () => {
    expect(problemsOf({}, "us-east-1")).toEqual([expect.stringMatching(/^gpuNodePools\[0\]\.localZone\.zone: "us-west-2-lax-1a" is a Local Zone of us-west-2, but the cluster is in us-east-1/)]);
    expect(problemsOf({ gpuNodePools: [{ name: "lax", instanceTypes: ["g5.xlarge"], maxSize: 1, subnetIds: ["subnet-0bbbbbbbbbbbbbbb1"], localZone: { zone: "us-west-2a", subnetId: "sub-1" } }] })).toEqual([
      expect.stringMatching(/^gpuNodePools\[0\]\.subnetIds: cannot be combined with localZone/),
      expect.stringMatching(/^gpuNodePools\[0\]\.localZone\.subnetId: "sub-1" is not a subnet id/),
      expect.stringMatching(/^gpuNodePools\[0\]\.localZone\.zone: "us-west-2a" is not a Local Zone name/),
    ]);
  });
});
