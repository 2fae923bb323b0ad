import { CompliancePack, PackRule } from "../../lib/compliance/model";
import { ALL_PACKS, FEDRAMP_MODERATE, GDPR, HIPAA, SOC2, fedrampModerate, gdpr, hipaa, soc2 } from "../../lib/compliance/packs";

/** The rule ids the library implements (the registry itself is checked against the packs in engine.test.ts). */
const RULE_IDS = [
  // KMS
  "KMSKeyRotationEnabled", "KMSKeyPolicyNoWildcardPrincipal", "KMSKeyEnabled", "KMSKeyExplicitPolicy",
  // S3
  "S3BucketPublicAccessBlocked", "S3BucketKmsEncryption", "S3BucketVersioningEnabled", "S3BucketAccessLogging", "S3BucketTlsOnly",
  "S3BucketOwnerEnforced", "S3BucketNoPublicAcl", "S3BucketPolicyNoPublicAllow", "S3BucketLifecycleConfigured", "S3AuditBucketObjectLock",
  "S3PersonalDataExpiry",
  // ECR, SageMaker
  "EcrImmutableTags", "EcrScanOnPush", "EcrKmsEncryption", "EcrRepositoryPolicyNoPublic", "SageMakerEndpointConfigKms",
  // CloudTrail
  "CloudTrailEncrypted", "CloudTrailLogFileValidation", "CloudTrailCloudWatchLogs", "CloudTrailMultiRegion", "CloudTrailLoggingEnabled",
  "CloudTrailS3DataEvents", "AuditLogRetention",
  // CloudWatch, SNS
  "LogGroupEncrypted", "LogGroupRetention", "AlarmActionsEnabled", "SnsTopicEncrypted", "SnsTopicPolicyNoPublic", "SnsTopicTlsOnly",
  // VPC
  "VpcFlowLogsEnabled", "VpcDefaultSecurityGroupClosed", "SecurityGroupNoWorldIngress", "SecurityGroupDescription", "SubnetNoPublicIp",
  "VpcNoUnrestrictedRouteToIgw",
  // EKS
  "EksControlPlaneLogging", "EksPrivateEndpoint", "EksPublicEndpointRestricted", "EksSecretsEncryption", "EksApiAuthentication",
  "EksNodeGroupNoOpenSsh", "GpuNodeGroupHardened",
  // EC2
  "LaunchTemplateImdsv2", "LaunchTemplateImdsHopLimit", "LaunchTemplateEncryptedVolumes", "LaunchTemplateNoPublicIp", "LaunchTemplateMonitoring",
  // IAM
  "IamNoAdminPolicy", "IamNoFullServiceAccess", "IamNoInlinePolicy", "IamRoleTrustNoWildcard", "IamHumanRoleRequiresMfa",
  "IamNoAdministratorAccessAttachment",
  // ElastiCache
  "ElastiCacheEncryptedAtRest", "ElastiCacheEncryptedInTransit", "ElastiCacheAuthenticationRequired", "ElastiCacheUserNoPasswordlessAccess",
  "ElastiCacheMultiAz", "ElastiCacheAutoMinorVersionUpgrade",
  // RDS
  "RdsStorageEncrypted", "RdsNotPublic", "RdsIamAuthentication", "RdsMasterPasswordManaged", "RdsBackupRetention", "RdsDeletionProtection",
  "RdsMultiAz", "RdsLogExports", "RdsTlsRequired", "RdsAutoMinorVersionUpgrade", "RdsEnhancedMonitoring", "RdsPerformanceInsightsEncrypted", "RdsClusterCopyTagsToSnapshot",
  "LoadBalancerDeletionProtection", "LoadBalancerDropsInvalidHeaders", "LoadBalancerDesyncMitigation", "LoadBalancerAccessLogs", "LoadBalancerListenerHttps", "LoadBalancerListenerTls12",
  // ALBs of Kubernetes Ingresses
  "AlbIngressAccessLogs", "AlbIngressHttpsOnly", "AlbIngressTlsPolicy",
  "IamNoPrivilegeEscalation", "IamNoCredentialsExposure", "IamNoDataExfiltration",
  "IamNoUnconstrainedPermissionsManagement", "IamNoUnconstrainedWrite", "IamNoStarResourceForRestrictableActions", "GithubOidcTrustScoped", "IamPullRequestRoleNoSecretValues", "EksSupportedVersion",
  "SecurityGroupNoUnrestrictedEgress", "SecretsManagerCmk", "SecretsManagerRotation", "Ec2UserDataNoSecrets", "RdsCaCertificate",
  "RdsMysqlTlsRequired", "RdsPostgresQueryLogging", "SnsTopicPolicyNoUnconditionedCrossAccount",
  // Issue 17: data residency
  "DataResidencyRespected",
];

