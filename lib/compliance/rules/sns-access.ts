import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { isSet } from "../private/attributes";
import { isConditioned, readPolicyStatements } from "../private/policy";

/*
 * Cross-account access to SNS topics. Source: bridgecrewio/checkov@03d5fdad checkov/terraform/checks/resource/aws/SNSCrossAccountAccess.py
 * (CKV_AWS_385): an Allow statement whose AWS principal is an IAM ARN ("arn:aws:iam::...") must carry a condition. checkov does not
 * compare the account with the topic's; neither does this rule (the account of a topic is known only at apply).
 */

/** Topic policies grant IAM principals only under conditions. */
export const SnsTopicPolicyNoUnconditionedCrossAccount = {
  id: "SnsTopicPolicyNoUnconditionedCrossAccount",
  description: "SNS topic policies grant IAM principals (\"arn:aws:iam::<account>:...\") only with a Condition.",
  explanation:
    "A topic policy that names another account's root, role or user lets that account publish to or subscribe to the topic (alarms, " +
    "deployment events) with nothing but its own IAM to limit who does it. A condition (aws:SourceArn, aws:PrincipalOrgID, " +
    "aws:SourceVpce) states what the grant is for and narrows it.",
  resourceTypes: ["aws_sns_topic_policy"],
  checkov: ["CKV_AWS_385"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (!isSet(resource.config.policy)) return Outcome.notApplicable();
    const statements = readPolicyStatements(stack, resource.config.policy);
    if (!statements) return Outcome.notApplicable();
    const open = statements
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.effect === "Allow" && !isConditioned(s) && (s.principals.AWS ?? []).some((p) => p.startsWith("arn:aws:iam::")))
      .map(({ s, i }) => (s.sid ? `"${s.sid}"` : `#${i + 1}`));
    if (open.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(`statement ${open.join(", ")} grants IAM principals of an account without a Condition; add one (aws:SourceArn, aws:PrincipalOrgID) or grant an AWS service principal instead.`);
  },
} as const satisfies ComplianceRule;

/** Rules over SNS access. */
export const SNS_ACCESS_RULES = [SnsTopicPolicyNoUnconditionedCrossAccount] as const satisfies readonly ComplianceRule[];
