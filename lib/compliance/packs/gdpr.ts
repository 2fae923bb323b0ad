/*
 * GDPR pack.
 *
 * Citation sources (read 2026-11-28):
 * - Regulation (EU) 2016/679 (General Data Protection Regulation), OJ L 119, 4.5.2016: Art. 5(1)(e) storage
 *   limitation, 5(1)(f) integrity and confidentiality, 5(2) accountability, 17 right to erasure, 25(1) data
 *   protection by design, 25(2) by default (only necessary data, "the period of their storage", not made
 *   accessible to an indefinite number of persons), 32(1)(a)-(d) security of processing, 33 notification of a
 *   personal data breach. Article text read in a CommonAccord rendering of Art. 32 and in secondary summaries;
 *   EUR-Lex itself was not fetched.
 * - Neither cdk-nag nor checkov has a GDPR pack (docs/compliance-reference.md); the mapping is this
 *   library's.
 * - Art. 30 (records of processing activities) is deliberately not cited: it requires a register of processing
 *   (purposes, categories, recipients, erasure time limits), which no infrastructure check evidences. Audit
 *   logging is cited as Art. 5(2) (demonstrating compliance) and Art. 33 (a breach must be described: its nature,
 *   the records concerned; 33(5) documents it).
 *
 * Levels: GDPR is risk-based ("appropriate" measures), so "error" marks what the Regulation names or what an
 * inference platform handling personal data cannot omit: encryption (32(1)(a)), no public access (25(2)),
 * least privilege and MFA (25(1), 32(1)(b)), the account audit trail (5(2), 33), and expiry of personal data
 * (5(1)(e), 17). Resilience, network telemetry, monitoring, patching and supply-chain hygiene are warnings.
 */
import { CompliancePack } from "../model";

/** Defaults of the GDPR pack's parameters. */
export const GDPR_DEFAULTS = {
  /** Longest life of objects (and noncurrent versions) in personal-data buckets: 30 days (storage limitation). */
  personalDataMaxDays: 30,
  /** Searchable log retention (CloudWatch Logs): one year, long enough to scope a breach found late. */
  logRetentionDays: 365,
  /** Audit archive (trail bucket object lock): one year. Audit logs hold personal data too (principals, IPs), so no longer by default. */
  auditArchiveDays: 365,
} as const;

/** Encryption: Art. 32(1)(a) names it; Art. 5(1)(f) is the principle. */
const ENCRYPTION = ["Art. 5(1)(f)", "Art. 32(1)(a)"];
/** No public access: Art. 25(2) (not accessible to an indefinite number of persons by default), 5(1)(f), 32(1)(b). */
const NO_PUBLIC = ["Art. 5(1)(f)", "Art. 25(2)", "Art. 32(1)(b)"];
/** Least privilege by design (Art. 25(1)) and ongoing confidentiality (Art. 32(1)(b)). */
const ACCESS = ["Art. 25(1)", "Art. 32(1)(b)"];
/** Ongoing confidentiality, integrity, availability and resilience of processing systems. */
const SECURITY = ["Art. 32(1)(b)"];
/** Audit trail: accountability (Art. 5(2)) and the facts a breach notification needs (Art. 33). */
const AUDIT = ["Art. 5(2)", "Art. 33"];
/** Restore availability and access after an incident. */
const RESILIENCE = ["Art. 32(1)(b)", "Art. 32(1)(c)"];

