/*
 * SOC 2 pack: AICPA Trust Services Criteria.
 *
 * Citation sources (read 2026-11-28):
 * - AICPA TSP Section 100, "2017 Trust Services Criteria for Security, Availability, Processing Integrity,
 *   Confidentiality, and Privacy (With Revised Points of Focus — 2022)". The criteria ids and texts cited
 *   here (CC6.1–CC6.8, CC7.1–CC7.5, CC8.1, A1.1–A1.2, C1.2) and the CC6.1 points of focus ("Uses Encryption
 *   to Protect Data", "Protects Encryption Keys", "Considers Network Segmentation", "Manages Credentials for
 *   Infrastructure and Software") were read in reproductions of that document (pdfcoffee.com copy of TSP 100
 *   with 2022 points of focus; ce.prod.cloudaware.com/frameworks/soc-2/cc6); the AICPA download itself was not
 *   fetched. The 2022 revision changed points of focus only, not the criteria.
 * - Neither cdk-nag nor checkov maps SOC 2 (docs/compliance-reference.md); every mapping here is this
 *   library's, made from the criterion text.
 *
 * Levels: the criteria prescribe no configuration, so "error" marks the checks an auditor would expect as
 * the implementation of a criterion the system is in scope for (encryption, boundary protection, least
 * privilege, MFA, audit logging, vulnerability scanning); "warning" marks hardening beyond that.
 * A1.x (Availability) and C1.x (Confidentiality) apply when those categories are in the report's scope.
 */
import { CompliancePack } from "../model";

/** Defaults of the SOC 2 pack's parameters. */
export const SOC2_DEFAULTS = {
  /** Audit archive (trail bucket object lock): one year, so a Type 2 period's evidence survives the audit. */
  auditArchiveDays: 365,
  /** Searchable log retention (CloudWatch Logs): one year. */
  logRetentionDays: 365,
} as const;

/** CC6.1 point of focus "Uses Encryption to Protect Data" / "Protects Encryption Keys". */
const ENCRYPTION = ["CC6.1"];
/** CC6.1 logical access plus CC6.6 protection against threats from outside the system boundaries. */
const BOUNDARY = ["CC6.1", "CC6.6"];
/** CC6.6: logical access security measures against sources outside the system boundaries. */
const PERIMETER = ["CC6.6"];
/** CC6.1 plus CC6.3: access based on roles and least privilege. */
const LEAST_PRIVILEGE = ["CC6.1", "CC6.3"];
/** CC7.2: monitoring system components for anomalies indicative of malicious acts. */
const MONITORING = ["CC7.2"];

