import { ComplianceRule, Outcome } from "../rule-model";
import { isSet } from "../private/attributes";

/** Endpoint storage is encrypted under a customer-managed key. */
export const SageMakerEndpointConfigKms = {
  id: "SageMakerEndpointConfigKms",
  description: "SageMaker endpoint configurations encrypt the endpoint's ML storage volumes with a KMS key.",
  explanation:
    "Endpoint instances keep the model artifacts and, for async inference, request and response data on attached " +
    "storage; a customer-managed key puts that data behind a key policy and audits its use. SageMaker refuses kms_key_arn " +
    "when a variant runs on an instance type with local instance storage (e.g. ml.g5, ml.p4d), whose NVMe volumes are " +
    "hardware-encrypted: suppress the finding for those configurations with that reason.",
  resourceTypes: ["aws_sagemaker_endpoint_configuration"],
  checkov: ["CKV_AWS_98"],
  cdkNag: ["SageMakerEndpointConfigurationKMSKeyConfigured"],
  evaluate: ({ resource }) => {
    if (isSet(resource.config.kms_key_arn)) return Outcome.compliant();
    return Outcome.nonCompliant("kms_key_arn is unset; set kms_key_arn to a customer-managed KMS key ARN so that the endpoint's storage volumes are encrypted under it.");
  },
} as const satisfies ComplianceRule;

/** Rules for SageMaker. */
export const SAGEMAKER_RULES = [SageMakerEndpointConfigKms] as const satisfies readonly ComplianceRule[];
