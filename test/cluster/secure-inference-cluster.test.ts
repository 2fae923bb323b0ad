import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { Fn, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { DataAwsSubnets } from "@cdktf/provider-aws/lib/data-aws-subnets";
import { SecureInferenceCluster, SecureInferenceClusterProps } from "../../lib/cluster/secure-inference-cluster";
import { ValidationError } from "../../lib/errors";
import { awsStack, onlyResource, resourcesOf, synth } from "../util";

const base: SecureInferenceClusterProps = {
  clusterName: "ml-prod",
  network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
  gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], maxSize: 4 }],
};

function build(props: Partial<SecureInferenceClusterProps> = {}): { stack: TerraformStack; cluster: SecureInferenceCluster } {
  const stack = awsStack();
  const cluster = new SecureInferenceCluster(stack, "ml", { ...base, ...props });
  return { stack, cluster };
}

function problemsOf(props: Partial<SecureInferenceClusterProps>): string[] {
  try {
    build(props);
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("SecureInferenceCluster defaults", () => {
  const { stack, cluster } = build();
  const { raw, json } = synth(stack);
  const eks = onlyResource(json, "aws_eks_cluster");

  it("puts the metrics scraper in the load balancer subnets, which hold no pods, and hands their CIDRs to endpoints", () => {
    const scraper = onlyResource(json, "aws_prometheus_scraper");
    const ingressSubnets = Object.entries(resourcesOf(json, "aws_subnet")).filter(([, s]) => s.tags["secure-inference/tier"] === "ingress").map(([k]) => `\${aws_subnet.${k}.id}`);
    expect(ingressSubnets.length).toBeGreaterThanOrEqual(2);
    expect(scraper.source[0].eks[0].subnet_ids).toEqual(ingressSubnets);
    expect(cluster.connection.loadBalancerCidrs).toEqual(cluster.network!.ingressSubnetCidrs);
  });

  it("keeps the API endpoint private", () => {
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
  });

  it("envelope-encrypts Kubernetes secrets with the cluster's secrets key", () => {
    expect(eks.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.ml_secrets-key_\w+\.arn\}$/) } });
  });

  it("sends all five control-plane log types to a pre-created, KMS-encrypted log group with a year's retention", () => {
    expect(eks.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(raw).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/eks/ml-prod/cluster", retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key\.ml_logs-key/) });
    expect(eks.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.ml_control-plane-logs/)]));
  });

  it("authenticates with access entries only and gives the creator no implicit admin", () => {
    expect(eks.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
  });

  it("pins the Kubernetes version and the standard support policy", () => {
    expect(raw).toHaveResourceWithProperties(EksCluster, { version: "1.35", upgrade_policy: { support_type: "STANDARD" } });
  });

  it("creates one customer-managed key per purpose, each rotating", () => {
    const keys = Object.values(resourcesOf(json, "aws_kms_key"));
    expect(keys.map((k) => k.description).sort()).toEqual(["Encrypts audit", "Encrypts eks-secrets", "Encrypts logs", "Encrypts storage"]);
    expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
  });

  it("lets only the control-plane role use the secrets key besides the account", () => {
    const key = Object.values(resourcesOf(json, "aws_kms_key")).find((k) => k.description === "Encrypts eks-secrets");
    const statements = JSON.parse(key.policy).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["AccountRootAdministers", "EksControlPlaneEncryptsSecrets"]);
    expect(statements[1].Principal.AWS).toMatch(/aws_iam_role\.ml_cluster-role/);
  });

  it("admits only HTTPS from the VPC to the API security group", () => {
    const rules = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => /api-access-sg/.test(r.security_group_id));
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: expect.stringMatching(/aws_vpc\.ml_network_vpc_\w+\.cidr_block/) })]);
  });

  it("trusts only the EKS service in the control-plane role and only EC2 in the node role", () => {
    const roles = Object.values(resourcesOf(json, "aws_iam_role"));
    const trust = (prefix: string) => JSON.parse(roles.find((r) => r.name_prefix === prefix).assume_role_policy).Statement;
    expect(trust("ml-prod-cluster-")).toEqual([expect.objectContaining({ Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] })]);
    expect(trust("ml-prod-node-")).toEqual([expect.objectContaining({ Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })]);
  });

  it("runs a GPU-less system pool of two Bottlerocket nodes", () => {
    const groups = Object.values(resourcesOf(json, "aws_eks_node_group"));
    const system = groups.find((g) => g.node_group_name_prefix === "system-");
    expect(system).toMatchObject({ ami_type: "BOTTLEROCKET_x86_64", capacity_type: "ON_DEMAND", scaling_config: { min_size: 2, max_size: 4, desired_size: 2 }, labels: { "secure-inference.io/pool": "system" } });
    expect(system.taint).toBeUndefined();
  });

  it("installs the EKS managed add-ons, CoreDNS after the system nodes", () => {
    const addons = Object.values(resourcesOf(json, "aws_eks_addon"));
    expect(addons.map((a) => a.addon_name).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-node-monitoring-agent", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    for (const name of ["coredns", "eks-node-monitoring-agent", "aws-ebs-csi-driver"]) {
      expect(addons.find((a) => a.addon_name === name).depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/aws_eks_node_group\.ml_system-pool/)]));
    }
  });

  it("turns on NetworkPolicy enforcement in the VPC CNI (default-deny namespaces rely on it)", () => {
    const cni = Object.values(resourcesOf(json, "aws_eks_addon")).find((a) => a.addon_name === "vpc-cni");
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: "true" });
  });

  it("runs the EBS CSI driver under its own Pod Identity role, which may use only the storage key for volumes", () => {
    const ebs = Object.values(resourcesOf(json, "aws_eks_addon")).find((a) => a.addon_name === "aws-ebs-csi-driver");
    expect(ebs.pod_identity_association).toEqual([{ role_arn: expect.stringMatching(/aws_iam_role\.ml_controller-roles_ebs-csi/), service_account: "ebs-csi-controller-sa" }]);
  });

  it("keeps the cluster and every node group until their roles' policies are detached (clean destroy)", () => {
    const attachments = (role: string) => Object.entries(resourcesOf(json, "aws_iam_role_policy_attachment")).filter(([, a]) => a.role.includes(`aws_iam_role.ml_${role}`)).map(([id]) => `aws_iam_role_policy_attachment.${id}`);
    expect(attachments("cluster-role")).toHaveLength(1);
    expect(eks.depends_on).toEqual(expect.arrayContaining(attachments("cluster-role")));
    expect(attachments("node-role")).toHaveLength(3);
    for (const group of Object.values(resourcesOf(json, "aws_eks_node_group"))) expect([...group.depends_on].sort()).toEqual(attachments("node-role").sort());
  });

  it("exposes a typed connection for later stacks", () => {
    expect(cluster.connection.kubernetesVersion).toBe("1.35");
    expect(cluster.connection.gpuPools).toEqual([
      expect.objectContaining({ name: "l4", gpuModel: "L4", gpuCount: 1, gpuMemoryGiB: 24, minSize: 0, maxSize: 4, capacityType: "ON_DEMAND", amiType: "BOTTLEROCKET_x86_64_NVIDIA" }),
    ]);
    expect(cluster.connection.privateSubnetIds).toHaveLength(2);
    expect(cluster.connection.keys.storageKeyArn).toBe(cluster.storageKey.keyArn);
  });

  it("lets ELB deliver the internal load balancers' access logs to the access-log bucket under alb/, and names both in the connection", () => {
    expect(cluster.connection.loadBalancerLogBucketName).toBe(cluster.accessLogBucket.bucketName);
    expect(cluster.connection.loadBalancerLogPrefix).toBe("alb");
    const policy = Object.values(resourcesOf(json, "aws_s3_bucket_policy")).map((p) => JSON.parse(p.policy)).find((p) => p.Statement.some((x: { Sid: string }) => x.Sid === "ElbAccessLogsDelivery"));
    const grant = policy.Statement.find((x: { Sid: string }) => x.Sid === "ElbAccessLogsDelivery");
    expect(grant.Resource).toMatch(/^\$\{aws_s3_bucket\.ml_access-log-bucket_\w+\.arn\}\/alb\/\*\/AWSLogs\/\$\{data\.aws_caller_identity\.\w+\.account_id\}\/\*$/);
    // us-east-1 opened before August 2022: the regional ELB account, read without an API call.
    expect(grant.Principal.AWS).toMatch(/^\$\{data\.aws_elb_service_account\.ml_access-log-bucket_elb-service-account_\w+\.arn\}$/);
  });

  it("matches the snapshot", () => {
    expect(raw).toMatchSnapshot();
  });
});

