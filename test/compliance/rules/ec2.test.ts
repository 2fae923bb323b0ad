import { TerraformStack } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate, LaunchTemplateConfig } from "@cdktf/provider-aws/lib/launch-template";
import { SecureInferenceCluster } from "../../../lib/cluster/secure-inference-cluster";
import {
  EC2_RULES,
  LaunchTemplateEncryptedVolumes,
  LaunchTemplateImdsHopLimit,
  LaunchTemplateImdsv2,
  LaunchTemplateMonitoring,
  LaunchTemplateNoPublicIp,
} from "../../../lib/compliance/rules/ec2";
import { REFERENCE_CLUSTER } from "../../../examples/reference-platform/main";
import { evaluateRule } from "../rule-harness";


const template = (id: string, config: Partial<LaunchTemplateConfig>) => (stack: TerraformStack) => {
  new LaunchTemplate(stack, id, { namePrefix: `${id}-`, ...config });
};

describe("LaunchTemplateImdsv2", () => {
  it("accepts a template that requires IMDSv2 tokens or disables the metadata endpoint", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsv2, (stack) => {
      template("tokens", { metadataOptions: { httpTokens: "required" } })(stack);
      template("off", { metadataOptions: { httpEndpoint: "disabled" } })(stack);
    });
    expect(byId.tokens).toEqual({ status: "compliant" });
    expect(byId.off).toEqual({ status: "compliant" });
  });

  it("rejects a template that leaves http_tokens unset or optional, naming the attribute", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsv2, (stack) => {
      template("unset", {})(stack);
      template("optional", { metadataOptions: { httpTokens: "optional" } })(stack);
    });
    expect(byId.unset.status).toBe("non-compliant");
    expect(byId.unset.message).toMatch(/metadata_options\.http_tokens is unset .*set metadata_options \{ http_tokens = "required" \}/);
    expect(byId.optional.message).toMatch(/http_tokens is "optional"/);
  });

  it("reads metadata_options whether it is synthesized as an object or a one-element array", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsv2, (stack) => {
      new LaunchTemplate(stack, "as-array", { namePrefix: "a-" }).addOverride("metadata_options", [{ http_tokens: "required" }]);
      new LaunchTemplate(stack, "as-array-v1", { namePrefix: "b-" }).addOverride("metadata_options", [{ http_tokens: "optional" }]);
    });
    expect(byId["as-array"]).toEqual({ status: "compliant" });
    expect(byId["as-array-v1"].message).toMatch(/http_tokens is "optional"/);
  });

  it("checks an instance by its own metadata options, or by those of the stack's launch template it launches from", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsv2, (stack) => {
      const hardened = new LaunchTemplate(stack, "hardened", { namePrefix: "h-", metadataOptions: { httpTokens: "required" } });
      new Instance(stack, "from-template", { launchTemplate: { id: hardened.id } });
      new Instance(stack, "own-v2", { ami: "ami-12345678", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" } });
      new Instance(stack, "v1", { ami: "ami-12345678", instanceType: "t3.micro" });
    });
    expect(byId["from-template"]).toEqual({ status: "compliant" });
    expect(byId["own-v2"]).toEqual({ status: "compliant" });
    expect(byId.v1.status).toBe("non-compliant");
    expect(byId.v1.message).toMatch(/http_tokens/);
  });
});

describe("LaunchTemplateImdsHopLimit", () => {
  it("accepts an explicit hop limit of 1", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsHopLimit, template("lt", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } }));
    expect(byId.lt).toEqual({ status: "compliant" });
  });

  it("rejects a hop limit of 2, which lets pods reach node credentials", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsHopLimit, template("lt", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }));
    expect(byId.lt.status).toBe("non-compliant");
    expect(byId.lt.message).toMatch(/metadata_options\.http_put_response_hop_limit is 2; set it to 1/);
  });

  it("requires the hop limit to be set explicitly", () => {
    const { byId } = evaluateRule(LaunchTemplateImdsHopLimit, template("lt", { metadataOptions: { httpTokens: "required" } }));
    expect(byId.lt.status).toBe("non-compliant");
    expect(byId.lt.message).toMatch(/http_put_response_hop_limit is unset/);
  });
});

