import { addSuppression } from "../compliance/suppressions";
import { Construct } from "constructs";
import { awsContext } from "../private/aws-context";
import { Problems, isDnsLabel, isLiteral, show } from "../private/validation";
import { IrsaRole } from "../security/irsa-role";
import { PodIdentityRole } from "../security/pod-identity-role";
import { PolicyDocument, PolicyStatementProps } from "../security/policy-document";

/** A Kubernetes service account, by namespace and name. */
export interface ControllerServiceAccount {
  /** Namespace of the service account (a DNS label). */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccount: string;
}

/** The controllers the add-ons stack installs that call AWS APIs. */
export type ControllerName = "awsLoadBalancerController" | "clusterAutoscaler" | "argoRollouts" | "keda" | "ebsCsiDriver";

/** Service accounts of the controllers as their charts (and the EBS CSI EKS add-on) name them by default. */
export const DEFAULT_CONTROLLER_SERVICE_ACCOUNTS: Record<ControllerName, ControllerServiceAccount> = Object.freeze({
  awsLoadBalancerController: Object.freeze({ namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" }),
  clusterAutoscaler: Object.freeze({ namespace: "kube-system", serviceAccount: "cluster-autoscaler" }),
  argoRollouts: Object.freeze({ namespace: "argo-rollouts", serviceAccount: "argo-rollouts" }),
  keda: Object.freeze({ namespace: "keda", serviceAccount: "keda-operator" }),
  ebsCsiDriver: Object.freeze({ namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" }),
});

const CONTROLLER_NAMES = Object.keys(DEFAULT_CONTROLLER_SERVICE_ACCOUNTS) as ControllerName[];

/**
 * Release of the AWS Load Balancer Controller whose IAM policy ControllerRoles transcribes.
 * Pin the controller's chart to this app version: a newer controller may call APIs the policy lacks.
 */
export const AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION = "v2.13.2";

/** Props of ControllerRoles. */
export interface ControllerRolesProps {
  /** Name of the EKS cluster, a literal (it appears in role names and in the cluster-autoscaler ownership condition). */
  readonly clusterName: string;
  /** ARN of the cluster; the Pod Identity trust policies admit only its pods. */
  readonly clusterArn: string;
  /** ARN of the cluster's IAM OIDC provider, trusted by the IRSA role (Argo Rollouts). */
  readonly oidcProviderArn: string;
  /** OIDC issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/...). */
  readonly oidcIssuerUrl: string;
  /** VPC of the cluster. Only checked: the upstream Load Balancer Controller policy, kept verbatim, is not scoped to a VPC. */
  readonly vpcId: string;
  /** ARN of the customer-managed KMS key the EBS CSI driver encrypts volumes with (a key ARN, not an alias). */
  readonly storageKeyArn: string;
  /** ARN of the Amazon Managed Prometheus workspace that KEDA and Argo Rollouts query. */
  readonly prometheusWorkspaceArn: string;
  /**
   * Service accounts, overridable per controller; the add-ons stack must create the same ones.
   * @default - DEFAULT_CONTROLLER_SERVICE_ACCOUNTS, the charts' defaults
   */
  readonly serviceAccounts?: Partial<Record<ControllerName, ControllerServiceAccount>>;
  /**
   * Tags for every resource.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * The IAM roles of the Kubernetes controllers that the add-ons stack installs with Helm, each with
 * least-privilege permissions and assumable only by its own service account: EKS Pod Identity
 * (trust pinned to cluster, namespace and service account through the session tags) wherever the
 * controller's AWS SDK supports it, IRSA otherwise.
 */
export class ControllerRoles extends Construct {
  /** AWS Load Balancer Controller: the upstream IAM policy (see AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION). */
  public readonly awsLoadBalancerController: PodIdentityRole;
  /** cluster-autoscaler: may scale only the Auto Scaling groups this cluster owns. */
  public readonly clusterAutoscaler: PodIdentityRole;
  /**
   * Argo Rollouts: read-only analysis (CloudWatch, ELB, AMP). IRSA, because its Prometheus SigV4 signer
   * (prometheus/common/sigv4 v0.1.0, aws-sdk-go v1.38) cannot read Pod Identity credentials:
   * https://github.com/argoproj/argo-rollouts/issues/4536
   */
  public readonly argoRollouts: IrsaRole;
  /** KEDA operator: queries the AMP workspace for its Prometheus triggers. */
  public readonly keda: PodIdentityRole;
  /** EBS CSI driver; not associated here: the aws-ebs-csi-driver EKS add-on's pod_identity_association binds it. */
  public readonly ebsCsiDriver: PodIdentityRole;
  /** Role ARNs by controller, for the add-ons stack. */
  public readonly roleArns: Record<ControllerName, string>;
  /** The service account each role trusts, by controller; the add-ons stack must create exactly these. */
  public readonly serviceAccounts: Record<ControllerName, ControllerServiceAccount>;

  constructor(scope: Construct, id: string, props: ControllerRolesProps) {
    super(scope, id);
    validate(props).throwIfAny(this, "ControllerRoles");

    const sa: Record<ControllerName, ControllerServiceAccount> = { ...DEFAULT_CONTROLLER_SERVICE_ACCOUNTS };
    for (const name of CONTROLLER_NAMES) sa[name] = { ...(props.serviceAccounts?.[name] ?? DEFAULT_CONTROLLER_SERVICE_ACCOUNTS[name]) };
    this.serviceAccounts = sa;

    const ctx = awsContext(this);
    const cluster = props.clusterName;
    const describe = (what: string, name: ControllerName) => `${what} of EKS cluster ${cluster} (${sa[name].namespace}/${sa[name].serviceAccount})`;
    const podIdentity = { clusterName: cluster, clusterArn: props.clusterArn, tags: props.tags };

    const lbc = loadBalancerControllerStatements(ctx.partition);
    this.awsLoadBalancerController = new PodIdentityRole(this, "aws-load-balancer-controller", {
      ...podIdentity,
      ...sa.awsLoadBalancerController,
      description: describe("AWS Load Balancer Controller", "awsLoadBalancerController"),
      purpose: "lb-controller",
      // As one document the upstream policy comes within ~450 characters of IAM's 6,144-character managed-policy
      // limit (and exceeds it in the synthesized JSON): split in two, so that a policy update cannot fail an apply.
      policies: {
        "discovery-and-security-groups": new PolicyDocument(lbc.slice(0, LBC_SPLIT)),
        "load-balancers": new PolicyDocument(lbc.slice(LBC_SPLIT)),
      },
    });
    // checkov CKV_AWS_290/355 flag the upstream policy's unconditioned grants on "*"; its own statements say why they are needed.
    for (const id of ["IamNoUnconstrainedWrite", "IamNoStarResourceForRestrictableActions"]) {
      addSuppression(this.awsLoadBalancerController, {
        id,
        reason: "The AWS Load Balancer Controller's published policy (kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json): "
          + "the controller creates security groups, listeners and rules whose ARNs do not exist before it runs, and reads certificates, "
          + "WAF and Shield state of the load balancers it manages; deletions and modifications of existing resources stay tag-conditioned.",
      });
    }

    this.clusterAutoscaler = new PodIdentityRole(this, "cluster-autoscaler", {
      ...podIdentity,
      ...sa.clusterAutoscaler,
      description: describe("cluster-autoscaler", "clusterAutoscaler"),
      purpose: "cluster-autoscaler",
      // kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md, "Full Cluster Autoscaler Features
      // Policy (Recommended)", with the write block restricted by tag as that README recommends.
      policies: {
        scaling: new PolicyDocument([
          {
            sid: "DiscoverNodeGroups",
            actions: [
              "autoscaling:DescribeAutoScalingGroups",
              "autoscaling:DescribeAutoScalingInstances",
              "autoscaling:DescribeLaunchConfigurations",
              "autoscaling:DescribeScalingActivities",
              "autoscaling:DescribeTags",
              "ec2:DescribeImages",
              "ec2:DescribeInstanceTypes",
              "ec2:DescribeLaunchTemplateVersions",
              "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            // Describe/List/Get calls that support no resource-level permissions.
            resources: ["*"],
          },
          {
            // The README grants it on "*"; its resource type is the node group (AWS service authorization reference), so it is
            // scoped to this cluster's node groups (IamNoStarResourceForRestrictableActions, checkov CKV_AWS_355).
            sid: "DescribeOwnNodeGroups",
            actions: ["eks:DescribeNodegroup"],
            resources: [`arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:nodegroup/${cluster}/*/*`],
          },
          {
            sid: "ScaleOwnedNodeGroups",
            actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            resources: [`arn:${ctx.partition}:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:*:autoScalingGroupName/*`],
            // EKS managed node groups tag their Auto Scaling groups k8s.io/cluster-autoscaler/<cluster> = owned.
            conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: "owned" } },
          },
        ]),
      },
    });

    this.argoRollouts = new IrsaRole(this, "argo-rollouts", {
      clusterName: cluster,
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerUrl: props.oidcIssuerUrl,
      ...sa.argoRollouts,
      description: describe("Argo Rollouts analysis", "argoRollouts"),
      purpose: "argo-rollouts",
      tags: props.tags,
      policies: {
        analysis: new PolicyDocument([
          // GetMetricData supports no resource-level permissions on metrics (its one resource type, a metrics dataset, is optional).
          { sid: "ReadAlbMetrics", actions: ["cloudwatch:GetMetricData"], resources: ["*"] },
          {
            // --aws-verify-target-group checks that the canary's targets are registered before shifting traffic.
            sid: "VerifyTargetGroups",
            actions: [
              "elasticloadbalancing:DescribeTargetGroups",
              "elasticloadbalancing:DescribeTargetHealth",
              "elasticloadbalancing:DescribeLoadBalancers",
              "elasticloadbalancing:DescribeListeners",
              "elasticloadbalancing:DescribeRules",
              "elasticloadbalancing:DescribeTags",
            ],
            resources: ["*"],
          },
          queryWorkspace(props.prometheusWorkspaceArn),
        ]),
      },
    });
    addSuppression(this.argoRollouts, {
      id: "IamNoStarResourceForRestrictableActions",
      reason: "cloudwatch:GetMetricData reads metrics, which take no resource ARN; the reference lists only an optional metrics dataset, which ALB metrics are not.",
    });

    this.keda = new PodIdentityRole(this, "keda", {
      ...podIdentity,
      ...sa.keda,
      description: describe("KEDA operator", "keda"),
      purpose: "keda",
      policies: { "query-metrics": new PolicyDocument([queryWorkspace(props.prometheusWorkspaceArn)]) },
    });

    this.ebsCsiDriver = new PodIdentityRole(this, "ebs-csi-driver", {
      ...podIdentity,
      ...sa.ebsCsiDriver,
      description: describe("EBS CSI driver", "ebsCsiDriver"),
      purpose: "ebs-csi",
      associate: false,
      managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"],
      // The customer-managed key policy of the EKS user guide (csi-iam-role) for volumes encrypted with a CMK.
      policies: {
        "storage-key": new PolicyDocument([
          {
            sid: "GrantStorageKeyToEbs",
            actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            resources: [props.storageKeyArn],
            conditions: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
          {
            sid: "UseStorageKey",
            actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            resources: [props.storageKeyArn],
          },
        ]),
      },
    });

    this.roleArns = {
      awsLoadBalancerController: this.awsLoadBalancerController.roleArn,
      clusterAutoscaler: this.clusterAutoscaler.roleArn,
      argoRollouts: this.argoRollouts.roleArn,
      keda: this.keda.roleArn,
      ebsCsiDriver: this.ebsCsiDriver.roleArn,
    };
  }
}

/** Read-only PromQL access to one AMP workspace. */
function queryWorkspace(workspaceArn: string): PolicyStatementProps {
  return {
    sid: "QueryPrometheusWorkspace",
    actions: ["aps:QueryMetrics", "aps:GetLabels", "aps:GetSeries", "aps:GetMetricMetadata"],
    resources: [workspaceArn],
  };
}

/** Index of the first statement of the second LBC policy (the elasticloadbalancing-write statements). */
const LBC_SPLIT = 8;

/**
 * The AWS Load Balancer Controller's IAM policy, transcribed statement by statement from
 * kubernetes-sigs/aws-load-balancer-controller v2.13.2, docs/install/iam_policy.json (as vendored verbatim in
 * aws/aws-cdk packages/@aws-cdk/aws-eks-v2-alpha/lib/addons/alb-iam_policy-v2.13.2.json). Only the partition
 * of the ARNs is parameterised, as upstream's iam_policy_us-gov.json / _cn.json variants do; the statement
 * ids are ours (upstream has none). Resource "*" is upstream's, for calls without resource-level permissions
 * or with the controller's ownership tag conditions instead.
 */
function loadBalancerControllerStatements(partition: string): PolicyStatementProps[] {
  const elb = `arn:${partition}:elasticloadbalancing:*:*`;
  const securityGroups = `arn:${partition}:ec2:*:*:security-group/*`;
  const loadBalancersAndTargetGroups = [`${elb}:targetgroup/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:loadbalancer/app/*/*`];
  const ownedByController = { Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } };
  const taggedForController = { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } };
  const retagOwned = { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true", "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } };
  return [
    {
      sid: "CreateElbServiceLinkedRole",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: ["*"],
      conditions: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      sid: "DescribeNetworkAndLoadBalancers",
      actions: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:GetCoipPoolUsage",
        "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools",
        "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      resources: ["*"],
    },
    {
      sid: "CertificatesWafAndShield",
      actions: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      resources: ["*"],
    },
    { sid: "ManageSecurityGroupIngress", actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: ["*"] },
    { sid: "CreateSecurityGroups", actions: ["ec2:CreateSecurityGroup"], resources: ["*"] },
    {
      sid: "TagSecurityGroupsOnCreate",
      actions: ["ec2:CreateTags"],
      resources: [securityGroups],
      conditions: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" }, ...taggedForController },
    },
    { sid: "RetagOwnedSecurityGroups", actions: ["ec2:CreateTags", "ec2:DeleteTags"], resources: [securityGroups], conditions: retagOwned },
    {
      sid: "ManageOwnedSecurityGroups",
      actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      resources: ["*"],
      conditions: ownedByController,
    },
    // ---- LBC_SPLIT: the second policy starts here ----
    {
      sid: "CreateTaggedLoadBalancers",
      actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      resources: ["*"],
      conditions: taggedForController,
    },
    {
      sid: "ManageListenersAndRules",
      actions: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      resources: ["*"],
    },
    {
      sid: "RetagOwnedLoadBalancers",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: loadBalancersAndTargetGroups,
      conditions: retagOwned,
    },
    {
      sid: "TagListenersAndRules",
      actions: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      resources: [`${elb}:listener/net/*/*/*`, `${elb}:listener/app/*/*/*`, `${elb}:listener-rule/net/*/*/*`, `${elb}:listener-rule/app/*/*/*`],
    },
    {
      sid: "ModifyOwnedLoadBalancers",
      actions: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ],
      resources: ["*"],
      conditions: ownedByController,
    },
    {
      sid: "TagLoadBalancersOnCreate",
      actions: ["elasticloadbalancing:AddTags"],
      resources: loadBalancersAndTargetGroups,
      conditions: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] }, ...taggedForController },
    },
    {
      sid: "RegisterTargets",
      actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      resources: [`${elb}:targetgroup/*/*`],
    },
    {
      sid: "ModifyListenersAndRules",
      actions: [
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
      ],
      resources: ["*"],
    },
  ];
}