/** 45 CFR Part 164 Subpart C paragraphs (standards and implementation specifications, Appendix A to Subpart C). */
const HIPAA_PARAGRAPHS = new Set([
  "164.306(a)(1)", "164.306(a)(2)", "164.306(a)(3)", "164.306(a)(4)",
  "164.308(a)(1)(i)", "164.308(a)(1)(ii)(A)", "164.308(a)(1)(ii)(B)", "164.308(a)(1)(ii)(C)", "164.308(a)(1)(ii)(D)",
  "164.308(a)(2)",
  "164.308(a)(3)(i)", "164.308(a)(3)(ii)(A)", "164.308(a)(3)(ii)(B)", "164.308(a)(3)(ii)(C)",
  "164.308(a)(4)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)",
  "164.308(a)(5)(i)", "164.308(a)(5)(ii)(A)", "164.308(a)(5)(ii)(B)", "164.308(a)(5)(ii)(C)", "164.308(a)(5)(ii)(D)",
  "164.308(a)(6)(i)", "164.308(a)(6)(ii)",
  "164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)", "164.308(a)(7)(ii)(C)", "164.308(a)(7)(ii)(D)", "164.308(a)(7)(ii)(E)",
  "164.308(a)(8)", "164.308(b)(1)",
  "164.310(a)(1)", "164.310(a)(2)(i)", "164.310(a)(2)(ii)", "164.310(a)(2)(iii)", "164.310(a)(2)(iv)", "164.310(b)", "164.310(c)",
  "164.310(d)(1)", "164.310(d)(2)(i)", "164.310(d)(2)(ii)", "164.310(d)(2)(iii)", "164.310(d)(2)(iv)",
  "164.312(a)(1)", "164.312(a)(2)(i)", "164.312(a)(2)(ii)", "164.312(a)(2)(iii)", "164.312(a)(2)(iv)", "164.312(b)", "164.312(c)(1)",
  "164.312(c)(2)", "164.312(d)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)",
  "164.316(a)", "164.316(b)(1)", "164.316(b)(2)(i)", "164.316(b)(2)(ii)", "164.316(b)(2)(iii)",
]);

