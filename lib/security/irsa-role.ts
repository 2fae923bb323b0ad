import { Fn } from "cdktf";
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { roleNamePrefix } from "./private/iam";
import { Problems, isDnsLabel, show } from "../private/validation";
import { PolicyDocument } from "./policy-document";

/** Props of an IrsaRole. */
export interface IrsaRoleProps {
  /** Name of the EKS cluster (for the role name). */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/...). */
  readonly oidcIssuerUrl: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the Kubernetes service account. */
  readonly serviceAccount: string;
  /** What the role is for, in the IAM description. */
  readonly description: string;
  /** Short purpose used in the role name prefix. */
  readonly purpose: string;
  /** Customer-managed policies to create and attach, by short name. */
  readonly policies: Record<string, PolicyDocument>;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * An IAM role for one service account through IAM Roles for Service Accounts (web identity),
 * for software that cannot use Pod Identity (e.g. Argo Rollouts' SigV4 signing). The trust
 * policy pins the audience and the exact `system:serviceaccount:<ns>:<sa>` subject.
 */
export class IrsaRole extends Construct {
  /** The role. */
  public readonly role: IamRole;
  /** The role ARN, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  public readonly roleArn: string;
  /** Its policy attachments. */
  public readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const p = new Problems();
    p.when(!isDnsLabel(props.namespace), "namespace", `${show(props.namespace)} is not a Kubernetes namespace name (DNS label)`);
    p.when(!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.serviceAccount), "serviceAccount", `${show(props.serviceAccount)} is not a Kubernetes service account name`);
    p.throwIfAny(this, "IrsaRole");

    // Condition keys are the issuer without its scheme; the issuer is known only after apply.
    const issuer = Fn.replace(props.oidcIssuerUrl, "https://", "");
    const trust = new PolicyDocument([{
      sid: "ServiceAccountAssumesRole",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: { Federated: [props.oidcProviderArn] },
      conditions: {
        StringEquals: {
          [`${issuer}:aud`]: "sts.amazonaws.com",
          [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
        },
      },
    }]);
    const namePrefix = roleNamePrefix(props.clusterName, props.purpose);
    this.role = new IamRole(this, "role", { namePrefix, description: props.description, assumeRolePolicy: trust.toJson(), tags: props.tags });
    this.roleArn = this.role.arn;
    this.attachments = Object.entries(props.policies).map(([name, document]) => {
      const policy = new IamPolicy(this, `policy-${name}`, { namePrefix, description: `${props.description}: ${name}`, policy: document.toJson(), tags: props.tags });
      return new IamRolePolicyAttachment(this, `attach-${name}`, { role: this.role.name, policyArn: policy.arn });
    });
  }
}
