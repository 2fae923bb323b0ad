import { PolicyConditions, PolicyStatementProps } from "./policy-document";

/** Who may assume a human role, and under which conditions. */
export interface HumanTrust {
  /** Account ids whose IAM principals may assume the role (their own IAM policies must allow it too). */
  readonly trustedAccountIds?: string[];
  /** IAM role or user ARNs that may assume the role. */
  readonly trustedPrincipalArns?: string[];
}

/** Conditions every human role's trust policy carries. */
export interface HumanTrustConditions {
  /** Longest time since the MFA sign-in, in seconds. */
  readonly mfaMaxAgeSeconds: number;
  /** Source CIDRs the request must come from (aws:SourceIp). */
  readonly sourceCidrs?: string[];
  /** VPC endpoint ids the request must come through (aws:SourceVpce). */
  readonly sourceVpceIds?: string[];
}

/** Longest MFA age a role may accept, and the shortest: IAM sessions last 15 minutes to 12 hours. */
export const MFA_MAX_AGE_RANGE = { min: 900, max: 43200 } as const;

/**
 * The trust statement for a role humans assume: only the listed accounts or principals, only
 * with MFA (`aws:MultiFactorAuthPresent`) no older than the given age, and optionally only from
 * the given networks. Neither cdk-nag nor checkov checks this; the compliance packs do.
 */
export function humanTrustStatement(sid: string, partition: string, trust: HumanTrust, c: HumanTrustConditions): PolicyStatementProps {
  const principals = [
    ...(trust.trustedAccountIds ?? []).map((id) => `arn:${partition}:iam::${id}:root`),
    ...(trust.trustedPrincipalArns ?? []),
  ];
  const conditions: PolicyConditions = {
    Bool: { "aws:MultiFactorAuthPresent": true },
    NumericLessThan: { "aws:MultiFactorAuthAge": c.mfaMaxAgeSeconds },
  };
  if (c.sourceCidrs?.length) conditions.IpAddress = { "aws:SourceIp": [...c.sourceCidrs] };
  if (c.sourceVpceIds?.length) conditions.StringEquals = { "aws:SourceVpce": [...c.sourceVpceIds] };
  return { sid, actions: ["sts:AssumeRole"], principals: { AWS: principals }, conditions };
}
