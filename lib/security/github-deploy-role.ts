import { Annotations, Aspects, IAspect, TerraformOutput, TerraformStack, Token, Tokenization } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { addSuppression } from "../compliance/suppressions";
import { awsContext } from "../private/aws-context";
import { datastoreIdPrefix } from "../private/datastore";
import { Problems, isLiteral, show } from "../private/validation";
import { PolicyConditions, PolicyDocument, PolicyStatementProps } from "./policy-document";

/** Props of a GithubDeployRole. */
export interface GithubDeployRoleProps {
  /**
   * "owner/name" of the repository allowed to assume the role, in the case GitHub shows (the trust policy compares
   * exactly). Repositories that use GitHub's immutable subject format (new repositories since mid-2026, or after an
   * opt-in) give it as "owner@<owner id>/name@<repository id>".
   */
  readonly repository: string;
  /**
   * Branches whose workflow runs may assume the role, e.g. ["main"]. A "*" inside a name is a wildcard ("release/*").
   * Jobs that name a GitHub environment present the environment, not the branch: list those in `environments`.
   * @default - none
   */
  readonly branches?: string[];
  /**
   * GitHub environments whose jobs may assume the role, e.g. ["production"]; protect them with required reviewers.
   * @default - none
   */
  readonly environments?: string[];
  /**
   * Lets workflow runs triggered by pull requests assume the role; read-only roles only (PR code must not deploy).
   * @default false
   */
  readonly pullRequests?: boolean;
  /**
   * ARN of the account's existing GitHub OIDC provider (IAM allows one per URL), e.g. another GithubDeployRole's
   * `oidcProviderArn`.
   * @default - a new provider for https://token.actions.githubusercontent.com with client id "sts.amazonaws.com"
   */
  readonly oidcProviderArn?: string;
  /**
   * Name prefix of the resources the stacks create: the cluster name, or a shorter start of it to cover several
   * clusters. IAM roles and policies, iam:PassRole, buckets, EKS resources, key aliases, log groups, the trail,
   * ElastiCache and RDS resources are limited to names starting with it, cut as the library's constructs cut names:
   * roles and policies on its first 16 characters, buckets, caches and databases on its first 20 and the trail on its
   * first 34, lower-cased.
   */
  readonly resourceNamePrefix: string;
  /**
   * Extra statements appended to the role's policies, e.g. the Terraform state's:
   * `backend.accessPolicyDocument(["ml/prod.tfstate"]).statements`.
   * @default - none
   */
  readonly additionalStatements?: PolicyStatementProps[];
  /**
   * Longest session a workflow gets, in seconds, 3600 to 43200.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /**
   * A read-only role for `cdktf diff` / plan (for pull requests) instead of a deploy role.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Tags for the role, its policies and the OIDC provider.
   * @default - none
   */
  readonly tags?: Record<string, string>;
  /**
   * A fixed role name, so other stacks can name the role's ARN as a literal (an EKS access entry for
   * CI in the platform stack, without reading the bootstrap stack's state). It must start with
   * "github-deploy-" (or "github-plan-" for a read-only role), outside the managed name prefix.
   * @default - a generated name starting with "github-deploy-<prefix>-" or "github-plan-<prefix>-"
   */
  readonly roleName?: string;
}

/** Issuer host of GitHub Actions' OIDC tokens on github.com; IAM names its condition keys after it. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Audience that aws-actions/configure-aws-credentials requests, and the OIDC provider's client id. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** Characters IAM allows in one customer-managed policy (whitespace not counted). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** Managed policies IAM attaches to one role (default quota; it can be raised to 20). */
const MAX_POLICIES_PER_ROLE = 10;

/** Longest name_prefix IAM accepts for a role (64 minus Terraform's 26-character unique suffix). */
const MAX_ROLE_NAME_PREFIX = 38;

/**
 * Length assumed for a Terraform reference in `additionalStatements` when measuring a policy: an ARN, which
 * rarely exceeds it. References of the library's own statements are measured at their longest real value.
 */
const REFERENCE_CHARS = 128;

// ---- Actions, per service. Deploy tables hold what `cdktf deploy` / `destroy` calls; read tables what a plan reads.

/** ec2: VPC, subnets, routes, NAT gateways and their addresses, endpoints, security groups, flow logs, node launch templates (RunInstances: node groups from a launch template need it, per Rancher's minimum EKS permissions). */
const EC2_DEPLOY = [
  "ec2:Create*", "ec2:Delete*", "ec2:Modify*", "ec2:Associate*", "ec2:Disassociate*", "ec2:Allocate*", "ec2:Release*",
  "ec2:Attach*", "ec2:Detach*", "ec2:Authorize*", "ec2:Revoke*", "ec2:Replace*", "ec2:RunInstances",
] as const;
/** ec2: every read of a plan or of a wait for a change; EC2 reads take no resource-level permissions. */
const EC2_READ = ["ec2:Describe*"] as const;
/** ec2: sharing snapshots and images, exporting, peering out, and changing what runs on an instance; no stack needs them, and the wildcards above would allow them. */
const EC2_NEVER = [
  "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "ec2:ModifyFpgaImageAttribute", "ec2:CreateInstanceExportTask",
  "ec2:CreateStoreImageTask", "ec2:CreateImage", "ec2:CreateSnapshot", "ec2:CreateSnapshots", "ec2:CreateVpcPeeringConnection",
  "ec2:CreateTransitGatewayPeeringAttachment", "ec2:ModifyInstanceAttribute", "ec2:AssociateIamInstanceProfile",
  "ec2:ReplaceIamInstanceProfileAssociation", "ec2:CreateKeyPair",
] as const;
/** autoscaling: cluster-autoscaler node-template tags on the node groups' Auto Scaling groups (GpuNodePool). */
const AUTOSCALING_DEPLOY = ["autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"] as const;
/** autoscaling: reading the groups EKS creates for node groups. */
const AUTOSCALING_READ = ["autoscaling:Describe*"] as const;
/** eks: clusters, node groups, add-ons, access entries and their access policies, pod identity associations. */
const EKS_DEPLOY = [
  "eks:Create*", "eks:Delete*", "eks:Update*", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
  "eks:AssociateEncryptionConfig", "eks:TagResource", "eks:UntagResource",
] as const;
/** eks: reads; add-on versions and cluster lists take no resource, so reads are not scoped. */
const EKS_READ = ["eks:Describe*", "eks:List*"] as const;
/** kms: creating keys (there is no key ARN to scope to before it exists) and listing aliases. */
const KMS_CREATE = ["kms:CreateKey", "kms:ListAliases"] as const;
/** kms: life cycle of the library's keys (EncryptionKey): policy, rotation, description, tags, scheduled deletion. */
const KMS_DEPLOY = [
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
  "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
] as const;
/** kms: what a plan reads of a key. */
const KMS_READ = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"] as const;
/** kms: aliases, which need permission on the alias and on the key it names. */
const KMS_ALIAS_DEPLOY = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"] as const;
/** kms: grants that EKS (secrets encryption) and Amazon Managed Prometheus create with the caller's permissions. */
const KMS_GRANT = ["kms:CreateGrant"] as const;
/** logs: control-plane, flow-log and trail log groups: retention, KMS key, metric filters (break-glass alarm), tags. */
const LOGS_DEPLOY = [
  "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey",
  "logs:DisassociateKmsKey", "logs:PutMetricFilter", "logs:DeleteMetricFilter", "logs:TagResource", "logs:UntagResource",
  "logs:TagLogGroup", "logs:UntagLogGroup", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
] as const;
/** logs: log group and metric filter reads; no log events. */
const LOGS_READ = ["logs:Describe*", "logs:ListTagsForResource", "logs:ListTagsLogGroup"] as const;
/** cloudwatch: alarms (cluster monitoring, break-glass use, rollouts) and their tags. */
const CLOUDWATCH_DEPLOY = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"] as const;
/** cloudwatch: alarm reads. */
const CLOUDWATCH_READ = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:GetDashboard", "cloudwatch:ListDashboards"] as const;
/** cloudwatch: endpoint dashboards. */
const CLOUDWATCH_DASHBOARD_DEPLOY = ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"] as const;
/** secretsmanager: router master keys (generated in AWS, written write-only) named after the cluster. */
const SECRETS_DEPLOY = [
  "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
  "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
  "secretsmanager:ListSecretVersionIds", "secretsmanager:GetSecretValue",
] as const;
/**
 * secretsmanager: what a plan reads of a secret: its metadata and policy, never its value. The aws provider
 * refreshes aws_secretsmanager_secret_version with GetSecretValue even when the value is write-only
 * (terraform-provider-aws internal/service/secretsmanager/secret_version.go, findSecretVersionByTwoPartKey, 5.x and
 * 6.x), so plans with this role run without refresh (`TF_CLI_ARGS_plan="-refresh=false"`, examples/ci). Terraform
 * opens the ephemeral aws_secretsmanager_random_password at plan time: GetRandomPassword, which touches no secret.
 */
