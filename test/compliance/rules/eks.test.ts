import { TerraformStack } from "cdktf";
import { EksCluster, EksClusterConfig } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup, EksNodeGroupConfig } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate, LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import {
  EKS_RULES,
  EksApiAuthentication,
  EksControlPlaneLogging,
  EksNodeGroupNoOpenSsh,
  EksPrivateEndpoint,
  EksPublicEndpointRestricted,
  EksSecretsEncryption,
  GpuNodeGroupHardened,
} from "../../../lib/compliance/rules/eks";
import { REFERENCE_CLUSTER } from "../../../examples/reference-platform/main";
import { evaluateRule } from "../rule-harness";


const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A cluster that passes every EKS cluster rule; tests weaken one attribute at a time. */
const HARDENED: EksClusterConfig = {
  name: "c",
  roleArn: "arn:aws:iam::123456789012:role/eks",
  vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPrivateAccess: true, endpointPublicAccess: false },
  enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
  encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } },
  accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
};

const cluster = (id: string, config: Partial<EksClusterConfig>) => (stack: TerraformStack) => {
  new EksCluster(stack, id, { ...HARDENED, ...config });
};

const NODE_GROUP: EksNodeGroupConfig = {
  clusterName: "c",
  nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
  subnetIds: ["subnet-1"],
  scalingConfig: { minSize: 0, maxSize: 2, desiredSize: 0 },
};

const HARDENED_TEMPLATE: LaunchTemplateConfig = {
  namePrefix: "gpu-",
  metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
  blockDeviceMappings: [
    { deviceName: "/dev/xvda", ebs: { volumeSize: 8, encrypted: "true" } },
    { deviceName: "/dev/xvdb", ebs: { volumeSize: 200, encrypted: "true", kmsKeyId: KEY_ARN } },
  ],
};

describe("EksControlPlaneLogging", () => {
  it("accepts a cluster that sends all five control-plane log types", () => {
    const { byId } = evaluateRule(EksControlPlaneLogging, cluster("c", {}));
    expect(byId.c).toEqual({ status: "compliant" });
  });

  it("names the log types a cluster does not send", () => {
    const { byId } = evaluateRule(EksControlPlaneLogging, (stack) => {
      cluster("partial", { enabledClusterLogTypes: ["api", "authenticator"] })(stack);
      cluster("none", { enabledClusterLogTypes: undefined })(stack);
    });
    expect(byId.partial.status).toBe("non-compliant");
    expect(byId.partial.message).toMatch(/enabled_cluster_log_types lacks audit, controllerManager, scheduler; set enabled_cluster_log_types = \["api", "audit"/);
    expect(byId.none.message).toMatch(/enabled_cluster_log_types is unset.*api, audit, authenticator, controllerManager, scheduler/);
  });
});

describe("EksPrivateEndpoint", () => {
  it("accepts a private-only endpoint", () => {
    const { byId } = evaluateRule(EksPrivateEndpoint, cluster("c", {}));
    expect(byId.c).toEqual({ status: "compliant" });
  });

  it("rejects a public endpoint, including one left to the provider default", () => {
    const { byId } = evaluateRule(EksPrivateEndpoint, (stack) => {
      cluster("public", { vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })(stack);
      cluster("default", { vpcConfig: { subnetIds: ["subnet-1"] } })(stack);
    });
    expect(byId.public.status).toBe("non-compliant");
    expect(byId.public.message).toMatch(/vpc_config\.endpoint_public_access is true; set it to false/);
    expect(byId.default.status).toBe("non-compliant");
    expect(byId.default.message).toMatch(/endpoint_public_access is unset \(the provider default true makes the API public\)/);
  });
});

describe("EksPublicEndpointRestricted", () => {
  it("does not apply to a private endpoint and accepts a public one limited to listed CIDRs", () => {
    const { byId } = evaluateRule(EksPublicEndpointRestricted, (stack) => {
      cluster("private", {})(stack);
      cluster("limited", { vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } })(stack);
    });
    expect(byId.private).toEqual({ status: "not-applicable" });
    expect(byId.limited).toEqual({ status: "compliant" });
  });

  it("rejects a public endpoint open to every address, explicitly or by leaving public_access_cidrs unset", () => {
    const { byId } = evaluateRule(EksPublicEndpointRestricted, (stack) => {
      cluster("open", { vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } })(stack);
      cluster("open-v6", { vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: true, publicAccessCidrs: ["::/0"] } })(stack);
      cluster("unset", { vpcConfig: { subnetIds: ["subnet-1"] } })(stack);
    });
    expect(byId.open.status).toBe("non-compliant");
    expect(byId.open.message).toMatch(/vpc_config\.public_access_cidrs contains 0\.0\.0\.0\/0, which admits every address/);
    expect(byId["open-v6"].message).toMatch(/contains ::\/0/);
    expect(byId.unset.message).toMatch(/vpc_config\.public_access_cidrs is unset, so the public endpoint admits 0\.0\.0\.0\/0/);
  });
});

