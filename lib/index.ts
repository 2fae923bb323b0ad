// Public API of the library, by name. Internals (lib/**/private, test helpers, tuning constants of
// the planners) are not exported; the jest matchers live in lib/testing.ts
// ("cdktf-secure-inference/testing"). test/index.test.ts pins this list.

export { ValidationError } from "./errors";

// security: keys, buckets, audit, roles, state
export { PolicyDocument } from "./security/policy-document";
export type { PolicyConditions, PolicyPrincipals, PolicyStatementProps } from "./security/policy-document";
export { EncryptionKey } from "./security/encryption-key";
export type { EncryptionKeyProps } from "./security/encryption-key";
export { SecureBucket } from "./security/secure-bucket";
export type { BucketDataClass, BucketTransition, ObjectLockOptions, S3StorageClass, SecureBucketProps } from "./security/secure-bucket";
export { AuditTrail } from "./security/audit-trail";
export type { AuditTrailOptions, AuditTrailProps } from "./security/audit-trail";
export { MFA_MAX_AGE_RANGE } from "./security/human-role-trust";
export type { HumanTrust, HumanTrustConditions } from "./security/human-role-trust";
export { PodIdentityRole } from "./security/pod-identity-role";
export type { PodIdentityRoleProps } from "./security/pod-identity-role";
export { IrsaRole } from "./security/irsa-role";
export type { IrsaRoleProps } from "./security/irsa-role";
export { StateBackend } from "./security/state-backend";
export type { StateBackendConfig, StateBackendProps } from "./security/state-backend";
export { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, GithubDeployRole } from "./security/github-deploy-role";
export type { GithubDeployRoleProps } from "./security/github-deploy-role";

// planning: GPU catalog, model fit, the plan report
export { GpuCatalog } from "./planning/gpu-catalog";
export type { GpuInstanceType, GpuModel } from "./planning/gpu-catalog";
export { GPU_AMI_TYPES } from "./planning/gpu-pool-description";
export type { CapacityType, GpuAmiType, GpuImageCache, GpuPoolDescription, GpuWeightCache, PoolJoinInstructions, PoolPlacement, PoolWeightCache } from "./planning/gpu-pool-description";
export { LOCAL_ZONE_GPU_FAMILIES } from "./planning/local-zones";
export { RESIDENCY_TAGS } from "./planning/data-residency";
export { GPU_ON_DEMAND_PRICES_USD_PER_HOUR, GPU_PRICE_REGION, GPU_PRICES_READ_ON } from "./planning/gpu-prices";
export type { GpuInstancePrice } from "./planning/gpu-prices";
export { describeFit, estimateReplicas, explainFit, modelFit } from "./planning/capacity";
export type { DeclaredLoad, ModelArchitecture, ModelDtype, ModelFit, ModelFitInput, ModelQuantization, ReplicaEstimate, ThroughputInput } from "./planning/capacity";
export { CapacityPlan, PLAN_REPORT_FILES } from "./planning/capacity-plan";
export type { CapacityPlanOptions, EndpointPlan, PlanReport, PlannedEndpoint, PoolPlan } from "./planning/capacity-plan";
export { coldStart } from "./planning/cold-start";
export type { ColdStart, ColdStartInput, ImageSource, ServerWarmup } from "./planning/cold-start";

// compliance: packs, suppressions, reports
export { Compliance, REPORT_FILES } from "./compliance/compliance";
export type { ComplianceReport, ControlNotEvaluated, Finding, RuleResult, RuleSummary, SuppressionUse } from "./compliance/engine";
export type { ComplianceLevel, CompliancePack, PackRule } from "./compliance/model";
export { DATA_CLASS_TAG } from "./compliance/rule-model";
export type { ComplianceRule, ResourceView, RuleContext, RuleOutcome, RuleParams, RuleStatus, StackView } from "./compliance/rule-model";
export { ALL_RULES, ruleById } from "./compliance/rules";
export type { RuleId } from "./compliance/rules";
export { ALL_PACKS, FEDRAMP_MODERATE, FEDRAMP_MODERATE_DEFAULTS, GDPR, GDPR_DEFAULTS, HIPAA, HIPAA_DEFAULTS, SOC2, SOC2_DEFAULTS, fedrampModerate, gdpr, hipaa, soc2 } from "./compliance/packs";
export type { AuditRetentionParams, FedrampModerateParams, GdprParams, HipaaParams, Soc2Params } from "./compliance/packs";
export { reportJson, reportMarkdown } from "./compliance/report";
export type { ComplianceSuppression, SuppressionRecord } from "./compliance/suppressions";

