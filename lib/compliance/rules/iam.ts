import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { Block, blocks, isSet, stringsOf } from "../private/attributes";
import { Statement, conditionValues, documentStatements, hasWildcardPrincipal, isConditioned, isPrincipalScoped, readPolicyStatements, statementName } from "../private/policy";
import { isBoundaryOnlyPolicy } from "../private/boundary";

/* Rules over IAM policies, role trust policies and policy attachments. */

const quoted = (values: string[]): string => values.map((v) => `"${v}"`).join(", ");

/** A statement for a message: its Sid, or its position. */
const labelOf = (s: Statement, index: number): string => `statement ${statementName(s, index)}`;

/** Start of an unreadable policy, for a message. */
function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const UNREADABLE_FIX = "write it as IAM JSON (e.g. PolicyDocument.toJson()), Fn.jsonencode of literal values, or a data.aws_iam_policy_document of this stack so that it can be checked";

/**
 * Resources whose `policy` attribute is an identity policy, and the IAM Identity Center permission set inline policy
 * (`inline_policy`), which checkov's CKV_AWS_62 and CKV_AWS_63 judge alike.
 */
const POLICY_RESOURCE_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_ssoadmin_permission_set_inline_policy"] as const;

/** Policy documents written as data sources, judged on their own as checkov's CKV_AWS_1 and CKV_AWS_49 do. */
const POLICY_DOCUMENT = "aws_iam_policy_document";

/** Inline policies of a role; an empty `inline_policy {}` block is Terraform's way to say "none", not a policy. */
const inlinePoliciesOf = (role: ResourceView): Block[] => blocks(role.config.inline_policy).filter((b) => isSet(b.policy) || isSet(b.name));