describe("EksSecretsEncryption", () => {
  it("accepts envelope encryption of secrets with a KMS key, also when the key is a Terraform reference", () => {
    const { byId } = evaluateRule(EksSecretsEncryption, (stack) => {
      cluster("literal", {})(stack);
      cluster("reference", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: "${aws_kms_key.k.arn}" } } })(stack);
    });
    expect(byId.literal).toEqual({ status: "compliant" });
    expect(byId.reference).toEqual({ status: "compliant" });
  });

  it("rejects a cluster without encryption_config", () => {
    const { byId } = evaluateRule(EksSecretsEncryption, cluster("c", { encryptionConfig: undefined }));
    expect(byId.c.status).toBe("non-compliant");
    expect(byId.c.message).toMatch(/encryption_config is unset.*set encryption_config \{ resources = \["secrets"\], provider \{ key_arn/);
  });

  it("reads encryption_config whether it is synthesized as an object or a one-element array", () => {
    const { byId } = evaluateRule(EksSecretsEncryption, (stack) => {
      new EksCluster(stack, "as-array", HARDENED).addOverride("encryption_config", [{ resources: ["secrets"], provider: [{ key_arn: KEY_ARN }] }]);
      new EksCluster(stack, "no-key", HARDENED).addOverride("encryption_config", [{ resources: ["secrets"], provider: [{}] }]);
    });
    expect(byId["as-array"]).toEqual({ status: "compliant" });
    expect(byId["no-key"].message).toMatch(/encryption_config\.provider\.key_arn is unset/);
  });
});

