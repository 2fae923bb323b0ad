import { CompliancePack, RuleId } from "../model";
import { RuleParams } from "../rule-model";
import { FEDRAMP_MODERATE, FEDRAMP_MODERATE_DEFAULTS } from "./fedramp-moderate";
import { GDPR, GDPR_DEFAULTS } from "./gdpr";
import { HIPAA, HIPAA_DEFAULTS } from "./hipaa";
import { SOC2, SOC2_DEFAULTS } from "./soc2";

export { FEDRAMP_MODERATE, FEDRAMP_MODERATE_DEFAULTS, GDPR, GDPR_DEFAULTS, HIPAA, HIPAA_DEFAULTS, SOC2, SOC2_DEFAULTS };

/** The four packs: HIPAA, SOC 2, FedRAMP Moderate and GDPR, with their default parameters. */
export const ALL_PACKS: readonly CompliancePack[] = [HIPAA, SOC2, FEDRAMP_MODERATE, GDPR];

/** Retention parameters of the HIPAA, SOC 2 and FedRAMP Moderate packs. */
export interface AuditRetentionParams {
  /**
   * Days the trail bucket's object lock must keep audit log files (AuditLogRetention.minArchiveDays and
   * S3AuditBucketObjectLock.minRetentionDays). A whole number of days, at least 1.
   * @default - the pack's own (HIPAA 2192, SOC 2 365, FedRAMP Moderate 913)
   */
  readonly auditArchiveDays?: number;
  /**
   * Days CloudWatch Logs must keep events (LogGroupRetention.minDays and AuditLogRetention.minDays; 0, "never
   * expire", always passes). A whole number of days, at least 1.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** Parameters of the HIPAA pack. */
export interface HipaaParams extends AuditRetentionParams {
  /**
   * Days the trail bucket's object lock must keep audit log files.
   * @default 2192 (6 years: 45 CFR 164.316(b)(2)(i) documentation retention)
   */
  readonly auditArchiveDays?: number;
  /**
   * Days CloudWatch Logs must keep events.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** Parameters of the SOC 2 pack. */
export interface Soc2Params extends AuditRetentionParams {
  /**
   * Days the trail bucket's object lock must keep audit log files.
   * @default 365 (the evidence of a 12-month Type 2 period)
   */
  readonly auditArchiveDays?: number;
  /**
   * Days CloudWatch Logs must keep events.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/** Parameters of the FedRAMP Moderate pack. */
export interface FedrampModerateParams extends AuditRetentionParams {
  /**
   * Days the trail bucket's object lock must keep audit log files.
   * @default 913 (30 months: OMB M-21-31's 12 months active plus 18 months cold storage, as cloud.gov implements it; inferred)
   */
  readonly auditArchiveDays?: number;
  /**
   * Days CloudWatch Logs must keep events.
   * @default 365 (M-21-31's 12 months of active storage; FedRAMP AU-11 asks for at least 90 days online)
   */
  readonly logRetentionDays?: number;
}

/** Parameters of the GDPR pack. */
export interface GdprParams {
  /**
   * Longest life, in days, of current objects and noncurrent versions in buckets tagged as holding personal data
   * (S3PersonalDataExpiry.maxDays). A whole number of days, at least 1.
   * @default 30
   */
  readonly personalDataMaxDays?: number;
  /**
   * Days CloudWatch Logs must keep events (LogGroupRetention.minDays and AuditLogRetention.minDays).
   * A whole number of days, at least 1.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days the trail bucket's object lock must keep audit log files (AuditLogRetention.minArchiveDays and
   * S3AuditBucketObjectLock.minRetentionDays). A whole number of days, at least 1.
   * @default 365
   */
  readonly auditArchiveDays?: number;
}

/**
 * The HIPAA pack with its retention parameters overridden.
 *
 * ```ts
 * Compliance.of(app).enforce(hipaa({ auditArchiveDays: 2557 })); // 7 years
 * ```
 */
export function hipaa(params: HipaaParams = {}): CompliancePack {
  return withRetention("hipaa", HIPAA, params, HIPAA_DEFAULTS);
}

/** The SOC 2 pack with its retention parameters overridden. */
export function soc2(params: Soc2Params = {}): CompliancePack {
  return withRetention("soc2", SOC2, params, SOC2_DEFAULTS);
}

/** The FedRAMP Moderate pack with its retention parameters overridden. */
export function fedrampModerate(params: FedrampModerateParams = {}): CompliancePack {
  return withRetention("fedrampModerate", FEDRAMP_MODERATE, params, FEDRAMP_MODERATE_DEFAULTS);
}

/**
 * The GDPR pack with its parameters overridden.
 *
 * ```ts
 * Compliance.of(app).enforce(gdpr({ personalDataMaxDays: 90 }));
 * ```
 */
export function gdpr(params: GdprParams = {}): CompliancePack {
  const maxDays = days("gdpr", "personalDataMaxDays", params.personalDataMaxDays, GDPR_DEFAULTS.personalDataMaxDays);
  return withRetention("gdpr", GDPR, params, GDPR_DEFAULTS, { S3PersonalDataExpiry: { maxDays } });
}

function withRetention(
  factory: string,
  pack: CompliancePack,
  params: AuditRetentionParams,
  defaults: { readonly auditArchiveDays: number; readonly logRetentionDays: number },
  extra: RuleOverrides = {},
): CompliancePack {
  const archive = days(factory, "auditArchiveDays", params.auditArchiveDays, defaults.auditArchiveDays);
  const log = days(factory, "logRetentionDays", params.logRetentionDays, defaults.logRetentionDays);
  return withParams(pack, {
    AuditLogRetention: { minDays: log, minArchiveDays: archive },
    S3AuditBucketObjectLock: { minRetentionDays: archive },
    LogGroupRetention: { minDays: log },
    ...extra,
  });
}

/** Parameters by rule id; keyed by RuleId so that a misspelled rule id does not compile. */
type RuleOverrides = Readonly<Partial<Record<RuleId, RuleParams>>>;

/** A copy of `pack` whose rules named in `overrides` get those params merged over the pack's own. */
function withParams(pack: CompliancePack, overrides: RuleOverrides): CompliancePack {
  return {
    name: pack.name,
    title: pack.title,
    rules: pack.rules.map((r) => {
      const o = overrides[r.ruleId];
      return o ? { ...r, params: { ...r.params, ...o } } : r;
    }),
  };
}

function days(factory: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new Error(`${factory}: ${name} ${typeof value === "number" ? String(value) : JSON.stringify(value)} must be a whole number of days, at least 1; e.g. ${fallback}`);
  }
  return value;
}
