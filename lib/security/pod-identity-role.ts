import { Construct } from "constructs";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { roleNamePrefix, serviceRole } from "./private/iam";
import { Problems, isDnsLabel, show } from "../private/validation";
import { PolicyDocument } from "./policy-document";

/** Props of a PodIdentityRole. */
export interface PodIdentityRoleProps {
  /** Name of the EKS cluster the pods run in. */
  readonly clusterName: string;
  /** ARN of that cluster; the trust policy accepts only its pods. */
  readonly clusterArn: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the Kubernetes service account whose pods receive the role. */
  readonly serviceAccount: string;
  /** What the role is for, in the IAM description. */
  readonly description: string;
  /** Short purpose used in the role name prefix, e.g. "lb-controller". */
  readonly purpose: string;
  /**
   * Customer-managed policies to create and attach, by short name.
   * @default - none
   */
  readonly policies?: Record<string, PolicyDocument>;
  /**
   * AWS managed policies to attach, by name (e.g. "service-role/AmazonEBSCSIDriverPolicy").
   * @default - none
   */
  readonly managedPolicies?: string[];
  /**
   * Create the `aws_eks_pod_identity_association`. Set false when an EKS add-on associates the role itself.
   * @default true
   */
  readonly associate?: boolean;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity. The trust policy
 * admits only the Pod Identity service acting for this cluster, namespace and service account
 * (the session tags EKS sets), so no other pod, and no node, can use the role.
 */
export class PodIdentityRole extends Construct {
  /** The role. */
  public readonly role: IamRole;
  /** The role ARN. */
  public readonly roleArn: string;
  /** Its policy attachments; resources that act with the role depend on them. */
  public readonly attachments: IamRolePolicyAttachment[];
  /** The association, unless `associate` is false. */
  public readonly association?: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const p = new Problems();
    p.when(!isDnsLabel(props.namespace), "namespace", `${show(props.namespace)} is not a Kubernetes namespace name (DNS label)`);
    p.when(!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.serviceAccount) || props.serviceAccount.length > 253, "serviceAccount", `${show(props.serviceAccount)} is not a Kubernetes service account name`);
    p.when(!/^[a-z0-9-]{1,20}$/.test(props.purpose), "purpose", `${show(props.purpose)} must be 1-20 lower-case letters, digits or "-"`);
    p.throwIfAny(this, "PodIdentityRole");

    const policies: Record<string, { description: string; document: PolicyDocument }> = {};
    for (const [name, document] of Object.entries(props.policies ?? {})) policies[name] = { description: `${props.description}: ${name}`, document };
    const { role, attachments } = serviceRole(this, "role", {
      namePrefix: roleNamePrefix(props.clusterName, props.purpose),
      service: "pods.eks.amazonaws.com",
      description: props.description,
      tagSession: true,
      // The session tags EKS Pod Identity sets; AWS documents them for exactly this restriction.
      conditions: {
        StringEquals: {
          "aws:RequestTag/eks-cluster-arn": props.clusterArn,
          "aws:RequestTag/kubernetes-namespace": props.namespace,
          "aws:RequestTag/kubernetes-service-account": props.serviceAccount,
        },
      },
      managedPolicies: props.managedPolicies,
      policies,
      tags: props.tags,
    });
    this.role = role;
    this.roleArn = role.arn;
    this.attachments = attachments;
    if (props.associate ?? true) {
      this.association = new EksPodIdentityAssociation(this, "association", {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: role.arn,
        tags: props.tags,
        dependsOn: attachments,
      });
    }
  }
}