const SECRETS_READ = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds"] as const;
/** secretsmanager: the calls that return secret values; a plan role is denied them whatever else it is given. */
const SECRET_VALUE_READS = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"] as const;
/**
 * elasticache: router response caches (replication group, its member nodes, subnet group, users and
 * user group), ids starting with the cluster name's first 20 characters, lower-cased.
 */
const ELASTICACHE_DEPLOY = [
  "elasticache:CreateReplicationGroup", "elasticache:ModifyReplicationGroup", "elasticache:DeleteReplicationGroup",
  "elasticache:IncreaseReplicaCount", "elasticache:DecreaseReplicaCount",
  "elasticache:CreateCacheSubnetGroup", "elasticache:ModifyCacheSubnetGroup", "elasticache:DeleteCacheSubnetGroup",
  "elasticache:CreateUser", "elasticache:ModifyUser", "elasticache:DeleteUser",
  "elasticache:CreateUserGroup", "elasticache:ModifyUserGroup", "elasticache:DeleteUserGroup",
  "elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource", "elasticache:ListTagsForResource",
] as const;
/** elasticache: reads (Describe* take Resource "*" for listings). */
const ELASTICACHE_READ = ["elasticache:Describe*", "elasticache:List*"] as const;
/**
 * rds: the router's LiteLLM database (instance, its subnet group and custom parameter group), ids starting
 * with the same prefix as the caches. ResetDBParameterGroup: the provider resets parameters removed from
 * aws_db_parameter_group. CreateDBSnapshot and AddTagsToResource: dependent actions of DeleteDBInstance
 * for the final snapshot (Service Authorization Reference); no DeleteDBSnapshot, final snapshots stay.
 */
const RDS_DEPLOY = [
  "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance", "rds:CreateDBSnapshot",
  "rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup", "rds:DeleteDBParameterGroup",
  "rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup",
  "rds:AddTagsToResource", "rds:RemoveTagsFromResource", "rds:ListTagsForResource",
] as const;
/** rds: the instance requests name the engine's default option group (og resource of CreateDBInstance / ModifyDBInstance). */
const RDS_DEFAULT_OPTION_GROUP = ["rds:CreateDBInstance", "rds:ModifyDBInstance"] as const;
/** rds: reads; engine versions and orderable options take no resource, so Describe* takes Resource "*" (no log downloads). */
const RDS_READ = ["rds:Describe*"] as const;
/** elasticloadbalancing: reads only; load balancers are made by the AWS Load Balancer Controller, endpoints look them up for alarms. */
const ELB_READ = ["elasticloadbalancing:Describe*"] as const;
/** sns: alarm topics, their policies (SetTopicAttributes), subscriptions and tags. */
const SNS_TOPIC_DEPLOY = [
  "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe",
  "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource", "sns:TagResource", "sns:UntagResource",
] as const;
/** sns: topic reads. */
const SNS_TOPIC_READ = ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"] as const;
/** sns: subscription actions; IAM defines no subscription resource type for them, so they take Resource "*". */
const SNS_SUBSCRIPTION_DEPLOY = ["sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"] as const;
/** sns: subscription reads. */
const SNS_SUBSCRIPTION_READ = ["sns:GetSubscriptionAttributes"] as const;
/** aps: Amazon Managed Prometheus workspaces, their configuration and logging, tags. */
const APS_WORKSPACE_DEPLOY = [
  "aps:CreateWorkspace", "aps:DeleteWorkspace", "aps:UpdateWorkspaceAlias", "aps:UpdateWorkspaceConfiguration",
  "aps:CreateLoggingConfiguration", "aps:UpdateLoggingConfiguration", "aps:DeleteLoggingConfiguration",
  "aps:TagResource", "aps:UntagResource",
] as const;
/**
 * aps: the endpoints' alerting rule groups and the workspace's Alertmanager definition (rollback alarms
 * judged from the servers' metrics); action names from the Service Authorization Reference for Amazon
 * Managed Service for Prometheus.
 */
const APS_ALERTING_DEPLOY = [
  "aps:CreateRuleGroupsNamespace", "aps:PutRuleGroupsNamespace", "aps:DeleteRuleGroupsNamespace",
  "aps:CreateAlertManagerDefinition", "aps:PutAlertManagerDefinition", "aps:DeleteAlertManagerDefinition",
] as const;
/** aps: managed scrapers; a CreateScraper request also names the EKS cluster and the workspace, so Resource "*". */
const APS_SCRAPER_DEPLOY = ["aps:CreateScraper", "aps:UpdateScraper", "aps:DeleteScraper"] as const;
/** aps: workspace and scraper reads; no metric queries. */
const APS_READ = ["aps:Describe*", "aps:List*"] as const;
/**
 * s3: the library's buckets and their configuration (policy, encryption, versioning, object lock, logging,
 * lifecycle), never their objects: a deploy cannot read model weights or delete audit logs. The state
 * objects come from StateBackend.accessPolicyDocument through additionalStatements.
 */
const S3_DEPLOY = [
  "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucket*", "s3:PutBucket*", "s3:DeleteBucket*",
  "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration", "s3:GetLifecycleConfiguration",
  "s3:PutLifecycleConfiguration", "s3:GetReplicationConfiguration",
] as const;
/** s3: bucket configuration only, never objects: plans on pull requests cannot read model weights or audit logs. */
const S3_READ = [
  "s3:ListBucket", "s3:GetBucket*", "s3:GetAccelerateConfiguration", "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
] as const;
/** cloudtrail: the audit trail, its event selectors and its logging state. */
const CLOUDTRAIL_DEPLOY = [
  "cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:DeleteTrail", "cloudtrail:StartLogging", "cloudtrail:StopLogging",
  "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors", "cloudtrail:AddTags", "cloudtrail:RemoveTags",
] as const;
/** cloudtrail: trail reads (not Get*, which includes CloudTrail Lake query results). */
const CLOUDTRAIL_READ = [
  "cloudtrail:DescribeTrails", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
  "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags", "cloudtrail:ListTrails",
] as const;
/**
 * iam: the stacks' roles (cluster, nodes, flow logs, trail, controllers, operators), never their inline policies.
 * CreateRole is not here: it is allowed only with the permissions boundary (IAM_ROLE_BOUNDED).
 */
