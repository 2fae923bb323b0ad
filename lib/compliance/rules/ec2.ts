import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { Block, block, blocks, isOne, isReference, isTrue, launchTemplateOf, shown } from "../private/attributes";

/*
 * Rules over EC2 launch templates (and instances, for IMDSv2): the node hardening an EKS managed
 * node group takes from its launch template.
 */


/**
 * The metadata options that apply to a resource: its own block or, for an instance without one,
 * those of the stack's launch template it is launched from (as cdk-nag resolves them).
 */
function metadataOptionsOf(resource: ResourceView, stack: StackView): { options?: Block; from: string } {
  const own = block(resource.config.metadata_options);
  if (own || resource.type !== "aws_instance") return { options: own, from: "metadata_options" };
  // An instance launched from a template takes the template's metadata options unless it sets its own.
  const template = launchTemplateOf(stack, block(resource.config.launch_template));
  if (!template) return { options: undefined, from: "metadata_options" };
  return { options: block(template.config.metadata_options), from: `metadata_options of launch template ${template.address}` };
}

/** IMDSv2 only: a request forged through the instance cannot read its credentials. */
export const LaunchTemplateImdsv2 = {
  id: "LaunchTemplateImdsv2",
  description: "Instances require IMDSv2 session tokens (metadata_options.http_tokens = \"required\") or have the metadata endpoint disabled.",
  explanation:
    "IMDSv1 answers any GET request, so a server-side request forgery or an open proxy on the instance leaks the instance role's credentials. "
    + "IMDSv2 requires a session token obtained with a PUT, which such requests cannot make.",
  // checkov CKV_AWS_79 judges the same three types (checkov@03d5fdad:checkov/terraform/checks/resource/aws/IMDSv1Disabled.py).
  resourceTypes: ["aws_launch_template", "aws_instance", "aws_launch_configuration"],
  checkov: ["CKV_AWS_79"],
  cdkNag: ["EC2IMDSv2Enabled"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const { options, from } = metadataOptionsOf(resource, stack);
    if (options?.http_tokens === "required" || options?.http_endpoint === "disabled") return Outcome.compliant();
    return Outcome.nonCompliant(
      `${from}.http_tokens is ${shown(options?.http_tokens, "unset (the EC2 default \"optional\" accepts IMDSv1)")}; `
      + "set metadata_options { http_tokens = \"required\" } (or http_endpoint = \"disabled\" when nothing on the instance reads instance metadata)",
    );
  },
} as const satisfies ComplianceRule;

/** Hop limit 1: containers (one network hop further) cannot reach the node's metadata endpoint. */
export const LaunchTemplateImdsHopLimit = {
  id: "LaunchTemplateImdsHopLimit",
  description: "Instance metadata responses are limited to one network hop (metadata_options.http_put_response_hop_limit = 1).",
  explanation:
    "With a hop limit above 1, IMDSv2 token responses reach containers and pods behind the node's network namespace, "
    + "which then read the node role's credentials. Pods get AWS credentials through EKS Pod Identity or IRSA instead. "
    + "Unlike checkov's CKV_AWS_341 (checkov@03d5fdad:checkov/terraform/checks/resource/aws/LaunchTemplateMetadataHop.py, which passes a "
    + "missing value), an unset hop limit is reported: AMIs registered with ImdsSupport v2.0 (AL2023, Bottlerocket) default to 2.",
  // The types checkov's CKV_AWS_341 judges; both carry the same metadata_options block.
  resourceTypes: ["aws_launch_template", "aws_launch_configuration"],
  checkov: ["CKV_AWS_341"],
  evaluate: ({ resource }): RuleOutcome => {
    const options = block(resource.config.metadata_options);
    // No endpoint, nothing to reach.
    if (options?.http_endpoint === "disabled") return Outcome.compliant();
    const hops = options?.http_put_response_hop_limit;
    if (isOne(hops)) return Outcome.compliant();
    return Outcome.nonCompliant(
      `metadata_options.http_put_response_hop_limit is ${shown(hops, "unset (EC2 then uses 1, or 2 for AMIs registered with ImdsSupport v2.0)")}; `
      + "set it to 1 so that containers on the instance cannot reach its metadata endpoint",
    );
  },
} as const satisfies ComplianceRule;

