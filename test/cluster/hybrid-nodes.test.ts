import "../../lib/testing";
import { TerraformStack } from "cdktf";
import { ALL_PACKS } from "../../lib/compliance/packs";
import { SecureInferenceCluster, SecureInferenceClusterProps } from "../../lib/cluster/secure-inference-cluster";
import { ValidationError } from "../../lib/errors";
import { awsStack, onlyResource, parseTemplateJson, resourcesOf, synth } from "../util";

const base: SecureInferenceClusterProps = {
  clusterName: "ml-edge",
  network: { availabilityZones: ["us-east-1a", "us-east-1b"] },
  gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }],
  hybridNodes: {
    remoteNodeNetworks: ["192.168.10.0/24"],
    remotePodNetworks: ["192.168.64.0/18"],
    credentials: { provider: "ssm", activation: { registrationLimit: 4 } },
  },
  onPremisesGpuPools: [{ name: "onprem-l40s", serverShape: "onprem-l40s.4gpu", servers: 2, location: "fra-dc1" }],
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

describe("SecureInferenceCluster with hybrid nodes (SSM)", () => {
  const { stack, cluster } = build();
  const { json } = synth(stack);
  const roles = resourcesOf(json, "aws_iam_role");
  const [roleKey, role] = Object.entries(roles).find(([k]) => k.startsWith("ml_hybrid-nodes_role"))!;
  const trust = parseTemplateJson(role.assume_role_policy);

  it("declares the remote node and pod networks on the cluster", () => {
    expect(onlyResource(json, "aws_eks_cluster").remote_network_config).toEqual({
      remote_node_networks: { cidrs: ["192.168.10.0/24"] },
      remote_pod_networks: { cidrs: ["192.168.64.0/18"] },
    });
  });

  it("trusts only SSM acting for this account and region with the Hybrid Nodes role", () => {
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({ Effect: "Allow", Principal: { Service: "ssm.amazonaws.com" }, Action: "sts:AssumeRole" });
    expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBeDefined();
    expect(trust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(/^arn:\$\{.*\}:ssm:\$\{data\.aws_region\..*\}:\$\{.*\}:\*$/);
  });

  it("gives the role what EKS documents for hybrid nodes: nodeadm, ECR pull, SSM core, scoped deregistration", () => {
    const attached = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).filter((a) => a.role === `\${aws_iam_role.${roleKey}.name}`).map((a) => a.policy_arn as string);
    expect(attached.filter((a) => a.includes(":iam::aws:policy/")).map((a) => a.split("/").pop()).sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"]);
    const policy = parseTemplateJson(Object.entries(resourcesOf(json, "aws_iam_policy")).find(([k]) => k.startsWith("ml_hybrid-nodes_policy"))![1].policy);
    const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(bySid.NodeadmReadsCluster.Action).toEqual(["eks:DescribeCluster", "eks:ListAccessEntries"]);
    expect(bySid.NodeadmReadsCluster.Resource).toMatch(/aws_eks_cluster\.ml_cluster_\w+\.arn/);
    expect(bySid.NodeadmDeregistersOwnClusterInstances.Condition.StringEquals["ssm:resourceTag/EKSClusterARN"]).toMatch(/aws_eks_cluster/);
  });

  it("creates the SSM activation tagged with the cluster ARN, limited to the declared servers", () => {
    const activation = onlyResource(json, "aws_ssm_activation");
    expect(activation).toMatchObject({ registration_limit: 4, iam_role: `\${aws_iam_role.${roleKey}.name}` });
    expect(activation.tags.EKSClusterARN).toMatch(/aws_eks_cluster/);
  });

  it("maps the role into the cluster with an access entry of type HYBRID_LINUX", () => {
    const entry = Object.values(resourcesOf(json, "aws_eks_access_entry")).find((e) => e.type === "HYBRID_LINUX")!;
    expect(entry.principal_arn).toBe(`\${aws_iam_role.${roleKey}.arn}`);
  });

  it("lets the remote nodes and pods reach the API on 443, and the control plane reach kubelet and webhooks", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => /remote/.test(r.description));
    expect(ingress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([["192.168.10.0/24", 443, 443], ["192.168.64.0/18", 443, 443]]);
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).filter((r) => /remote/.test(r.description));
    expect(egress.map((r) => [r.cidr_ipv4, r.from_port])).toEqual([["192.168.10.0/24", 10250], ["192.168.64.0/18", 443], ["192.168.64.0/18", 9443]]);
    for (const r of [...ingress, ...egress]) expect(r.security_group_id).toMatch(/aws_security_group\.ml_api-access-sg/);
  });

  it("keeps the VPC CNI off hybrid nodes and runs the Pod Identity Agent's hybrid DaemonSet", () => {
    const addons = Object.values(resourcesOf(json, "aws_eks_addon"));
    const cni = JSON.parse(addons.find((a) => a.addon_name === "vpc-cni")!.configuration_values);
    expect(cni.enableNetworkPolicy).toBe("true");
    expect(cni.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toContainEqual({ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate", "hybrid", "auto"] });
    expect(JSON.parse(addons.find((a) => a.addon_name === "eks-pod-identity-agent")!.configuration_values)).toEqual({ daemonsets: { hybrid: { create: true } } });
  });

  it("declares the on-premises pool from the catalog, fixed at its servers, labelled and tainted like cloud pools, with no machines", () => {
    const pool = cluster.connection.gpuPools.find((p) => p.name === "onprem-l40s")!;
    expect(pool).toMatchObject({ gpuModel: "L40S", gpuCount: 4, gpuMemoryGiB: 48, minSize: 2, maxSize: 2, placement: { kind: "on-premises", location: "fra-dc1" } });
    expect(pool.labels["secure-inference.io/pool"]).toBe("onprem-l40s");
    expect(pool.join!.taints).toEqual(["nvidia.com/gpu=true:NoSchedule"]);
    expect(pool.join!.nodeadmConfig).toContain("--register-with-taints=nvidia.com/gpu=true:NoSchedule");
    expect(pool.join!.nodeadmConfig).toContain("secure-inference.io/pool=onprem-l40s");
    expect(pool.join!.nodeadmConfig).toContain("activationCode: <SSM activation code>");
    expect(Object.values(resourcesOf(json, "aws_eks_node_group"))).toHaveLength(2); // system + l4 only
    expect(cluster.connection.remotePodNetworks).toEqual(["192.168.64.0/18"]);
    expect(cluster.connection.hybridNodesCni).toBe("cilium");
  });

  it("matches the snapshot of its hybrid-node resources", () => {
    const pick = (type: string) => Object.fromEntries(Object.entries(resourcesOf(json, type)).filter(([k]) => k.includes("hybrid-nodes")));
    expect({ role: pick("aws_iam_role"), policy: pick("aws_iam_policy"), activation: resourcesOf(json, "aws_ssm_activation"), entry: pick("aws_eks_access_entry") }).toMatchSnapshot();
  });
});

describe("SecureInferenceCluster with hybrid nodes (IAM Roles Anywhere)", () => {
  const { stack } = build({
    hybridNodes: { remoteNodeNetworks: ["10.200.0.0/24"], credentials: { provider: "iam-roles-anywhere", certificateAuthority: { acmPcaArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666" } } },
    onPremisesGpuPools: [],
  });
  const { json } = synth(stack);
  const role = Object.entries(resourcesOf(json, "aws_iam_role")).find(([k]) => k.startsWith("ml_hybrid-nodes_role"))![1];

  it("trusts Roles Anywhere only for the trust anchor, with the session named after the certificate's CN (escaped for Terraform)", () => {
    const trust = parseTemplateJson(role.assume_role_policy);
    expect(trust.Statement.map((s: { Action: unknown }) => s.Action)).toEqual([["sts:TagSession", "sts:SetSourceIdentity"], "sts:AssumeRole"]);
    for (const s of trust.Statement) {
      expect(s.Principal).toEqual({ Service: "rolesanywhere.amazonaws.com" });
      expect(s.Condition.ArnEquals["aws:SourceArn"]).toMatch(/aws_rolesanywhere_trust_anchor/);
    }
    expect(role.assume_role_policy).toContain("$${aws:PrincipalTag/x509Subject/CN}");
    expect(role.max_session_duration).toBe(7200);
  });

  it("creates the trust anchor from the Private CA and a profile for the role, and no SSM policy", () => {
    expect(onlyResource(json, "aws_rolesanywhere_trust_anchor").source).toEqual({ source_type: "AWS_ACM_PCA", source_data: { acm_pca_arn: expect.stringMatching(/^arn:aws:acm-pca:/) } });
    expect(onlyResource(json, "aws_rolesanywhere_profile")).toMatchObject({ duration_seconds: 3600, enabled: true });
    expect(resourcesOf(json, "aws_ssm_activation")).toEqual({});
    expect(onlyResource(json, "aws_eks_cluster").remote_network_config).toEqual({ remote_node_networks: { cidrs: ["10.200.0.0/24"] } });
  });
});

describe("SecureInferenceCluster hybrid validation", () => {
  it("reports every bad remote network at once: public, overlapping the VPC, the service range or each other", () => {
    const problems = problemsOf({
      hybridNodes: {
        remoteNodeNetworks: ["203.0.113.0/24", "10.0.5.0/24", "172.20.1.0/24"],
        remotePodNetworks: ["172.20.0.0/15", "not-a-cidr"],
        credentials: { provider: "ssm" },
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^hybridNodes\.remoteNodeNetworks\[0\]: "203\.0\.113\.0\/24" is not a private range; remote networks must be inside 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16, 100\.64\.0\.0\/10/),
      expect.stringMatching(/^hybridNodes\.remoteNodeNetworks\[1\]: "10\.0\.5\.0\/24" overlaps the VPC CIDR 10\.0\.0\.0\/16; .* use a range outside 10\.0\.0\.0\/16/),
      expect.stringMatching(/^hybridNodes\.remoteNodeNetworks\[2\]: "172\.20\.1\.0\/24" overlaps the cluster's Kubernetes service range 172\.20\.0\.0\/16/),
      expect.stringMatching(/^hybridNodes\.remotePodNetworks\[0\]: "172\.20\.0\.0\/15" overlaps the cluster's Kubernetes service range/),
      expect.stringMatching(/^hybridNodes\.remotePodNetworks\[0\]: "172\.20\.0\.0\/15" overlaps remoteNodeNetworks\[2\] "172\.20\.1\.0\/24"; node and pod networks must not overlap each other/),
      expect.stringMatching(/^hybridNodes\.remotePodNetworks\[1\]: "not-a-cidr" is not an IPv4 CIDR/),
    ]);
  });

  it("names the construct path, the prop and the fix in the thrown message", () => {
    expect(() => build({ hybridNodes: { remoteNodeNetworks: ["10.0.0.0/20"], credentials: { provider: "ssm" } } })).toThrow(
      /^test\/ml: invalid SecureInferenceCluster props \(1 problem\):\n- hybridNodes\.remoteNodeNetworks\[0\]: "10\.0\.0\.0\/20" overlaps the VPC CIDR/,
    );
  });

  it("refuses on-premises pools without hybrid nodes, unknown server shapes, and an existing VPC without its CIDR", () => {
    expect(problemsOf({ hybridNodes: undefined })).toEqual([expect.stringMatching(/^onPremisesGpuPools: need hybridNodes/)]);
    expect(problemsOf({ onPremisesGpuPools: [{ name: "dc", serverShape: "g6e.12xlarge", servers: 0, location: "Fra DC" }] })).toEqual([
      expect.stringMatching(/^onPremisesGpuPools\[0\]\.serverShape: "g6e\.12xlarge" is not an on-premises server shape of the GPU catalog; use one of "onprem-h100\.8gpu", "onprem-l40s\.2gpu"/),
      expect.stringMatching(/^onPremisesGpuPools\[0\]\.servers: 0 must be a whole number of servers, at least 1/),
      expect.stringMatching(/^onPremisesGpuPools\[0\]\.location: "Fra DC" must name the site/),
    ]);
    expect(problemsOf({ network: undefined, existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0a", "subnet-0b"] } })).toEqual([expect.stringMatching(/^existingVpc\.cidrBlock: is needed with hybridNodes/)]);
  });

  it("refuses a cloud pool named like an on-premises pool, and credentials without one CA", () => {
    expect(problemsOf({ gpuNodePools: [{ name: "onprem-l40s", instanceTypes: ["g6.xlarge"], maxSize: 1 }] })).toEqual([expect.stringMatching(/pool names \["onprem-l40s"\] are used more than once/)]);
    expect(
      problemsOf({ hybridNodes: { remoteNodeNetworks: ["192.168.10.0/24"], credentials: { provider: "iam-roles-anywhere", certificateAuthority: {} as { acmPcaArn: string } } } }),
    ).toEqual([expect.stringMatching(/^hybridNodes\.credentials\.certificateAuthority: give exactly one of acmPcaArn/)]);
  });
});

describe("SecureInferenceCluster with hybrid nodes is secure by default", () => {
  it.each(["ssm", "iam-roles-anywhere"] as const)("passes HIPAA, SOC 2, FedRAMP Moderate and GDPR with %s credentials", (provider) => {
    const { stack } = build({
      hybridNodes: {
        remoteNodeNetworks: ["192.168.10.0/24"],
        remotePodNetworks: ["192.168.64.0/18"],
        credentials:
          provider === "ssm"
            ? { provider, activation: { registrationLimit: 2 } }
            : { provider, certificateAuthority: { x509CertificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" } },
      },
    });
    expect(stack).toBeCompliantWith(...ALL_PACKS);
  });
});
