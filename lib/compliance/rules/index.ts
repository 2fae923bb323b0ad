import { ComplianceRule } from "../rule-model";
import { ALB_INGRESS_RULES } from "./alb-ingress";
import { CLOUDTRAIL_RULES } from "./cloudtrail";
import { CLOUDWATCH_RULES } from "./cloudwatch";
import { EC2_RULES } from "./ec2";
import { ECR_RULES } from "./ecr";
import { ELASTICACHE_RULES } from "./elasticache";
import { EKS_RULES } from "./eks";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LOAD_BALANCER_RULES } from "./load-balancer";
import { RDS_CLUSTER_RULES, RDS_RULES } from "./rds";
import { S3_RULES } from "./s3";
import { SAGEMAKER_RULES } from "./sagemaker";
import { SNS_RULES } from "./sns";
import { VPC_RULES } from "./vpc";
import { EKS_VERSION_RULES } from "./eks-version";
import { GITHUB_OIDC_RULES } from "./github-oidc";
import { IAM_ESCALATION_RULES } from "./iam-escalation";
import { IAM_RESOURCE_CONSTRAINT_RULES } from "./iam-resource-constraints";
import { NETWORK_EGRESS_RULES } from "./network-egress";
import { RDS_ENGINE_RULES } from "./rds-engines";
import { SECRETS_MANAGER_RULES } from "./secrets-manager";
import { SNS_ACCESS_RULES } from "./sns-access";
import { USER_DATA_RULES } from "./user-data";
import { DATA_RESIDENCY_RULES } from "./data-residency";

/** The rules with their ids as literal types, from which RuleId is derived. */
const RULES = [
  ...KMS_RULES,
  ...S3_RULES,
  ...CLOUDTRAIL_RULES,
  ...CLOUDWATCH_RULES,
  ...SNS_RULES,
  ...EKS_RULES,
  ...EC2_RULES,
  ...IAM_RULES,
  ...VPC_RULES,
  ...ECR_RULES,
  ...SAGEMAKER_RULES,
  ...ELASTICACHE_RULES,
  ...RDS_RULES,
  ...RDS_CLUSTER_RULES,
  ...ALB_INGRESS_RULES,
  ...LOAD_BALANCER_RULES,
  ...IAM_ESCALATION_RULES,
  ...IAM_RESOURCE_CONSTRAINT_RULES,
  ...GITHUB_OIDC_RULES,
  ...EKS_VERSION_RULES,
  ...NETWORK_EGRESS_RULES,
  ...SECRETS_MANAGER_RULES,
  ...USER_DATA_RULES,
  ...RDS_ENGINE_RULES,
  ...SNS_ACCESS_RULES,
  ...DATA_RESIDENCY_RULES,
] as const satisfies readonly ComplianceRule[];

/** Id of a rule of the library, e.g. "S3BucketVersioningEnabled". */
export type RuleId = (typeof RULES)[number]["id"];

/** Every rule of the library, by service. */
export const ALL_RULES: readonly ComplianceRule<RuleId>[] = RULES;

const BY_ID = new Map<string, ComplianceRule<RuleId>>(ALL_RULES.map((r) => [r.id, r]));

/** The rule with this id, or undefined (ids that users give at run time, e.g. in suppressions, are strings). */
export function ruleById(id: string): ComplianceRule<RuleId> | undefined {
  return BY_ID.get(id);
}

export { ALB_INGRESS_RULES, CLOUDTRAIL_RULES, CLOUDWATCH_RULES, EC2_RULES, ECR_RULES, EKS_RULES, ELASTICACHE_RULES, IAM_RULES, KMS_RULES, LOAD_BALANCER_RULES, RDS_CLUSTER_RULES, RDS_RULES, S3_RULES, SAGEMAKER_RULES, SNS_RULES, VPC_RULES };
export { EKS_VERSION_RULES, GITHUB_OIDC_RULES, IAM_ESCALATION_RULES, IAM_RESOURCE_CONSTRAINT_RULES, NETWORK_EGRESS_RULES, RDS_ENGINE_RULES, SECRETS_MANAGER_RULES, SNS_ACCESS_RULES, USER_DATA_RULES };
export { DATA_RESIDENCY_RULES } from "./data-residency";