describe("EksApiAuthentication", () => {
  it("accepts access entries only, without implicit admin for the creator", () => {
    const { byId } = evaluateRule(EksApiAuthentication, cluster("c", {}));
    expect(byId.c).toEqual({ status: "compliant" });
  });

  it("rejects the aws-auth ConfigMap modes, the default mode and the creator's implicit admin, naming each gap", () => {
    const { byId } = evaluateRule(EksApiAuthentication, (stack) => {
      cluster("both", { accessConfig: { authenticationMode: "API_AND_CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false } })(stack);
      cluster("bootstrap", { accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true } })(stack);
      cluster("unset", { accessConfig: undefined })(stack);
    });
    expect(byId.both.status).toBe("non-compliant");
    expect(byId.both.message).toMatch(/access_config\.authentication_mode is "API_AND_CONFIG_MAP"; set it to "API"/);
    expect(byId.both.message).not.toMatch(/bootstrap/);
    expect(byId.bootstrap.message).toMatch(/access_config\.bootstrap_cluster_creator_admin_permissions is true; set it to false/);
    expect(byId.unset.message).toMatch(/authentication_mode is unset \(EKS default "CONFIG_MAP"\).*bootstrap_cluster_creator_admin_permissions is unset/);
  });
});

describe("EksNodeGroupNoOpenSsh", () => {
  it("does not apply without an SSH key and accepts SSH limited to source security groups", () => {
    const { byId } = evaluateRule(EksNodeGroupNoOpenSsh, (stack) => {
      new EksNodeGroup(stack, "no-ssh", NODE_GROUP);
      new EksNodeGroup(stack, "limited", { ...NODE_GROUP, remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-0123456789abcdef0"] } });
    });
    expect(byId["no-ssh"]).toEqual({ status: "not-applicable" });
    expect(byId.limited).toEqual({ status: "compliant" });
  });

  it("rejects an SSH key without source security groups, which opens port 22 to the internet", () => {
    const { byId } = evaluateRule(EksNodeGroupNoOpenSsh, (stack) => {
      new EksNodeGroup(stack, "open", { ...NODE_GROUP, remoteAccess: { ec2SshKey: "ops" } });
    });
    expect(byId.open.status).toBe("non-compliant");
    expect(byId.open.message).toMatch(/remote_access\.ec2_ssh_key is set without remote_access\.source_security_group_ids.*set source_security_group_ids/);
  });
});

describe("GpuNodeGroupHardened", () => {
  it("does not apply to CPU node groups", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      new EksNodeGroup(stack, "cpu", { ...NODE_GROUP, instanceTypes: ["m7i.large"], amiType: "AL2023_x86_64_STANDARD" });
    });
    expect(byId.cpu).toEqual({ status: "not-applicable" });
  });

  it("accepts a GPU node group launched from a hardened launch template of the stack, by id or by name", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      const lt = new LaunchTemplate(stack, "lt", HARDENED_TEMPLATE);
      new LaunchTemplate(stack, "named", { ...HARDENED_TEMPLATE, namePrefix: undefined, name: "gpu-nodes" });
      new EksNodeGroup(stack, "by-id", { ...NODE_GROUP, instanceTypes: ["g6.xlarge"], launchTemplate: { id: lt.id, version: lt.latestVersion.toString() } });
      new EksNodeGroup(stack, "by-name", { ...NODE_GROUP, amiType: "AL2023_x86_64_NVIDIA", launchTemplate: { name: "gpu-nodes", version: "1" } });
    });
    expect(byId["by-id"]).toEqual({ status: "compliant" });
    expect(byId["by-name"]).toEqual({ status: "compliant" });
  });

  it("rejects a GPU node group without a launch template (disk_size only)", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      new EksNodeGroup(stack, "plain", { ...NODE_GROUP, instanceTypes: ["p5.48xlarge"], diskSize: 200 });
    });
    expect(byId.plain.status).toBe("non-compliant");
    expect(byId.plain.message).toMatch(/GPU node group \(instance_types p5\.48xlarge\) sets no launch_template \(disk_size 200 only\)/);
  });

  it("recognizes GPU nodes by an NVIDIA or GPU AMI type, and by a GPU family size the catalog does not list", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      new EksNodeGroup(stack, "al2-gpu", { ...NODE_GROUP, amiType: "AL2_x86_64_GPU" });
      new EksNodeGroup(stack, "new-size", { ...NODE_GROUP, instanceTypes: ["g6.1024xlarge"] });
    });
    expect(byId["al2-gpu"].message).toMatch(/\(ami_type AL2_x86_64_GPU\) sets no launch_template/);
    expect(byId["new-size"].message).toMatch(/\(instance_types g6\.1024xlarge\) sets no launch_template/);
  });

  it("names each gap of a weaker launch template", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      const weak = new LaunchTemplate(stack, "weak", {
        namePrefix: "weak-",
        metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: 8, encrypted: "true" } },
          { deviceName: "/dev/xvdb", ebs: { volumeSize: 200 } },
        ],
      });
      const bare = new LaunchTemplate(stack, "bare", { namePrefix: "bare-", metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
      new EksNodeGroup(stack, "weak-group", { ...NODE_GROUP, instanceTypes: ["g6.xlarge"], launchTemplate: { id: weak.id, version: "1" } });
      new EksNodeGroup(stack, "bare-group", { ...NODE_GROUP, instanceTypes: ["g6.xlarge"], launchTemplate: { id: bare.id, version: "1" } });
    });
    const weak = byId["weak-group"];
    expect(weak.status).toBe("non-compliant");
    expect(weak.message).toMatch(/launches from aws_launch_template\.weak, whose metadata_options\.http_tokens is "optional" \(must be "required"\)/);
    expect(weak.message).toMatch(/metadata_options\.http_put_response_hop_limit is 2 \(must be 1\)/);
    expect(weak.message).toMatch(/block_device_mappings \/dev\/xvdb is not encrypted/);
    expect(byId["bare-group"].message).toMatch(/block_device_mappings declares no EBS volume/);
  });

  it("rejects a launch template outside the stack, whose hardening cannot be checked", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      new EksNodeGroup(stack, "external", { ...NODE_GROUP, instanceTypes: ["g6.xlarge"], launchTemplate: { id: "lt-0123456789abcdef0", version: "1" } });
    });
    expect(byId.external.status).toBe("non-compliant");
    expect(byId.external.message).toMatch(/launch_template "lt-0123456789abcdef0", which is no aws_launch_template of this stack/);
  });
});