/** The EBS block devices of an instance or launch configuration: the root device (unset = the AMI's, unencrypted unless the AMI's snapshot is) and the others. */
function instanceVolumes(resource: ResourceView): Array<{ device: string; encrypted: unknown }> {
  const c = resource.config;
  const root = block(c.root_block_device);
  return [
    { device: "root_block_device", encrypted: root?.encrypted },
    ...blocks(c.ebs_block_device).map((b, i) => ({ device: `ebs_block_device ${typeof b.device_name === "string" ? b.device_name : `#${i}`}`, encrypted: b.encrypted })),
  ];
}

/** Volumes and node disks hold container images, model weights and caches: encrypted at rest. */
export const LaunchTemplateEncryptedVolumes = {
  id: "LaunchTemplateEncryptedVolumes",
  description: "Every EBS volume is encrypted: the launch template's block_device_mappings.ebs, an instance's or launch configuration's root and EBS block devices, and aws_ebs_volume.",
  explanation:
    "Unencrypted volumes and their snapshots expose whatever nodes write to disk (container images, model weights, caches, logs) "
    + "to anyone who can read a snapshot or a detached volume. Encrypt them, preferably with a customer-managed KMS key. "
    + "An instance or launch configuration without root_block_device gets the AMI's root volume, unencrypted unless its snapshot is, so it is "
    + "reported as checkov's CKV_AWS_8 does (checkov@03d5fdad:checkov/terraform/checks/resource/aws/LaunchConfigurationEBSEncryption.py); unlike "
    + "checkov, a volume restored from a snapshot_id is not assumed encrypted.",
  resourceTypes: ["aws_launch_template", "aws_instance", "aws_launch_configuration", "aws_ebs_volume"],
  checkov: ["CKV_AWS_3", "CKV_AWS_8"],
  cdkNag: ["AwsSolutions-EC26"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const fix = "set encrypted = true (with kms_key_id = <customer-managed key ARN>)";
    if (resource.type === "aws_ebs_volume") {
      const v = resource.config.encrypted;
      return isTrue(v) ? Outcome.compliant() : Outcome.nonCompliant(`encrypted is ${shown(v, "unset (default false)")}; ${fix}`);
    }
    if (resource.type !== "aws_launch_template") {
      // An instance launched from a launch template of this stack takes its block device mappings from it (the template is judged).
      if (resource.type === "aws_instance" && !block(resource.config.root_block_device) && launchTemplateOf(stack, block(resource.config.launch_template))) {
        return Outcome.notApplicable();
      }
      const plain = instanceVolumes(resource).filter((v) => !isTrue(v.encrypted));
      if (plain.length === 0) return Outcome.compliant();
      return Outcome.nonCompliant(`${plain.map((v) => `${v.device} (encrypted ${shown(v.encrypted)})`).join(", ")} ${plain.length === 1 ? "is" : "are"} not encrypted; ${fix} in each`);
    }
    const volumes = blocks(resource.config.block_device_mappings)
      .map((m, i) => ({ device: typeof m.device_name === "string" ? m.device_name : `#${i}`, ebs: block(m.ebs) }))
      .filter((m): m is { device: string; ebs: Block } => m.ebs !== undefined);
    // No EBS mappings: instance store only, or the AMI's own mappings (the account's EBS default-encryption setting applies).
    if (volumes.length === 0) return Outcome.notApplicable();
    const plain = volumes.filter((v) => !isTrue(v.ebs.encrypted));
    if (plain.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `block_device_mappings ${plain.map((v) => `${v.device} (ebs.encrypted ${shown(v.ebs.encrypted)})`).join(", ")} `
      + `${plain.length === 1 ? "is" : "are"} not encrypted; set ebs { encrypted = "true", kms_key_id = <customer-managed key ARN> } on every mapping`,
    );
  },
} as const satisfies ComplianceRule;

/** Nodes stay in private subnets without public addresses. */
export const LaunchTemplateNoPublicIp = {
  id: "LaunchTemplateNoPublicIp",
  description: "No network interface of a launch template, and no instance, associates a public IP address.",
  explanation:
    "A public address makes an instance reachable from the internet whenever a security group or NACL is too open, "
    + "and bypasses the NAT egress path that flow logs and egress controls watch. An instance without associate_public_ip_address "
    + "takes its subnet's map_public_ip_on_launch, which SubnetNoPublicIp judges (checkov's CKV_AWS_88 passes it too).",
  // The types checkov's CKV_AWS_88 judges (checkov@03d5fdad:checkov/terraform/checks/resource/aws/EC2PublicIP.py).
  resourceTypes: ["aws_launch_template", "aws_instance"],
  checkov: ["CKV_AWS_88"],
  cdkNag: ["EC2InstanceNoPublicIp"],
  evaluate: ({ resource }): RuleOutcome => {
    if (resource.type === "aws_instance") {
      const v = resource.config.associate_public_ip_address;
      if (!isTrue(v) && !isReference(v)) return Outcome.compliant();
      return Outcome.nonCompliant(`associate_public_ip_address is ${shown(v)}, which may give the instance a public IP address; set it to false (or remove it) and launch into a private subnet`);
    }
    const open = blocks(resource.config.network_interfaces)
      .map((n, i) => ({ index: typeof n.device_index === "number" ? n.device_index : i, value: n.associate_public_ip_address }))
      .filter((n) => isTrue(n.value) || isReference(n.value));
    if (open.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `network_interfaces ${open.map((n) => `#${n.index} (associate_public_ip_address ${shown(n.value)})`).join(", ")} `
      + "may give instances a public IP address; set associate_public_ip_address = \"false\" (or remove it) and launch into private subnets",
    );
  },
} as const satisfies ComplianceRule;

/** One-minute metrics, for alarms and autoscaling that react in time. */
export const LaunchTemplateMonitoring = {
  id: "LaunchTemplateMonitoring",
  description: "Instances have detailed (one-minute) CloudWatch monitoring: monitoring.enabled = true on the launch template, monitoring = true on an instance.",
  explanation:
    "Basic monitoring reports every five minutes, too coarse to see a saturated or failing node before users do. "
    + "Detailed monitoring gives one-minute metrics for alarms and incident timelines. checkov's CKV_AWS_126 judges aws_instance.monitoring "
    + "(checkov@03d5fdad:checkov/terraform/checks/resource/aws/EC2DetailedMonitoringEnabled.py); launch templates have no checkov counterpart.",
  resourceTypes: ["aws_launch_template", "aws_instance"],
  checkov: ["CKV_AWS_126"],
  cdkNag: ["EC2InstanceDetailedMonitoringEnabled"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (resource.type === "aws_instance") {
      const own = resource.config.monitoring;
      if (isTrue(own)) return Outcome.compliant();
      // Unset on an instance launched from a template of this stack: the template's monitoring applies, and the template is judged.
      if (own === undefined && launchTemplateOf(stack, block(resource.config.launch_template))) return Outcome.notApplicable();
      return Outcome.nonCompliant(`monitoring is ${shown(own, "unset (basic five-minute monitoring)")}; set monitoring = true`);
    }
    const enabled = block(resource.config.monitoring)?.enabled;
    if (isTrue(enabled)) return Outcome.compliant();
    return Outcome.nonCompliant(`monitoring.enabled is ${shown(enabled, "unset (basic five-minute monitoring)")}; set monitoring { enabled = true }`);
  },
} as const satisfies ComplianceRule;

/** The EC2 rules, in the order reports list them. */
export const EC2_RULES = [
  LaunchTemplateImdsv2,
  LaunchTemplateImdsHopLimit,
  LaunchTemplateEncryptedVolumes,
  LaunchTemplateNoPublicIp,
  LaunchTemplateMonitoring,
] as const satisfies readonly ComplianceRule[];
