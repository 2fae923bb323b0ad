import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { TerraformStack } from "cdktf";
import {
  EksControlPlaneLogging,
  EksNodeGroupNoOpenSsh,
  EksPrivateEndpoint,
  EksPublicEndpointRestricted,
  EksSecretsEncryption,
} from "../../../lib/compliance/rules/eks";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/, fixtures of the EKS checks.
 * role_arn/subnet ids are the fixtures' literal placeholders. vpc_config is required by provider 5.100; fixtures that omit it
 * get `vpc_config { subnet_ids = ["subnet-12345"] }` (the block the other EKS fixtures use), which no check here reads.
 */
const base = { name: "example", roleArn: "aws_iam_role.arn" };
const subnets = { subnetIds: ["subnet-12345"] };

describe("CKV_AWS_37 fixtures (EksControlPlaneLogging)", () => {
  // example_EKSControlPlaneLogging/main.tf and the inline confs of test_EKSControlPlaneLogging.py.
  it("detects the failing clusters (5/5) and accepts the passing ones (0/3 flagged)", () => {
    const all = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
    const v = verdicts(EksControlPlaneLogging, (s: TerraformStack) => {
      new EksCluster(s, "fully_enabled", { ...base, vpcConfig: subnets, enabledClusterLogTypes: all });
      // `dynamic "encryption_config"` with for_each = [1] is the one block written out.
      new EksCluster(s, "fully_enabled_with_dynamic_block", {
        ...base, vpcConfig: subnets, enabledClusterLogTypes: all,
        encryptionConfig: { provider: { keyArn: "aws/kms/key" }, resources: ["secrets"] },
      });
      new EksCluster(s, "partially_enabled", { ...base, vpcConfig: subnets, enabledClusterLogTypes: ["api", "audit"] });
      new EksCluster(s, "not_configured", { ...base, vpcConfig: subnets });
      new EksCluster(s, "test_failure", { ...base, name: "testcluster", vpcConfig: subnets, enabledClusterLogTypes: ["api", "audit"] });
      new EksCluster(s, "test_failure_empty", { ...base, name: "testcluster", vpcConfig: subnets });
      new EksCluster(s, "test_failure_not_enabled", { ...base, name: "testcluster", vpcConfig: subnets, enabledClusterLogTypes: [] });
      new EksCluster(s, "test_success", { ...base, name: "testcluster", vpcConfig: subnets, enabledClusterLogTypes: all });
    });
    expect(misses(v,
      ["partially_enabled", "not_configured", "test_failure", "test_failure_empty", "test_failure_not_enabled"],
      ["fully_enabled", "fully_enabled_with_dynamic_block", "test_success"],
    )).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_39 fixtures (EksPrivateEndpoint)", () => {
  // example_EKSPublicAccess/main.tf
  it("detects the failing clusters (2/2) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(EksPrivateEndpoint, (s) => {
      new EksCluster(s, "disabled", { ...base, vpcConfig: { ...subnets, endpointPublicAccess: false } });
      new EksCluster(s, "default", { ...base, vpcConfig: subnets });
      new EksCluster(s, "enabled", { ...base, vpcConfig: { ...subnets, endpointPublicAccess: true } });
    });
    expect(misses(v, ["default", "enabled"], ["disabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_38 fixtures (EksPublicEndpointRestricted)", () => {
  // example_EKSPublicAccessCIDR/main.tf
  it("detects the failing clusters (3/3) and accepts the passing ones (0/2 flagged)", () => {
    const v = verdicts(EksPublicEndpointRestricted, (s) => {
      new EksCluster(s, "disabled", { ...base, vpcConfig: { ...subnets, endpointPublicAccess: false } });
      new EksCluster(s, "restricted", { ...base, vpcConfig: { ...subnets, publicAccessCidrs: ["10.0.0.0/16"] } });
      new EksCluster(s, "default", { ...base, vpcConfig: subnets });
      new EksCluster(s, "empty", { ...base, vpcConfig: { ...subnets, publicAccessCidrs: [] } });
      new EksCluster(s, "open", { ...base, vpcConfig: { ...subnets, publicAccessCidrs: ["0.0.0.0/0"] } });
    });
    expect(misses(v, ["default", "empty", "open"], ["disabled", "restricted"])).toEqual({ undetected: [], flagged: [] });
    // The private-only cluster is outside the rule's scope rather than compliant.
    expect(v.disabled).toBe("not-applicable");
  });
});

describe("CKV_AWS_58 fixtures (EksSecretsEncryption)", () => {
  // Inline resource_conf dicts of test_EKSSecretsEncryption.py (role_arn/key_arn were ${var.*}; subnet_ids were empty lists).
  it("detects the failing clusters (2/2) and accepts the passing one (0/1 flagged)", () => {
    const vpc = { subnetIds: [], endpointPublicAccess: true };
    const v = verdicts(EksSecretsEncryption, (s) => {
      new EksCluster(s, "test_failure", { name: "bad-eks", roleArn: "role", vpcConfig: vpc, encryptionConfig: { provider: { keyArn: "key" }, resources: [] } });
      new EksCluster(s, "test_failure2", { name: "bad-eks2", roleArn: "role", vpcConfig: vpc });
      new EksCluster(s, "test_success", { name: "good-eks2", roleArn: "role", vpcConfig: vpc, encryptionConfig: { provider: { keyArn: "key" }, resources: ["secrets"] } });
    });
    expect(misses(v, ["test_failure", "test_failure2"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_100 fixtures (EksNodeGroupNoOpenSsh)", () => {
  // Inline HCL of test_EKSNodeGroupRemoteAccess.py; `source_security_group_ids = "some-group"` (a string where provider 5.100 has a set) is written as ["some-group"].
  it("detects the failing node group (1/1) and accepts the passing ones (0/2 flagged)", () => {
    const ng = { clusterName: "example", nodeGroupName: "example", nodeRoleArn: "role", subnetIds: ["subnet-1"], scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 } };
    const v = verdicts(EksNodeGroupNoOpenSsh, (s) => {
      new EksNodeGroup(s, "test_failure", { ...ng, remoteAccess: { ec2SshKey: "some-key" } });
      new EksNodeGroup(s, "test_success", { ...ng, remoteAccess: { ec2SshKey: "some-key", sourceSecurityGroupIds: ["some-group"] } });
      new EksNodeGroup(s, "test_success_implicit", ng);
    });
    expect(misses(v, ["test_failure"], ["test_success", "test_success_implicit"])).toEqual({ undetected: [], flagged: [] });
  });
});
