import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyConditions, PolicyDocument } from "../security/policy-document";
import { awsContext } from "./aws-context";

/** Creates a role that only the given AWS service may assume, with AWS managed policies attached by name. */
export function serviceRole(scope: Construct, id: string, opts: {
  name: string;
  service: string;
  description: string;
  managedPolicies?: string[];
  conditions?: PolicyConditions;
  tagSession?: boolean;
  tags?: Record<string, string>;
}): IamRole {
  const ctx = awsContext(scope);
  const trust = new PolicyDocument([{
    sid: "ServiceAssumesRole",
    actions: opts.tagSession ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"],
    principals: { Service: [opts.service] },
    conditions: opts.conditions,
  }]);
  const role = new IamRole(scope, id, {
    name: opts.name,
    description: opts.description,
    assumeRolePolicy: trust.toJson(),
    tags: opts.tags,
  });
  for (const name of opts.managedPolicies ?? []) {
    new IamRolePolicyAttachment(scope, `${id}-${name}`, {
      role: role.name,
      policyArn: `arn:${ctx.partition}:iam::aws:policy/${name}`,
    });
  }
  return role;
}
