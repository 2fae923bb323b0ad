import { show } from "../../private/validation";
import { ComplianceRule, Outcome } from "../rule-model";
import { block, isTrue } from "../private/attributes";
import { isPublicAllow, readPolicyStatements, statementName } from "../private/policy";

/** Tags cannot be moved to other images. */
export const EcrImmutableTags = {
  id: "EcrImmutableTags",
  description: "ECR repositories have immutable image tags.",
  explanation:
    "With mutable tags anyone who can push may replace the image behind a tag that a deployment already trusts " +
    "(e.g. \"v1.2\"); immutable tags make a tag name one image for good, so what was scanned and approved is what runs.",
  resourceTypes: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_51"],
  evaluate: ({ resource }) => {
    const v = resource.config.image_tag_mutability;
    if (v === "IMMUTABLE") return Outcome.compliant();
    return Outcome.nonCompliant(`image_tag_mutability is ${v === undefined ? "unset (default \"MUTABLE\")" : show(v)}; set image_tag_mutability = "IMMUTABLE".`);
  },
} as const satisfies ComplianceRule;

/** Images are scanned for vulnerabilities when pushed. */
export const EcrScanOnPush = {
  id: "EcrScanOnPush",
  description: "ECR repositories scan images for vulnerabilities on push.",
  explanation: "Scanning on push reports known CVEs in an image before it is deployed, not after.",
  resourceTypes: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_163"],
  evaluate: ({ resource }) => {
    const v = block(resource.config.image_scanning_configuration)?.scan_on_push;
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`image_scanning_configuration.scan_on_push is ${v === undefined ? "unset" : show(v)}; set image_scanning_configuration { scan_on_push = true }.`);
  },
} as const satisfies ComplianceRule;

/** Images are encrypted under a KMS key. */
export const EcrKmsEncryption = {
  id: "EcrKmsEncryption",
  description: "ECR repositories encrypt images with KMS.",
  explanation:
    "KMS encryption puts image layers (which may embed model weights and code) behind a key policy and audits every " +
    "decryption in CloudTrail; the default AES256 encryption does neither.",
  resourceTypes: ["aws_ecr_repository"],
  checkov: ["CKV_AWS_136"],
  evaluate: ({ resource }) => {
    const v = block(resource.config.encryption_configuration)?.encryption_type;
    if (v === "KMS") return Outcome.compliant();
    return Outcome.nonCompliant(`encryption_configuration.encryption_type is ${v === undefined ? "unset (default \"AES256\")" : show(v)}; set encryption_configuration { encryption_type = "KMS", kms_key = a customer-managed key ARN }.`);
  },
} as const satisfies ComplianceRule;

/** The repository is not open to everyone. */
export const EcrRepositoryPolicyNoPublic = {
  id: "EcrRepositoryPolicyNoPublic",
  description: "ECR repository policies have no Allow statement for the wildcard principal \"*\" unless a principal-scoping condition (aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, ...) confines it.",
  explanation:
    "An Allow for Principal \"*\" lets any AWS account pull (or, with write actions, push over) the repository's images, " +
    "exposing code and model weights and opening the supply chain.",
  resourceTypes: ["aws_ecr_repository_policy"],
  checkov: ["CKV_AWS_32"],
  cdkNag: ["AwsSolutions-ECR1"],
  evaluate: ({ resource, stack }) => {
    const statements = readPolicyStatements(stack, resource.config.policy);
    if (!statements) {
      return Outcome.nonCompliant("policy is not a JSON policy document this rule can read (e.g. a variable, or jsonencode() of values known only at apply), so its principals cannot be checked; give policy as JSON text, or suppress this finding with a reason.");
    }
    const open = statements.filter(isPublicAllow);
    if (open.length === 0) return Outcome.compliant();
    const names = open.map((s) => statementName(s, statements.indexOf(s))).join(", ");
    return Outcome.nonCompliant(`policy allows Principal "*" in statement ${names}; name the accounts or roles that may pull instead, or confine the statement with aws:PrincipalOrgID or aws:PrincipalAccount.`);
  },
} as const satisfies ComplianceRule;

/** Rules for ECR repositories. */
export const ECR_RULES = [EcrImmutableTags, EcrScanOnPush, EcrKmsEncryption, EcrRepositoryPolicyNoPublic] as const satisfies readonly ComplianceRule[];