const IAM_ROLE_DEPLOY = [
  "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy", "iam:DetachRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:ListRoleTags",
  "iam:ListInstanceProfilesForRole",
] as const;
/** iam: role reads (also of the service-linked roles). */
const IAM_ROLE_READ = ["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:ListRoleTags", "iam:ListInstanceProfilesForRole"] as const;
/** iam: the stacks' customer-managed policies and their versions. */
const IAM_POLICY_DEPLOY = [
  "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags", "iam:TagPolicy", "iam:UntagPolicy",
] as const;
/** iam: policy reads. */
const IAM_POLICY_READ = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"] as const;
/** iam: the clusters' IRSA OIDC providers (oidc.eks.*), never the GitHub provider this role trusts. */
const IAM_OIDC_DEPLOY = [
  "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:GetOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags",
] as const;
/** iam: IRSA OIDC provider reads. */
const IAM_OIDC_READ = ["iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags"] as const;
/** iam: service-linked roles the first deploy in an account may create (aws_iam_service_linked_role), read and delete. */
const IAM_SERVICE_LINKED_ROLE_DEPLOY = ["iam:GetRole", "iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus"] as const;
/**
 * iam: the calls that give a role permissions or set its boundary. IAM checks `iam:PermissionsBoundary` on them
 * (the boundary the request sets, or the one the role has), so with the condition they only reach roles that
 * carry the library's boundary ("Permissions boundaries for IAM entities", IAM User Guide:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html; condition key
 * iam:PermissionsBoundary: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary).
 */
const IAM_ROLE_BOUNDED = ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:PutRolePolicy"] as const;
/** iam: what would free a role from the boundary or rewrite the boundary; denied outright (the IAM User Guide's delegation example). */
const IAM_BOUNDARY_EDITS = ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"] as const;
/**
 * Services whose actions a role of the stacks may at most use (the boundary's ceiling, resources "*"): what the
 * library's roles are granted, read from lib/** (cluster and node roles with AmazonEKSClusterPolicy,
 * AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryPullOnly, AmazonEKS_CNI_Policy; the EBS CSI driver's
 * AmazonEBSCSIDriverPolicy; RDS Enhanced Monitoring; the AWS Load Balancer Controller (ELB, ACM, WAF, Shield,
 * Cognito); pod identity and IRSA roles for models, metrics and secrets; flow-log and trail delivery roles), and
 * what the deploy role itself does. Not IAM (the boundary allows it only as boundaryStatements lists) nor STS (no
 * role of the stacks assumes another; IRSA's AssumeRoleWithWebIdentity and Pod Identity need no permission).
 */
export const GITHUB_DEPLOY_BOUNDARY_SERVICES: readonly string[] = [
  "ec2", "autoscaling", "eks", "eks-auth", "ecr", "elasticloadbalancing", "acm", "wafv2", "waf-regional", "shield", "cognito-idp",
  "kms", "logs", "cloudwatch", "sns", "aps", "s3", "secretsmanager", "elasticache", "rds", "cloudtrail",
];

/** sts: the account id lookup of every stack (data aws_caller_identity). */
const STS_READ = ["sts:GetCallerIdentity"] as const;

/**
 * Services the stacks pass their roles to: EKS (cluster, node groups), EC2, flow logs, CloudTrail, Pod Identity,
 * AMP scrapers, and RDS Enhanced Monitoring (monitoring_role_arn, a role trusting monitoring.rds.amazonaws.com).
 */
export const GITHUB_DEPLOY_PASS_ROLE_SERVICES: readonly string[] = [
  "eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com", "cloudtrail.amazonaws.com", "pods.eks.amazonaws.com", "scraper.aps.amazonaws.com",
  "monitoring.rds.amazonaws.com",
];

/**
 * Services whose service-linked roles a deploy may create; AMP's managed scraper's role is under scraper.aps.amazonaws.com,
 * and RDS creates AWSServiceRoleForRDS (rds.amazonaws.com) with the caller's permissions on an account's first DB instance.
 */
export const GITHUB_DEPLOY_SERVICE_LINKED_ROLES: readonly string[] = [
  "eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com",
  "scraper.aps.amazonaws.com", "elasticache.amazonaws.com", "rds.amazonaws.com",
];

/** AWS managed policies that grant administration outright; a deploy never attaches them (a tripwire, not a boundary). */
const NEVER_ATTACHED_AWS_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"] as const;

/** Longest values of the AwsContext references, to measure policies before Terraform resolves them. */
const LONGEST_CONTEXT: PolicyContext = { partition: "aws-us-gov", accountId: "123456789012", dnsSuffix: "amazonaws.com.cn" };

/** The parts of an AwsContext the statements use. */
interface PolicyContext {
  readonly partition: string;
  readonly accountId: string;
  readonly dnsSuffix: string;
}

/** Statements for one service group, kept together in one policy where they fit. */
interface StatementGroup {
  readonly name: string;
  readonly statements: PolicyStatementProps[];
}

/**
 * Name prefixes as the library's constructs write them from a cluster name: IAM role and policy names keep its first
 * 16 characters (lib/private/iam.ts roleNamePrefix leaves 38 - purpose - 2 characters, and purposes run to 20),
 * bucket names its first 20, lower-cased, and the audit trail its first 34, lower-cased (SecureInferenceCluster);
 * key aliases and log groups carry either the name or that trail name. ElastiCache and RDS ids start with
 * datastoreIdPrefix of it (lower-cased, normalized, first 20 characters).
 */
function namePrefixes(prefix: string): { iam: string; s3: string; eks: string; trail: string; datastore: string; named: string[] } {
  const lower = prefix.toLowerCase();
  const ids = datastoreIdPrefix(prefix);
  return { iam: prefix.slice(0, 16), s3: lower.slice(0, 20), eks: prefix, trail: lower.slice(0, 34), datastore: ids, named: [...new Set([prefix, lower.slice(0, 34)])] };
}

/** ElastiCache resources of the router response caches: ids start with the cache prefix; the engines' default parameter groups are named in CreateReplicationGroup. */
function cacheResources(arn: (service: string, resource: string) => string, cache: string): string[] {
  return [
    ...["replicationgroup", "cluster", "subnetgroup", "user", "usergroup"].map((type) => arn("elasticache", `${type}:${cache}*`)),
    arn("elasticache", "parametergroup:default.*"),
  ];
}

/**
 * RDS resources of the LiteLLM database: instance "<prefix>-<hash>-litellm", its subnet group and "-pg17" parameter
 * group, and its final snapshot "<identifier>-final"; all start with the database prefix.
 */
function databaseResources(arn: (service: string, resource: string) => string, database: string): string[] {
  return ["db", "subgrp", "pg", "snapshot"].map((type) => arn("rds", `${type}:${database}*`));
}

/**
 * Log groups: "/aws/eks/<cluster>/cluster", "/aws/vpc/<cluster>/flow-logs", "/aws/cloudtrail/<trail>", and the RDS
 * exports "/aws/rds/instance/<identifier>/<log>", whose identifier starts with the database prefix, not the name.
 */
function logGroupResources(arn: (service: string, resource: string) => string, names: ReturnType<typeof namePrefixes>): string[] {
  return [...names.named.map((n) => arn("logs", `log-group:/aws/*/${n}*`)), arn("logs", `log-group:/aws/rds/instance/${names.datastore}*`)];
}

