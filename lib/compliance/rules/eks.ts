import { GpuCatalog } from "../../planning/gpu-catalog";
import { ComplianceRule, Outcome, ResourceView, RuleOutcome } from "../rule-model";
import { Block, block, blocks, isFalse, isOne, isReference, isSet, isTrue, launchTemplateOf, shown } from "../private/attributes";

/* Rules over EKS clusters and managed node groups. */


/** The five control-plane log types; together they are the audit trail of the Kubernetes API. */
const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The cluster's endpoint settings; vpc_config is required, but a missing block reads as the provider defaults. */
const vpcConfigOf = (resource: ResourceView): Block => block(resource.config.vpc_config) ?? {};

/** The Kubernetes API leaves an audit trail. */
export const EksControlPlaneLogging = {
  id: "EksControlPlaneLogging",
  description: "The cluster sends all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) to CloudWatch Logs.",
  explanation:
    "The audit and authenticator logs record who did what through the Kubernetes API, which CloudTrail does not see; "
    + "api, controllerManager and scheduler logs explain failures. Without them there is no record of access to workloads and secrets.",
  resourceTypes: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_37"],
  cdkNag: ["AwsSolutions-EKS2"],
  evaluate: ({ resource }): RuleOutcome => {
    const types = resource.config.enabled_cluster_log_types;
    if (isReference(types)) {
      return Outcome.nonCompliant(`enabled_cluster_log_types is ${shown(types)}; list ${CONTROL_PLANE_LOG_TYPES.join(", ")} literally`);
    }
    const enabled = Array.isArray(types) ? types : [];
    const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
    if (missing.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `enabled_cluster_log_types ${enabled.length ? "lacks" : "is unset, so no control-plane logs are kept: missing"} ${missing.join(", ")}; `
      + `set enabled_cluster_log_types = [${CONTROL_PLANE_LOG_TYPES.map((t) => `"${t}"`).join(", ")}]`,
    );
  },
} as const satisfies ComplianceRule;

/** The Kubernetes API is reachable from the VPC only. */
export const EksPrivateEndpoint = {
  id: "EksPrivateEndpoint",
  description: "The Kubernetes API endpoint is private only (vpc_config.endpoint_public_access = false).",
  explanation:
    "A public endpoint exposes the API server to the internet, where credential stuffing and any unpatched API-server flaw can be tried against it. "
    + "A private endpoint is reachable only from the VPC and networks connected to it.",
  resourceTypes: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_39"],
  cdkNag: ["AwsSolutions-EKS1"],
  evaluate: ({ resource }): RuleOutcome => {
    const vpc = vpcConfigOf(resource);
    if (isFalse(vpc.endpoint_public_access)) return Outcome.compliant();
    return Outcome.nonCompliant(
      `vpc_config.endpoint_public_access is ${shown(vpc.endpoint_public_access, "unset (the provider default true makes the API public)")}; `
      + "set it to false with endpoint_private_access = true, and reach the API from inside the VPC (VPN, CI runners in the VPC)",
    );
  },
} as const satisfies ComplianceRule;

/** A public Kubernetes API, where allowed, admits listed networks only. */
export const EksPublicEndpointRestricted = {
  id: "EksPublicEndpointRestricted",
  description: "When the Kubernetes API endpoint is public, only listed CIDRs may reach it (vpc_config.public_access_cidrs without 0.0.0.0/0 or ::/0).",
  explanation:
    "An EKS public endpoint without public_access_cidrs admits 0.0.0.0/0. Limiting it to known networks (VPN egress, CI) "
    + "keeps the API server out of reach of internet-wide scanning and credential attacks.",
  resourceTypes: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_38"],
  evaluate: ({ resource }): RuleOutcome => {
    const vpc = vpcConfigOf(resource);
    if (isFalse(vpc.endpoint_public_access)) return Outcome.notApplicable();
    const cidrs = vpc.public_access_cidrs;
    // A reference counts as set; its value is checked where it is defined.
    if (isReference(cidrs)) return Outcome.compliant();
    const list = Array.isArray(cidrs) ? cidrs.map(String) : [];
    if (list.length === 0) {
      return Outcome.nonCompliant(
        "vpc_config.public_access_cidrs is unset, so the public endpoint admits 0.0.0.0/0; "
        + "list the CIDRs that need the API (e.g. your VPN egress) in public_access_cidrs, or set endpoint_public_access = false",
      );
    }
    // Any /0 covers every address, whatever its base.
    const open = list.filter((c) => /\/0$/.test(c.trim()));
    if (open.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `vpc_config.public_access_cidrs contains ${open.join(", ")}, which admits every address; `
      + "list only the CIDRs that need the API (e.g. your VPN egress), or set endpoint_public_access = false",
    );
  },
} as const satisfies ComplianceRule;