/** The identity policies a resource carries, by the attribute a message should name. */
function identityPoliciesOf(resource: ResourceView): Array<{ attribute: string; value: unknown }> {
  if (resource.type === "aws_iam_role") {
    return inlinePoliciesOf(resource).map((b, i) => ({ attribute: `inline_policy ${typeof b.name === "string" ? `"${b.name}"` : `#${i + 1}`}`, value: b.policy }));
  }
  const attribute = resource.type === "aws_ssoadmin_permission_set_inline_policy" ? "inline_policy" : "policy";
  return isSet(resource.config[attribute]) ? [{ attribute, value: resource.config[attribute] }] : [];
}

/**
 * Applies `finding` to every statement of every identity policy of the resource: not applicable
 * without policies, non-compliant with each finding (and each unreadable policy) listed, then `fix`.
 */
function checkIdentityPolicies(resource: ResourceView, stack: StackView, finding: (s: Statement) => string | undefined, fix: string): RuleOutcome {
  // A data.aws_iam_policy_document is judged by its statement blocks (and source and override documents).
  const document = resource.mode === "data" && resource.type === POLICY_DOCUMENT;
  const policies = document ? [{ attribute: "document", value: resource }] : identityPoliciesOf(resource);
  if (policies.length === 0) return Outcome.notApplicable();
  const unreadable: string[] = [];
  const findings: string[] = [];
  for (const { attribute, value } of policies) {
    const statements = document ? documentStatements(stack, resource) : readPolicyStatements(stack, value);
    if (!statements && document) {
      unreadable.push("a source or override document cannot be read at synth time; write them as IAM JSON or data.aws_iam_policy_document of this stack so that they can be checked");
      continue;
    }
    if (!statements) {
      unreadable.push(`${attribute} cannot be read at synth time (${preview(value)}); ${UNREADABLE_FIX}`);
      continue;
    }
    statements.forEach((s, i) => {
      const f = s.effect === "Allow" ? finding(s) : undefined;
      if (f) findings.push(`${attribute} ${labelOf(s, i)} ${f}`);
    });
  }
  const parts = [...(findings.length ? [`${findings.join("; ")}; ${fix}`] : []), ...unreadable];
  return parts.length ? Outcome.nonCompliant(parts.join("; ")) : Outcome.compliant();
}

const isAllActions = (a: string): boolean => a.trim() === "*" || a.trim() === "*:*";
const isServiceWildcard = (a: string): boolean => /^[A-Za-z0-9-]+:\*$/.test(a.trim());

/** No identity policy makes its holder an administrator. */
export const IamNoAdminPolicy = {
  id: "IamNoAdminPolicy",
  description: "No identity policy allows every action on every resource (Action \"*\" with Resource \"*\").",
  explanation:
    "A statement that allows \"*\" on \"*\" makes its holder an administrator of the account: it can read every secret, disable the audit trail and grant itself anything. "
    + "Administration belongs to a few MFA-gated human roles with AWS's own job-function policies, never to workloads or pipelines.",
  resourceTypes: [...POLICY_RESOURCE_TYPES, "aws_iam_role"],
  dataSourceTypes: [POLICY_DOCUMENT],
  checkov: ["CKV_AWS_62", "CKV_AWS_1"],
  cdkNag: ["IAMPolicyNoStatementsWithAdminAccess"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    checkIdentityPolicies(
      resource,
      stack,
      (s) => (s.actions.some(isAllActions) && s.resources.some((r) => r.trim() === "*") ? "allows Action \"*\" on Resource \"*\" (full administrator access)" : undefined),
      "allow only the actions and resources the principal needs",
    ),
} as const satisfies ComplianceRule;

/** Identity policies list actions instead of granting whole services. */
export const IamNoFullServiceAccess = {
  id: "IamNoFullServiceAccess",
  description: "No identity policy allows every action (\"*\") or every action of a service (\"<service>:*\").",
  explanation:
    "\"s3:*\" or \"iam:*\" grants today's and every future action of the service, including the destructive and permission-changing ones "
    + "(deleting buckets and their policies, creating access keys). Listing the actions a principal needs keeps its reach reviewable.",
  resourceTypes: [...POLICY_RESOURCE_TYPES, "aws_iam_role"],
  dataSourceTypes: [POLICY_DOCUMENT],
  // CKV_AWS_63 (resources) and CKV_AWS_49 (data.aws_iam_policy_document) flag Action "*" only; this rule also flags "<service>:*"
  // in identity policies (deliberately stricter, as cdk-nag's IAMPolicyNoStatementsWithFullAccess). In a statement of a document
  // that names principals (a key, bucket or topic policy written as a data source) only "*" is flagged: "kms:*" for the account
  // root is the standard key policy.
  checkov: ["CKV_AWS_63", "CKV_AWS_49"],
  cdkNag: ["IAMPolicyNoStatementsWithFullAccess"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    isBoundaryOnlyPolicy(resource, stack)
      ? Outcome.notApplicable()
      : checkIdentityPolicies(
      resource,
      stack,
      (s) => {
        const resourcePolicy = Object.keys(s.principals).length > 0;
        const broad = s.actions.filter((a) => isAllActions(a) || (!resourcePolicy && isServiceWildcard(a)));
        return broad.length ? `allows ${quoted(broad)}` : undefined;
      },
      "list the specific actions the principal needs instead",
    ),
} as const satisfies ComplianceRule;

/** The principal attribute of each inline policy resource type. */
const INLINE_OWNER: Record<string, "role" | "user" | "group"> = { aws_iam_role_policy: "role", aws_iam_user_policy: "user", aws_iam_group_policy: "group" };

/** Permissions live in managed policies that can be reviewed on their own. */
export const IamNoInlinePolicy = {
  id: "IamNoInlinePolicy",
  description: "Roles, users and groups get permissions from managed policies only, never inline policies.",
  explanation:
    "Inline policies live inside one principal: they cannot be reviewed, versioned or reused on their own, and access reviews that list managed policies miss them. "
    + "Customer-managed policies are versioned resources that an auditor can enumerate.",
  resourceTypes: ["aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
  cdkNag: ["IAMNoInlinePolicy"],
  evaluate: ({ resource }): RuleOutcome => {
    if (resource.type === "aws_iam_role") {
      const inline = inlinePoliciesOf(resource);
      if (inline.length === 0) return Outcome.compliant();
      const names = inline.map((b, i) => (typeof b.name === "string" ? `"${b.name}"` : `#${i + 1}`)).join(", ");
      return Outcome.nonCompliant(
        `inline_policy ${names} embeds ${inline.length === 1 ? "a policy" : "policies"} in the role; `
        + "move each to an aws_iam_policy attached with aws_iam_role_policy_attachment and remove the inline_policy blocks",
      );
    }
    const owner = INLINE_OWNER[resource.type];
    return Outcome.nonCompliant(
      `${resource.type} embeds an inline policy in ${owner} ${JSON.stringify(resource.config[owner]) ?? "(unset)"}; `
      + `create an aws_iam_policy with its statements and attach it with aws_iam_${owner}_policy_attachment instead`,
    );
  },
} as const satisfies ComplianceRule;

/** True when some principal of the statement is "*", of any kind. */
const admitsAnyone = (s: Statement): boolean => hasWildcardPrincipal(s) || Object.values(s.principals).some((values) => values.some((v) => v.trim() === "*"));

/**
 * An AWS principal that stands for a whole account: its root ARN or a bare 12-digit account id, as checkov's CKV_AWS_61
 * matches them (`\d{12}|arn:aws:iam::\d{12}:root`, checkov@03d5fdad:checkov/terraform/checks/resource/aws/IAMRoleAllowAssumeFromAccount.py);
 * here in any partition, and with the account id given as a Terraform reference too.
 */
const isAccountRoot = (p: string): boolean => /^\d{12}$/.test(p.trim()) || /^arn:[^:]+:iam::[^:]+:root$/.test(p.trim());

/** Roles trust named principals only. */
export const IamRoleTrustNoWildcard = {
  id: "IamRoleTrustNoWildcard",
  description: "No statement of a role's trust policy lets any principal (\"*\") or a whole account (its root or bare id) assume the role unconditioned.",
  explanation:
    "A trust policy with Principal \"*\" lets every AWS account in the world try to assume the role; only its conditions stand between the role and the internet. "
    + "A principal that is an account root (\"arn:aws:iam::<account>:root\" or the bare account id) delegates to every user and role of that account "
    + "whose IAM policies allow sts:AssumeRole on \"*\". Name the accounts' roles, services or identity providers that may assume it, or confine "
    + "the statement with a condition (aws:PrincipalArn, aws:PrincipalOrgID, aws:SourceAccount, ...). Unlike checkov, a condition on the statement "
    + "is honoured: CKV_AWS_60 and CKV_AWS_61 fail a wildcard or root principal whatever its conditions.",
  resourceTypes: ["aws_iam_role"],
  checkov: ["CKV_AWS_60", "CKV_AWS_61"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const policy = resource.config.assume_role_policy;
    if (!isSet(policy)) return Outcome.notApplicable();
    const statements = readPolicyStatements(stack, policy);
    if (!statements) return Outcome.nonCompliant(`assume_role_policy cannot be read at synth time (${preview(policy)}); ${UNREADABLE_FIX}`);
    const problems: string[] = [];
    statements.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      if (admitsAnyone(s) && !isPrincipalScoped(s)) problems.push(`${labelOf(s, i)} lets any principal ("*") assume the role without a principal-scoping condition`);
      // A root principal under any condition (MFA, external id, principal ARN) is a deliberate delegation.
      const roots = (s.principals.AWS ?? []).filter(isAccountRoot);
      if (roots.length && !isConditioned(s)) problems.push(`${labelOf(s, i)} lets every principal of account ${quoted(roots)} assume the role, without a condition`);
    });
    if (problems.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `assume_role_policy ${problems.join("; ")}; name the roles, services or identity providers that may assume it, or add a condition such as aws:PrincipalArn`,
    );
  },
} as const satisfies ComplianceRule;

/**
 * The principals of a trust statement that may be people: "*", and every AWS principal (account
 * roots, users, roles) except references to roles of this stack, which are machine chains.
 */
function humanPrincipalsOf(s: Statement, stack: StackView): string[] {
  const stackRoles = stack.ofType("aws_iam_role");
  const people = "*" in s.principals ? ["*"] : [];
  for (const p of s.principals.AWS ?? []) if (!stackRoles.some((r) => stack.refersTo(p, r))) people.push(p);
  return people;
}

const NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/** What a statement that admits people lacks of the MFA conditions; empty when it has them. */
function mfaGaps(s: Statement, maxAgeSeconds: number): string[] {
  const gaps: string[] = [];
  // Bool only: BoolIfExists passes requests that carry no MFA key at all, such as long-term access keys.
  const present = conditionValues(s, "Bool", "aws:MultiFactorAuthPresent");
  if (!present || present.length === 0) gaps.push("without Bool \"aws:MultiFactorAuthPresent\" = \"true\"");
  else if (!present.every((v) => v.trim().toLowerCase() === "true")) gaps.push(`with Bool "aws:MultiFactorAuthPresent" = ${quoted(present)} instead of only "true"`);

  // Conditions of different operators must all hold, values of one operator are alternatives: the tightest operator's loosest value bounds the age.
  const limits = ["NumericLessThan", "NumericLessThanEquals"]
    .map((op) => conditionValues(s, op, "aws:MultiFactorAuthAge"))
    .filter((values): values is string[] => values !== undefined && values.length > 0);
  if (limits.length === 0) {
    gaps.push(`without NumericLessThan "aws:MultiFactorAuthAge" (at most ${maxAgeSeconds} seconds)`);
  } else {
    const bounds = limits.filter((values) => values.every((v) => NUMBER.test(v))).map((values) => Math.max(...values.map(Number)));
    if (bounds.length === 0) {
      gaps.push(`with an "aws:MultiFactorAuthAge" limit that is not a literal number (${quoted(limits.flat())})`);
    } else if (Math.min(...bounds) > maxAgeSeconds) {
      gaps.push(`accepting MFA up to ${Math.min(...bounds)} seconds old ("aws:MultiFactorAuthAge"), more than ${maxAgeSeconds}`);
    }
  }
  return gaps;
}

/** Roles that people assume require a recent MFA sign-in. */
export const IamHumanRoleRequiresMfa = {
  id: "IamHumanRoleRequiresMfa",
  description: "Every trust statement that lets people assume a role requires MFA (aws:MultiFactorAuthPresent) no older than maxAgeSeconds (aws:MultiFactorAuthAge).",
  explanation:
    "Roles that people assume are the way into the cluster and the account; a leaked password or access key alone must not open them. "
    + "Account roots and IAM users or roles outside this stack may be people, so each statement admitting them must require a recent MFA sign-in. "
    + "Neither checkov nor cdk-nag checks trust policies for MFA.",
  resourceTypes: ["aws_iam_role"],
  params: { maxAgeSeconds: 3600 },
  evaluate: ({ resource, stack, params }): RuleOutcome => {
    const policy = resource.config.assume_role_policy;
    if (!isSet(policy)) return Outcome.notApplicable();
    const statements = readPolicyStatements(stack, policy);
    if (!statements) {
      return Outcome.nonCompliant(`assume_role_policy cannot be read at synth time (${preview(policy)}), so its MFA conditions cannot be checked; ${UNREADABLE_FIX}`);
    }
    const maxAge = Number(params.maxAgeSeconds ?? 3600);
    let admitsPeople = false;
    const problems: string[] = [];
    statements.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      const people = humanPrincipalsOf(s, stack);
      if (people.length === 0) return;
      admitsPeople = true;
      const gaps = mfaGaps(s, maxAge);
      if (gaps.length) problems.push(`${labelOf(s, i)} admits ${quoted(people)} ${gaps.join(" and ")}`);
    });
    // Trusted only by services, identity providers or this stack's own roles.
    if (!admitsPeople) return Outcome.notApplicable();
    if (problems.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(
      `assume_role_policy ${problems.join("; ")}; add Condition { "Bool": { "aws:MultiFactorAuthPresent": "true" }, `
      + `"NumericLessThan": { "aws:MultiFactorAuthAge": "${maxAge}" } } to every statement that admits people`,
    );
  },
} as const satisfies ComplianceRule;

const ADMINISTRATOR_ACCESS = ":policy/AdministratorAccess";

/** True when a policy ARN (literal, or a reference to a data.aws_iam_policy of the stack) is AWS's AdministratorAccess. */
function isAdministratorAccess(stack: StackView, arn: unknown): boolean {
  if (typeof arn !== "string") return false;
  if (arn.trim().endsWith(ADMINISTRATOR_ACCESS)) return true;
  return stack.resources.some((d) =>
    d.mode === "data" && d.type === "aws_iam_policy" && stack.refersTo(arn, d)
    && ((typeof d.config.arn === "string" && d.config.arn.trim().endsWith(ADMINISTRATOR_ACCESS)) || d.config.name === "AdministratorAccess"));
}

/** Nobody holds AWS's AdministratorAccess policy. */
export const IamNoAdministratorAccessAttachment = {
  id: "IamNoAdministratorAccessAttachment",
  description: "No role, user or group has AWS's AdministratorAccess managed policy attached.",
  explanation:
    "AdministratorAccess allows every action on every resource. A principal holding it can undo every other control in the account, "
    + "so grant scoped customer-managed policies (or AWS job-function policies) instead.",
  resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "aws_ssoadmin_managed_policy_attachment", "aws_iam_role"],
  checkov: ["CKV_AWS_274"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const fix = "attach a customer-managed policy that allows only what the principal needs";
    if (resource.type === "aws_iam_role") {
      // The role's exclusive managed_policy_arns argument (deprecated, still honoured).
      const arns = resource.config.managed_policy_arns;
      if (!isSet(arns)) return Outcome.notApplicable();
      const admin = stringsOf(arns).filter((a) => isAdministratorAccess(stack, a));
      return admin.length ? Outcome.nonCompliant(`managed_policy_arns includes ${quoted(admin)} (AdministratorAccess); ${fix}`) : Outcome.compliant();
    }
    // An IAM Identity Center permission set names the policy in managed_policy_arn.
    const attribute = resource.type === "aws_ssoadmin_managed_policy_attachment" ? "managed_policy_arn" : "policy_arn";
    const arn = resource.config[attribute];
    if (!isAdministratorAccess(stack, arn)) return Outcome.compliant();
    return Outcome.nonCompliant(`${attribute} ${JSON.stringify(arn)} attaches AWS's AdministratorAccess policy; ${fix}`);
  },
} as const satisfies ComplianceRule;

/** The IAM rules, in the order reports list them. */
export const IAM_RULES = [
  IamNoAdminPolicy,
  IamNoFullServiceAccess,
  IamNoInlinePolicy,
  IamRoleTrustNoWildcard,
  IamHumanRoleRequiresMfa,
  IamNoAdministratorAccessAttachment,
] as const satisfies readonly ComplianceRule[];