/** The role's own name prefix. It must not start with the managed prefix, or the role could rewrite its own permissions. */
function ownNamePrefix(props: Pick<GithubDeployRoleProps, "resourceNamePrefix" | "readOnly">): string {
  const base = `github-${props.readOnly ? "plan" : "deploy"}-`;
  return `${base}${props.resourceNamePrefix.slice(0, MAX_ROLE_NAME_PREFIX - base.length - 1)}-`;
}

/** The `sub` claims GitHub puts in tokens of the allowed workflow runs; ":" in a value is sent as "%3A". */
function subjectsOf(props: GithubDeployRoleProps): string[] {
  const repo = `repo:${props.repository}`;
  return [...new Set([
    ...(props.branches ?? []).map((b) => `${repo}:ref:refs/heads/${b}`),
    ...(props.environments ?? []).map((e) => `${repo}:environment:${e.replace(/:/g, "%3A")}`),
    ...(props.pullRequests ? [`${repo}:pull_request`] : []),
  ])];
}

/** Name of the permissions boundary policy of a deploy role: after its fixed name, else after its name prefix. */
function boundaryName(props: Pick<GithubDeployRoleProps, "roleName" | "resourceNamePrefix" | "readOnly">): string {
  return props.roleName ? `${props.roleName}-boundary` : `${ownNamePrefix(props)}boundary`;
}

/** The IAM statements a deploy role and its boundary share: roles get permissions only under the boundary, which nothing removes or rewrites. */
function boundedIamStatements(c: PolicyContext, names: ReturnType<typeof namePrefixes>, boundaryArn: string): PolicyStatementProps[] {
  const iam = (resource: string) => `arn:${c.partition}:iam::${c.accountId}:${resource}`;
  const roles = iam(`role/${names.iam}*`);
  const withBoundary = { StringEquals: { "iam:PermissionsBoundary": boundaryArn } };
  return [
    { sid: "IamCreateRolesOnlyUnderBoundary", actions: IAM_ROLE_BOUNDED.filter((a) => a !== "iam:AttachRolePolicy"), resources: [roles], conditions: withBoundary },
    {
      sid: "IamAttachPolicies",
      actions: ["iam:AttachRolePolicy"],
      resources: [roles],
      // The stacks' own policies, or AWS managed ones (e.g. AmazonEKSClusterPolicy), and only to roles under the boundary.
      conditions: { ...withBoundary, ArnLike: { "iam:PolicyARN": [iam(`policy/${names.iam}*`), `arn:${c.partition}:iam::aws:policy/*`] } },
    },
    // StringNotEquals also matches a request without a boundary: no statement, additional ones included, can allow it.
    { sid: "IamNeverRolesWithoutBoundary", effect: "Deny", actions: [...IAM_ROLE_BOUNDED], resources: ["*"], conditions: { StringNotEquals: { "iam:PermissionsBoundary": boundaryArn } } },
    { sid: "IamNeverRemoveBoundaries", effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], resources: ["*"] },
    { sid: "IamNeverChangeBoundary", effect: "Deny", actions: [...IAM_BOUNDARY_EDITS], resources: [boundaryArn] },
  ];
}

/**
 * The permissions boundary: the most any role of the stacks may do, the deploy role included. Every library service
 * on Resource "*", IAM only as the deploy role uses it (roles and policies of the prefix, roles only under this
 * boundary, passed only to the services that use them), and nothing that removes or rewrites the boundary: a role
 * created under it, whatever policy it is given, gets no other IAM action, no `iam:*` and no `*:*`.
 */
function boundaryStatements(c: PolicyContext, props: GithubDeployRoleProps): PolicyStatementProps[] {
  const names = namePrefixes(props.resourceNamePrefix);
  const iam = (resource: string) => `arn:${c.partition}:iam::${c.accountId}:${resource}`;
  const boundaryArn = iam(`policy/${boundaryName(props)}`);
  const roles = iam(`role/${names.iam}*`);
  const serviceLinkedRoles = GITHUB_DEPLOY_SERVICE_LINKED_ROLES.map((s) => iam(`role/aws-service-role/${s}/*`));
  return [
    { sid: "LibraryServices", actions: GITHUB_DEPLOY_BOUNDARY_SERVICES.map((s) => `${s}:*`), resources: ["*"] },
    { sid: "StsIdentity", actions: [...STS_READ], resources: ["*"] },
    {
      sid: "IamReadAndServiceLinkedRoles",
      // Reads; the Load Balancer Controller's certificate lookups; service-linked roles (EKS, ELB) as AmazonEKSClusterPolicy creates them.
      actions: ["iam:Get*", "iam:List*", "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus"],
      resources: ["*"],
    },
    { sid: "IamManagePrefixRoles", actions: [...IAM_ROLE_DEPLOY], resources: [roles, ...serviceLinkedRoles] },
    { sid: "IamManagePrefixPolicies", actions: [...IAM_POLICY_DEPLOY], resources: [iam(`policy/${names.iam}*`)] },
    { sid: "IamManageClusterOidcProviders", actions: [...IAM_OIDC_DEPLOY], resources: [iam("oidc-provider/oidc.eks.*")] },
    { sid: "IamPassRolesToServices", actions: ["iam:PassRole"], resources: [roles], conditions: { StringEquals: { "iam:PassedToService": [...GITHUB_DEPLOY_PASS_ROLE_SERVICES] } } },
    ...boundedIamStatements(c, names, boundaryArn),
  ];
}

