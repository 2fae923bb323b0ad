/*
 * FedRAMP Moderate pack: NIST SP 800-53 rev5 controls of the FedRAMP Moderate baseline.
 *
 * Citation sources (read 2026-11-28):
 * - FedRAMP Rev 5 Moderate baseline, OSCAL profile GSA/fedramp-automation
 *   dist/content/rev5/baselines/json/FedRAMP_rev5_MODERATE-baseline_profile-min.json, version
 *   "5.1.1+fedramp-20240111-0" (last-modified 2024-01-11), commit 063ae096. Every id cited here is in its
 *   include-controls list; test/compliance/packs.test.ts holds the list's AC, AU, CA, CM, CP, IA, IR, RA, SA,
 *   SC, SI and SR entries and checks that.
 * - FedRAMP assignments: AU-2 a. "successful and unsuccessful account logon events, account management
 *   events, object access, policy change, privilege functions, process tracking, and system events ..." and
 *   AU-11 "a time period in compliance with M-21-31" with the requirement "retains audit records on-line for at
 *   least ninety days and further preserves audit records off-line for a period that is in accordance with NARA
 *   requirements" (FedRAMP SSP template / baseline parameter text).
 * - FedRAMP "Vulnerability Scanning Requirements for Containers" (March 2021), as reported by gcn.com: scan images
 *   before deployment, trace every deployed container to its image.
 * - cdk-nag NIST.800.53.R5 pack, as summarized in docs/compliance-reference.md §2 (main @ ca6d1b54,
 *   v3.0.x). cdk-nag's citations are reduced to the ids the Moderate baseline selects, at control or enhancement
 *   level (cdk-nag's sub-part letters such as "SC-13a" are dropped). Enhancements cdk-nag cites that Moderate
 *   does not select, and which are therefore not cited: AU-9(2), AU-9(3), AU-9(7), AU-11(1), AU-12(1)-(4),
 *   AU-14, SC-8(2)-(5), SC-12(2), SC-12(6), SC-16(1), SC-28(2), SI-4(12), SI-4(17), SI-4(20), SI-7(3), SI-19(4),
 *   SA-9(6), AC-6(3), SC-23(3). (Moderate has AU-9 and AU-9(4) only.)
 * - ElastiCache: cdk-nag's NIST.800.53.R5 pack checks only ElastiCacheRedisClusterAutomaticBackup (src/packs/nist-800-53-r5.ts
 *   @ 03430b29), so the ElastiCache citations are this library's, from the control text; checkov's CKV_AWS_322 cites SI-2 for
 *   minor version upgrades.
 * - RDS: cdk-nag's NIST.800.53.R5 pack (src/packs/nist-800-53-r5.ts, checkRDS) cites RDSStorageEncrypted, RDSInstancePublicAccess,
 *   RDSInstanceBackupEnabled, RDSInstanceDeletionProtectionEnabled, RDSMultiAZSupport, RDSLoggingEnabled and
 *   RDSEnhancedMonitoringEnabled; their citations are reduced to Moderate as above. IAM authentication, the master password
 *   (IA-5(7): no embedded unencrypted static authenticators), TLS and Performance Insights keys are this library's, from the control text.
 * - Retention: OMB M-21-31 (Aug 2021) Appendix C, as implemented by cloud.gov
 *   (docs.cloud.gov/platform/compliance/m-21-31-compliance): 12 months in active storage plus 18 months in
 *   archive. Reading the 18 months as following the 12 (30 months, the longer of the two readings seen; one
 *   secondary source reads 18 months in total) gives 913 days (30 × 30.44) of object lock on the trail bucket and
 *   365 days in CloudWatch Logs; this also exceeds FedRAMP's own floor of 90 days online. Inferred. A secondary
 *   source says OMB rescinded M-21-31 in 2026 (M-26-14); unverified, and the baseline read still cites M-21-31.
 *
 * Levels: "error" where a Moderate control requires the behaviour (cdk-nag's NIST pack also makes them errors);
 * "warning" where the check is hardening beyond what the selected controls state.
 */
import { CompliancePack } from "../model";