// cluster: the platform stack
export { GPU_TAINT, NodeLabels } from "./cluster/node-labels";
export { ClusterNetwork, DEFAULT_INTERFACE_ENDPOINTS, DEFAULT_VPC_CIDR } from "./cluster/cluster-network";
export type { ClusterNetworkOptions, ClusterNetworkProps, NatGatewayMode } from "./cluster/cluster-network";
export { GpuNodePool } from "./cluster/gpu-node-pool";
export type { GpuNodePoolOptions, GpuNodePoolProps, LocalZonePlacement } from "./cluster/gpu-node-pool";
export { HYBRID_NODE_PORTS, HybridNodes } from "./cluster/hybrid-nodes";
export type { HybridNodeCredentials, HybridNodesCni, HybridNodesOptions, HybridNodesProps, RolesAnywhereCredentials, SsmHybridCredentials } from "./cluster/hybrid-nodes";
export { OnPremisesGpuPool } from "./cluster/on-premises-gpu-pool";
export type { OnPremisesGpuPoolOptions, OnPremisesGpuPoolProps } from "./cluster/on-premises-gpu-pool";
export { AccessEntry } from "./cluster/access-entry";
export type { AccessEntryProps, ClusterAccessGrant, ClusterAccessPolicy, ClusterAccessTarget } from "./cluster/access-entry";
export { ClusterAccess } from "./cluster/cluster-access";
export type { BreakGlassOptions, ClusterAccessOptions, ClusterAccessProps, HumanRoleOptions, OperatorRoleOptions } from "./cluster/cluster-access";
export type { ClusterConnection, ClusterKeys } from "./cluster/cluster-connection";
export { ClusterMonitoring } from "./cluster/cluster-monitoring";
export type { ClusterMonitoringOptions, ClusterMonitoringProps } from "./cluster/cluster-monitoring";
export { AWS_LOAD_BALANCER_CONTROLLER_POLICY_VERSION, ControllerRoles, DEFAULT_CONTROLLER_SERVICE_ACCOUNTS } from "./cluster/controller-roles";
export type { ControllerName, ControllerRolesProps, ControllerServiceAccount } from "./cluster/controller-roles";
export {
  CONTROL_PLANE_LOG_TYPES,
  DEFAULT_KUBERNETES_VERSION,
  NEWEST_KNOWN_KUBERNETES_VERSION,
  OLDEST_SUPPORTED_KUBERNETES_VERSION,
  SecureInferenceCluster,
} from "./cluster/secure-inference-cluster";
export type { EksAddonVersions, ExistingVpc, ModelReadGrant, PublicEndpointAccess, SecureInferenceClusterProps, SystemNodePoolOptions } from "./cluster/secure-inference-cluster";

// addons: controllers and namespaces
export { ClusterProviders } from "./addons/cluster-providers";
export { ADDON_VERSIONS, CLUSTER_AUTOSCALER_IMAGE_TAGS, ClusterAddons } from "./addons/cluster-addons";
export type { AddonName, AddonOptions, AddonVersion, ClusterAddonsProps, ClusterAutoscalerOptions, EncryptedStorageClassOptions } from "./addons/cluster-addons";
export { WorkloadNamespace } from "./addons/workload-namespace";
export type { CidrIngressAllow, NamespaceIngressAllow, PodSecurityLevel, WorkloadNamespaceProps } from "./addons/workload-namespace";

// endpoint: model servers behind a canary
export { InferenceServer } from "./endpoint/inference-server";
export { InferenceServerImages } from "./endpoint/servers/server-types";
export type { InferenceServerKind, ServerApi, ServerContainer, ServerContext } from "./endpoint/servers/server-types";
export type { VllmServerOptions } from "./endpoint/servers/vllm";
export type { TritonServerOptions } from "./endpoint/servers/triton";
export type { TgiServerOptions } from "./endpoint/servers/tgi";
export type { CustomServerOptions } from "./endpoint/servers/custom";
export { DEFAULT_CANARY_STEPS, DEFAULT_ROLLBACK_BUDGET } from "./endpoint/canary-rollout";
export type { CanaryRolloutOptions, CanaryRolloutTiming, PreTrafficEvaluation, ResolvedCanaryRollout, RollbackConditions, StablePolicy, StepRollbackTiming } from "./endpoint/canary-rollout";
export { ENDPOINT_LABEL } from "./endpoint/endpoint-props";
export type { CanaryModelEndpointProps, DriftAlarm, EndpointAutoscaling, EndpointDataResidency, EndpointGpu, EndpointIngress, EndpointModel } from "./endpoint/endpoint-props";
export { CanaryModelEndpoint } from "./endpoint/canary-model-endpoint";

// routing: the LiteLLM router
export { LITELLM_IMAGE, ROUTER_LABEL, ROUTER_PORT } from "./routing/router-props";
export type { InferenceRouterProps, RouterDatabase, RouterIngress, RouterModel, RouterReplicas, RouterResponseCache, RouterTeam, RouterTier } from "./routing/router-props";
export { InferenceRouter } from "./routing/inference-router";