const SERVICE_ACCOUNT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** ARN patterns for literal inputs; a wildcard or the wrong resource type would widen or break a policy. */
const ARN_PATTERNS: ReadonlyArray<{ prop: "clusterArn" | "oidcProviderArn" | "storageKeyArn" | "prometheusWorkspaceArn"; what: string; pattern: RegExp; example: string }> = [
  { prop: "clusterArn", what: "EKS cluster", pattern: /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z][A-Za-z0-9_-]*$/, example: "arn:aws:eks:us-east-1:123456789012:cluster/ml-prod" },
  { prop: "oidcProviderArn", what: "IAM OIDC provider", pattern: /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/[^*?\s]+$/, example: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE" },
  { prop: "storageKeyArn", what: "KMS key (key/..., not an alias)", pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, example: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  { prop: "prometheusWorkspaceArn", what: "AMP workspace", pattern: /^arn:aws[a-z-]*:aps:[a-z0-9-]+:\d{12}:workspace\/ws-[A-Za-z0-9-]+$/, example: "arn:aws:aps:us-east-1:123456789012:workspace/ws-0123abcd-4567-89ef-0123-456789abcdef" },
];

function validate(props: ControllerRolesProps): Problems {
  const p = new Problems();
  const name = props.clusterName;
  const nameOk = isLiteral(name) && /^[A-Za-z][A-Za-z0-9-]{0,39}$/.test(name);
  if (!nameOk) {
    p.add("clusterName", `${show(name)} must be a literal of letters, digits and "-", starting with a letter, at most 40 characters, e.g. "ml-prod"`);
  }
  const badArns = new Set<string>();
  for (const { prop, what, pattern, example } of ARN_PATTERNS) {
    const value = props[prop];
    if (isLiteral(value) && !pattern.test(value)) {
      badArns.add(prop);
      p.add(prop, `${show(value)} must be the ARN of a single ${what}, without wildcards; use e.g. "${example}"`);
    }
  }
  if (nameOk && isLiteral(props.clusterArn) && !badArns.has("clusterArn") && !props.clusterArn.endsWith(`:cluster/${name}`)) {
    p.add("clusterArn", `${show(props.clusterArn)} names another cluster than clusterName ${show(name)}`);
  }
  if (isLiteral(props.oidcIssuerUrl) && !/^https:\/\/[^*\s]+$/.test(props.oidcIssuerUrl)) {
    p.add("oidcIssuerUrl", `${show(props.oidcIssuerUrl)} is not an https issuer URL; use the cluster's identity.oidc.issuer`);
  }
  if (isLiteral(props.vpcId) && !/^vpc-[0-9a-f]{8,17}$/.test(props.vpcId)) p.add("vpcId", `${show(props.vpcId)} is not a VPC id; use e.g. "vpc-0123456789abcdef0"`);

  const overrides = props.serviceAccounts ?? {};
  for (const key of Object.keys(overrides)) {
    if (!(CONTROLLER_NAMES as string[]).includes(key)) p.add(`serviceAccounts.${key}`, `is not a controller; known: ${CONTROLLER_NAMES.join(", ")}`);
  }
  const owners = new Map<string, ControllerName>();
  for (const controller of CONTROLLER_NAMES) {
    const override = overrides[controller];
    const { namespace, serviceAccount } = override ?? DEFAULT_CONTROLLER_SERVICE_ACCOUNTS[controller];
    if (override) {
      p.when(!isDnsLabel(namespace ?? ""), `serviceAccounts.${controller}.namespace`, `${show(namespace)} is not a Kubernetes namespace name (lower-case letters, digits and "-", at most 63 characters)`);
      p.when(
        !SERVICE_ACCOUNT_NAME.test(serviceAccount ?? "") || serviceAccount.length > 253,
        `serviceAccounts.${controller}.serviceAccount`,
        `${show(serviceAccount)} is not a Kubernetes service account name (lower-case letters, digits, "-" and ".", at most 253 characters)`,
      );
    }
    const key = `${namespace}/${serviceAccount}`;
    const other = owners.get(key);
    // One service account can hold one Pod Identity association; two controllers on it would also share permissions.
    if (other) p.add(`serviceAccounts.${controller}`, `${show(key)} is already the service account of ${other}; give each controller its own`);
    else owners.set(key, controller);
  }
  return p;
}