/** Kubernetes secrets are envelope-encrypted with a KMS key. */
export const EksSecretsEncryption = {
  id: "EksSecretsEncryption",
  description: "Kubernetes secrets are envelope-encrypted with a KMS key (encryption_config.resources includes \"secrets\", provider.key_arn set).",
  explanation:
    "Without envelope encryption, secrets sit in etcd protected only by EKS's volume encryption; anyone who reads an etcd backup reads them. "
    + "A KMS key adds a second layer whose use is logged in CloudTrail and can be revoked.",
  resourceTypes: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_58"],
  evaluate: ({ resource }): RuleOutcome => {
    const fix = "set encryption_config { resources = [\"secrets\"], provider { key_arn = <KMS key ARN> } }";
    const configs = blocks(resource.config.encryption_config);
    if (configs.length === 0) return Outcome.nonCompliant(`encryption_config is unset, so Kubernetes secrets are not envelope-encrypted; ${fix}`);
    const forSecrets = configs.find((c) => Array.isArray(c.resources) && c.resources.includes("secrets"));
    if (!forSecrets) {
      return Outcome.nonCompliant(`encryption_config.resources is ${shown(configs[0].resources)}, without "secrets"; ${fix}`);
    }
    const key = block(forSecrets.provider)?.key_arn;
    if (isSet(key)) return Outcome.compliant();
    return Outcome.nonCompliant(`encryption_config.provider.key_arn is unset; ${fix}`);
  },
} as const satisfies ComplianceRule;

/** Who may use the cluster is decided by IAM-audited access entries alone. */
export const EksApiAuthentication = {
  id: "EksApiAuthentication",
  description: "Cluster access is granted only through EKS access entries (access_config.authentication_mode = \"API\"), with no implicit admin for the creator.",
  explanation:
    "The aws-auth ConfigMap (CONFIG_MAP, API_AND_CONFIG_MAP) can be edited by anyone with Kubernetes write access to kube-system and is invisible to IAM and CloudTrail; "
    + "access entries are AWS resources, managed and audited like IAM. bootstrap_cluster_creator_admin_permissions gives the creating principal an invisible, "
    + "permanent cluster-admin. Note that EKS changes the mode one step at a time (CONFIG_MAP, API_AND_CONFIG_MAP, API) and that changing the bootstrap flag replaces the cluster.",
  resourceTypes: ["aws_eks_cluster"],
  evaluate: ({ resource }): RuleOutcome => {
    const access = block(resource.config.access_config) ?? {};
    const gaps: string[] = [];
    if (access.authentication_mode !== "API") {
      gaps.push(`access_config.authentication_mode is ${shown(access.authentication_mode, "unset (EKS default \"CONFIG_MAP\")")}; set it to "API"`);
    }
    const bootstrap = access.bootstrap_cluster_creator_admin_permissions;
    if (!isFalse(bootstrap)) {
      gaps.push(`access_config.bootstrap_cluster_creator_admin_permissions is ${shown(bootstrap, "unset (the EKS API default is true)")}; set it to false and grant administrators through access entries`);
    }
    return gaps.length === 0 ? Outcome.compliant() : Outcome.nonCompliant(gaps.join("; "));
  },
} as const satisfies ComplianceRule;

/** Node SSH, if any, is limited to named security groups. */
export const EksNodeGroupNoOpenSsh = {
  id: "EksNodeGroupNoOpenSsh",
  description: "A node group with an SSH key limits SSH to listed security groups (remote_access.source_security_group_ids).",
  explanation:
    "When remote_access names an SSH key but no source security groups, EKS opens port 22 on every node to 0.0.0.0/0. "
    + "Prefer no SSH at all (SSM Session Manager); otherwise name the security groups that may connect.",
  resourceTypes: ["aws_eks_node_group"],
  checkov: ["CKV_AWS_100"],
  evaluate: ({ resource }): RuleOutcome => {
    const remote = block(resource.config.remote_access);
    if (!remote || !isSet(remote.ec2_ssh_key)) return Outcome.notApplicable();
    if (isSet(remote.source_security_group_ids)) return Outcome.compliant();
    return Outcome.nonCompliant(
      "remote_access.ec2_ssh_key is set without remote_access.source_security_group_ids, so EKS opens SSH (port 22) on the nodes to 0.0.0.0/0; "
      + "set source_security_group_ids to the security groups that may connect, or remove remote_access and use SSM Session Manager",
    );
  },
} as const satisfies ComplianceRule;