describe("SecureInferenceCluster against the EKS rules", () => {
  it.each(EKS_RULES.map((rule) => [rule.id, rule] as const))("the cluster and its node groups comply with %s", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, (stack) => {
      new SecureInferenceCluster(stack, "ml", REFERENCE_CLUSTER);
    });
    expect(Object.keys(byAddress).length).toBeGreaterThan(0);
    const failures = Object.entries(byAddress).filter(([, o]) => o.status !== "compliant" && o.status !== "not-applicable");
    expect(failures).toEqual([]);
  });

  it("holds both GPU pools to the GPU hardening rule and leaves the system pool out of it", () => {
    const { byAddress } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      new SecureInferenceCluster(stack, "ml", REFERENCE_CLUSTER);
    });
    const statusOf = (pool: string) => Object.entries(byAddress).find(([a]) => a.startsWith(`aws_eks_node_group.ml_${pool}`))?.[1].status;
    expect(statusOf("gpu-pool-l4")).toBe("compliant");
    expect(statusOf("gpu-pool-h100")).toBe("compliant");
    expect(statusOf("system-pool")).toBe("not-applicable");
  });

  it("a cluster whose public endpoint is opened to a listed CIDR complies with EksPublicEndpointRestricted", () => {
    const { byAddress } = evaluateRule(EksPublicEndpointRestricted, (stack) => {
      new SecureInferenceCluster(stack, "ml", { ...REFERENCE_CLUSTER, publicEndpointAccess: { allowedCidrs: ["203.0.113.0/24"] } });
    });
    const [outcome] = Object.entries(byAddress).filter(([a]) => a.startsWith("aws_eks_cluster.")).map(([, o]) => o);
    expect(outcome).toEqual({ status: "compliant" });
  });
});

describe("GpuNodeGroupHardened with the instance type in the launch template", () => {
  it("recognises a custom-AMI GPU pool whose instance type is set only in its launch template", () => {
    const { byId } = evaluateRule(GpuNodeGroupHardened, (stack) => {
      const lt = new LaunchTemplate(stack, "lt", { instanceType: "p5.48xlarge", imageId: "ami-0123456789abcdef0" });
      new EksNodeGroup(stack, "custom", {
        clusterName: "c", nodeRoleArn: "arn:aws:iam::123456789012:role/n", subnetIds: ["subnet-a"], amiType: "CUSTOM",
        scalingConfig: { minSize: 0, maxSize: 1, desiredSize: 0 }, launchTemplate: { id: lt.id, version: "1" },
      });
    });
    expect(byId.custom).toEqual({ status: "non-compliant", message: expect.stringContaining("launch template instance_type p5.48xlarge") });
  });
});
