/*
 * HIPAA Security Rule pack.
 *
 * Citation sources (read 2026-11-28):
 * - 45 CFR Part 164, Subpart C (Security Standards for the Protection of Electronic Protected Health
 *   Information): text of §164.306, §164.308, §164.310, §164.312 and §164.316 as published by GPO
 *   (CFR 2019 edition, govinfo.gov) and Cornell LII, and Appendix A to Subpart C (the standards matrix).
 *   The eCFR itself was not fetched.
 * - cdk-nag HIPAA.Security pack: the control ids in its rule `info` strings (cdklabs/cdk-nag
 *   src/packs/hipaa-security.ts @ 6ce2d4ee, and docs/compliance-reference.md §2, which read
 *   main @ ca6d1b54, v3.0.x). Where cdk-nag has a rule for the same check, the citations follow it,
 *   with one deliberate change: cdk-nag cites 164.308(a)(4)(ii)(A) ("Isolating health care clearinghouse
 *   functions") on every access rule; that specification only concerns clearinghouses inside a larger
 *   organization, so these packs cite 164.308(a)(4)(ii)(B) (access authorization) and (C) (access
 *   establishment and modification) instead.
 * - Retention: 164.316(b)(2)(i) keeps required documentation 6 years; that audit logs count as such
 *   documentation is an inference (cdk-nag and checkov check no duration), hence 2192 days (6 × 365.25).
 * - ElastiCache: cdk-nag's HIPAA pack checks only ElastiCacheRedisClusterAutomaticBackup, so the ElastiCache citations
 *   apply this pack's constants by analogy with the rules above (inferred).
 * - RDS: cdk-nag's HIPAA pack (src/packs/hipaa-security.ts @ 6ce2d4ee, checkRDS) cites RDSStorageEncrypted, RDSInstancePublicAccess,
 *   RDSInstanceBackupEnabled, RDSInstanceDeletionProtectionEnabled, RDSMultiAZSupport, RDSLoggingEnabled,
 *   RDSEnhancedMonitoringEnabled and RDSAutomaticMinorVersionUpgradeEnabled; those citations are followed. It has no rule for IAM
 *   authentication, the master password, TLS or Performance Insights keys: those apply this pack's constants (inferred).
 *
 * Levels: "error" where the Security Rule has a standard or required/addressable specification the check
 * directly implements (and cdk-nag makes it an error); "warning" for good practice that no specification
 * demands (hop limit, detailed monitoring, image hygiene, automatic engine upgrades), and for the availability of a
 * cache whose contents can be rebuilt or of a database whose backups (an error) already restore it.
 */
import { CompliancePack } from "../model";

/** Defaults of the HIPAA pack's parameters. */
export const HIPAA_DEFAULTS = {
  /** Audit archive (trail bucket object lock): 6 years, 45 CFR 164.316(b)(2)(i). */
  auditArchiveDays: 2192,
  /** Searchable log retention (CloudWatch Logs): one year. */
  logRetentionDays: 365,
} as const;

/** Encryption at rest: cdk-nag's citation of every KMS-at-rest rule (S3DefaultEncryptionKMS, CloudTrailEncryptionEnabled, ...). */
// Encryption at rest; 164.312(e)(2)(ii) is transmission encryption and is cited only where data moves.
const AT_REST = ["164.312(a)(2)(iv)"];
/** Activity records: cdk-nag's citation of CloudTrailCloudWatchLogsEnabled, S3BucketLoggingEnabled, VPCFlowLogsEnabled. */
const ACTIVITY_LOGS = ["164.308(a)(3)(ii)(A)", "164.312(b)"];
/** No public exposure: cdk-nag's public-access citation (S3BucketLevelPublicAccessProhibited, EC2InstanceNoPublicIp), (a)(4)(ii)(A) replaced by (B). */
const NO_PUBLIC = ["164.308(a)(3)(i)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"];
/** Open ingress: cdk-nag's EC2RestrictedSSH / EC2RestrictedCommonPorts citation, (a)(4)(ii)(A) dropped. */
const NETWORK_INGRESS = ["164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"];
/** Least privilege: cdk-nag's IAM citation (IAMPolicyNoStatementsWithAdminAccess, ...FullAccess, IAMNoInlinePolicy), (a)(4)(ii)(A) dropped. */
const LEAST_PRIVILEGE = ["164.308(a)(3)(i)", "164.308(a)(3)(ii)(A)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)"];
/** Contingency plan, data backup and disaster recovery: cdk-nag's S3BucketVersioningEnabled / S3BucketReplicationEnabled citation. */
const CONTINGENCY = ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"];