/** Criteria of the 2017 Trust Services Criteria (TSP 100; the 2022 revision changed points of focus only). */
const TSC_CRITERIA = new Set([
  ...["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1", "5.2", "5.3"].map((c) => `CC${c}`),
  ...["6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "9.1", "9.2"].map((c) => `CC${c}`),
  "A1.1", "A1.2", "A1.3", "C1.1", "C1.2", "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5",
  "P1.1", "P2.1", "P3.1", "P3.2", "P4.1", "P4.2", "P4.3", "P5.1", "P5.2", "P6.1", "P6.2", "P6.3", "P6.4", "P6.5", "P6.6", "P6.7", "P7.1", "P8.1",
]);

/**
 * FedRAMP Rev 5 Moderate baseline (GSA/fedramp-automation FedRAMP_rev5_MODERATE-baseline_profile, 5.1.1+fedramp-20240111-0),
 * families AC, AU, CA, CM, CP, IA, IR, RA, SA, SC, SI, SR, in the profile's OSCAL ids. A citation from another family fails
 * the test until its family is added here from the profile.
 */
const MODERATE_OSCAL = `
ac-1 ac-2 ac-2.1 ac-2.2 ac-2.3 ac-2.4 ac-2.5 ac-2.7 ac-2.9 ac-2.12 ac-2.13 ac-3 ac-4 ac-4.21 ac-5 ac-6 ac-6.1 ac-6.2 ac-6.5 ac-6.7
ac-6.9 ac-6.10 ac-7 ac-8 ac-11 ac-11.1 ac-12 ac-14 ac-17 ac-17.1 ac-17.2 ac-17.3 ac-17.4 ac-18 ac-18.1 ac-18.3 ac-19 ac-19.5 ac-20
ac-20.1 ac-20.2 ac-21 ac-22
au-1 au-2 au-3 au-3.1 au-4 au-5 au-6 au-6.1 au-6.3 au-7 au-7.1 au-8 au-9 au-9.4 au-11 au-12
ca-1 ca-2 ca-2.1 ca-2.3 ca-3 ca-5 ca-6 ca-7 ca-7.1 ca-7.4 ca-8 ca-8.1 ca-8.2 ca-9
cm-1 cm-2 cm-2.2 cm-2.3 cm-2.7 cm-3 cm-3.2 cm-3.4 cm-4 cm-4.2 cm-5 cm-5.1 cm-5.5 cm-6 cm-6.1 cm-7 cm-7.1 cm-7.2 cm-7.5 cm-8 cm-8.1
cm-8.3 cm-9 cm-10 cm-11 cm-12 cm-12.1
cp-1 cp-2 cp-2.1 cp-2.3 cp-2.8 cp-3 cp-4 cp-4.1 cp-6 cp-6.1 cp-6.3 cp-7 cp-7.1 cp-7.2 cp-7.3 cp-8 cp-8.1 cp-8.2 cp-9 cp-9.1 cp-9.8
cp-10 cp-10.2
ia-1 ia-2 ia-2.1 ia-2.2 ia-2.5 ia-2.6 ia-2.8 ia-2.12 ia-3 ia-4 ia-4.4 ia-5 ia-5.1 ia-5.2 ia-5.6 ia-5.7 ia-6 ia-7 ia-8 ia-8.1 ia-8.2
ia-8.4 ia-11 ia-12 ia-12.2 ia-12.3 ia-12.5
ir-1 ir-2 ir-3 ir-3.2 ir-4 ir-4.1 ir-5 ir-6 ir-6.1 ir-6.3 ir-7 ir-7.1 ir-8 ir-9 ir-9.2 ir-9.3 ir-9.4
ra-1 ra-2 ra-3 ra-3.1 ra-5 ra-5.2 ra-5.3 ra-5.5 ra-5.11 ra-7 ra-9
sa-1 sa-2 sa-3 sa-4 sa-4.1 sa-4.2 sa-4.9 sa-4.10 sa-5 sa-8 sa-9 sa-9.1 sa-9.2 sa-9.5 sa-10 sa-11 sa-11.1 sa-11.2 sa-15 sa-15.3 sa-22
sc-1 sc-2 sc-4 sc-5 sc-7 sc-7.3 sc-7.4 sc-7.5 sc-7.7 sc-7.8 sc-7.12 sc-7.18 sc-8 sc-8.1 sc-10 sc-12 sc-13 sc-15 sc-17 sc-18 sc-20
sc-21 sc-22 sc-23 sc-28 sc-28.1 sc-39 sc-45 sc-45.1
si-1 si-2 si-2.2 si-2.3 si-3 si-4 si-4.1 si-4.2 si-4.4 si-4.5 si-4.16 si-4.18 si-4.23 si-5 si-6 si-7 si-7.1 si-7.7 si-8 si-8.2 si-10
si-11 si-12 si-16
sr-1 sr-2 sr-2.1 sr-3 sr-5 sr-6 sr-8 sr-10 sr-11 sr-11.1 sr-11.2 sr-12`;

/** "ac-2.4" -> "AC-2(4)". */
function fromOscal(id: string): string {
  const [control, enhancement] = id.split(".");
  return control.toUpperCase() + (enhancement ? `(${enhancement})` : "");
}
const MODERATE_IDS = new Set(MODERATE_OSCAL.trim().split(/\s+/).map(fromOscal));

/** GDPR provisions a pack may cite (the ones relevant to infrastructure controls). */
const GDPR_PROVISIONS = new Set([
  "Art. 5(1)(a)", "Art. 5(1)(b)", "Art. 5(1)(c)", "Art. 5(1)(d)", "Art. 5(1)(e)", "Art. 5(1)(f)", "Art. 5(2)",
  "Art. 17", "Art. 17(1)", "Art. 25", "Art. 25(1)", "Art. 25(2)", "Art. 30", "Art. 30(1)", "Art. 30(1)(f)", "Art. 30(2)",
  "Art. 32(1)(a)", "Art. 32(1)(b)", "Art. 32(1)(c)", "Art. 32(1)(d)", "Art. 32(2)", "Art. 33", "Art. 33(1)", "Art. 33(5)", "Art. 34", "Art. 44",
]);

interface CitationFormat {
  readonly pattern: RegExp;
  readonly known: ReadonlySet<string>;
}

/** Citation format and catalog per pack name. */
const FORMATS: Record<string, CitationFormat> = {
  // 45 CFR section, paragraph (a)-(z), then optional (1), (roman), (A) levels, as the CFR numbers them: "164.308(a)(4)(ii)(B)".
  HIPAA: { pattern: /^164\.3(06|08|10|12|16)\([a-z]\)(\(\d+\))?(\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\))?(\([A-Z]\))?$/, known: HIPAA_PARAGRAPHS },
  SOC2: { pattern: /^(CC\d\.\d|A1\.\d|C1\.\d|PI1\.\d|P\d\.\d)$/, known: TSC_CRITERIA },
  // Control or enhancement, without assessment sub-part letters: "AC-2", "IA-2(1)".
  FEDRAMP_MODERATE: { pattern: /^[A-Z]{2}-\d+(\(\d+\))?$/, known: MODERATE_IDS },
  GDPR: { pattern: /^Art\. \d+(\(\d\))?(\([a-z]\))?$/, known: GDPR_PROVISIONS },
};

