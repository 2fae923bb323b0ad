/*
 * Reading the identity policies that checkov's cloudsplaining checks judge (checkov@03d5fdad:
 * checkov/terraform/checks/resource/base_cloudsplaining_resource_iam_check.py, supported_resources, and
 * checkov/terraform/checks/data/base_cloudsplaining_data_iam_check.py, supported_data), shared by the rules in
 * rules/iam-escalation.ts and rules/iam-resource-constraints.ts.
 */
import { Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { Block, blocks, isLiteralString, isSet } from "./attributes";
import { Statement, documentStatements, readPolicyStatements } from "./policy";

/**
 * Resources whose policy is an identity policy: checkov's supported_resources (`policy`, or `inline_policy` of an IAM Identity
 * Center permission set), plus the inline_policy blocks of aws_iam_role, which checkov does not read.
 */
export const IDENTITY_POLICY_TYPES = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
  "aws_ssoadmin_permission_set_inline_policy",
  "aws_iam_role",
] as const;

/** Policy documents written as data sources, judged on their own as checkov's data checks (CKV_AWS_107-111, 356) judge them. */
export const IDENTITY_POLICY_DATA_TYPES = ["aws_iam_policy_document"] as const;

const UNREADABLE_FIX = "write it as IAM JSON (e.g. PolicyDocument.toJson()), Fn.jsonencode of literal values, or a data.aws_iam_policy_document of this stack so that it can be checked";

/** The identity policies of a managed resource, by the attribute a message names. */
export function identityPoliciesOf(resource: ResourceView): Array<{ attribute: string; value: unknown }> {
  if (resource.type === "aws_iam_role") {
    return blocks(resource.config.inline_policy)
      .filter((b: Block) => isSet(b.policy))
      .map((b, i) => ({ attribute: `inline_policy ${typeof b.name === "string" ? `"${b.name}"` : `#${i + 1}`}`, value: b.policy }));
  }
  const attribute = resource.type === "aws_ssoadmin_permission_set_inline_policy" ? "inline_policy" : "policy";
  return isSet(resource.config[attribute]) ? [{ attribute, value: resource.config[attribute] }] : [];
}

/**
 * True for a data.aws_iam_policy_document that an identity-policy resource of the stack uses: it is judged through that resource,
 * where its holders (and their permissions boundaries) are known, not a second time on its own.
 */
function usedByIdentityPolicy(doc: ResourceView, stack: StackView): boolean {
  return stack.resources.some((r) => r.mode === "managed" && (IDENTITY_POLICY_TYPES as readonly string[]).includes(r.type)
    && identityPoliciesOf(r).some((p) => stack.refersTo(p.value, doc)));
}

/**
 * The identity statements of a resource or data document, with the unreadable policies named; undefined when it has none.
 * Statements that name principals (a document written for a key, bucket or trust policy) are left out: there Resource "*"
 * means the resource that carries the policy, not every resource of the account.
 */
export function readIdentityPolicies(resource: ResourceView, stack: StackView): { statements: Statement[]; unreadable: string[] } | undefined {
  if (resource.mode === "data") {
    if (usedByIdentityPolicy(resource, stack)) return undefined;
    const read = documentStatements(stack, resource);
    if (!read) return { statements: [], unreadable: ["a source or override document"] };
    const statements = read.filter((s) => Object.keys(s.principals).length === 0);
    return statements.length ? { statements, unreadable: [] } : undefined;
  }
  const policies = identityPoliciesOf(resource);
  if (policies.length === 0) return undefined;
  const statements: Statement[] = [];
  const unreadable: string[] = [];
  for (const { attribute, value } of policies) {
    const read = readPolicyStatements(stack, value);
    if (read) statements.push(...read);
    else unreadable.push(attribute);
  }
  return { statements, unreadable };
}

/** The role of the stack that `value` (a role name or id, by reference or literal) names. */
function roleNamed(stack: StackView, value: unknown): ResourceView | undefined {
  return stack.ofType("aws_iam_role").find((r) => stack.refersTo(value, r) || (isLiteralString(value) && value === r.config.name));
}

const isBounded = (role: ResourceView | undefined): boolean => role !== undefined && isSet(role.config.permissions_boundary);

/**
 * True when every principal that holds the policy is a role of this stack with a permissions_boundary: the role itself, the role
 * of an aws_iam_role_policy, or every attachment of an aws_iam_policy (at least one; users and groups are never bounded here).
 */
export function heldOnlyByBoundedRoles(resource: ResourceView, stack: StackView): boolean {
  switch (resource.type) {
    case "aws_iam_role":
      return resource.mode === "managed" && isBounded(resource);
    case "aws_iam_role_policy":
      return isBounded(roleNamed(stack, resource.config.role));
    case "aws_iam_policy": {
      if (resource.mode !== "managed") return false;
      const roleAttachments = stack.attachedTo("aws_iam_role_policy_attachment", "policy_arn", resource);
      const others = [
        ...stack.attachedTo("aws_iam_user_policy_attachment", "policy_arn", resource),
        ...stack.attachedTo("aws_iam_group_policy_attachment", "policy_arn", resource),
        ...stack.attachedTo("aws_iam_policy_attachment", "policy_arn", resource),
      ];
      return roleAttachments.length > 0 && others.length === 0 && roleAttachments.every((a) => isBounded(roleNamed(stack, a.config.role)));
    }
    default:
      return false;
  }
}

/** Common evaluation: not applicable without policies; non-compliant with the finding of `analyse` and each unreadable policy. */
export function judgeIdentityPolicies(resource: ResourceView, stack: StackView, analyse: (statements: Statement[]) => string | undefined): RuleOutcome {
  const read = readIdentityPolicies(resource, stack);
  if (!read) return Outcome.notApplicable();
  const parts: string[] = [];
  const finding = analyse(read.statements);
  if (finding) parts.push(finding);
  for (const a of read.unreadable) parts.push(`${a} cannot be read at synth time; ${UNREADABLE_FIX}`);
  return parts.length ? Outcome.nonCompliant(parts.join("; ")) : Outcome.compliant();
}