describe("LaunchTemplateEncryptedVolumes", () => {
  it("accepts a template whose every EBS mapping is encrypted", () => {
    const { byId } = evaluateRule(LaunchTemplateEncryptedVolumes, template("lt", {
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: 8, encrypted: "true" } },
        { deviceName: "/dev/xvdb", ebs: { volumeSize: 100, encrypted: "true", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/abc" } },
      ],
    }));
    expect(byId.lt).toEqual({ status: "compliant" });
  });

  it("rejects a template with an unencrypted volume, naming the device", () => {
    const { byId } = evaluateRule(LaunchTemplateEncryptedVolumes, template("lt", {
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: 8, encrypted: "true" } },
        { deviceName: "/dev/xvdb", ebs: { volumeSize: 100 } },
      ],
    }));
    expect(byId.lt.status).toBe("non-compliant");
    expect(byId.lt.message).toMatch(/block_device_mappings \/dev\/xvdb \(ebs\.encrypted unset\) is not encrypted; set ebs \{ encrypted = "true"/);
    expect(byId.lt.message).not.toMatch(/xvda/);
  });

  it("does not apply to a template without EBS mappings", () => {
    const { byId } = evaluateRule(LaunchTemplateEncryptedVolumes, template("lt", {}));
    expect(byId.lt).toEqual({ status: "not-applicable" });
  });
});

describe("LaunchTemplateNoPublicIp", () => {
  it("accepts interfaces without a public address", () => {
    const { byId } = evaluateRule(LaunchTemplateNoPublicIp, (stack) => {
      template("private", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }] })(stack);
      template("none", {})(stack);
    });
    expect(byId.private).toEqual({ status: "compliant" });
    expect(byId.none).toEqual({ status: "compliant" });
  });

  it("rejects an interface that associates a public IP address", () => {
    const { byId } = evaluateRule(LaunchTemplateNoPublicIp, template("lt", { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] }));
    expect(byId.lt.status).toBe("non-compliant");
    expect(byId.lt.message).toMatch(/network_interfaces #0 \(associate_public_ip_address "true"\).*set associate_public_ip_address = "false"/);
  });
});

describe("LaunchTemplateMonitoring", () => {
  it("accepts detailed monitoring", () => {
    const { byId } = evaluateRule(LaunchTemplateMonitoring, template("lt", { monitoring: { enabled: true } }));
    expect(byId.lt).toEqual({ status: "compliant" });
  });

  it("rejects a template without detailed monitoring", () => {
    const { byId } = evaluateRule(LaunchTemplateMonitoring, (stack) => {
      template("unset", {})(stack);
      template("off", { monitoring: { enabled: false } })(stack);
    });
    expect(byId.unset.status).toBe("non-compliant");
    expect(byId.unset.message).toMatch(/monitoring\.enabled is unset .*set monitoring \{ enabled = true \}/);
    expect(byId.off.message).toMatch(/monitoring\.enabled is false/);
  });
});

describe("SecureInferenceCluster against the EC2 rules", () => {
  it.each(EC2_RULES.map((rule) => [rule.id, rule] as const))("every node launch template complies with %s", (_id, rule) => {
    const { byAddress } = evaluateRule(rule, (stack) => {
      new SecureInferenceCluster(stack, "ml", REFERENCE_CLUSTER);
    });
    const templates = Object.keys(byAddress).filter((a) => a.startsWith("aws_launch_template."));
    // The system pool and the two GPU pools.
    expect(templates).toHaveLength(3);
    const failures = Object.entries(byAddress).filter(([, o]) => o.status === "non-compliant");
    expect(failures).toEqual([]);
    for (const t of templates) expect(byAddress[t].status).toBe("compliant");
  });
});
