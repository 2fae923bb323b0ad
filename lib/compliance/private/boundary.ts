import type { ResourceView, StackView } from "../rule-model";

/** Resources that attach a managed policy to a principal, by type, and the attribute naming the policy. */
const ATTACHMENTS: ReadonlyArray<readonly [string, string]> = [
  ["aws_iam_role_policy_attachment", "policy_arn"],
  ["aws_iam_user_policy_attachment", "policy_arn"],
  ["aws_iam_group_policy_attachment", "policy_arn"],
  ["aws_iam_policy_attachment", "policy_arn"],
];

/**
 * True for an aws_iam_policy that serves only as a permissions boundary: some role of the stack names it in
 * `permissions_boundary` (by reference, or by the ARN of its literal name) and nothing attaches it. A
 * boundary is a ceiling and grants nothing ("Permissions boundaries for IAM entities", IAM User Guide), so
 * the rules about what a policy allows do not apply to it; the identity policies under it are judged.
 */
export function isBoundaryOnlyPolicy(resource: ResourceView, stack: StackView): boolean {
  if (resource.type !== "aws_iam_policy") return false;
  const name = resource.config.name;
  const names = (value: unknown) => stack.refersTo(value, resource) || (typeof name === "string" && typeof value === "string" && value.endsWith(`:policy/${name}`));
  const bounding = stack.ofType("aws_iam_role").some((role) => names(role.config.permissions_boundary));
  if (!bounding) return false;
  return !ATTACHMENTS.some(([type, attribute]) => stack.ofType(type).some((a) => names(a.config[attribute])));
}
