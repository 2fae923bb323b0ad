import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { awsContext } from "../private/aws-context";
import { Problems, isDnsLabel, isLiteral, show } from "../private/validation";

/**
 * EKS access policies: cluster admin, namespace admin, edit, view, and AdminView (read every
 * resource, Secrets included: what a CI plan role needs to diff Helm releases).
 */
export type ClusterAccessPolicy = "ClusterAdmin" | "Admin" | "Edit" | "View" | "AdminView";

/** EKS managed access policy name of each ClusterAccessPolicy. */
const ACCESS_POLICY_NAMES: Record<ClusterAccessPolicy, string> = {
  ClusterAdmin: "AmazonEKSClusterAdminPolicy",
  Admin: "AmazonEKSAdminPolicy",
  Edit: "AmazonEKSEditPolicy",
  View: "AmazonEKSViewPolicy",
  AdminView: "AmazonEKSAdminViewPolicy",
};

/** Kubernetes access for one IAM principal, through an EKS access entry. */
export interface ClusterAccessGrant {
  /** ARN of the IAM role (or user) that receives access. Prefer roles that require MFA to assume. */
  readonly principalArn: string;
  /** The EKS access policy to associate. */
  readonly policy: ClusterAccessPolicy;
  /**
   * Namespaces the policy is limited to. Not allowed for "ClusterAdmin".
   * @default - the whole cluster
   */
  readonly namespaces?: string[];
}

/** What a construct needs of a cluster to map IAM principals into it (SecureInferenceCluster is one). */
export interface ClusterAccessTarget {
  /** EKS cluster name (a literal). */
  readonly clusterName: string;
  /** EKS cluster ARN. */
  readonly clusterArn: string;
  /** Maps an IAM principal into the cluster; `id` names the grant. */
  grantAccess(id: string, grant: ClusterAccessGrant): EksAccessEntry;
}

/** Props of an AccessEntry. */
export interface AccessEntryProps extends ClusterAccessGrant {
  /** Name of the EKS cluster; pass the cluster resource's `name` so the entry is created after the cluster. */
  readonly clusterName: string;
}

/**
 * Kubernetes access for one IAM principal: an EKS access entry (authentication mode API; there is
 * no aws-auth ConfigMap) and the association of one EKS access policy, cluster-wide or limited to
 * namespaces. Usually made through `SecureInferenceCluster.grantAccess`.
 */
export class AccessEntry extends Construct {
  /** Validates a grant; one line per problem, each starting with `prefix`. */
  static validate(grant: ClusterAccessGrant, prefix = ""): string[] {
    const p = new Problems();
    if (!(grant.policy in ACCESS_POLICY_NAMES)) p.add(`${prefix}policy`, `${show(grant.policy)} must be one of ${Object.keys(ACCESS_POLICY_NAMES).map((k) => `"${k}"`).join(", ")}`);
    if (isLiteral(grant.principalArn) && !/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+/.test(grant.principalArn)) {
      p.add(`${prefix}principalArn`, `${show(grant.principalArn)} is not an IAM role or user ARN; use e.g. "arn:aws:iam::123456789012:role/ml-admins"`);
    }
    if (grant.namespaces !== undefined) {
      if (grant.policy === "ClusterAdmin") p.add(`${prefix}namespaces`, "ClusterAdmin is cluster-wide; use policy \"Admin\" for namespace-scoped administration");
      if (grant.namespaces.length === 0) p.add(`${prefix}namespaces`, "is empty; omit it for cluster-wide access or list namespaces");
      for (const ns of grant.namespaces) if (!isDnsLabel(ns)) p.add(`${prefix}namespaces`, `${show(ns)} is not a namespace name (DNS label)`);
    }
    return [...p.list];
  }

  /** The access entry. */
  public readonly entry: EksAccessEntry;
  /** The association of the access policy. */
  public readonly policyAssociation: EksAccessPolicyAssociation;

  constructor(scope: Construct, id: string, props: AccessEntryProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(AccessEntry.validate(props));
    problems.throwIfAny(this, "AccessEntry");
    this.entry = new EksAccessEntry(this, "entry", { clusterName: props.clusterName, principalArn: props.principalArn, type: "STANDARD" });
    this.policyAssociation = new EksAccessPolicyAssociation(this, "policy", {
      clusterName: props.clusterName,
      principalArn: this.entry.principalArn,
      policyArn: `arn:${awsContext(this).partition}:eks::aws:cluster-access-policy/${ACCESS_POLICY_NAMES[props.policy]}`,
      accessScope: props.namespaces ? { type: "namespace", namespaces: [...props.namespaces] } : { type: "cluster" },
    });
  }
}