/** Defaults of the FedRAMP Moderate pack's parameters. */
export const FEDRAMP_MODERATE_DEFAULTS = {
  /** Audit archive (trail bucket object lock): 30 months, M-21-31 12 months active + 18 months cold (inferred). */
  auditArchiveDays: 913,
  /** Searchable log retention (CloudWatch Logs): M-21-31's 12 months of active storage. */
  logRetentionDays: 365,
} as const;

/** Cryptographic protection of information at rest (cdk-nag: SC-13a, SC-28(1), ...). */
const AT_REST = ["SC-13", "SC-28", "SC-28(1)"];
/** Public exposure of a resource: access enforcement, information flow, least privilege, boundary protection. */
const NO_PUBLIC = ["AC-3", "AC-4", "AC-6", "SC-7"];
/** Least privilege (cdk-nag IAMPolicyNoStatementsWithAdminAccess: AC-3, AC-5b, AC-6, AC-6(2), AC-6(10); AC-6(3) not in Moderate). */
const LEAST_PRIVILEGE = ["AC-3", "AC-5", "AC-6", "AC-6(2)", "AC-6(10)"];
/** Open ingress (cdk-nag EC2RestrictedSSH: AC-17, CM-7, SC-7 ...; SC-7(5) deny by default). */
const NETWORK_INGRESS = ["AC-4", "AC-17", "CM-7", "SC-7", "SC-7(5)"];
/** Public addressing and routes: separation of flows, boundary protection, limited external connections. */
const SEGMENTATION = ["AC-4", "AC-4(21)", "SC-7", "SC-7(3)"];
/** Event logging and audit record generation (FedRAMP AU-2 includes object access and account management). */
const AUDIT_EVENTS = ["AU-2", "AU-3", "AU-12"];

