import { isLiteral, isOpenToWorld, parseCidr, Problems, show } from "./validation";

/** The listener policy of internal HTTPS load balancers when none is given: TLS 1.3 and 1.2 only. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** ELB security policies that allow nothing below TLS 1.2. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)/;

/** What an internal HTTPS ALB in front of a workload needs. */
export interface InternalAlbSettings {
  readonly certificateArn: string;
  readonly sslPolicy?: string;
  /** Client CIDRs the load balancer admits. */
  readonly inboundCidrs: string[];
  readonly healthCheckPath: string;
  readonly idleTimeoutSeconds: number;
  /** Extra target group attributes, e.g. stickiness. */
  readonly targetGroupAttributes?: string[];
  /** Tags of the load balancer and its target groups. */
  readonly tags: Record<string, string>;
}

/**
 * AWS Load Balancer Controller annotations of an internal, HTTPS-only ALB with IP targets: the
 * given certificate and a TLS 1.2+ policy, invalid header fields dropped, and a deregistration
 * delay that lets in-flight generations finish when a pod leaves.
 */
export function internalAlbAnnotations(s: InternalAlbSettings): Record<string, string> {
  return {
    "alb.ingress.kubernetes.io/scheme": "internal",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/certificate-arn": s.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": s.sslPolicy ?? DEFAULT_SSL_POLICY,
    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
    "alb.ingress.kubernetes.io/healthcheck-path": s.healthCheckPath,
    "alb.ingress.kubernetes.io/inbound-cidrs": s.inboundCidrs.join(","),
    "alb.ingress.kubernetes.io/load-balancer-attributes": `routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=${s.idleTimeoutSeconds}`,
    "alb.ingress.kubernetes.io/target-group-attributes": ["deregistration_delay.timeout_seconds=60", ...(s.targetGroupAttributes ?? [])].join(","),
    "alb.ingress.kubernetes.io/tags": Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(","),
  };
}

/** Validates an ingress's certificate, TLS policy and client CIDRs; `prefix` is the props path, e.g. "ingress". */
export function validateInternalAlb(p: Problems, prefix: string, certificateArn: string, sslPolicy: string | undefined, cidrs: readonly string[]): void {
  if (isLiteral(certificateArn) && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
    p.add(`${prefix}.certificateArn`, `${show(certificateArn)} is not an ACM certificate ARN; use e.g. "arn:aws:acm:us-east-1:123456789012:certificate/<id>"`);
  }
  if (sslPolicy !== undefined && !TLS12_POLICY.test(sslPolicy)) {
    p.add(`${prefix}.sslPolicy`, `${show(sslPolicy)} allows TLS below 1.2 or is unknown; use "${DEFAULT_SSL_POLICY}" or another ELBSecurityPolicy-TLS13-1-2-* / -TLS-1-2-* policy`);
  }
  if (cidrs.length === 0) p.add(`${prefix}.allowedCidrs`, `is needed: the cluster's VPC CIDR is unknown (existingVpc without cidrBlock); list the CIDRs that may reach the load balancer, e.g. ["10.0.0.0/16"]`);
  for (const [i, cidr] of cidrs.entries()) {
    if (!isLiteral(cidr)) continue;
    if (isOpenToWorld(cidr)) p.add(`${prefix}.allowedCidrs[${i}]`, `${show(cidr)} admits every address to an internal endpoint; list your networks`);
    else if (!parseCidr(cidr)) p.add(`${prefix}.allowedCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR`);
  }
}