/** EU General Data Protection Regulation. */
export const GDPR: CompliancePack = {
  name: "GDPR",
  title: "EU General Data Protection Regulation (Regulation (EU) 2016/679)",
  rules: [
    // KMS
    { ruleId: "KMSKeyRotationEnabled", level: "warning", controls: ["Art. 32(1)(a)"] },
    { ruleId: "KMSKeyPolicyNoWildcardPrincipal", level: "error", controls: ["Art. 32(1)(a)", "Art. 32(1)(b)"] },
    { ruleId: "KMSKeyEnabled", level: "warning", controls: SECURITY },
    { ruleId: "KMSKeyExplicitPolicy", level: "warning", controls: SECURITY },

    // S3
    { ruleId: "S3BucketPublicAccessBlocked", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketKmsEncryption", level: "error", controls: ENCRYPTION },
    // Versioning keeps deleted personal data as noncurrent versions; S3PersonalDataExpiry bounds them (Art. 17).
    { ruleId: "S3BucketVersioningEnabled", level: "warning", controls: RESILIENCE },
    { ruleId: "S3BucketAccessLogging", level: "warning", controls: AUDIT },
    { ruleId: "S3BucketTlsOnly", level: "error", controls: ENCRYPTION },
    { ruleId: "S3BucketOwnerEnforced", level: "warning", controls: ACCESS },
    { ruleId: "S3BucketNoPublicAcl", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketPolicyNoPublicAllow", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketLifecycleConfigured", level: "warning", controls: ["Art. 5(1)(e)"] },
    { ruleId: "S3AuditBucketObjectLock", level: "warning", controls: ["Art. 5(2)", "Art. 32(1)(b)"], params: { minRetentionDays: GDPR_DEFAULTS.auditArchiveDays } },
    // Storage limitation, erasure (no object lock) and data protection by default ("the period of their storage").
    { ruleId: "S3PersonalDataExpiry", level: "error", controls: ["Art. 5(1)(e)", "Art. 17", "Art. 25(2)", "Art. 30(1)(f)"], params: { maxDays: GDPR_DEFAULTS.personalDataMaxDays } },

    // CloudTrail: the account audit trail.
    { ruleId: "CloudTrailEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "CloudTrailLogFileValidation", level: "error", controls: ["Art. 5(2)", "Art. 32(1)(b)"] },
    { ruleId: "CloudTrailCloudWatchLogs", level: "error", controls: AUDIT },
    { ruleId: "CloudTrailMultiRegion", level: "error", controls: AUDIT },
    { ruleId: "CloudTrailLoggingEnabled", level: "error", controls: AUDIT },
    { ruleId: "CloudTrailS3DataEvents", level: "warning", controls: AUDIT },
    {
      ruleId: "AuditLogRetention",
      level: "error",
      controls: AUDIT,
      params: { minDays: GDPR_DEFAULTS.logRetentionDays, minArchiveDays: GDPR_DEFAULTS.auditArchiveDays },
    },

    // CloudWatch. A one-year minimum on every log group is an accountability aid, not a GDPR requirement (and application
    // logs may hold personal data), so warning.
    { ruleId: "LogGroupEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "LogGroupRetention", level: "warning", controls: AUDIT, params: { minDays: GDPR_DEFAULTS.logRetentionDays } },
    { ruleId: "AlarmActionsEnabled", level: "warning", controls: ["Art. 32(1)(b)", "Art. 33"] },

    // SNS
    { ruleId: "SnsTopicEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "SnsTopicPolicyNoPublic", level: "error", controls: NO_PUBLIC },
    { ruleId: "SnsTopicTlsOnly", level: "warning", controls: ["Art. 32(1)(a)"] },

    // EKS
    { ruleId: "EksControlPlaneLogging", level: "warning", controls: AUDIT },
    { ruleId: "EksPrivateEndpoint", level: "warning", controls: ACCESS },
    { ruleId: "EksPublicEndpointRestricted", level: "error", controls: SECURITY },
    { ruleId: "EksSecretsEncryption", level: "error", controls: ENCRYPTION },
    { ruleId: "EksApiAuthentication", level: "error", controls: ACCESS },
    { ruleId: "EksNodeGroupNoOpenSsh", level: "error", controls: SECURITY },
    // GPU nodes process the inference requests (personal data) and cache them on their volumes.
    { ruleId: "GpuNodeGroupHardened", level: "error", controls: ["Art. 32(1)(a)", "Art. 32(1)(b)"] },

    // EC2 launch templates
    { ruleId: "LaunchTemplateImdsv2", level: "error", controls: SECURITY },
    { ruleId: "LaunchTemplateImdsHopLimit", level: "warning", controls: SECURITY },
    { ruleId: "LaunchTemplateEncryptedVolumes", level: "error", controls: ENCRYPTION },
    { ruleId: "LaunchTemplateNoPublicIp", level: "error", controls: SECURITY },
    { ruleId: "LaunchTemplateMonitoring", level: "warning", controls: SECURITY },

    // IAM
    { ruleId: "IamNoAdminPolicy", level: "error", controls: ACCESS },
    { ruleId: "IamNoFullServiceAccess", level: "error", controls: ACCESS },
    { ruleId: "IamNoInlinePolicy", level: "warning", controls: ACCESS },
    { ruleId: "IamRoleTrustNoWildcard", level: "error", controls: ACCESS },
    { ruleId: "IamHumanRoleRequiresMfa", level: "error", controls: ["Art. 32(1)(b)"] },
    { ruleId: "IamNoAdministratorAccessAttachment", level: "error", controls: ACCESS },

    // VPC
    { ruleId: "VpcFlowLogsEnabled", level: "warning", controls: AUDIT },
    { ruleId: "VpcDefaultSecurityGroupClosed", level: "warning", controls: ACCESS },
    { ruleId: "SecurityGroupNoWorldIngress", level: "error", controls: SECURITY },
    { ruleId: "SubnetNoPublicIp", level: "error", controls: SECURITY },
    { ruleId: "VpcNoUnrestrictedRouteToIgw", level: "warning", controls: SECURITY },

    // ECR: images rarely hold personal data; supply-chain checks are resilience and testing (32(1)(d)).
    { ruleId: "EcrImmutableTags", level: "warning", controls: SECURITY },
    { ruleId: "EcrScanOnPush", level: "warning", controls: ["Art. 32(1)(b)", "Art. 32(1)(d)"] },
    { ruleId: "EcrKmsEncryption", level: "warning", controls: ["Art. 32(1)(a)"] },
    { ruleId: "EcrRepositoryPolicyNoPublic", level: "error", controls: SECURITY },

    // SageMaker: endpoints process inference requests.
    { ruleId: "SageMakerEndpointConfigKms", level: "error", controls: ENCRYPTION },

    // ElastiCache: the response cache stores prompts and completions, which may hold personal data.
    { ruleId: "ElastiCacheEncryptedAtRest", level: "error", controls: ENCRYPTION },
    { ruleId: "ElastiCacheEncryptedInTransit", level: "error", controls: ENCRYPTION },
    { ruleId: "ElastiCacheAuthenticationRequired", level: "error", controls: ACCESS },
    { ruleId: "ElastiCacheUserNoPasswordlessAccess", level: "error", controls: ACCESS },
    { ruleId: "ElastiCacheMultiAz", level: "warning", controls: RESILIENCE },
    { ruleId: "ElastiCacheAutoMinorVersionUpgrade", level: "warning", controls: SECURITY },

    // RDS: the router's database holds users, keys and spend logs, which may hold personal data.
    { ruleId: "RdsStorageEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "RdsNotPublic", level: "error", controls: NO_PUBLIC },
    { ruleId: "RdsIamAuthentication", level: "error", controls: ACCESS },
    { ruleId: "RdsMasterPasswordManaged", level: "error", controls: SECURITY },
    // Resilience: the ability to restore personal data after an incident (32(1)(c)).
    { ruleId: "RdsBackupRetention", level: "warning", controls: RESILIENCE },
    { ruleId: "RdsDeletionProtection", level: "warning", controls: RESILIENCE },
    { ruleId: "RdsMultiAz", level: "warning", controls: RESILIENCE },
    // Records of processing need to find every copy of personal data (inferred).
    { ruleId: "RdsClusterCopyTagsToSnapshot", level: "warning", controls: ["Art. 30(1)"] },
    { ruleId: "RdsLogExports", level: "warning", controls: AUDIT },
    { ruleId: "RdsTlsRequired", level: "error", controls: ENCRYPTION },
    { ruleId: "RdsAutoMinorVersionUpgrade", level: "warning", controls: SECURITY },
    { ruleId: "RdsEnhancedMonitoring", level: "warning", controls: SECURITY },
    // Performance Insights keeps SQL text, which may carry personal data.
    { ruleId: "RdsPerformanceInsightsEncrypted", level: "error", controls: ENCRYPTION },

    // ALBs of the endpoints and the router, read from their Ingresses. Requests carry personal data (prompts), so TLS is an error;
    // request logs are telemetry, a warning as for S3 access logs and flow logs.
    { ruleId: "AlbIngressAccessLogs", level: "warning", controls: AUDIT },
    { ruleId: "AlbIngressHttpsOnly", level: "error", controls: ENCRYPTION },
    { ruleId: "AlbIngressTlsPolicy", level: "error", controls: ENCRYPTION },
    { ruleId: "LoadBalancerAccessLogs", level: "warning", controls: AUDIT },
    { ruleId: "LoadBalancerListenerHttps", level: "error", controls: ENCRYPTION },
    { ruleId: "LoadBalancerListenerTls12", level: "error", controls: ENCRYPTION },
    { ruleId: "LoadBalancerDeletionProtection", level: "warning", controls: RESILIENCE },
    { ruleId: "LoadBalancerDropsInvalidHeaders", level: "warning", controls: SECURITY },
    { ruleId: "LoadBalancerDesyncMitigation", level: "warning", controls: SECURITY },
    // Issue 16 (cloudsplaining severities: escalation and credentials "high", exfiltration "medium").
    { ruleId: "IamNoPrivilegeEscalation", level: "error", controls: ACCESS },
    { ruleId: "IamNoCredentialsExposure", level: "error", controls: ACCESS },
    { ruleId: "IamNoDataExfiltration", level: "warning", controls: ACCESS },
    // Resource exposure can open personal data to anyone (CKV_AWS_289/109): error; the two hygiene rules: warnings.
    { ruleId: "IamNoUnconstrainedPermissionsManagement", level: "error", controls: ACCESS },
    { ruleId: "IamNoUnconstrainedWrite", level: "warning", controls: ACCESS },
    { ruleId: "IamNoStarResourceForRestrictableActions", level: "warning", controls: ACCESS },
    { ruleId: "GithubOidcTrustScoped", level: "error", controls: ACCESS },
    // A pull request runs its own workflow with the role: secret values read there reach any contributor.
    { ruleId: "IamPullRequestRoleNoSecretValues", level: "error", controls: ACCESS },
    { ruleId: "EksSupportedVersion", level: "warning", controls: SECURITY },
    { ruleId: "SecurityGroupNoUnrestrictedEgress", level: "warning", controls: SECURITY },
    { ruleId: "SecretsManagerCmk", level: "error", controls: ENCRYPTION },
    { ruleId: "SecretsManagerRotation", level: "warning", controls: SECURITY },
    { ruleId: "Ec2UserDataNoSecrets", level: "error", controls: SECURITY },
    { ruleId: "RdsCaCertificate", level: "warning", controls: SECURITY },
    { ruleId: "RdsMysqlTlsRequired", level: "error", controls: ENCRYPTION },
    { ruleId: "RdsPostgresQueryLogging", level: "warning", controls: AUDIT },
    { ruleId: "SnsTopicPolicyNoUnconditionedCrossAccount", level: "warning", controls: ACCESS },
    // Issue 17. A data-resident endpoint whose weights or request logs leave its allowed locations: processing outside
    // what the controller decided (Art. 5(1)(f), 25(1)), and possibly a transfer (Chapter V, Art. 44) the controller
    // did not provide for. Error: the endpoint itself declared where its data must stay.
    { ruleId: "DataResidencyRespected", level: "error", controls: ["Art. 5(1)(f)", "Art. 25(1)", "Art. 44"] },
  ],
};
