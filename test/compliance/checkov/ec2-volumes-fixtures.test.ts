import { EbsVolume } from "@cdktf/provider-aws/lib/ebs-volume";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchConfiguration } from "@cdktf/provider-aws/lib/launch-configuration";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { TerraformVariable } from "cdktf";
import { LaunchTemplateEncryptedVolumes, LaunchTemplateImdsv2 } from "../../../lib/compliance/rules/ec2";
import { SubnetNoPublicIp } from "../../../lib/compliance/rules/vpc";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures:
 *   tests/terraform/checks/resource/aws/example_IMDSv1Disabled/main.tf (CKV_AWS_79),
 *   example_EBSEncryption/aws_ebs_volume.tf (CKV_AWS_3), example_LaunchConfigurationEBSEncryption/main.tf (CKV_AWS_8),
 *   test_SubnetPublicIP.py (CKV_AWS_130, inline confs).
 * Provider 5.100 requires `ami`/`instance_type` on aws_instance and `image_id`/`instance_type` on aws_launch_configuration:
 * literals are given where the fixtures leave them out, use variables, or write `image_id` on an instance.
 */
const instance = { ami: "ami-123", instanceType: "t2.micro" };
const lc = { imageId: "ami-123", instanceType: "t2.micro" };

describe("CKV_AWS_79 fixtures (LaunchTemplateImdsv2)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(LaunchTemplateImdsv2, (s) => {
      new Instance(s, "defaults", { ...instance, metadataOptions: {} });
      new Instance(s, "optional_token", { ...instance, metadataOptions: { httpEndpoint: "enabled", httpPutResponseHopLimit: 1, httpTokens: "optional" } });
      new Instance(s, "disabled", { ...instance, metadataOptions: { httpEndpoint: "disabled" } });
      new Instance(s, "required", { ...instance, metadataOptions: { httpTokens: "required" } });
      new LaunchConfiguration(s, "required_lc", { ...lc, metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } });
      new LaunchConfiguration(s, "optional_lc", { ...lc, metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional" } });
      new LaunchTemplate(s, "optional_lt", { metadataOptions: { httpTokens: "optional" } });
      new LaunchTemplate(s, "default_lt", { metadataOptions: { httpEndpoint: "enabled" } });
    });
  });

  it("detects every failing fixture (5/5) and flags no passing one (0/3)", () => {
    const failing = ["defaults", "optional_token", "optional_lc", "optional_lt", "default_lt"];
    expect(misses(v, failing, ["required", "required_lc", "disabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_3 fixtures (LaunchTemplateEncryptedVolumes on aws_ebs_volume)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(LaunchTemplateEncryptedVolumes, (s) => {
      const volume = { availabilityZone: "us-west-2a", size: 20 };
      new EbsVolume(s, "enabled", { ...volume, encrypted: true });
      new EbsVolume(s, "default", volume);
      new EbsVolume(s, "disabled", { ...volume, encrypted: false });
    });
  });

  it("detects both failing fixtures (2/2) and flags no passing one (0/1)", () => {
    expect(misses(v, ["default", "disabled"], ["enabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_8 fixtures (LaunchTemplateEncryptedVolumes on instances and launch configurations)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(LaunchTemplateEncryptedVolumes, (s) => {
      const encrypted = new TerraformVariable(s, "encrypted", { type: "bool", default: true, description: "Root block device encryption" });
      const ebs = (enc: boolean) => [{ volumeType: "gp2", volumeSize: 20, deviceName: "/dev/xvdb", encrypted: enc }];
      new Instance(s, "fail", { ...instance, rootBlockDevice: { encrypted: false } });
      new Instance(s, "fail2", { ...instance, rootBlockDevice: {} });
      new Instance(s, "fail3", { ...instance, keyName: "key", rootBlockDevice: { volumeType: "gp2", volumeSize: 20, encrypted: true }, ebsBlockDevice: ebs(false) });
      new Instance(s, "fail4", { ...instance, keyName: "key", ebsBlockDevice: ebs(false) });
      new Instance(s, "fail5", { ...instance, keyName: "key" });
      // `root_block_device = var.empty_list` (no root block device): written as none.
      new Instance(s, "fail_empty_root_list", instance);
      new Instance(s, "pass", { ...instance, keyName: "key", rootBlockDevice: { volumeType: "gp2", volumeSize: 20 } });
      new Instance(s, "pass2", { ...instance, keyName: "key", rootBlockDevice: { volumeType: "gp2", volumeSize: 20, encrypted: true } });
      new Instance(s, "pass3", { ...instance, keyName: "key", ebsBlockDevice: ebs(true), rootBlockDevice: { volumeType: "gp2", volumeSize: 20, encrypted: true } });
      const elk = { ...lc, namePrefix: "elk", associatePublicIpAddress: false, lifecycle: { createBeforeDestroy: true }, metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } };
      new LaunchConfiguration(s, "lc_pass", { ...elk, rootBlockDevice: { encrypted: encrypted.booleanValue } });
      new LaunchConfiguration(s, "lc_pass2", { ...elk, rootBlockDevice: { encrypted: encrypted.booleanValue }, ephemeralBlockDevice: [{ deviceName: "somedisk", virtualName: "fred" }] });
      new LaunchConfiguration(s, "lc_fail", { ...elk, rootBlockDevice: { encrypted: false } });
    });
  });

  it("detects every failing fixture (7/7)", () => {
    const failing = ["fail", "fail2", "fail3", "fail4", "fail5", "fail_empty_root_list", "lc_fail"];
    expect(misses(v, failing, []).undetected).toEqual([]);
  });

  it("accepts pass2 and pass3; flags `pass` (a root volume from snapshot_id, which checkov assumes encrypted) and the two launch configurations whose `encrypted` is a variable (3/5, deliberately: neither is known encrypted at synth)", () => {
    expect(misses(v, [], ["pass", "pass2", "pass3", "lc_pass", "lc_pass2"]).flagged).toEqual(["pass", "lc_pass", "lc_pass2"]);
  });
});

describe("CKV_AWS_130 fixtures (SubnetNoPublicIp)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(SubnetNoPublicIp, (s) => {
      const subnet = { vpcId: "${aws_vpc.main.id}", cidrBlock: "10.0.1.0/24" };
      new Subnet(s, "test_failure", { ...subnet, mapPublicIpOnLaunch: true });
      new Subnet(s, "test_success", subnet);
      new Subnet(s, "test_success_implicit", { ...subnet, mapPublicIpOnLaunch: false });
    });
  });

  it("detects the failing fixture (1/1) and flags no passing one (0/2)", () => {
    expect(misses(v, ["test_failure"], ["test_success", "test_success_implicit"])).toEqual({ undetected: [], flagged: [] });
  });
});