/** Why a node group runs GPU nodes, or undefined when it does not (as far as synth-time values tell). */
function gpuEvidence(config: Block): string | undefined {
  const ami = config.ami_type;
  if (typeof ami === "string" && /NVIDIA|GPU/i.test(ami)) return `ami_type ${ami}`;
  const types = Array.isArray(config.instance_types) ? config.instance_types.filter((t): t is string => typeof t === "string") : [];
  // A size the catalog does not list yet still belongs to a GPU family.
  const gpu = types.filter((t) => GpuCatalog.find(t) !== undefined || GpuCatalog.families().includes(t.split(".")[0]));
  return gpu.length > 0 ? `instance_types ${gpu.join(", ")}` : undefined;
}

/** GPU nodes carry the launch-template hardening that EKS's default template lacks. */
export const GpuNodeGroupHardened = {
  id: "GpuNodeGroupHardened",
  description: "GPU node groups launch from a launch template of the stack with IMDSv2 only, IMDS hop limit 1 and encrypted EBS volumes.",
  explanation:
    "GPU nodes hold the most valuable data of an inference platform: model weights and caches on their volumes, and a node role that can pull images and attach volumes. "
    + "A node group without a launch template (disk_size only) gets EKS's default template, which this stack cannot harden: "
    + "volume encryption is left to the account default and pods may reach the node's metadata credentials.",
  resourceTypes: ["aws_eks_node_group"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    // With a custom AMI the instance type may live only in the launch template.
    const ltRef = block(resource.config.launch_template);
    const lt = launchTemplateOf(stack, ltRef);
    const evidence = gpuEvidence(resource.config) ?? (lt && typeof lt.config.instance_type === "string" ? gpuEvidence({ instance_types: [lt.config.instance_type] })?.replace("instance_types", "launch template instance_type") : undefined);
    if (!evidence) return Outcome.notApplicable();
    const fix = "launch template with metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 } and ebs.encrypted = true on every block_device_mappings (GpuNodePool builds one)";
    const ref = block(resource.config.launch_template);
    if (!ref) {
      const disk = resource.config.disk_size !== undefined ? ` (disk_size ${shown(resource.config.disk_size)} only)` : "";
      return Outcome.nonCompliant(`GPU node group (${evidence}) sets no launch_template${disk}, so its nodes run on EKS's default template; set launch_template to a ${fix}`);
    }
    const template = launchTemplateOf(stack, ref);
    if (!template) {
      return Outcome.nonCompliant(
        `GPU node group (${evidence}) sets launch_template ${shown(ref.id ?? ref.name)}, which is no aws_launch_template of this stack, so its hardening cannot be checked; `
        + `use a ${fix}`,
      );
    }
    const gaps: string[] = [];
    const metadata = block(template.config.metadata_options);
    if (metadata?.http_tokens !== "required") gaps.push(`metadata_options.http_tokens is ${shown(metadata?.http_tokens)} (must be "required")`);
    if (!isOne(metadata?.http_put_response_hop_limit)) gaps.push(`metadata_options.http_put_response_hop_limit is ${shown(metadata?.http_put_response_hop_limit)} (must be 1)`);
    const volumes = blocks(template.config.block_device_mappings)
      .map((m, i) => ({ device: typeof m.device_name === "string" ? m.device_name : `#${i}`, ebs: block(m.ebs) }))
      .filter((m): m is { device: string; ebs: Block } => m.ebs !== undefined);
    if (volumes.length === 0) gaps.push("block_device_mappings declares no EBS volume, so encryption is left to the account default (declare the volumes with ebs.encrypted = true)");
    const plain = volumes.filter((v) => !isTrue(v.ebs.encrypted)).map((v) => v.device);
    if (plain.length > 0) gaps.push(`block_device_mappings ${plain.join(", ")} ${plain.length === 1 ? "is" : "are"} not encrypted (ebs.encrypted must be true)`);
    if (gaps.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(`GPU node group (${evidence}) launches from ${template.address}, whose ${gaps.join("; ")}; fix the launch template`);
  },
} as const satisfies ComplianceRule;

/** The EKS rules, in the order reports list them. */
export const EKS_RULES = [
  EksControlPlaneLogging,
  EksPrivateEndpoint,
  EksPublicEndpointRestricted,
  EksSecretsEncryption,
  EksApiAuthentication,
  EksNodeGroupNoOpenSsh,
  GpuNodeGroupHardened,
] as const satisfies readonly ComplianceRule[];