/** SOC 2: AICPA Trust Services Criteria (2017, points of focus revised 2022). */
export const SOC2: CompliancePack = {
  name: "SOC2",
  title: "SOC 2 Trust Services Criteria (2017, revised 2022)",
  rules: [
    // KMS
    { ruleId: "KMSKeyRotationEnabled", level: "warning", controls: ENCRYPTION },
    { ruleId: "KMSKeyPolicyNoWildcardPrincipal", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "KMSKeyEnabled", level: "warning", controls: ENCRYPTION },
    { ruleId: "KMSKeyExplicitPolicy", level: "warning", controls: LEAST_PRIVILEGE },

    // S3
    { ruleId: "S3BucketPublicAccessBlocked", level: "error", controls: BOUNDARY },
    { ruleId: "S3BucketKmsEncryption", level: "error", controls: ENCRYPTION },
    // A1.2: data backup processes and recovery infrastructure; CC7.5: recovery from incidents.
    { ruleId: "S3BucketVersioningEnabled", level: "error", controls: ["A1.2", "CC7.5"] },
    { ruleId: "S3BucketAccessLogging", level: "error", controls: MONITORING },
    // CC6.7: protects information during transmission.
    { ruleId: "S3BucketTlsOnly", level: "error", controls: ["CC6.7"] },
    { ruleId: "S3BucketOwnerEnforced", level: "warning", controls: LEAST_PRIVILEGE },
    { ruleId: "S3BucketNoPublicAcl", level: "error", controls: BOUNDARY },
    { ruleId: "S3BucketPolicyNoPublicAllow", level: "error", controls: BOUNDARY },
    // C1.2: disposes of confidential information to meet the entity's objectives.
    { ruleId: "S3BucketLifecycleConfigured", level: "warning", controls: ["C1.2"] },
    { ruleId: "S3AuditBucketObjectLock", level: "error", controls: MONITORING, params: { minRetentionDays: SOC2_DEFAULTS.auditArchiveDays } },

    // CloudTrail
    { ruleId: "CloudTrailEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "CloudTrailLogFileValidation", level: "error", controls: MONITORING },
    // CC7.3: evaluates security events (the log group feeds metric filters and alarms).
    { ruleId: "CloudTrailCloudWatchLogs", level: "error", controls: ["CC7.2", "CC7.3"] },
    { ruleId: "CloudTrailMultiRegion", level: "error", controls: MONITORING },
    { ruleId: "CloudTrailLoggingEnabled", level: "error", controls: MONITORING },
    { ruleId: "CloudTrailS3DataEvents", level: "warning", controls: MONITORING },
    {
      ruleId: "AuditLogRetention",
      level: "error",
      controls: ["CC7.2", "CC7.3"],
      params: { minDays: SOC2_DEFAULTS.logRetentionDays, minArchiveDays: SOC2_DEFAULTS.auditArchiveDays },
    },

    // CloudWatch
    { ruleId: "LogGroupEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "LogGroupRetention", level: "error", controls: MONITORING, params: { minDays: SOC2_DEFAULTS.logRetentionDays } },
    // CC7.3 evaluates and CC7.4 responds to security events: an alarm without actions reaches nobody.
    { ruleId: "AlarmActionsEnabled", level: "error", controls: ["CC7.2", "CC7.3", "CC7.4"] },

    // SNS
    { ruleId: "SnsTopicEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "SnsTopicPolicyNoPublic", level: "error", controls: BOUNDARY },
    { ruleId: "SnsTopicTlsOnly", level: "warning", controls: ["CC6.7"] },

    // EKS
    { ruleId: "EksControlPlaneLogging", level: "error", controls: MONITORING },
    { ruleId: "EksPrivateEndpoint", level: "warning", controls: PERIMETER },
    { ruleId: "EksPublicEndpointRestricted", level: "error", controls: PERIMETER },
    { ruleId: "EksSecretsEncryption", level: "error", controls: ENCRYPTION },
    // CC6.2: users registered and authorized before access; CC6.3: access by role, no implicit creator admin.
    { ruleId: "EksApiAuthentication", level: "error", controls: ["CC6.1", "CC6.2", "CC6.3"] },
    { ruleId: "EksNodeGroupNoOpenSsh", level: "error", controls: PERIMETER },
    // CC6.1 points of focus "Manages Credentials for Infrastructure and Software" (IMDS) and "Uses Encryption to Protect Data" (EBS).
    { ruleId: "GpuNodeGroupHardened", level: "error", controls: ["CC6.1"] },

    // EC2 launch templates
    { ruleId: "LaunchTemplateImdsv2", level: "error", controls: BOUNDARY },
    { ruleId: "LaunchTemplateImdsHopLimit", level: "warning", controls: ["CC6.1"] },
    { ruleId: "LaunchTemplateEncryptedVolumes", level: "error", controls: ENCRYPTION },
    { ruleId: "LaunchTemplateNoPublicIp", level: "error", controls: PERIMETER },
    // A1.1: monitors processing capacity and use of system components.
    { ruleId: "LaunchTemplateMonitoring", level: "warning", controls: ["A1.1", "CC7.2"] },

    // IAM
    { ruleId: "IamNoAdminPolicy", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoFullServiceAccess", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoInlinePolicy", level: "warning", controls: ["CC6.3"] },
    // CC6.2: credentials issued only to registered, authorized users; a wildcard trust issues them to anyone.
    { ruleId: "IamRoleTrustNoWildcard", level: "error", controls: ["CC6.1", "CC6.2"] },
    // CC6.1 point of focus "Identifies and Authenticates Users" (multifactor where required).
    { ruleId: "IamHumanRoleRequiresMfa", level: "error", controls: ["CC6.1"] },
    { ruleId: "IamNoAdministratorAccessAttachment", level: "error", controls: LEAST_PRIVILEGE },

    // VPC
    { ruleId: "VpcFlowLogsEnabled", level: "error", controls: MONITORING },
    { ruleId: "VpcDefaultSecurityGroupClosed", level: "warning", controls: PERIMETER },
    { ruleId: "SecurityGroupNoWorldIngress", level: "error", controls: PERIMETER },
    { ruleId: "SubnetNoPublicIp", level: "error", controls: PERIMETER },
    { ruleId: "VpcNoUnrestrictedRouteToIgw", level: "error", controls: PERIMETER },

    // ECR. CC6.8: prevent or detect unauthorized or malicious software; CC7.1: detect newly discovered vulnerabilities; CC8.1: authorized changes.
    { ruleId: "EcrImmutableTags", level: "warning", controls: ["CC6.8", "CC8.1"] },
    { ruleId: "EcrScanOnPush", level: "error", controls: ["CC6.8", "CC7.1"] },
    { ruleId: "EcrKmsEncryption", level: "warning", controls: ENCRYPTION },
    { ruleId: "EcrRepositoryPolicyNoPublic", level: "error", controls: BOUNDARY },

    // SageMaker
    { ruleId: "SageMakerEndpointConfigKms", level: "error", controls: ENCRYPTION },

    // ElastiCache
    { ruleId: "ElastiCacheEncryptedAtRest", level: "error", controls: ENCRYPTION },
    { ruleId: "ElastiCacheEncryptedInTransit", level: "error", controls: ["CC6.7"] },
    // CC6.1 point of focus "Identifies and Authenticates Users"; CC6.3: each user's access string grants what its role needs.
    { ruleId: "ElastiCacheAuthenticationRequired", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "ElastiCacheUserNoPasswordlessAccess", level: "error", controls: LEAST_PRIVILEGE },
    // A1.2: recovery infrastructure; applies when Availability is in the report's scope.
    { ruleId: "ElastiCacheMultiAz", level: "warning", controls: ["A1.2"] },
    // CC7.1: susceptibility to newly discovered vulnerabilities.
    { ruleId: "ElastiCacheAutoMinorVersionUpgrade", level: "warning", controls: ["CC7.1"] },

    // RDS
    { ruleId: "RdsStorageEncrypted", level: "error", controls: ENCRYPTION },
    { ruleId: "RdsNotPublic", level: "error", controls: BOUNDARY },
    { ruleId: "RdsIamAuthentication", level: "error", controls: LEAST_PRIVILEGE },
    // CC6.1 point of focus "Manages Credentials for Infrastructure and Software".
    { ruleId: "RdsMasterPasswordManaged", level: "error", controls: ["CC6.1"] },
    // A1.2: data backup processes and recovery infrastructure; CC7.5: recovery from incidents (as S3BucketVersioningEnabled).
    { ruleId: "RdsBackupRetention", level: "error", controls: ["A1.2", "CC7.5"] },
    // Deleting the instance also deletes its automated backups (delete_automated_backups defaults to true): backup protection.
    { ruleId: "RdsDeletionProtection", level: "error", controls: ["A1.2", "CC7.5"] },
    { ruleId: "RdsMultiAz", level: "warning", controls: ["A1.2"] },
    { ruleId: "RdsClusterCopyTagsToSnapshot", level: "warning", controls: ["CC6.1", "C1.1"] },
    { ruleId: "RdsLogExports", level: "error", controls: MONITORING },
    { ruleId: "RdsTlsRequired", level: "error", controls: ["CC6.7"] },
    { ruleId: "RdsAutoMinorVersionUpgrade", level: "warning", controls: ["CC7.1"] },
    { ruleId: "RdsEnhancedMonitoring", level: "warning", controls: ["A1.1", "CC7.2"] },
    { ruleId: "RdsPerformanceInsightsEncrypted", level: "error", controls: ENCRYPTION },

    // ALBs of the endpoints and the router, read from their Ingresses. CC7.2: request records to detect anomalies at the entry point;
    // CC6.7: protects information during transmission.
    { ruleId: "AlbIngressAccessLogs", level: "error", controls: MONITORING },
    { ruleId: "AlbIngressHttpsOnly", level: "error", controls: ["CC6.7"] },
    { ruleId: "AlbIngressTlsPolicy", level: "error", controls: ["CC6.7"] },
    // Terraform-declared load balancers: as the Ingress rules above; availability and hardening as warnings.
    { ruleId: "LoadBalancerAccessLogs", level: "error", controls: MONITORING },
    { ruleId: "LoadBalancerListenerHttps", level: "error", controls: ["CC6.7"] },
    { ruleId: "LoadBalancerListenerTls12", level: "error", controls: ["CC6.7"] },
    { ruleId: "LoadBalancerDeletionProtection", level: "warning", controls: ["A1.2"] },
    { ruleId: "LoadBalancerDropsInvalidHeaders", level: "warning", controls: ["CC6.6"] },
    { ruleId: "LoadBalancerDesyncMitigation", level: "warning", controls: ["CC6.6"] },
    // Issue 16 (cloudsplaining severities: escalation and credentials "high", exfiltration "medium").
    { ruleId: "IamNoPrivilegeEscalation", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoCredentialsExposure", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoDataExfiltration", level: "warning", controls: [...LEAST_PRIVILEGE, "C1.1"] },
    // Resource exposure (CKV_AWS_289/109, cloudsplaining "high"): error; unconstrained write and "*" on restrictable actions: warnings.
    { ruleId: "IamNoUnconstrainedPermissionsManagement", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoUnconstrainedWrite", level: "warning", controls: [...LEAST_PRIVILEGE, "CC8.1"] },
    { ruleId: "IamNoStarResourceForRestrictableActions", level: "warning", controls: LEAST_PRIVILEGE },
    // CC6.1 "Manages Credentials for Infrastructure and Software"; CC6.2 registration and authorization of identities.
    { ruleId: "GithubOidcTrustScoped", level: "error", controls: ["CC6.1", "CC6.2"] },
    // A pull request runs its own workflow with the role: secret values read there reach any contributor.
    { ruleId: "IamPullRequestRoleNoSecretValues", level: "error", controls: ["CC6.1", "CC6.3"] },
    // CC7.1: detection of vulnerabilities in configurations; CC8.1 change management of infrastructure.
    { ruleId: "EksSupportedVersion", level: "warning", controls: ["CC7.1", "CC8.1"] },
    // Warning: nodes need HTTPS egress to the internet (images, weights, tokens) through NAT.
    { ruleId: "SecurityGroupNoUnrestrictedEgress", level: "warning", controls: ["CC6.6"] },
    { ruleId: "SecretsManagerCmk", level: "error", controls: ENCRYPTION },
    // Warning: the router's secrets rotate by version bumps, not Secrets Manager rotation (reported).
    { ruleId: "SecretsManagerRotation", level: "warning", controls: ["CC6.1"] },
    { ruleId: "Ec2UserDataNoSecrets", level: "error", controls: ["CC6.1"] },
    { ruleId: "RdsCaCertificate", level: "warning", controls: ["CC6.7"] },
    { ruleId: "RdsMysqlTlsRequired", level: "error", controls: ["CC6.7"] },
    // Warning: the router database sets no statement logging (reported).
    { ruleId: "RdsPostgresQueryLogging", level: "warning", controls: MONITORING },
    { ruleId: "SnsTopicPolicyNoUnconditionedCrossAccount", level: "warning", controls: LEAST_PRIVILEGE },
  ],
};
