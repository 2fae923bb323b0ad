import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { isLiteralString } from "../private/attributes";

/*
 * Hard-coded secrets in EC2 user data. Source: bridgecrewio/checkov@03d5fdad checkov/terraform/checks/resource/aws/EC2Credentials.py
 * (CKV_AWS_46), which applies string_has_secrets(user_data, "aws") from checkov/common/util/secrets.py; its "aws" regexes are copied
 * here. aws_launch_template takes user_data base64-encoded, so a literal that decodes as base64 text is scanned decoded as well.
 */

/** checkov's "aws" secret regexes (secret access key, access key id, secret key assignment, account id assignment). */
const AWS_SECRET_PATTERNS: readonly RegExp[] = [
  /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/,
  /(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}/,
  /("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/+=]{40}("|')?/,
  /("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}-?[0-9]{4}-?[0-9]{4}("|')?/,
];

/** The texts to scan: the literal, and its base64 decoding when it is base64 of text. */
function textsOf(value: string): string[] {
  const texts = [value];
  const compact = value.replace(/\s+/g, "");
  if (compact.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0) {
    const decoded = Buffer.from(compact, "base64").toString("utf8");
    if (!/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded)) texts.push(decoded);
  }
  return texts;
}

/** User data carries no credentials. */
export const Ec2UserDataNoSecrets = {
  id: "Ec2UserDataNoSecrets",
  description: "EC2 instances, launch templates and launch configurations carry no AWS credentials in user_data.",
  explanation:
    "User data is readable by anyone who can describe the instance or template (ec2:DescribeLaunchTemplateVersions), by every process " +
    "on the node through the instance metadata service, and is kept in the Terraform state. Nodes get credentials from their instance " +
    "role; other secrets belong in Secrets Manager, read at boot.",
  resourceTypes: ["aws_instance", "aws_launch_template", "aws_launch_configuration"],
  checkov: ["CKV_AWS_46"],
  evaluate: ({ resource }): RuleOutcome => {
    const data = resource.config.user_data ?? resource.config.user_data_base64;
    if (data === undefined || data === null) return Outcome.notApplicable();
    // Terraform expressions are scanned as written: a literal secret inside one is still in the configuration.
    const texts = isLiteralString(data) ? textsOf(data) : typeof data === "string" ? [data] : [];
    const hit = texts.some((t) => AWS_SECRET_PATTERNS.some((p) => p.test(t)));
    return hit
      ? Outcome.nonCompliant("user_data contains what looks like an AWS access key, secret key or account id assignment; remove it, give the node an instance role, and read other secrets from Secrets Manager at boot.")
      : Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Rules over user data. */
export const USER_DATA_RULES = [Ec2UserDataNoSecrets] as const satisfies readonly ComplianceRule[];