/** HIPAA Security Rule (45 CFR Part 164, Subpart C): safeguards for electronic protected health information. */
export const HIPAA: CompliancePack = {
  name: "HIPAA",
  title: "HIPAA Security Rule (45 CFR Part 164, Subpart C)",
  rules: [
    // KMS. cdk-nag's HIPAA pack omits key rotation (its NIST and PCI packs have it). Error here (inferred): HHS's guidance on
    // rendering PHI unusable (74 FR 19006) names NIST SP 800-111 for data at rest and requires that the key not be breached;
    // rotation bounds what one compromised key version exposes.
    { ruleId: "KMSKeyRotationEnabled", level: "error", controls: AT_REST },
    { ruleId: "KMSKeyPolicyNoWildcardPrincipal", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(a)(2)(iv)"] },
    // A disabled key makes the ePHI it protects unavailable (164.306(a)(1): confidentiality, integrity and availability).
    { ruleId: "KMSKeyEnabled", level: "warning", controls: ["164.306(a)(1)", "164.312(a)(2)(iv)"] },
    { ruleId: "KMSKeyExplicitPolicy", level: "warning", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"] },

    // S3
    { ruleId: "S3BucketPublicAccessBlocked", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketKmsEncryption", level: "error", controls: AT_REST },
    { ruleId: "S3BucketVersioningEnabled", level: "error", controls: [...CONTINGENCY, "164.312(c)(1)", "164.312(c)(2)"] },
    { ruleId: "S3BucketAccessLogging", level: "error", controls: ACTIVITY_LOGS },
    { ruleId: "S3BucketTlsOnly", level: "error", controls: ["164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    { ruleId: "S3BucketOwnerEnforced", level: "warning", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"] },
    { ruleId: "S3BucketNoPublicAcl", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketPolicyNoPublicAllow", level: "error", controls: NO_PUBLIC },
    // Expiry rules are a mechanism for the final disposition of ePHI (device and media controls, 164.310(d)(2)(i)); inferred.
    { ruleId: "S3BucketLifecycleConfigured", level: "warning", controls: ["164.310(d)(2)(i)"] },
    { ruleId: "S3AuditBucketObjectLock", level: "error", controls: ["164.312(b)", "164.312(c)(1)", "164.316(b)(2)(i)"], params: { minRetentionDays: HIPAA_DEFAULTS.auditArchiveDays } },

    // CloudTrail
    { ruleId: "CloudTrailEncrypted", level: "error", controls: AT_REST },
    { ruleId: "CloudTrailLogFileValidation", level: "error", controls: ["164.312(c)(1)", "164.312(c)(2)"] },
    { ruleId: "CloudTrailCloudWatchLogs", level: "error", controls: ACTIVITY_LOGS },
    // multi-region-cloudtrail-enabled and cloudtrail-s3-dataevents-enabled are in cdk-nag's HIPAA "excluded rules"; citation inferred from the logging rules.
    { ruleId: "CloudTrailMultiRegion", level: "error", controls: ACTIVITY_LOGS },
    { ruleId: "CloudTrailLoggingEnabled", level: "error", controls: ACTIVITY_LOGS },
    { ruleId: "CloudTrailS3DataEvents", level: "error", controls: ACTIVITY_LOGS },
    {
      ruleId: "AuditLogRetention",
      level: "error",
      controls: ["164.312(b)", "164.316(b)(2)(i)"],
      params: { minDays: HIPAA_DEFAULTS.logRetentionDays, minArchiveDays: HIPAA_DEFAULTS.auditArchiveDays },
    },

    // CloudWatch
    { ruleId: "LogGroupEncrypted", level: "error", controls: AT_REST },
    { ruleId: "LogGroupRetention", level: "error", controls: ["164.312(b)"], params: { minDays: HIPAA_DEFAULTS.logRetentionDays } },
    // cdk-nag cites 164.312(b); alarms also serve activity review and incident response and reporting.
    { ruleId: "AlarmActionsEnabled", level: "error", controls: ["164.308(a)(1)(ii)(D)", "164.308(a)(6)(ii)", "164.312(b)"] },

    // SNS. TLS-only publishing has no cdk-nag HIPAA rule (AwsSolutions SNS3 only), and the API is HTTPS anyway: warning.
    { ruleId: "SnsTopicEncrypted", level: "error", controls: AT_REST },
    { ruleId: "SnsTopicPolicyNoPublic", level: "error", controls: NO_PUBLIC },
    { ruleId: "SnsTopicTlsOnly", level: "warning", controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"] },

    // EKS
    { ruleId: "EksControlPlaneLogging", level: "error", controls: ACTIVITY_LOGS },
    { ruleId: "EksPrivateEndpoint", level: "warning", controls: ["164.312(a)(1)", "164.312(e)(1)"] },
    { ruleId: "EksPublicEndpointRestricted", level: "error", controls: NO_PUBLIC },
    { ruleId: "EksSecretsEncryption", level: "error", controls: AT_REST },
    // Access entries: one IAM principal per entry (unique user identification), granted and revoked as audited AWS resources.
    { ruleId: "EksApiAuthentication", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(a)(2)(i)"] },
    { ruleId: "EksNodeGroupNoOpenSsh", level: "error", controls: NETWORK_INGRESS },
    // IMDSv2 with hop limit 1 (node credentials) and encrypted volumes (model weights, request caches).
    { ruleId: "GpuNodeGroupHardened", level: "error", controls: ["164.312(a)(1)", ...AT_REST] },

    // EC2 launch templates. cdk-nag's EC2IMDSv2Enabled citation is not in the reference; the access citation is inferred.
    { ruleId: "LaunchTemplateImdsv2", level: "error", controls: ["164.308(a)(3)(i)", "164.308(a)(4)(ii)(B)", "164.312(a)(1)"] },
    { ruleId: "LaunchTemplateImdsHopLimit", level: "warning", controls: ["164.312(a)(1)"] },
    { ruleId: "LaunchTemplateEncryptedVolumes", level: "error", controls: AT_REST },
    { ruleId: "LaunchTemplateNoPublicIp", level: "error", controls: NO_PUBLIC },
    // cdk-nag makes EC2InstanceDetailedMonitoringEnabled an error; one-minute metrics are not activity records, so warning here.
    { ruleId: "LaunchTemplateMonitoring", level: "warning", controls: ["164.312(b)"] },

    // IAM
    { ruleId: "IamNoAdminPolicy", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoFullServiceAccess", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoInlinePolicy", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamRoleTrustNoWildcard", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(d)"] },
    // Person or entity authentication; cdk-nag's MFA rules (excluded, account-level) cite the same.
    { ruleId: "IamHumanRoleRequiresMfa", level: "error", controls: ["164.312(d)"] },
    { ruleId: "IamNoAdministratorAccessAttachment", level: "error", controls: LEAST_PRIVILEGE },

    // VPC. VPCDefaultSecurityGroupClosed is a warning in cdk-nag.
    { ruleId: "VpcFlowLogsEnabled", level: "error", controls: ACTIVITY_LOGS },
    { ruleId: "VpcDefaultSecurityGroupClosed", level: "warning", controls: ["164.312(e)(1)"] },
    { ruleId: "SecurityGroupNoWorldIngress", level: "error", controls: NETWORK_INGRESS },
    { ruleId: "SubnetNoPublicIp", level: "error", controls: NO_PUBLIC },
    { ruleId: "VpcNoUnrestrictedRouteToIgw", level: "error", controls: ["164.312(e)(1)"] },

    // ECR: images rarely hold ePHI; supply-chain checks guard against malicious software (164.308(a)(5)(ii)(B)) and feed risk analysis.
    { ruleId: "EcrImmutableTags", level: "warning", controls: ["164.308(a)(5)(ii)(B)"] },
    { ruleId: "EcrScanOnPush", level: "warning", controls: ["164.308(a)(1)(ii)(A)", "164.308(a)(5)(ii)(B)"] },
    { ruleId: "EcrKmsEncryption", level: "warning", controls: AT_REST },
    { ruleId: "EcrRepositoryPolicyNoPublic", level: "error", controls: NO_PUBLIC },

    // SageMaker
    { ruleId: "SageMakerEndpointConfigKms", level: "error", controls: AT_REST },

    // ElastiCache (the router's response cache holds prompts and completions, so ePHI).
    { ruleId: "ElastiCacheEncryptedAtRest", level: "error", controls: AT_REST },
    // Transmission security: encryption (e)(2)(ii) and integrity controls (e)(2)(i), both given by TLS.
    { ruleId: "ElastiCacheEncryptedInTransit", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    // Person or entity authentication (d) before access (a)(1), granted per user group and access string ((a)(4)(ii)(B)).
    { ruleId: "ElastiCacheAuthenticationRequired", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(d)"] },
    { ruleId: "ElastiCacheUserNoPasswordlessAccess", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(d)"] },
    // Cached responses can be regenerated, so losing the cache costs latency and load, not data: warning.
    { ruleId: "ElastiCacheMultiAz", level: "warning", controls: CONTINGENCY },
    // Risk management: reduce vulnerabilities to a reasonable and appropriate level.
    { ruleId: "ElastiCacheAutoMinorVersionUpgrade", level: "warning", controls: ["164.308(a)(1)(ii)(B)"] },

    // RDS (the router's database holds keys, users and spend logs that may carry request content, so ePHI).
    { ruleId: "RdsStorageEncrypted", level: "error", controls: AT_REST },
    { ruleId: "RdsNotPublic", level: "error", controls: NO_PUBLIC },
    // Person or entity authentication with short-lived IAM tokens, granted per database user.
    { ruleId: "RdsIamAuthentication", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(d)"] },
    // Password management (a)(5)(ii)(D): a master password in clear text in the state is an exposed credential.
    { ruleId: "RdsMasterPasswordManaged", level: "error", controls: ["164.308(a)(5)(ii)(D)", "164.312(a)(1)", "164.312(d)"] },
    // Data backup plan: cdk-nag's RDSInstanceBackupEnabled citation.
    { ruleId: "RdsBackupRetention", level: "error", controls: CONTINGENCY },
    // cdk-nag's RDSInstanceDeletionProtectionEnabled citation; a final snapshot is the backup that survives a deletion, so (ii)(A) too.
    { ruleId: "RdsDeletionProtection", level: "error", controls: ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(C)"] },
    // cdk-nag's RDSMultiAZSupport citation. cdk-nag makes it an error; warning here, because backups (an error) restore the data
    // and Multi-AZ shortens the outage, which no specification sizes.
    { ruleId: "RdsMultiAz", level: "warning", controls: ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"] },
    // Snapshots keep the data class tag that tag-conditioned access relies on (inferred): warning.
    { ruleId: "RdsClusterCopyTagsToSnapshot", level: "warning", controls: ["164.308(a)(4)(ii)(B)", "164.310(d)(1)"] },
    // cdk-nag's RDSLoggingEnabled citation (log-in monitoring (a)(5)(ii)(C)), plus audit controls.
    { ruleId: "RdsLogExports", level: "error", controls: ["164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.312(b)"] },
    { ruleId: "RdsTlsRequired", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    // cdk-nag's RDSAutomaticMinorVersionUpgradeEnabled cites 164.308(a)(5)(ii)(A) as an error; warning here as for ElastiCache.
    { ruleId: "RdsAutoMinorVersionUpgrade", level: "warning", controls: ["164.308(a)(1)(ii)(B)", "164.308(a)(5)(ii)(A)"] },
    // cdk-nag's RDSEnhancedMonitoringEnabled citation; operating-system metrics are not activity records, so warning (as LaunchTemplateMonitoring).
    { ruleId: "RdsEnhancedMonitoring", level: "warning", controls: ["164.312(b)"] },
    { ruleId: "RdsPerformanceInsightsEncrypted", level: "error", controls: AT_REST },

    // ALBs of the endpoints and the router, read from their Ingresses. cdk-nag's HIPAA ELBLoggingEnabled cites 164.312(b); its
    // ALBHttpToHttpsRedirection cites 164.312(a)(2)(iv), (e)(1), (e)(2)(i), (e)(2)(ii), of which the transmission ones are kept here
    // (as for RdsTlsRequired): (a)(2)(iv) is encryption of stored ePHI.
    { ruleId: "AlbIngressAccessLogs", level: "error", controls: ["164.312(b)"] },
    { ruleId: "AlbIngressHttpsOnly", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    // No cdk-nag rule judges the policy's TLS version; transmission security as above. HIPAA names no FIPS requirement.
    { ruleId: "AlbIngressTlsPolicy", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"] },
    // Load balancers that users declare as Terraform resources: the same citations as the Ingress rules above. cdk-nag's HIPAA
    // ELBDeletionProtectionEnabled cites 164.308(a)(7)(i) and (C); header dropping and desync mitigation are hardening: warnings.
    { ruleId: "LoadBalancerAccessLogs", level: "error", controls: ["164.312(b)"] },
    { ruleId: "LoadBalancerListenerHttps", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    { ruleId: "LoadBalancerListenerTls12", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(ii)"] },
    { ruleId: "LoadBalancerDeletionProtection", level: "warning", controls: ["164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"] },
    { ruleId: "LoadBalancerDropsInvalidHeaders", level: "warning", controls: ["164.312(c)(1)", "164.312(e)(1)"] },
    { ruleId: "LoadBalancerDesyncMitigation", level: "warning", controls: ["164.312(c)(1)", "164.312(e)(1)"] },
    // Issue 16. IAM escalation paths (cloudsplaining, via checkov CKV_AWS_286/287/288): least privilege as the IAM rules above.
    // cloudsplaining rates privilege escalation and credentials exposure "high" (errors), data exfiltration "medium" (warning).
    { ruleId: "IamNoPrivilegeEscalation", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoCredentialsExposure", level: "error", controls: [...LEAST_PRIVILEGE, "164.312(d)"] },
    { ruleId: "IamNoDataExfiltration", level: "warning", controls: LEAST_PRIVILEGE },
    // cloudsplaining's "resource exposure" (permissions management without constraints, checkov CKV_AWS_289/109) is "high": error.
    // Unconstrained write ("infrastructure modification", CKV_AWS_290/111) and "*" on restrictable actions (CKV_AWS_355/356, cdk-nag
    // AwsSolutions-IAM5, which no cdk-nag HIPAA rule has) are least-privilege hygiene: warnings.
    { ruleId: "IamNoUnconstrainedPermissionsManagement", level: "error", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoUnconstrainedWrite", level: "warning", controls: LEAST_PRIVILEGE },
    { ruleId: "IamNoStarResourceForRestrictableActions", level: "warning", controls: LEAST_PRIVILEGE },
    // A GitHub trust without a repository lets any workflow assume the deploy role: person or entity authentication.
    { ruleId: "GithubOidcTrustScoped", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(d)"] },
    // A pull request runs its own workflow with the role: secret values read there reach any contributor.
    { ruleId: "IamPullRequestRoleNoSecretValues", level: "error", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"] },
    // Security management: patching reduces vulnerabilities (risk management); warning as for automatic minor upgrades.
    { ruleId: "EksSupportedVersion", level: "warning", controls: ["164.308(a)(1)(ii)(B)", "164.308(a)(5)(ii)(A)"] },
    // Nodes pull images, weights and tokens over HTTPS from the internet (through NAT); the rule is hardening, not a specification.
    { ruleId: "SecurityGroupNoUnrestrictedEgress", level: "warning", controls: ["164.312(e)(1)"] },
    // cdk-nag HIPAA SecretsManagerUsingKMSKey cites (a)(2)(iv) and (e)(2)(ii); the at-rest one is kept.
    { ruleId: "SecretsManagerCmk", level: "error", controls: AT_REST },
    // Password management. Warning: the router's generated secrets (lib/private/datastore.ts) rotate by version bumps, not by
    // Secrets Manager rotation, so an error would fail the library's defaults (reported for a fix).
    { ruleId: "SecretsManagerRotation", level: "warning", controls: ["164.308(a)(5)(ii)(D)", "164.312(d)"] },
    { ruleId: "Ec2UserDataNoSecrets", level: "error", controls: ["164.308(a)(5)(ii)(D)", "164.312(a)(1)", "164.312(d)"] },
    { ruleId: "RdsCaCertificate", level: "warning", controls: ["164.312(e)(1)", "164.312(e)(2)(i)"] },
    { ruleId: "RdsMysqlTlsRequired", level: "error", controls: ["164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"] },
    // Audit controls. Warning: the router database's parameter group (lib/routing/private/router-database.ts) logs connections
    // but sets neither log_statement nor log_min_duration_statement (reported for a fix).
    { ruleId: "RdsPostgresQueryLogging", level: "warning", controls: ["164.312(b)"] },
    { ruleId: "SnsTopicPolicyNoUnconditionedCrossAccount", level: "warning", controls: ["164.308(a)(4)(ii)(B)", "164.312(a)(1)"] },
    // Issue 17. HIPAA sets no data location; a resident endpoint whose data leaves the locations its risk analysis and
    // business associate agreements cover is a risk-management finding (164.308(a)(1)(ii)(B), 164.308(b)(1)): a warning.
    { ruleId: "DataResidencyRespected", level: "warning", controls: ["164.308(a)(1)(ii)(B)", "164.308(b)(1)"] },
  ],
};