describe("SecureInferenceCluster options", () => {
  it("opens the public endpoint only to the listed CIDRs", () => {
    const { stack } = build({ publicEndpointAccess: { allowedCidrs: ["203.0.113.0/24"] } });
    expect(onlyResource(synth(stack).json, "aws_eks_cluster").vpc_config).toMatchObject({ endpoint_public_access: true, endpoint_private_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  it("accepts an existing VPC's subnets as a token list (known only at plan time)", () => {
    const stack = awsStack();
    const subnets = new DataAwsSubnets(stack, "subnets", { filter: [{ name: "tag:tier", values: ["private"] }] });
    expect(() => new SecureInferenceCluster(stack, "ml", { ...base, network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: subnets.ids } })).not.toThrow();
  });

  it("uses an existing VPC's subnets without creating a network", () => {
    const { stack } = build({ network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a", "subnet-b"] } });
    const { json } = synth(stack);
    expect(resourcesOf(json, "aws_vpc")).toEqual({});
    expect(onlyResource(json, "aws_eks_cluster").vpc_config.subnet_ids).toEqual(["subnet-a", "subnet-b"]);
    // No access CIDRs given: only the nodes (cluster security group) reach the API.
    expect(Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"))).toEqual([]);
  });

  it("creates the Auto Scaling service-linked role before the storage key when asked", () => {
    const { stack } = build({ createAutoScalingServiceLinkedRole: true });
    const { json } = synth(stack);
    expect(onlyResource(json, "aws_iam_service_linked_role").aws_service_name).toBe("autoscaling.amazonaws.com");
    const storage = Object.values(resourcesOf(json, "aws_kms_key")).find((k) => k.description === "Encrypts storage");
    expect(storage.depends_on).toEqual([expect.stringMatching(/^aws_iam_service_linked_role\./)]);
  });
});

describe("SecureInferenceCluster rejects bad input at synth time", () => {
  it("names the construct path and reports every problem at once", () => {
    const stack = awsStack();
    let error: unknown;
    try {
      new SecureInferenceCluster(stack, "ml", {
        ...base,
        kubernetesVersion: "v1.30.2",
        gpuNodePools: [{ name: "l4", instanceTypes: ["m5.large"], minSize: 3, maxSize: 2 }],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^test\/ml: invalid SecureInferenceCluster props \(3 problems\):/);
    expect(message).toMatch(/- kubernetesVersion: "v1\.30\.2" is not a Kubernetes minor version; use the form "1\.35"/);
    expect(message).toMatch(/- gpuNodePools\[0\]\.instanceTypes: m5\.large has no NVIDIA GPU .*families: g4dn \(T4/);
    expect(message).toMatch(/- gpuNodePools\[0\]\.minSize: \(3\) must not exceed maxSize \(2\)/);
    // Nothing was added to the stack: no half-synthesized cluster.
    expect(stack.node.tryFindChild("ml")).toBeUndefined();
  });

  it.each<[string, Partial<SecureInferenceClusterProps>, RegExp]>([
    ["min > max", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], minSize: 5, maxSize: 2 }] }, /gpuNodePools\[0\]\.minSize: \(5\) must not exceed maxSize \(2\)/],
    ["desired outside [min, max]", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], minSize: 1, maxSize: 2, desiredSize: 3 }] }, /gpuNodePools\[0\]\.desiredSize: \(3\) must be within \[minSize, maxSize\] = \[1, 2\]/],
    ["empty instance types", { gpuNodePools: [{ name: "l4", instanceTypes: [], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: is empty; list at least one NVIDIA GPU instance type/],
    ["unknown instance type", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.huge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: g6\.huge is not a g6 size; g6 sizes: g6\.xlarge/],
    ["non-GPU instance type", { gpuNodePools: [{ name: "l4", instanceTypes: ["c7i.4xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: c7i\.4xlarge has no NVIDIA GPU/],
    ["non-NVIDIA accelerator", { gpuNodePools: [{ name: "inf", instanceTypes: ["inf2.xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: inf2\.xlarge has AWS Inferentia/],
    ["mixed GPU models", { gpuNodePools: [{ name: "mix", instanceTypes: ["g5.xlarge", "g6.xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: mix GPU models \(g5\.xlarge: A10G, g6\.xlarge: L4\).*make one pool per GPU model/],
    ["mixed GPU counts", { gpuNodePools: [{ name: "mix", instanceTypes: ["g6.xlarge", "g6.12xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: mix GPU counts per node \(g6\.xlarge: 1, g6\.12xlarge: 4\)/],
    ["duplicate pool names", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }, { name: "l4", instanceTypes: ["g6.2xlarge"], maxSize: 2 }] }, /gpuNodePools: pool names \["l4"\] are used more than once/],
    ["a pool named system", { gpuNodePools: [{ name: "system", instanceTypes: ["g6.xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.name: "system" is the name of the cluster's system pool/],
    ["an invalid pool name", { gpuNodePools: [{ name: "L4_Pool", instanceTypes: ["g6.xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.name: "L4_Pool" must be a DNS label/],
    ["public endpoint without CIDRs", { publicEndpointAccess: { allowedCidrs: [] } }, /publicEndpointAccess\.allowedCidrs: is empty; list the CIDRs .* or remove publicEndpointAccess/],
    ["public endpoint open to the world", { publicEndpointAccess: { allowedCidrs: ["10.1.0.0/16", "0.0.0.0/0"] } }, /publicEndpointAccess\.allowedCidrs\[1\]: "0\.0\.0\.0\/0" opens the Kubernetes API to the internet/],
    ["public endpoint open to the IPv6 world", { publicEndpointAccess: { allowedCidrs: ["::/0"] } }, /publicEndpointAccess\.allowedCidrs\[0\]: "::\/0" opens the Kubernetes API to the internet/],
    ["a malformed public CIDR", { publicEndpointAccess: { allowedCidrs: ["203.0.113.0/33"] } }, /publicEndpointAccess\.allowedCidrs\[0\]: "203\.0\.113\.0\/33" is not an IPv4 CIDR/],
    ["fewer than 2 availability zones", { network: { availabilityZones: ["us-east-1a"] } }, /network\.availabilityZones: \["us-east-1a"\] has 1 zone\(s\); give at least 2/],
    ["an invalid zone name", { network: { availabilityZones: ["us-east-1a", "east"] } }, /network\.availabilityZones: "east" is not an availability zone name/],
    ["fewer than 2 existing subnets", { network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a"] } }, /existingVpc\.privateSubnetIds: \["subnet-a"\] has 1 subnet\(s\); EKS needs subnets in at least 2/],
    ["load balancer subnets without CIDRs, or open to the world", { network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a", "subnet-b"], loadBalancerSubnets: { subnetIds: ["subnet-c"], cidrs: ["0.0.0.0/0"] } } }, /existingVpc\.loadBalancerSubnets\.cidrs\[0\]: "0\.0\.0\.0\/0" is not a subnet's IPv4 CIDR/],
    ["load balancer subnets smaller than an ALB needs", { network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a", "subnet-b"], loadBalancerSubnets: { subnetIds: ["subnet-c"], cidrs: ["10.20.250.0/28"] } } }, /existingVpc\.loadBalancerSubnets\.cidrs\[0\]: "10\.20\.250\.0\/28" is smaller than the \/27 an Application Load Balancer needs/],
    ["both a new and an existing VPC", { existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a", "subnet-b"] } }, /network: give either network \(a new VPC\) or existingVpc, not both/],
    ["an unsupported AMI type", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2, amiType: "AL2_x86_64_GPU" as never }] }, /gpuNodePools\[0\]\.amiType: "AL2_x86_64_GPU" is not supported for GPU pools; use one of "BOTTLEROCKET_x86_64_NVIDIA", "AL2023_x86_64_NVIDIA"/],
    ["an invalid Kubernetes version", { kubernetesVersion: "1.3x" }, /kubernetesVersion: "1\.3x" is not a Kubernetes minor version/],
    ["a Kubernetes version EKS no longer runs", { kubernetesVersion: "1.31" }, /kubernetesVersion: "1\.31" is no longer supported by EKS; use 1\.32 or later/],
    ["a Kubernetes version newer than the library knows", { kubernetesVersion: "1.36" }, /kubernetesVersion: "1\.36" is newer than the newest version this library knows \(1\.35\).*use "1\.35"/],
    ["an invalid cluster name", { clusterName: "ml prod!" }, /clusterName: "ml prod!" must be a literal of letters, digits and "-"/],
    ["a VPC CIDR too small", { network: { availabilityZones: ["us-east-1a", "us-east-1b"], vpcCidr: "10.0.0.0/24" } }, /network\.vpcCidr: "10\.0\.0\.0\/24" has prefix \/24; use \/16 to \/20/],
    ["a log retention below a year", { controlPlaneLogRetentionDays: 30 }, /controlPlaneLogRetentionDays: 30 days keeps logs less than a year; use 365 or more/],
    ["a GPU type in the system pool", { systemNodePool: { instanceTypes: ["g6.xlarge"] } }, /systemNodePool\.instanceTypes: "g6\.xlarge" is a GPU instance type/],
    ["an arm64 type in the system pool", { systemNodePool: { instanceTypes: ["m7g.large"] } }, /systemNodePool\.instanceTypes: "m7g\.large" is an arm64 \(Graviton\) type/],
    ["a fractional system pool size", { systemNodePool: { minSize: 1.5 } }, /systemNodePool\.minSize: 1\.5 must be a whole number/],
    ["mixed GPU memory sizes", { gpuNodePools: [{ name: "a100", instanceTypes: ["p4d.24xlarge", "p4de.24xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.instanceTypes: mix GPU memory sizes \(p4d\.24xlarge: 40 GiB, p4de\.24xlarge: 80 GiB\)/],
    ["a pool name too long for the node group prefix", { gpuNodePools: [{ name: "a".repeat(37), instanceTypes: ["g6.xlarge"], maxSize: 2 }] }, /gpuNodePools\[0\]\.name: "a{37}" must be a DNS label .*at most 36 characters/],
    ["a data volume too small", { gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2, dataVolumeSizeGiB: 10 }] }, /gpuNodePools\[0\]\.dataVolumeSizeGiB: 10 must be a whole number of GiB from 50/],
  ])("rejects %s", (_name, props, expected) => {
    const problems = problemsOf(props);
    expect(problems.join("\n")).toMatch(expected);
  });
});

describe("SecureInferenceCluster names in one app", () => {
  const regionStack = (app: ReturnType<typeof Testing.app>, id: string, region: string) => {
    const stack = new TerraformStack(app, id);
    new AwsProvider(stack, "aws", { region });
    return stack;
  };

  it("refuses a second cluster with the same name in the same region, naming the first", () => {
    const app = Testing.app();
    new SecureInferenceCluster(regionStack(app, "a", "us-east-1"), "ml", base);
    expect(() => new SecureInferenceCluster(regionStack(app, "b", "us-east-1"), "ml2", base)).toThrow(
      /b\/ml2: invalid SecureInferenceCluster props[\s\S]*clusterName: "ml-prod" is already the name of cluster a\/ml in this app.*give each cluster its own name/,
    );
  });

  it("refuses it when a region is a reference (unknown at synth time)", () => {
    const app = Testing.app();
    new SecureInferenceCluster(regionStack(app, "a", "us-east-1"), "ml", base);
    const b = new TerraformStack(app, "b");
    new AwsProvider(b, "aws", { region: Fn.lookup({ prod: "us-east-1" }, "prod", "us-east-1") });
    expect(() => new SecureInferenceCluster(b, "ml", base)).toThrow(/clusterName: "ml-prod" is already the name of cluster a\/ml/);
  });

  it("accepts the same name in two regions (one cluster per region, e.g. for failover)", () => {
    const app = Testing.app();
    new SecureInferenceCluster(regionStack(app, "east", "us-east-1"), "ml", base);
    expect(() => new SecureInferenceCluster(regionStack(app, "west", "us-west-2"), "ml", { ...base, network: { availabilityZones: ["us-west-2a", "us-west-2b"] } })).not.toThrow();
  });

  it("leaves no claim behind when construction fails, so the fixed retry succeeds", () => {
    const app = Testing.app();
    const stack = regionStack(app, "a", "us-east-1");
    expect(() => new SecureInferenceCluster(stack, "ml", { ...base, kubernetesVersion: "1.3x" })).toThrow(ValidationError);
    expect(() => new SecureInferenceCluster(stack, "ml", base)).not.toThrow();
  });
});

describe("SecureInferenceCluster.grantAccess", () => {
  const { stack, cluster } = build();
  cluster.grantAccess("admins", { principalArn: "arn:aws:iam::123456789012:role/ml-admins", policy: "ClusterAdmin" });
  cluster.grantAccess("team-a", { principalArn: "arn:aws:iam::123456789012:role/team-a", policy: "Edit", namespaces: ["team-a"] });
  cluster.grantAccess("ci-plan", { principalArn: "arn:aws:iam::123456789012:role/github-plan-ml-prod", policy: "AdminView" });
  const { json } = synth(stack);

  it("maps each principal through an access entry and an access policy association", () => {
    const entries = Object.values(resourcesOf(json, "aws_eks_access_entry")).filter((e) => !e.user_name);
    expect(entries.map((e) => [e.principal_arn, e.type]).sort()).toEqual([
      ["arn:aws:iam::123456789012:role/github-plan-ml-prod", "STANDARD"],
      ["arn:aws:iam::123456789012:role/ml-admins", "STANDARD"],
      ["arn:aws:iam::123456789012:role/team-a", "STANDARD"],
    ]);
    const associations = Object.values(resourcesOf(json, "aws_eks_access_policy_association"));
    const policies = associations.map((a) => [a.policy_arn.replace(/^arn:\$\{[^}]+\}/, "arn:aws"), a.access_scope]);
    expect(policies).toHaveLength(3);
    expect(policies).toEqual(expect.arrayContaining([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", { type: "namespace", namespaces: ["team-a"] }],
      // Read everything, Secrets included: a CI plan role diffing Helm releases.
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy", { type: "cluster" }],
    ]));
    expect(associations.every((a) => /aws_eks_access_entry\./.test(a.principal_arn))).toBe(true);
  });

  it("rejects a namespaced ClusterAdmin, a non-IAM principal and a reused id, all at once", () => {
    expect(() => cluster.grantAccess("admins", { principalArn: "ml-admins", policy: "ClusterAdmin", namespaces: ["Bad_NS"] })).toThrow(
      /test\/ml\.grantAccess\("admins"\): invalid ClusterAccessGrant props \(4 problems\)[\s\S]*principalArn: "ml-admins" is not an IAM role or user ARN[\s\S]*namespaces: ClusterAdmin is cluster-wide[\s\S]*namespaces: "Bad_NS" is not a namespace name[\s\S]*id: "admins" is already used/,
    );
  });
});

describe("SecureInferenceCluster.connection across stacks", () => {
  it("becomes outputs of the platform stack and remote-state reads in a consuming stack", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", base);
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    new SsmParameter(serving, "endpoint", { name: "/ml/endpoint", type: "String", value: cluster.connection.endpoint });
    new SsmParameter(serving, "subnets", { name: "/ml/subnet", type: "String", value: cluster.connection.privateSubnetIds[0] });
    app.synth();
    const platformJson = JSON.parse(Testing.synth(platform));
    const servingJson = JSON.parse(Testing.synth(serving));
    const outputs = Object.values(platformJson.output as Record<string, { value: string; sensitive?: boolean }>).map((o) => o.value);
    expect(outputs).toEqual(expect.arrayContaining([expect.stringMatching(/aws_eks_cluster\.ml_cluster_\w+\.endpoint/), expect.stringMatching(/aws_subnet\.ml_network_private-0_\w+\.id/)]));
    expect(Object.keys(servingJson.data.terraform_remote_state)).toHaveLength(1);
    expect(Object.values(servingJson.resource.aws_ssm_parameter).map((p: any) => p.value)).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\.[\w-]+\}$/),
      expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\.[\w-]+\}$/),
    ]);
  });

  it("hands the load balancer log bucket to a consuming stack inside a string, as an Ingress annotation holds it", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "us-east-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", base);
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "us-east-1" });
    new SsmParameter(serving, "attributes", { name: "/ml/alb", type: "String", value: `access_logs.s3.enabled=true,access_logs.s3.bucket=${cluster.connection.loadBalancerLogBucketName}` });
    app.synth();
    const value = (Object.values(JSON.parse(Testing.synth(serving)).resource.aws_ssm_parameter)[0] as { value: string }).value;
    expect(value).toMatch(/^access_logs\.s3\.enabled=true,access_logs\.s3\.bucket=\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\.[\w-]+\}$/);
  });
});