function deployGroups(c: PolicyContext, props: GithubDeployRoleProps): StatementGroup[] {
  const prefix = props.resourceNamePrefix;
  const names = namePrefixes(prefix);
  const arn = (service: string, resource: string) => `arn:${c.partition}:${service}:*:${c.accountId}:${resource}`;
  const iam = (resource: string) => `arn:${c.partition}:iam::${c.accountId}:${resource}`;
  const keys = arn("kms", "key/*");
  const roles = iam(`role/${names.iam}*`);
  const serviceLinkedRoles = GITHUB_DEPLOY_SERVICE_LINKED_ROLES.map((s) => iam(`role/aws-service-role/${s}/*`));
  return [
    {
      name: "network",
      statements: [
        { sid: "Ec2ManageNetworkAndLaunchTemplates", actions: [...EC2_DEPLOY], resources: ["*"] },
        { sid: "Ec2Read", actions: [...EC2_READ], resources: ["*"] },
        { sid: "Ec2NeverShareOrExport", effect: "Deny", actions: [...EC2_NEVER], resources: ["*"] },
        // EKS names a node group's Auto Scaling group "eks-<node group name>-<uuid>"; node group names start with the cluster name.
        { sid: "AutoScalingNodeTemplateTags", actions: [...AUTOSCALING_DEPLOY], resources: [arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/eks-${names.eks}*`)] },
        { sid: "AutoScalingRead", actions: [...AUTOSCALING_READ], resources: ["*"] },
      ],
    },
    {
      name: "eks",
      statements: [
        {
          sid: "EksManageClusters",
          actions: [...EKS_DEPLOY],
          resources: ["cluster", "nodegroup", "addon", "access-entry", "podidentityassociation"].map((t) => arn("eks", `${t}/${names.eks}*`)),
        },
        { sid: "EksRead", actions: [...EKS_READ], resources: ["*"] },
      ],
    },
    {
      name: "kms",
      statements: [
        { sid: "KmsCreateKeys", actions: [...KMS_CREATE], resources: ["*"] },
        { sid: "KmsManageKeys", actions: [...KMS_DEPLOY], resources: [keys] },
        { sid: "KmsManageAliases", actions: [...KMS_ALIAS_DEPLOY], resources: [...names.named.map((a) => arn("kms", `alias/${a}*`)), keys] },
        { sid: "KmsGrantsForAwsServices", actions: [...KMS_GRANT], resources: [keys], conditions: { Bool: { "kms:GrantIsForAWSResource": true } } },
      ],
    },
    {
      name: "observability",
      statements: [
        // The stacks' log groups only, never other teams'.
        { sid: "LogsManageLogGroups", actions: [...LOGS_DEPLOY], resources: logGroupResources(arn, names) },
        { sid: "LogsRead", actions: [...LOGS_READ], resources: ["*"] },
        { sid: "CloudWatchManageAlarms", actions: [...CLOUDWATCH_DEPLOY], resources: [arn("cloudwatch", "alarm:*")] },
        // Dashboard ARNs carry no region; endpoint dashboards are named after the cluster.
        { sid: "CloudWatchManageDashboards", actions: [...CLOUDWATCH_DASHBOARD_DEPLOY], resources: names.named.map((n) => `arn:${c.partition}:cloudwatch::${c.accountId}:dashboard/${n}*`) },
        { sid: "CloudWatchRead", actions: [...CLOUDWATCH_READ], resources: ["*"] },
        { sid: "ElbRead", actions: [...ELB_READ], resources: ["*"] },
        { sid: "SnsManageTopics", actions: [...SNS_TOPIC_DEPLOY], resources: [arn("sns", "*")] },
        { sid: "SnsManageSubscriptions", actions: [...SNS_SUBSCRIPTION_DEPLOY], resources: ["*"] },
        { sid: "ApsManageWorkspaces", actions: [...APS_WORKSPACE_DEPLOY], resources: [arn("aps", "*")] },
        { sid: "ApsManageAlerting", actions: [...APS_ALERTING_DEPLOY], resources: [arn("aps", "*")] },
        { sid: "ApsManageScrapers", actions: [...APS_SCRAPER_DEPLOY], resources: ["*"] },
        { sid: "ApsRead", actions: [...APS_READ], resources: ["*"] },
      ],
    },
    {
      name: "secrets",
      statements: [
        { sid: "SecretsManagerManageSecrets", actions: [...SECRETS_DEPLOY], resources: names.named.map((n) => arn("secretsmanager", `secret:${n}/*`)) },
        // Generates values (the router's master key) and touches no secret.
        { sid: "SecretsManagerRandomPassword", actions: ["secretsmanager:GetRandomPassword"], resources: ["*"] },
        {
          sid: "KmsThroughSecretsManager",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [keys],
          conditions: { StringLike: { "kms:ViaService": `secretsmanager.*.${c.dnsSuffix}` } },
        },
      ],
    },
    {
      name: "cache",
      statements: [
        { sid: "ElastiCacheManageResponseCaches", actions: [...ELASTICACHE_DEPLOY], resources: cacheResources(arn, names.datastore) },
        { sid: "ElastiCacheRead", actions: [...ELASTICACHE_READ], resources: ["*"] },
      ],
    },
    {
      name: "database",
      statements: [
        { sid: "RdsManageLitellmDatabases", actions: [...RDS_DEPLOY], resources: databaseResources(arn, names.datastore) },
        { sid: "RdsUseDefaultOptionGroups", actions: [...RDS_DEFAULT_OPTION_GROUP], resources: [arn("rds", "og:default:postgres-*")] },
        { sid: "RdsRead", actions: [...RDS_READ], resources: ["*"] },
        // Storage and Performance Insights encryption with the caller's permissions (RDS User Guide, "AWS KMS key management").
        {
          sid: "KmsThroughRds",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [keys],
          conditions: { StringLike: { "kms:ViaService": `rds.*.${c.dnsSuffix}` } },
        },
      ],
    },
    {
      name: "storage and audit",
      statements: [
        { sid: "S3ManageBuckets", actions: [...S3_DEPLOY], resources: [`arn:${c.partition}:s3:::${names.s3}*`] },
        // Only the stacks' trail: stopping or deleting another trail would blind the account's audit.
        { sid: "CloudTrailManageTrails", actions: [...CLOUDTRAIL_DEPLOY], resources: [arn("cloudtrail", `trail/${names.trail}*`)] },
        { sid: "CloudTrailRead", actions: [...CLOUDTRAIL_READ], resources: ["*"] },
      ],
    },
    {
      name: "iam",
      statements: [
        { sid: "IamManageRoles", actions: [...IAM_ROLE_DEPLOY], resources: [roles] },
        ...boundedIamStatements(c, names, iam(`policy/${boundaryName(props)}`)),
        {
          sid: "IamNeverAttachAdministration",
          effect: "Deny",
          actions: ["iam:AttachRolePolicy"],
          resources: ["*"],
          conditions: { ArnLike: { "iam:PolicyARN": NEVER_ATTACHED_AWS_POLICIES.map((n) => `arn:${c.partition}:iam::aws:policy/${n}`) } },
        },
        { sid: "IamManagePolicies", actions: [...IAM_POLICY_DEPLOY], resources: [iam(`policy/${names.iam}*`)] },
        { sid: "IamManageClusterOidcProviders", actions: [...IAM_OIDC_DEPLOY], resources: [iam("oidc-provider/oidc.eks.*")] },
        {
          sid: "IamPassRolesToServices",
          actions: ["iam:PassRole"],
          resources: [roles],
          conditions: { StringEquals: { "iam:PassedToService": [...GITHUB_DEPLOY_PASS_ROLE_SERVICES] } },
        },
        {
          sid: "IamCreateServiceLinkedRoles",
          actions: ["iam:CreateServiceLinkedRole"],
          resources: serviceLinkedRoles,
          conditions: { StringEquals: { "iam:AWSServiceName": [...GITHUB_DEPLOY_SERVICE_LINKED_ROLES] } },
        },
        { sid: "IamManageServiceLinkedRoles", actions: [...IAM_SERVICE_LINKED_ROLE_DEPLOY], resources: serviceLinkedRoles },
        { sid: "StsIdentity", actions: [...STS_READ], resources: ["*"] },
      ],
    },
  ];
}

function readOnlyGroups(c: PolicyContext, prefix: string): StatementGroup[] {
  const names = namePrefixes(prefix);
  const arn = (service: string, resource: string) => `arn:${c.partition}:${service}:*:${c.accountId}:${resource}`;
  const iam = (resource: string) => `arn:${c.partition}:iam::${c.accountId}:${resource}`;
  const keys = arn("kms", "key/*");
  return [
    {
      name: "network",
      statements: [
        { sid: "Ec2Read", actions: [...EC2_READ], resources: ["*"] },
        { sid: "AutoScalingRead", actions: [...AUTOSCALING_READ], resources: ["*"] },
      ],
    },
    { name: "eks", statements: [{ sid: "EksRead", actions: [...EKS_READ], resources: ["*"] }] },
    {
      name: "kms",
      statements: [
        { sid: "KmsReadKeys", actions: [...KMS_READ], resources: [keys] },
        { sid: "KmsListAliases", actions: ["kms:ListAliases"], resources: ["*"] },
      ],
    },
    {
      name: "observability",
      statements: [
        { sid: "LogsRead", actions: [...LOGS_READ], resources: ["*"] },
        { sid: "CloudWatchRead", actions: [...CLOUDWATCH_READ], resources: ["*"] },
        { sid: "ElbRead", actions: [...ELB_READ], resources: ["*"] },
        { sid: "SnsReadTopics", actions: [...SNS_TOPIC_READ], resources: [arn("sns", "*")] },
        { sid: "SnsReadSubscriptions", actions: [...SNS_SUBSCRIPTION_READ], resources: ["*"] },
        { sid: "ApsRead", actions: [...APS_READ], resources: ["*"] },
      ],
    },
    {
      name: "secrets",
      statements: [
        { sid: "SecretsManagerReadMetadata", actions: [...SECRETS_READ], resources: names.named.map((n) => arn("secretsmanager", `secret:${n}/*`)) },
        { sid: "SecretsManagerRandomPassword", actions: ["secretsmanager:GetRandomPassword"], resources: ["*"] },
        // Pull-request code runs with this role: no secret value (router master key, team keys, database password), whatever else it is given.
        { sid: "NeverReadSecretValues", effect: "Deny", actions: [...SECRET_VALUE_READS], resources: ["*"] },
        { sid: "NeverDecryptThroughSecretsManager", effect: "Deny", actions: ["kms:Decrypt"], resources: ["*"], conditions: { StringLike: { "kms:ViaService": `secretsmanager.*.${c.dnsSuffix}` } } },
      ],
    },
    { name: "cache", statements: [{ sid: "ElastiCacheRead", actions: [...ELASTICACHE_READ], resources: ["*"] }] },
    {
      // The provider reads master_user_secret from DescribeDBInstances: no Secrets Manager or KMS call.
      name: "database",
      statements: [
        { sid: "RdsRead", actions: [...RDS_READ], resources: ["*"] },
        { sid: "RdsReadTags", actions: ["rds:ListTagsForResource"], resources: databaseResources(arn, names.datastore) },
      ],
    },
    {
      name: "storage and audit",
      statements: [
        { sid: "S3ReadBucketConfiguration", actions: [...S3_READ], resources: [`arn:${c.partition}:s3:::${names.s3}*`] },
        { sid: "CloudTrailRead", actions: [...CLOUDTRAIL_READ], resources: ["*"] },
      ],
    },
    {
      name: "iam",
      statements: [
        {
          sid: "IamReadRoles",
          actions: [...IAM_ROLE_READ],
          resources: [iam(`role/${names.iam}*`), ...GITHUB_DEPLOY_SERVICE_LINKED_ROLES.map((s) => iam(`role/aws-service-role/${s}/*`))],
        },
        { sid: "IamReadPolicies", actions: [...IAM_POLICY_READ], resources: [iam(`policy/${names.iam}*`)] },
        { sid: "IamReadClusterOidcProviders", actions: [...IAM_OIDC_READ], resources: [iam("oidc-provider/oidc.eks.*")] },
        { sid: "StsIdentity", actions: [...STS_READ], resources: ["*"] },
      ],
    },
  ];
}

/** The group of `additionalStatements`. */
const ADDITIONAL_GROUP = "additional";

function groupsFor(c: PolicyContext, props: GithubDeployRoleProps): StatementGroup[] {
  const own = props.readOnly ? readOnlyGroups(c, props.resourceNamePrefix) : deployGroups(c, props);
  const extra = props.additionalStatements ?? [];
  return extra.length > 0 ? [...own, { name: ADDITIONAL_GROUP, statements: [...extra] }] : own;
}

/**
 * Characters of a policy document as IAM counts them: the compact JSON, with each Terraform reference counted
 * at REFERENCE_CHARS (the library's own statements are built with LONGEST_CONTEXT and hold none).
 */
function policyLength(statements: PolicyStatementProps[]): number {
  const json = new PolicyDocument(statements).toJson();
  if (!Token.isUnresolved(json)) return json.length;
  const fragments = Tokenization.reverseString(json);
  const literal = fragments.literals.reduce((n: number, l: unknown) => n + String(l).length, 0);
  return literal + fragments.tokens.length * REFERENCE_CHARS;
}

/** Splits the groups into policies under MANAGED_POLICY_MAX_CHARS, keeping each group whole where it fits. */
function pack(groups: StatementGroup[]): Array<{ sids: string[]; groups: string[] }> {
  const parts: Array<{ statements: PolicyStatementProps[]; groups: string[] }> = [];
  let current: { statements: PolicyStatementProps[]; groups: string[] } = { statements: [], groups: [] };
  const fits = (statements: PolicyStatementProps[]) => policyLength(statements) <= MANAGED_POLICY_MAX_CHARS;
  const close = () => {
    if (current.statements.length > 0) parts.push(current);
    current = { statements: [], groups: [] };
  };
  const addTo = (statements: PolicyStatementProps[], group: string) => {
    current.statements.push(...statements);
    if (!current.groups.includes(group)) current.groups.push(group);
  };
  for (const g of groups) {
    // The user's own statements get policies of their own, so that the library's reasoned suppressions
    // (GithubDeployRole's constructor) cover only the library's statements.
    if (g.name === ADDITIONAL_GROUP) close();
    if (fits([...current.statements, ...g.statements])) {
      addTo(g.statements, g.name);
    } else if (fits(g.statements)) {
      close();
      addTo(g.statements, g.name);
    } else {
      // A group too large for one policy: statement by statement (a single statement over the limit is a validation error).
      for (const s of g.statements) {
        if (!fits([...current.statements, s])) close();
        addTo([s], g.name);
      }
    }
  }
  close();
  return parts.map((p) => ({ sids: p.statements.map((s) => s.sid), groups: p.groups }));
}

const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const IMMUTABLE_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}@\d+\/[A-Za-z0-9._-]{1,100}@\d+$/;
const RESOURCE_NAME_PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,39}$/;
const GITHUB_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/**
 * The IAM role that GitHub Actions assumes, through GitHub's OIDC provider and without long-lived keys, to run
 * `cdktf deploy` (or, with `readOnly`, `cdktf diff`) for the library's stacks. The trust policy admits tokens for the
 * "sts.amazonaws.com" audience whose subject is exactly one of the named branches, environments or pull requests of
 * one repository. Permissions are customer-managed policies, split to stay under IAM's size limit, that name the
 * actions of each service the stacks use, with IAM, S3, EKS, log groups, the trail, caches and databases limited to the
 * resource name prefix and roles passed only to the services that need them.
 *
 * A role that may create roles and policies could reach any permission through a role it creates and then assumes,
 * so a deploy role carries a permissions boundary it creates (`permissionsBoundary`), and may create roles, attach
 * policies and set boundaries only with that boundary; it can neither remove a boundary nor change the boundary
 * policy. Give the stacks it deploys the boundary with `GithubDeployRole.applyPermissionsBoundary`. A read-only role
 * carries none and reads no secret value. Its own name lies outside the prefix, so it cannot change itself: create it from a bootstrap stack that an
 * administrator deploys, and keep deploys behind a protected branch or an environment with required reviewers.
 */
export class GithubDeployRole extends Construct {
  /** Validates props without creating anything; returns one line per problem, each starting with `prefix`. */
  static validate(props: GithubDeployRoleProps, prefix = ""): string[] {
    const p = new Problems();
    const repo = props.repository;
    if (isLiteral(repo)) {
      if (!REPOSITORY.test(repo) && !IMMUTABLE_REPOSITORY.test(repo)) {
        p.add(`${prefix}repository`, `${show(repo)} must be "owner/name" (owner: 1-39 letters, digits or "-", not starting with "-"; name: 1-100 letters, digits, ".", "_" or "-"), e.g. "octo-org/ml-platform"`);
      } else if (/\/\.{1,2}(@|$)/.test(repo)) {
        p.add(`${prefix}repository`, `${show(repo)} names "." or "..", which GitHub does not allow as a repository name`);
      }
    }

    const branches = props.branches ?? [];
    const environments = props.environments ?? [];
    if (branches.length === 0 && environments.length === 0 && !props.pullRequests) {
      p.add(`${prefix}branches`, `none of branches, environments or pullRequests is given; name who may assume the role, e.g. branches: ["main"] or environments: ["production"]`);
    }
    for (const b of branches) {
      if (!isLiteral(b)) continue;
      if (/^\*+$/.test(b)) {
        p.add(`${prefix}branches`, `${show(b)} would let every branch, including any pushed by a contributor, assume the role; list the branches, e.g. ["main"], or a pattern such as "release/*"`);
      } else if (b.startsWith("refs/")) {
        p.add(`${prefix}branches`, `${show(b)} is a ref, not a branch name; give the name without "refs/heads/", e.g. "main"`);
      } else if (b.length === 0 || /[\s~^:?[\\]|\.\.|@\{|^[/-]|\/$|\.lock$/.test(b)) {
        p.add(`${prefix}branches`, `${show(b)} is not a Git branch name; use e.g. "main" or "release/*"`);
      }
    }
    for (const e of environments) {
      if (!isLiteral(e)) continue;
      if (e.trim().length === 0 || e.length > 255) p.add(`${prefix}environments`, `${show(e)} must be a GitHub environment name of 1 to 255 characters, e.g. "production"`);
      else if (/[*?]/.test(e)) p.add(`${prefix}environments`, `${show(e)} contains a wildcard; list each environment by name`);
    }
    if (props.pullRequests && !props.readOnly) {
      p.add(`${prefix}pullRequests`, `a deploy role must not trust pull requests, whose code anyone who opens one controls; use readOnly: true for plan on pull requests, and a separate deploy role for branches or environments`);
    }
    if (props.readOnly) {
      // A plan role must not write state: pull-request code could overwrite production state.
      for (const st of props.additionalStatements ?? []) {
        const writes = st.actions.filter((act) => /^(s3:(Put|Delete|Replicate|Restore)|kms:(Encrypt|ReEncrypt))/i.test(act));
        const onlyLocks = (st.resources ?? []).every((r) => isLiteral(r) ? r.endsWith(".tflock") : /\.tflock$/.test(r));
        if ((st.effect ?? "Allow") === "Allow" && writes.length > 0 && !onlyLocks) {
          p.add(`${prefix}additionalStatements`, `statement ${show(st.sid)} lets a read-only role write (${writes.join(", ")}); use StateBackend.accessPolicyDocument(keys, { readOnly: true }) for plan roles`);
        }
        const values = st.actions.filter((act) => /^secretsmanager:(Batch)?Get(SecretValue|\*)|^secretsmanager:\*$|^\*$/i.test(act));
        if ((st.effect ?? "Allow") === "Allow" && values.length > 0) {
          p.add(`${prefix}additionalStatements`, `statement ${show(st.sid)} lets a read-only role read secret values (${values.join(", ")}); plans need only DescribeSecret, and run without refresh (TF_CLI_ARGS_plan="-refresh=false")`);
        }
      }
    }

    const fixed = props.roleName;
    if (fixed !== undefined && isLiteral(fixed)) {
      const start = `github-${props.readOnly ? "plan" : "deploy"}-`;
      if (!fixed.startsWith(start) || !/^[\w+=,.@-]{1,64}$/.test(fixed)) {
        p.add(`${prefix}roleName`, `${show(fixed)} must be an IAM role name of at most 64 characters starting with "${start}", e.g. "${start}ml-prod"`);
      }
    }

    const session = props.maxSessionDurationSeconds ?? 3600;
    if (isLiteral(session) && (!Number.isInteger(session) || session < 3600 || session > 43200)) {
      p.add(`${prefix}maxSessionDurationSeconds`, `${session} must be a whole number of seconds from 3600 (1 hour) to 43200 (12 hours)`);
    }

    const namePrefix = props.resourceNamePrefix;
    let prefixOk = true;
    if (isLiteral(namePrefix)) {
      if (!RESOURCE_NAME_PREFIX.test(namePrefix)) {
        prefixOk = false;
        p.add(`${prefix}resourceNamePrefix`, `${show(namePrefix)} must be 1 to 40 letters, digits or "-", starting with a letter: the cluster name, e.g. "ml-prod"`);
      } else {
        const own = ownNamePrefix(props);
        if (own.toLowerCase().startsWith(namePrefixes(namePrefix).iam.toLowerCase())) {
          p.add(`${prefix}resourceNamePrefix`, `${show(namePrefix)} also covers this role's own name ("${own}...", IAM names ignore case), so the role could rewrite its own permissions; use the cluster name, e.g. "ml-prod"`);
        }
      }
    } else {
      prefixOk = false;
      p.add(`${prefix}resourceNamePrefix`, "is a Terraform reference; give the prefix literally, since IAM resource patterns are built from it");
    }

    const arn = props.oidcProviderArn;
    if (arn !== undefined && isLiteral(arn) && !GITHUB_PROVIDER_ARN.test(arn)) {
      p.add(`${prefix}oidcProviderArn`, `${show(arn)} is not the ARN of GitHub's OIDC provider; use e.g. "arn:aws:iam::111122223333:oidc-provider/${GITHUB_OIDC_HOST}"`);
    }

    const extra = props.additionalStatements ?? [];
    const builtIn = new Set(groupsFor(LONGEST_CONTEXT, { ...props, additionalStatements: [] }).flatMap((g) => g.statements.map((s) => s.sid)));
    const seen = new Set<string>();
    let statementsOk = true;
    extra.forEach((s, i) => {
      const at = `${prefix}additionalStatements[${i}]`;
      const before = p.list.length;
      if (!/^[A-Za-z0-9]+$/.test(s.sid)) p.add(`${at}.sid`, `${show(s.sid)} must be letters and digits only (IAM statement ids)`);
      else if (builtIn.has(s.sid) || seen.has(s.sid)) p.add(`${at}.sid`, `${show(s.sid)} is already used by another statement of this role; give each statement its own sid`);
      seen.add(s.sid);
      if (s.principals) p.add(`${at}.principals`, "identity policies have no Principal; remove it");
      if (s.actions.length === 0) p.add(`${at}.actions`, "is empty; list the actions the statement allows");
      const broad = s.actions.filter((a) => isLiteral(a) && (a === "*" || /^[^:]+:\*$/.test(a)));
      if ((s.effect ?? "Allow") === "Allow" && broad.length > 0) {
        p.add(`${at}.actions`, `${show(broad)} allows every action of a service; list the actions the deploy needs, e.g. ["s3:GetObject", "s3:PutObject"]`);
      }
      if (!s.resources || s.resources.length === 0) p.add(`${at}.resources`, `is empty; name the resources, e.g. the state bucket's ARN`);
      if (p.list.length > before) statementsOk = false;
      else if (policyLength([s]) > MANAGED_POLICY_MAX_CHARS) {
        statementsOk = false;
        p.add(`${at}`, `renders to more than ${MANAGED_POLICY_MAX_CHARS} characters, the limit of one managed policy; split it into smaller statements`);
      }
    });
    if (statementsOk && prefixOk) {
      const parts = pack(groupsFor(LONGEST_CONTEXT, props));
      if (parts.length > MAX_POLICIES_PER_ROLE) {
        p.add(`${prefix}additionalStatements`, `the permissions need ${parts.length} managed policies, more than the ${MAX_POLICIES_PER_ROLE} IAM attaches to a role; merge statements that share actions`);
      }
    }
    return [...p.list];
  }

  /** The role. */
  public readonly role: IamRole;
  /** The role's ARN, for `role-to-assume` of aws-actions/configure-aws-credentials. */
  public readonly roleArn: string;
  /** ARN of the GitHub OIDC provider the role trusts (created here unless given). */
  public readonly oidcProviderArn: string;
  /** The customer-managed policies attached to the role, in order. */
  public readonly policies: IamPolicy[];
  /**
   * The permissions boundary the deploy role carries and may create roles only under (undefined for a read-only role).
   * Apply it to the stacks the role deploys with `GithubDeployRole.applyPermissionsBoundary`.
   */
  public readonly permissionsBoundary?: IamPolicy;
  /** ARN of that boundary, built from its fixed name (undefined for a read-only role). */
  public readonly permissionsBoundaryArn?: string;

  /**
   * ARN of the permissions boundary of the deploy role with these props, for stacks that cannot reference the
   * bootstrap stack (e.g. `GithubDeployRole.permissionsBoundaryArnOf({ ...deployProps }, "123456789012")`).
   */
  static permissionsBoundaryArnOf(props: Pick<GithubDeployRoleProps, "roleName" | "resourceNamePrefix">, accountId: string, partition = "aws"): string {
    return `arn:${partition}:iam::${accountId}:policy/${boundaryName({ ...props, readOnly: false })}`;
  }

  /**
   * Sets `permissionsBoundaryArn` as the permissions boundary of every IAM role in `scope` (a stack, or the app)
   * that has none, at synthesis. The deploy role can create roles only under its boundary, so every stack it deploys
   * needs this. A role that already names another boundary is reported as an error: the deploy role could not create it.
   */
  static applyPermissionsBoundary(scope: IConstruct, permissionsBoundaryArn: string): void {
    Aspects.of(scope).add(new PermissionsBoundaryAspect(permissionsBoundaryArn));
  }

  /** True when this construct creates the account's GitHub OIDC provider. */
  private readonly createsOidcProvider: boolean;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const problems = new Problems();
    problems.addAll(GithubDeployRole.validate(props));
    this.createsOidcProvider = props.oidcProviderArn === undefined;
    if (this.createsOidcProvider) {
      const other = TerraformStack.of(this).node.findAll().find((c) => c !== this && c instanceof GithubDeployRole && c.createsOidcProvider);
      if (other) {
        problems.add("oidcProviderArn", `${other.node.path} already creates GitHub's OIDC provider in this stack, and IAM allows one per URL; pass oidcProviderArn: <that role>.oidcProviderArn`);
      }
    }
    problems.throwIfAny(this, "GithubDeployRole");

    const ctx = awsContext(this);
    const tags = { ...props.tags, "secure-inference/github-repository": props.repository };
    if (props.oidcProviderArn !== undefined) {
      this.oidcProviderArn = props.oidcProviderArn;
    } else {
      // No thumbprint_list: IAM verifies GitHub's certificate against its library of trusted root CAs.
      const provider = new IamOpenidConnectProvider(this, "github-oidc-provider", {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
        tags,
      });
      this.oidcProviderArn = provider.arn;
    }

    const subjects = subjectsOf(props);
    const wildcard = (props.branches ?? []).some((b) => b.includes("*"));
    const audience = { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE };
    const subject = { [`${GITHUB_OIDC_HOST}:sub`]: subjects };
    const conditions: PolicyConditions = wildcard ? { StringEquals: audience, StringLike: subject } : { StringEquals: { ...audience, ...subject } };
    const trust = new PolicyDocument([{
      sid: "GithubActionsAssumeRole",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: { Federated: [this.oidcProviderArn] },
      conditions,
    }]);

    const job = props.readOnly ? "cdktf diff (read-only)" : "cdktf deploy";
    if (!props.readOnly) {
      // A fixed name: IAM conditions and other stacks name the boundary by ARN.
      this.permissionsBoundary = new IamPolicy(this, "permissions-boundary", {
        name: boundaryName(props),
        description: `Permissions boundary of ${job} from GitHub Actions in ${props.repository} and of every role it creates (${props.resourceNamePrefix}*)`,
        policy: new PolicyDocument(boundaryStatements(ctx, props)).toJson(),
        tags,
      });
      this.permissionsBoundaryArn = `arn:${ctx.partition}:iam::${ctx.accountId}:policy/${boundaryName(props)}`;
    }
    this.role = new IamRole(this, "role", {
      ...(props.roleName ? { name: props.roleName } : { namePrefix: ownNamePrefix(props) }),
      description: `GitHub Actions in ${props.repository} runs ${job} for resources named ${props.resourceNamePrefix}*`,
      assumeRolePolicy: trust.toJson(),
      maxSessionDuration: props.maxSessionDurationSeconds ?? 3600,
      permissionsBoundary: this.permissionsBoundary?.arn,
      tags,
    });
    this.roleArn = this.role.arn;

    // Split with the longest values the references resolve to, then built with the references themselves.
    const parts = pack(groupsFor(LONGEST_CONTEXT, props));
    const bySid = new Map(groupsFor(ctx, props).flatMap((g) => g.statements).map((s) => [s.sid, s]));
    this.policies = parts.map((part, i) => {
      const policy = new IamPolicy(this, `policy-${i}`, {
        namePrefix: ownNamePrefix(props),
        description: `Permissions of ${job} from GitHub Actions in ${props.repository} (${i + 1} of ${parts.length}: ${part.groups.join(", ")})`,
        policy: new PolicyDocument(part.sids.map((sid) => bySid.get(sid)!)).toJson(),
        tags,
      });
      new IamRolePolicyAttachment(this, `policy-${i}-attachment`, { role: this.role.name, policyArn: policy.arn });
      return policy;
    });
    // checkov CKV_AWS_290/355: a Terraform deploy creates resources whose ARNs do not exist yet, and a plan reads every
    // resource of the stacks; the policies name the services' actions, and the prefix where the service allows it.
    // Only the library's own policies: a policy of additionalStatements is judged like any other.
    const ownPolicies = [
      ...(this.permissionsBoundary ? [this.permissionsBoundary.node.path] : []),
      ...this.policies.filter((_, i) => !parts[i].groups.includes(ADDITIONAL_GROUP)).map((p) => p.node.path),
    ];
    addSuppression(this, {
      id: "IamNoStarResourceForRestrictableActions",
      appliesTo: ownPolicies,
      reason: `Terraform ${job} reads and manages resources that Terraform names at apply time; IAM, S3, EKS, log groups, the trail, caches and databases are limited to the prefix ${props.resourceNamePrefix}, the rest by the permissions boundary and the repository's protected branches`,
    });
    if (!props.readOnly) {
      addSuppression(this, {
        id: "IamNoUnconstrainedWrite",
        appliesTo: ownPolicies,
        reason: `Terraform creates VPCs, subnets, security groups, node groups and the like whose ARNs exist only after apply; the role is bounded by its permissions boundary, and IAM, S3, EKS, logs, the trail, caches and databases are limited to the prefix ${props.resourceNamePrefix}`,
      });
    }

    new TerraformOutput(this, "role-arn", { value: this.roleArn, description: `role-to-assume for ${job} from GitHub Actions in ${props.repository}` });
  }
}

/** Gives every IAM role without a permissions boundary the deploy role's (GithubDeployRole.applyPermissionsBoundary). */
class PermissionsBoundaryAspect implements IAspect {
  constructor(private readonly arn: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    const current = node.permissionsBoundaryInput;
    if (current === undefined) node.permissionsBoundary = this.arn;
    else if (!Token.isUnresolved(current) && current !== this.arn) {
      Annotations.of(node).addError(`permissionsBoundary: ${show(current)} is not the deploy role's boundary ${show(this.arn)}; the deploy role may create roles only under its own boundary`);
    }
  }
}
