import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { isLiteralString, shown } from "../private/attributes";

/*
 * EKS on a supported Kubernetes version. Source: bridgecrewio/checkov@03d5fdad
 * checkov/terraform/checks/resource/aws/EKSPlatformVersion.py (CKV_AWS_339), whose list of versions is copied here. checkov cites
 * NIST.800-53.r5 CA-9(1), CM-2, SI-2, SI-2(2), SI-2(4), SI-2(5) in that file. Update the list as EKS releases and retires versions
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html).
 */

/** The Kubernetes versions checkov@03d5fdad accepts. */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"];

/** EKS clusters run a Kubernetes version that still receives patches. */
export const EksSupportedVersion = {
  id: "EksSupportedVersion",
  description: `EKS clusters set version to a supported Kubernetes version (${SUPPORTED_EKS_VERSIONS.join(", ")}).`,
  explanation:
    "A Kubernetes minor version past the end of its support gets no security fixes, and EKS either charges extended support for it or " +
    "upgrades the control plane on its own schedule. Unset, EKS picks its default at create time, which a later plan then drifts from.",
  resourceTypes: ["aws_eks_cluster"],
  checkov: ["CKV_AWS_339"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.version;
    // checkov passes a missing version (missing_block_result = PASSED): EKS then creates its current default.
    if (v === undefined || v === null) return Outcome.compliant();
    if (isLiteralString(v) && SUPPORTED_EKS_VERSIONS.includes(v.trim())) return Outcome.compliant();
    return Outcome.nonCompliant(`version is ${shown(v)}, not one of the supported Kubernetes versions ${SUPPORTED_EKS_VERSIONS.join(", ")}; upgrade the cluster (one minor version at a time).`);
  },
} as const satisfies ComplianceRule;

/** Rules over EKS versions. */
export const EKS_VERSION_RULES = [EksSupportedVersion] as const satisfies readonly ComplianceRule[];