function ruleOf(pack: CompliancePack, ruleId: string): PackRule {
  const r = pack.rules.find((x) => x.ruleId === ruleId);
  if (!r) throw new Error(`${pack.name} has no rule ${ruleId}`);
  return r;
}

describe("compliance packs", () => {
  it("ALL_PACKS holds the four packs, with distinct names and the framework titles", () => {
    expect(ALL_PACKS).toEqual([HIPAA, SOC2, FEDRAMP_MODERATE, GDPR]);
    expect(ALL_PACKS.map((p) => [p.name, p.title])).toEqual([
      ["HIPAA", "HIPAA Security Rule (45 CFR Part 164, Subpart C)"],
      ["SOC2", "SOC 2 Trust Services Criteria (2017, revised 2022)"],
      ["FEDRAMP_MODERATE", "FedRAMP Moderate baseline (NIST SP 800-53 rev5)"],
      ["GDPR", "EU General Data Protection Regulation (Regulation (EU) 2016/679)"],
    ]);
  });

  it("names only rules the library has", () => {
    const known = new Set(RULE_IDS);
    expect(known.size).toBe(RULE_IDS.length);
    const used = new Set(ALL_PACKS.flatMap((p) => p.rules.map((r) => r.ruleId)));
    expect([...used].filter((id) => !known.has(id))).toEqual([]);
  });

  describe.each(ALL_PACKS.map((p) => [p.name, p] as const))("%s", (name, pack) => {
    const format = FORMATS[name];

    it("lists each rule once", () => {
      const ids = pack.rules.map((r) => r.ruleId);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    });

    it("gives every rule a level and at least one citation, without repeats", () => {
      for (const r of pack.rules) {
        expect(["error", "warning"]).toContain(r.level);
        expect(r.controls.length).toBeGreaterThan(0);
        expect(new Set(r.controls).size).toBe(r.controls.length);
      }
    });

    it("cites in the framework's format", () => {
      const bad = pack.rules.flatMap((r) => r.controls.filter((c) => !format.pattern.test(c)).map((c) => `${r.ruleId}: ${c}`));
      expect(bad).toEqual([]);
    });

    it("cites only real controls of the framework", () => {
      const unknown = pack.rules.flatMap((r) => r.controls.filter((c) => !format.known.has(c)).map((c) => `${r.ruleId}: ${c}`));
      expect(unknown).toEqual([]);
    });

    it("includes the library's own rules as errors", () => {
      for (const id of ["IamHumanRoleRequiresMfa", "EksApiAuthentication", "GpuNodeGroupHardened", "AuditLogRetention"]) {
        expect(ruleOf(pack, id).level).toBe("error");
      }
    });

    it("uses whole, positive numbers or switches (booleans) for every parameter", () => {
      for (const r of pack.rules) {
        for (const v of Object.values(r.params ?? {})) {
          if (typeof v === "boolean") continue;
          expect(typeof v).toBe("number");
          expect(Number.isInteger(v) && (v as number) > 0).toBe(true);
        }
      }
    });

    it("judges the ALBs of the endpoints and the router: access logs, HTTPS only, TLS 1.2+", () => {
      for (const id of ["AlbIngressAccessLogs", "AlbIngressHttpsOnly", "AlbIngressTlsPolicy"]) expect(pack.rules.map((r) => r.ruleId)).toContain(id);
      expect(ruleOf(pack, "AlbIngressHttpsOnly").level).toBe("error");
      expect(ruleOf(pack, "AlbIngressTlsPolicy").level).toBe("error");
    });
  });

  it("cites multi-factor authentication per framework", () => {
    expect(ruleOf(HIPAA, "IamHumanRoleRequiresMfa").controls).toContain("164.312(d)");
    expect(ruleOf(SOC2, "IamHumanRoleRequiresMfa").controls).toContain("CC6.1");
    expect(ruleOf(FEDRAMP_MODERATE, "IamHumanRoleRequiresMfa").controls).toEqual(expect.arrayContaining(["IA-2(1)", "IA-2(2)"]));
    expect(ruleOf(GDPR, "IamHumanRoleRequiresMfa").controls).toContain("Art. 32(1)(b)");
  });

  it("follows cdk-nag's HIPAA citations where cdk-nag has the check", () => {
    // At rest only: cdk-nag also cites 164.312(e)(2)(ii), which is encryption in transmission.
    expect(ruleOf(HIPAA, "S3BucketKmsEncryption").controls).toEqual(["164.312(a)(2)(iv)"]);
    expect(ruleOf(HIPAA, "CloudTrailLogFileValidation").controls).toEqual(["164.312(c)(1)", "164.312(c)(2)"]);
    expect(ruleOf(HIPAA, "VpcFlowLogsEnabled").controls).toEqual(["164.308(a)(3)(ii)(A)", "164.312(b)"]);
    expect(ruleOf(HIPAA, "S3BucketVersioningEnabled").controls).toEqual(expect.arrayContaining(["164.308(a)(7)(i)", "164.312(c)(1)"]));
    expect(ruleOf(HIPAA, "VpcDefaultSecurityGroupClosed")).toEqual({ ruleId: "VpcDefaultSecurityGroupClosed", level: "warning", controls: ["164.312(e)(1)"] });
  });

  it("keeps FedRAMP citations inside the Moderate baseline, not cdk-nag's High-only enhancements", () => {
    const cited = new Set(FEDRAMP_MODERATE.rules.flatMap((r) => r.controls));
    for (const notModerate of ["AU-9(2)", "AU-9(3)", "AU-11(1)", "AU-12(1)", "SC-8(3)", "SC-8(4)", "SC-12(2)", "SC-12(6)", "SC-28(2)", "SI-4(12)", "SI-4(17)", "SI-4(20)", "SI-7(3)", "SA-9(6)", "AC-6(3)", "SC-23(3)"]) {
      expect(MODERATE_IDS.has(notModerate)).toBe(false);
      expect(cited.has(notModerate)).toBe(false);
    }
  });

  it("sets each framework's retention", () => {
    expect(ruleOf(HIPAA, "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 2192 });
    expect(ruleOf(HIPAA, "S3AuditBucketObjectLock").params).toEqual({ minRetentionDays: 2192 });
    expect(ruleOf(HIPAA, "LogGroupRetention").params).toEqual({ minDays: 365 });
    expect(ruleOf(SOC2, "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 365 });
    expect(ruleOf(SOC2, "LogGroupRetention").params).toEqual({ minDays: 365 });
    expect(ruleOf(FEDRAMP_MODERATE, "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 913 });
    expect(ruleOf(FEDRAMP_MODERATE, "S3AuditBucketObjectLock").params).toEqual({ minRetentionDays: 913 });
    expect(ruleOf(FEDRAMP_MODERATE, "LogGroupRetention").params).toEqual({ minDays: 365 });
    expect(ruleOf(GDPR, "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 365 });
  });

  it("GDPR requires personal-data expiry within 30 days, as an error", () => {
    expect(ruleOf(GDPR, "S3PersonalDataExpiry")).toEqual({
      ruleId: "S3PersonalDataExpiry",
      level: "error",
      controls: ["Art. 5(1)(e)", "Art. 17", "Art. 25(2)", "Art. 30(1)(f)"],
      params: { maxDays: 30 },
    });
    // Storage limits are GDPR's; the other frameworks set minimums, not maximums.
    for (const pack of [HIPAA, SOC2, FEDRAMP_MODERATE]) expect(pack.rules.some((r) => r.ruleId === "S3PersonalDataExpiry")).toBe(false);
  });

  it("asks for a FIPS ALB security policy under FedRAMP Moderate only (SC-13), and cites the frameworks' transmission and audit controls", () => {
    expect(ruleOf(FEDRAMP_MODERATE, "AlbIngressTlsPolicy")).toEqual({ ruleId: "AlbIngressTlsPolicy", level: "error", controls: ["SC-8", "SC-8(1)", "SC-13"], params: { requireFips: true } });
    for (const pack of [HIPAA, SOC2, GDPR]) expect(ruleOf(pack, "AlbIngressTlsPolicy").params).toBeUndefined();
    expect(ruleOf(FEDRAMP_MODERATE, "AlbIngressAccessLogs").controls).toEqual(["AU-2", "AU-3", "AU-12"]);
    expect(ruleOf(HIPAA, "AlbIngressAccessLogs").controls).toEqual(["164.312(b)"]);
    expect(ruleOf(HIPAA, "AlbIngressHttpsOnly").controls).toContain("164.312(e)(1)");
    expect(ruleOf(SOC2, "AlbIngressAccessLogs").controls).toEqual(["CC7.2"]);
    expect(ruleOf(SOC2, "AlbIngressTlsPolicy").controls).toEqual(["CC6.7"]);
    expect(ruleOf(GDPR, "AlbIngressTlsPolicy").controls).toEqual(["Art. 5(1)(f)", "Art. 32(1)(a)"]);
  });

  it("makes good practice without a firm requirement a warning", () => {
    expect(ruleOf(GDPR, "EcrImmutableTags").level).toBe("warning");
    expect(ruleOf(GDPR, "LaunchTemplateMonitoring").level).toBe("warning");
    for (const pack of ALL_PACKS) expect(ruleOf(pack, "VpcDefaultSecurityGroupClosed").level).toBe("warning");
  });
});

describe("pack factories", () => {
  it("return the default packs when called without parameters", () => {
    expect(hipaa()).toEqual(HIPAA);
    expect(soc2()).toEqual(SOC2);
    expect(fedrampModerate()).toEqual(FEDRAMP_MODERATE);
    expect(gdpr()).toEqual(GDPR);
  });

  it("hipaa overrides the archive and log retention, leaving the rest and the shared pack untouched", () => {
    const p = hipaa({ auditArchiveDays: 2557, logRetentionDays: 731 });
    expect(p.name).toBe("HIPAA");
    expect(p.title).toBe(HIPAA.title);
    expect(ruleOf(p, "AuditLogRetention").params).toEqual({ minDays: 731, minArchiveDays: 2557 });
    expect(ruleOf(p, "S3AuditBucketObjectLock").params).toEqual({ minRetentionDays: 2557 });
    expect(ruleOf(p, "LogGroupRetention").params).toEqual({ minDays: 731 });
    expect(ruleOf(p, "AuditLogRetention").controls).toEqual(ruleOf(HIPAA, "AuditLogRetention").controls);
    expect(p.rules.map((r) => r.ruleId)).toEqual(HIPAA.rules.map((r) => r.ruleId));
    expect(ruleOf(HIPAA, "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 2192 });
  });

  it("overrides one parameter and keeps the other's default", () => {
    expect(ruleOf(soc2({ logRetentionDays: 400 }), "AuditLogRetention").params).toEqual({ minDays: 400, minArchiveDays: 365 });
    expect(ruleOf(fedrampModerate({ auditArchiveDays: 548 }), "AuditLogRetention").params).toEqual({ minDays: 365, minArchiveDays: 548 });
    expect(ruleOf(fedrampModerate({ auditArchiveDays: 548 }), "S3AuditBucketObjectLock").params).toEqual({ minRetentionDays: 548 });
  });

  it("gdpr overrides the personal-data limit and log retention", () => {
    const p = gdpr({ personalDataMaxDays: 90, logRetentionDays: 180 });
    expect(ruleOf(p, "S3PersonalDataExpiry")).toMatchObject({ level: "error", params: { maxDays: 90 } });
    expect(ruleOf(p, "LogGroupRetention").params).toEqual({ minDays: 180 });
    expect(ruleOf(p, "AuditLogRetention").params).toEqual({ minDays: 180, minArchiveDays: 365 });
    expect(ruleOf(GDPR, "S3PersonalDataExpiry").params).toEqual({ maxDays: 30 });
  });

  it("refuses days that are not whole positive numbers", () => {
    expect(() => hipaa({ auditArchiveDays: 0 })).toThrow(/hipaa: auditArchiveDays 0 must be a whole number of days, at least 1; e\.g\. 2192/);
    expect(() => soc2({ logRetentionDays: 36.5 })).toThrow(/soc2: logRetentionDays 36\.5 must be a whole number/);
    expect(() => fedrampModerate({ auditArchiveDays: Number.NaN })).toThrow(/fedrampModerate: auditArchiveDays NaN/);
    expect(() => gdpr({ personalDataMaxDays: -1 })).toThrow(/gdpr: personalDataMaxDays -1 must be a whole number of days, at least 1; e\.g\. 30/);
  });
});
