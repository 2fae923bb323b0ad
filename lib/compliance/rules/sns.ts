import { ComplianceRule, Outcome, ResourceView, RuleContext, StackView } from "../rule-model";
import { isSet } from "../private/attributes";
import { Statement, deniesInsecureTransport, isPrincipalScoped, isPublicAllow, readPolicyStatements, statementName } from "../private/policy";

/**
 * isPublicAllow, plus an AWS principal ARN whose account is a wildcard (`arn:aws:iam::*:role/sns`: a role of that name in
 * any account), which checkov's CKV_AWS_169 fixtures fail (checkov@03d5fdad:tests/terraform/checks/resource/aws/example_SNSTopicPolicyAnyPrincipal/main.tf, sns_tp3).
 */
const isOpenAllow = (s: Statement): boolean =>
  isPublicAllow(s) || (s.effect === "Allow" && (s.principals.AWS ?? []).some((p) => /^arn:[^:]*:[^:]*:[^:]*:\*/.test(p.trim())) && !isPrincipalScoped(s));

/** SNS topic encrypted with a customer-managed KMS key. */
export const SnsTopicEncrypted = {
  id: "SnsTopicEncrypted",
  description: "The topic encrypts stored messages with a customer-managed KMS key.",
  explanation:
    "Alarm and event notifications carry resource names, account ids and sometimes payload excerpts; without kms_master_key_id SNS " +
    "stores them unencrypted until delivery.",
  resourceTypes: ["aws_sns_topic"],
  checkov: ["CKV_AWS_26"],
  cdkNag: ["SNSEncryptedKMS"],
  evaluate: ({ resource }: RuleContext) =>
    isSet(resource.config.kms_master_key_id)
      ? Outcome.compliant()
      : Outcome.nonCompliant("kms_master_key_id is not set, so messages are stored unencrypted; set kms_master_key_id to a customer-managed KMS key ARN whose policy lets the publishing services (e.g. cloudwatch.amazonaws.com) use it."),
} as const satisfies ComplianceRule;

/** SNS topic policy admits no anonymous or cross-account publisher. */
export const SnsTopicPolicyNoPublic = {
  id: "SnsTopicPolicyNoPublic",
  description: "The topic policy allows no principal \"*\" unless a condition scopes the statement (aws:SourceAccount, aws:SourceArn, aws:SourceOwner, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, ...).",
  explanation:
    "An Allow for principal \"*\" lets any AWS account publish to (or subscribe to, or read) the topic: forged alarms, spam to " +
    "on-call, or leaked notifications. Service principals need the wildcard only together with a source condition.",
  resourceTypes: ["aws_sns_topic_policy"],
  checkov: ["CKV_AWS_169"],
  evaluate: ({ resource, stack }: RuleContext) => {
    const statements = readPolicyStatements(stack, resource.config.policy);
    if (!statements) {
      return Outcome.nonCompliant("policy is not a JSON document or aws_iam_policy_document reference that can be checked (e.g. a variable, or jsonencode() of values known only at apply); write policy as JSON text (PolicyDocument.toJson()), Fn.jsonencode of literal values, or a data.aws_iam_policy_document reference.");
    }
    const open = statements.filter(isOpenAllow);
    if (open.length === 0) return Outcome.compliant();
    const names = open.map((s) => statementName(s, statements.indexOf(s))).join(", ");
    return Outcome.nonCompliant(
      `policy statement ${names} allows principal "*" without a scoping condition, so any AWS account may use the topic; name the principals, or add a condition on aws:SourceAccount, aws:SourceArn, aws:SourceOwner or aws:PrincipalOrgID.`,
    );
  },
} as const satisfies ComplianceRule;

/** True when the statement denies publishing by everyone over plain HTTP. */
const deniesInsecurePublish = (s: Statement): boolean => deniesInsecureTransport(s, ["sns:publish", "sns:*", "*"]);

/** The aws_sns_topic_policy resources of a topic: referenced by arn, or a literal ARN ending in the topic's literal name. */
function topicPolicies(topic: ResourceView, stack: StackView): ResourceView[] {
  const name = topic.config.name;
  return stack
    .ofType("aws_sns_topic_policy")
    .filter((p) => stack.refersTo(p.config.arn, topic) || (typeof name === "string" && name !== "" && typeof p.config.arn === "string" && p.config.arn.endsWith(`:${name}`)));
}

/** SNS topic accepts publishing only over TLS. */
export const SnsTopicTlsOnly = {
  id: "SnsTopicTlsOnly",
  description: "The topic refuses sns:Publish over plain HTTP (a Deny when aws:SecureTransport is false), or is KMS-encrypted.",
  explanation:
    "Without a TLS-only policy a publisher may send messages in clear text over HTTP. SNS encrypted with KMS already refuses " +
    "unencrypted requests, which is why cdk-nag AwsSolutions-SNS3 passes KMS-encrypted topics.",
  resourceTypes: ["aws_sns_topic"],
  cdkNag: ["AwsSolutions-SNS3"],
  evaluate: ({ resource, stack }: RuleContext) => {
    if (isSet(resource.config.kms_master_key_id)) return Outcome.compliant();
    const policies = [resource.config.policy, ...topicPolicies(resource, stack).map((p) => p.config.policy)].filter(isSet);
    if (policies.some((p) => (readPolicyStatements(stack, p) ?? []).some(deniesInsecurePublish))) return Outcome.compliant();
    return Outcome.nonCompliant(
      "kms_master_key_id is not set and no topic policy denies sns:Publish when aws:SecureTransport is false; add an aws_sns_topic_policy statement with Effect Deny, Principal \"*\", Action sns:Publish and Condition Bool aws:SecureTransport = \"false\" (or set kms_master_key_id).",
    );
  },
} as const satisfies ComplianceRule;

/** Every SNS rule. */
export const SNS_RULES = [SnsTopicEncrypted, SnsTopicPolicyNoPublic, SnsTopicTlsOnly] as const satisfies readonly ComplianceRule[];
