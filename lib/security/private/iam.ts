import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyConditions, PolicyDocument } from "../policy-document";
import { awsContext } from "../../private/aws-context";

/** A role and the attachments that give it its permissions; depend on both before using the role. */
export interface ServiceRole {
  readonly role: IamRole;
  /** Policy attachments; resources that act with the role must depend on them, or a destroy detaches them first. */
  readonly attachments: IamRolePolicyAttachment[];
}

/** Longest name_prefix IAM accepts (64 minus Terraform's 26-character unique suffix). */
const MAX_ROLE_NAME_PREFIX = 38;

/**
 * A role name prefix from a base name and a purpose. IAM names are global to the account, so a
 * fixed name would collide when the same cluster name is used in a second region.
 */
export function roleNamePrefix(base: string, purpose: string): string {
  const room = MAX_ROLE_NAME_PREFIX - purpose.length - 2;
  return `${base.slice(0, room)}-${purpose}-`;
}

/**
 * Creates a role that only the given AWS service may assume, with AWS managed policies attached
 * by name and optional customer-managed policies (never inline policies, which auditors flag).
 */
export function serviceRole(scope: Construct, id: string, opts: {
  namePrefix: string;
  service: string;
  description: string;
  managedPolicies?: string[];
  /** Customer-managed policies to create and attach, by construct id suffix. */
  policies?: Record<string, { description: string; document: PolicyDocument }>;
  conditions?: PolicyConditions;
  tagSession?: boolean;
  tags?: Record<string, string>;
}): ServiceRole {
  const ctx = awsContext(scope);
  const trust = new PolicyDocument([{
    sid: "ServiceAssumesRole",
    actions: opts.tagSession ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"],
    principals: { Service: [opts.service] },
    conditions: opts.conditions,
  }]);
  const role = new IamRole(scope, id, {
    namePrefix: opts.namePrefix,
    description: opts.description,
    assumeRolePolicy: trust.toJson(),
    tags: opts.tags,
  });
  const attachments: IamRolePolicyAttachment[] = [];
  for (const name of opts.managedPolicies ?? []) {
    attachments.push(new IamRolePolicyAttachment(scope, `${id}-${name}`, {
      role: role.name,
      policyArn: `arn:${ctx.partition}:iam::aws:policy/${name}`,
    }));
  }
  for (const [suffix, p] of Object.entries(opts.policies ?? {})) {
    const policy = new IamPolicy(scope, `${id}-${suffix}`, {
      namePrefix: opts.namePrefix,
      description: p.description,
      policy: p.document.toJson(),
      tags: opts.tags,
    });
    attachments.push(new IamRolePolicyAttachment(scope, `${id}-${suffix}-attachment`, { role: role.name, policyArn: policy.arn }));
  }
  return { role, attachments };
}