/** FedRAMP Moderate baseline (NIST SP 800-53 rev5). */
export const FEDRAMP_MODERATE: CompliancePack = {
  name: "FEDRAMP_MODERATE",
  title: "FedRAMP Moderate baseline (NIST SP 800-53 rev5)",
  rules: [
    // KMS (cdk-nag KMSBackingKeyRotationEnabled: CM-6a, CM-9b, SA-9(6), SC-12, SC-12(2), SC-12(6); Moderate keeps CM-6, SC-12).
    { ruleId: "KMSKeyRotationEnabled", level: "error", controls: ["CM-6", "SC-12"] },
    { ruleId: "KMSKeyPolicyNoWildcardPrincipal", level: "error", controls: ["AC-3", "AC-6", "SC-12"] },
    { ruleId: "KMSKeyEnabled", level: "warning", controls: ["SC-12"] },
    { ruleId: "KMSKeyExplicitPolicy", level: "warning", controls: ["AC-3", "AC-6", "SC-12"] },

    // S3
    { ruleId: "S3BucketPublicAccessBlocked", level: "error", controls: NO_PUBLIC },
    // cdk-nag adds CP-9(8) (cryptographic protection of backup information) for S3.
    { ruleId: "S3BucketKmsEncryption", level: "error", controls: [...AT_REST, "CP-9(8)"] },
    { ruleId: "S3BucketVersioningEnabled", level: "error", controls: ["CP-9", "CP-10"] },
    { ruleId: "S3BucketAccessLogging", level: "error", controls: AUDIT_EVENTS },
    { ruleId: "S3BucketTlsOnly", level: "error", controls: ["AC-17(2)", "SC-8", "SC-8(1)", "SC-13"] },
    { ruleId: "S3BucketOwnerEnforced", level: "warning", controls: ["AC-3", "AC-6", "CM-6"] },
    { ruleId: "S3BucketNoPublicAcl", level: "error", controls: NO_PUBLIC },
    { ruleId: "S3BucketPolicyNoPublicAllow", level: "error", controls: NO_PUBLIC },
    // SI-12: information management and retention.
    { ruleId: "S3BucketLifecycleConfigured", level: "warning", controls: ["SI-12"] },
    // AU-9: protect audit information from unauthorized modification and deletion; AU-11: retention.
    { ruleId: "S3AuditBucketObjectLock", level: "error", controls: ["AU-9", "AU-11"], params: { minRetentionDays: FEDRAMP_MODERATE_DEFAULTS.auditArchiveDays } },

    // CloudTrail
    { ruleId: "CloudTrailEncrypted", level: "error", controls: ["AU-9", ...AT_REST] },
    { ruleId: "CloudTrailLogFileValidation", level: "error", controls: ["AU-9", "SI-7", "SI-7(1)"] },
    // Central analysis: automated review (AU-6(1)), correlation (AU-6(3)), real-time analysis (SI-4(2)).
    { ruleId: "CloudTrailCloudWatchLogs", level: "error", controls: ["AC-2(4)", "AC-6(9)", "AU-6(1)", "AU-6(3)", "AU-12", "SI-4(2)"] },
    { ruleId: "CloudTrailMultiRegion", level: "error", controls: ["AC-2(4)", "AU-2", "AU-12"] },
    { ruleId: "CloudTrailLoggingEnabled", level: "error", controls: ["AC-2(4)", "AC-6(9)", "AU-2", "AU-12"] },
    // FedRAMP's AU-2 assignment names "object access".
    { ruleId: "CloudTrailS3DataEvents", level: "error", controls: ["AU-2", "AU-12"] },
    {
      ruleId: "AuditLogRetention",
      level: "error",
      controls: ["AU-9", "AU-11"],
      params: { minDays: FEDRAMP_MODERATE_DEFAULTS.logRetentionDays, minArchiveDays: FEDRAMP_MODERATE_DEFAULTS.auditArchiveDays },
    },

    // CloudWatch (cdk-nag CloudWatchLogGroupRetentionPeriod: AU-11, AU-11(1), SC-28(2), SI-12; Moderate keeps AU-11, SI-12).
    { ruleId: "LogGroupEncrypted", level: "error", controls: ["AU-9", ...AT_REST] },
    { ruleId: "LogGroupRetention", level: "error", controls: ["AU-11", "SI-12"], params: { minDays: FEDRAMP_MODERATE_DEFAULTS.logRetentionDays } },
    // cdk-nag CloudWatchAlarmAction: AU-6(1), AU-6(5), CA-7, SI-4(12), SI-5b; Moderate keeps AU-6(1), CA-7; SI-4(5) system-generated alerts.
    { ruleId: "AlarmActionsEnabled", level: "error", controls: ["AU-6(1)", "CA-7", "SI-4(5)"] },

    // SNS. SC-8(1) (cryptographic protection in transit) is selected in Moderate, so TLS-only publishing is an error here.
    { ruleId: "SnsTopicEncrypted", level: "error", controls: AT_REST },
    { ruleId: "SnsTopicPolicyNoPublic", level: "error", controls: ["AC-3", "AC-4", "AC-6"] },
    { ruleId: "SnsTopicTlsOnly", level: "error", controls: ["SC-8", "SC-8(1)"] },

    // EKS. A public Kubernetes API, even CIDR-restricted, is an external connection SC-7(3) asks to limit.
    { ruleId: "EksControlPlaneLogging", level: "error", controls: ["AC-2(4)", "AC-6(9)", ...AUDIT_EVENTS] },
    { ruleId: "EksPrivateEndpoint", level: "error", controls: ["AC-17", "SC-7", "SC-7(3)"] },
    { ruleId: "EksPublicEndpointRestricted", level: "error", controls: ["AC-3", "AC-17", "SC-7"] },
    // Kubernetes secrets hold authenticators (IA-5: protect authenticator content).
    { ruleId: "EksSecretsEncryption", level: "error", controls: ["IA-5", "SC-12", "SC-28", "SC-28(1)"] },
    // Access entries are AWS-managed, CloudTrail-audited accounts (AC-2, AC-2(4)); no implicit creator admin (AC-6).
    { ruleId: "EksApiAuthentication", level: "error", controls: ["AC-2", "AC-2(4)", "AC-3", "AC-6", "IA-2"] },
    { ruleId: "EksNodeGroupNoOpenSsh", level: "error", controls: ["AC-17", "CM-7", "SC-7"] },
    { ruleId: "GpuNodeGroupHardened", level: "error", controls: ["AC-3", "AC-6", "CM-6", "SC-28", "SC-28(1)"] },

    // EC2 launch templates (cdk-nag EC2IMDSv2Enabled: AC-3, AC-6, SC-23(3) ...; SC-23(3) not in Moderate).
    { ruleId: "LaunchTemplateImdsv2", level: "error", controls: ["AC-3", "AC-6", "CM-6"] },
    { ruleId: "LaunchTemplateImdsHopLimit", level: "warning", controls: ["AC-6", "CM-6"] },
    { ruleId: "LaunchTemplateEncryptedVolumes", level: "error", controls: AT_REST },
    { ruleId: "LaunchTemplateNoPublicIp", level: "error", controls: SEGMENTATION },
    { ruleId: "LaunchTemplateMonitoring", level: "warning", controls: ["CA-7", "SI-4"] },

    // IAM
    { ruleId: "IamNoAdminPolicy", level: "error", controls: LEAST_PRIVILEGE },
    // cdk-nag IAMPolicyNoStatementsWithFullAccess: AC-3, AC-5b, AC-6(2), AC-6(10), CM-5(1)(a).
    { ruleId: "IamNoFullServiceAccess", level: "error", controls: ["AC-3", "AC-5", "AC-6(2)", "AC-6(10)", "CM-5(1)"] },
    { ruleId: "IamNoInlinePolicy", level: "error", controls: ["AC-2(1)", "AC-3", "AC-6", "CM-5(1)"] },
    // A wildcard trust lets principals outside the organization assume the role (IA-8).
    { ruleId: "IamRoleTrustNoWildcard", level: "error", controls: ["AC-3", "AC-6", "IA-8"] },
    // MFA for privileged (IA-2(1)) and non-privileged (IA-2(2)) accounts; cdk-nag's excluded MFA rules also cite IA-2(6), IA-2(8), which aws:MultiFactorAuthPresent does not evidence.
    { ruleId: "IamHumanRoleRequiresMfa", level: "error", controls: ["IA-2", "IA-2(1)", "IA-2(2)"] },
    { ruleId: "IamNoAdministratorAccessAttachment", level: "error", controls: LEAST_PRIVILEGE },

    // VPC. VPCDefaultSecurityGroupClosed is a warning in cdk-nag.
    { ruleId: "VpcFlowLogsEnabled", level: "error", controls: ["AU-2", "AU-12", "SI-4", "SI-4(4)"] },
    { ruleId: "VpcDefaultSecurityGroupClosed", level: "warning", controls: ["AC-4", "SC-7", "SC-7(5)"] },
    { ruleId: "SecurityGroupNoWorldIngress", level: "error", controls: NETWORK_INGRESS },
    // Reviewable rules: the description documents why a flow is allowed (configuration settings).
    { ruleId: "SecurityGroupDescription", level: "warning", controls: ["CM-6"] },
    { ruleId: "SubnetNoPublicIp", level: "error", controls: SEGMENTATION },
    { ruleId: "VpcNoUnrestrictedRouteToIgw", level: "error", controls: ["AC-4", "AC-4(21)", "SC-7"] },

    // ECR. RA-5 vulnerability monitoring, SI-2 flaw remediation; FedRAMP's container scanning requirements ask that images be
    // scanned before deployment and that each deployed container trace to the image it came from (immutable tags help).
    { ruleId: "EcrImmutableTags", level: "warning", controls: ["CM-6", "SI-7"] },
    { ruleId: "EcrScanOnPush", level: "error", controls: ["RA-5", "SI-2"] },
    { ruleId: "EcrKmsEncryption", level: "warning", controls: AT_REST },
    { ruleId: "EcrRepositoryPolicyNoPublic", level: "error", controls: ["AC-3", "AC-6"] },

    // SageMaker
    { ruleId: "SageMakerEndpointConfigKms", level: "error", controls: AT_REST },

    // ElastiCache
    { ruleId: "ElastiCacheEncryptedAtRest", level: "error", controls: AT_REST },
    { ruleId: "ElastiCacheEncryptedInTransit", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"] },
    // Identification and authentication before access enforcement.
    { ruleId: "ElastiCacheAuthenticationRequired", level: "error", controls: ["AC-3", "IA-2"] },
    // An enabled passwordless user is an account without an authenticator; IA-5 asks that default authenticators be changed.
    { ruleId: "ElastiCacheUserNoPasswordlessAccess", level: "error", controls: ["AC-2", "AC-3", "IA-2", "IA-5"] },
    // System recovery; the cache's contents can be rebuilt, so warning.
    { ruleId: "ElastiCacheMultiAz", level: "warning", controls: ["CP-10"] },
    // Flaw remediation; a warning because patches may also be applied by a scheduled process SI-2 accepts.
    { ruleId: "ElastiCacheAutoMinorVersionUpgrade", level: "warning", controls: ["SI-2"] },

    // RDS. Storage encryption also covers automated backups and snapshots (CP-9(8), as cdk-nag's CP-9d).
    { ruleId: "RdsStorageEncrypted", level: "error", controls: [...AT_REST, "CP-9(8)"] },
    { ruleId: "RdsNotPublic", level: "error", controls: NO_PUBLIC },
    // Identification and authentication with short-lived authenticators instead of stored passwords.
    { ruleId: "RdsIamAuthentication", level: "error", controls: ["AC-3", "IA-2", "IA-5"] },
    // IA-5(1): passwords stored only cryptographically protected; IA-5(7): no embedded unencrypted static authenticators.
    { ruleId: "RdsMasterPasswordManaged", level: "error", controls: ["IA-5", "IA-5(1)", "IA-5(7)"] },
    { ruleId: "RdsBackupRetention", level: "error", controls: ["CP-9", "CP-10"] },
    // cdk-nag cites CM-3a and CP-2 among others; deleting the instance also deletes its automated backups, so CP-9.
    { ruleId: "RdsDeletionProtection", level: "error", controls: ["CM-3", "CP-2", "CP-9"] },
    // cdk-nag cites CP-2 and CP-10 (with SC-36, not in Moderate); warning as for ElastiCache, backups being the error.
    { ruleId: "RdsMultiAz", level: "warning", controls: ["CP-2", "CP-10"] },
    // checkov's docstring for CKV_AWS_313 cites CA-9(1), CM-2 and CM-2(2); CM-2 (baseline configuration) is in the Moderate baseline.
    { ruleId: "RdsClusterCopyTagsToSnapshot", level: "warning", controls: ["CM-2"] },
    { ruleId: "RdsLogExports", level: "error", controls: ["AC-2(4)", "AC-6(9)", ...AUDIT_EVENTS] },
    { ruleId: "RdsTlsRequired", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"] },
    { ruleId: "RdsAutoMinorVersionUpgrade", level: "warning", controls: ["SI-2"] },
    { ruleId: "RdsEnhancedMonitoring", level: "warning", controls: ["CA-7", "SI-4"] },
    { ruleId: "RdsPerformanceInsightsEncrypted", level: "error", controls: AT_REST },

    // ALBs of the endpoints and the router, read from their Ingresses. cdk-nag's NIST.800.53.R5 ELBLoggingEnabled cites AU-2b, AU-3,
    // AU-12 among others; its ALBHttpToHttpsRedirection cites AC-17(2), SC-8, SC-8(1), SC-13a, SC-23 among others (reduced to Moderate).
    { ruleId: "AlbIngressAccessLogs", level: "error", controls: AUDIT_EVENTS },
    { ruleId: "AlbIngressHttpsOnly", level: "error", controls: ["AC-17(2)", "SC-8", "SC-8(1)", "SC-23"] },
    // SC-13: FedRAMP's parameter SC-13(b) is "FIPS-validated or NSA-approved cryptography" (FedRAMP SSP template), so the listener's TLS must run in
    // FIPS 140-validated modules: an ELBSecurityPolicy-*-FIPS-* policy (ALB User Guide, "Security policies for your Application
    // Load Balancer"). The library's ingresses pick ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04 when this pack is enforced.
    { ruleId: "AlbIngressTlsPolicy", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"], params: { requireFips: true } },
    // Terraform-declared load balancers: as the Ingress rules above (checkov's CKV_AWS_328 docstring cites AC-4(21), CM-2).
    { ruleId: "LoadBalancerAccessLogs", level: "error", controls: AUDIT_EVENTS },
    { ruleId: "LoadBalancerListenerHttps", level: "error", controls: ["AC-17(2)", "SC-8", "SC-8(1)", "SC-23"] },
    { ruleId: "LoadBalancerListenerTls12", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"] },
    { ruleId: "LoadBalancerDeletionProtection", level: "warning", controls: ["CP-10", "CM-2"] },
    { ruleId: "LoadBalancerDropsInvalidHeaders", level: "warning", controls: ["SC-7", "SI-10"] },
    { ruleId: "LoadBalancerDesyncMitigation", level: "warning", controls: ["SC-7", "CM-2"] },
    // Issue 16 (cloudsplaining severities: escalation and credentials "high", exfiltration "medium"). AC-6(1) authorizes access to
    // security functions (IAM itself) explicitly.
    { ruleId: "IamNoPrivilegeEscalation", level: "error", controls: [...LEAST_PRIVILEGE, "AC-6(1)"] },
    { ruleId: "IamNoCredentialsExposure", level: "error", controls: [...LEAST_PRIVILEGE, "IA-5"] },
    { ruleId: "IamNoDataExfiltration", level: "warning", controls: ["AC-3", "AC-6", "AC-6(2)"] },
    // Resource exposure (CKV_AWS_289/109, cloudsplaining "high"): error, AC-6(1) as for escalation (policies are security functions);
    // unconstrained write (CM-5: access restrictions for change) and "*" on restrictable actions: warnings.
    { ruleId: "IamNoUnconstrainedPermissionsManagement", level: "error", controls: [...LEAST_PRIVILEGE, "AC-6(1)"] },
    { ruleId: "IamNoUnconstrainedWrite", level: "warning", controls: [...LEAST_PRIVILEGE, "CM-5"] },
    { ruleId: "IamNoStarResourceForRestrictableActions", level: "warning", controls: LEAST_PRIVILEGE },
    // Identification of non-organizational users (IA-8): the repository is the identity GitHub asserts.
    { ruleId: "GithubOidcTrustScoped", level: "error", controls: ["AC-3", "IA-2", "IA-8"] },
    // A pull request runs its own workflow with the role: secret values read there reach any contributor.
    { ruleId: "IamPullRequestRoleNoSecretValues", level: "error", controls: ["AC-6", "SC-28", "IA-5"] },
    // checkov cites CA-9(1), CM-2, SI-2, SI-2(2), SI-2(4), SI-2(5) in EKSPlatformVersion.py; Moderate keeps CM-2, SI-2, SI-2(2).
    // Error: an unsupported version receives no flaw remediation at all.
    { ruleId: "EksSupportedVersion", level: "error", controls: ["CM-2", "SI-2", "SI-2(2)"] },
    // SC-7(5) deny by default, allow by exception, covers outbound traffic. Warning: nodes need HTTPS egress to the internet
    // (images, weights, tokens) through NAT; the exception is the NAT path, documented in the SSP.
    { ruleId: "SecurityGroupNoUnrestrictedEgress", level: "warning", controls: ["AC-4", "SC-7", "SC-7(5)"] },
    { ruleId: "SecretsManagerCmk", level: "error", controls: ["IA-5", "SC-12", "SC-28", "SC-28(1)"] },
    // IA-5(1) changing authenticators. Warning: the router's secrets rotate by version bumps, not Secrets Manager rotation (reported).
    { ruleId: "SecretsManagerRotation", level: "warning", controls: ["IA-5", "IA-5(1)"] },
    // IA-5(7): no embedded unencrypted static authenticators.
    { ruleId: "Ec2UserDataNoSecrets", level: "error", controls: ["IA-5", "IA-5(7)"] },
    // SC-17: public key infrastructure certificates from an approved provider.
    { ruleId: "RdsCaCertificate", level: "error", controls: ["SC-8", "SC-17"] },
    { ruleId: "RdsMysqlTlsRequired", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"] },
    // Warning: the router database sets no statement logging (reported).
    { ruleId: "RdsPostgresQueryLogging", level: "warning", controls: AUDIT_EVENTS },
    { ruleId: "SnsTopicPolicyNoUnconditionedCrossAccount", level: "warning", controls: ["AC-3", "AC-4", "AC-6"] },
  ],
};
