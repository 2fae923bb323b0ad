import { Lazy } from "cdktf";
import { isLiteral, isOpenToWorld, parseCidr, Problems, show } from "./validation";

/** The listener policy when none is given and no enforced pack asks for FIPS: TLS 1.3 and 1.2 only. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/**
 * The listener policy when none is given and an enforced pack asks for FIPS (FedRAMP Moderate, SC-13): TLS 1.3 and
 * 1.2 through FIPS 140-validated modules ("Security policies for your Application Load Balancer", ALB User Guide;
 * aws/aws-cdk@066134e4:packages/aws-cdk-lib/aws-elasticloadbalancingv2/lib/shared/enums.ts, SslPolicy.FIPS_TLS13_12).
 */
export const DEFAULT_FIPS_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04";

/**
 * The security policies of Application Load Balancers, as the ALB User Guide lists them ("Security policies for your
 * Application Load Balancer") and aws/aws-cdk@066134e4:packages/aws-cdk-lib/aws-elasticloadbalancingv2/lib/shared/enums.ts
 * (SslPolicy, which links that page) spells them. ALBs support no custom policies, so any other name is refused.
 */
export const ALB_SECURITY_POLICIES: readonly string[] = [
  // TLS 1.3 policies (2021-06); TLS13-1-x allows TLS 1.x to 1.3.
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
  "ELBSecurityPolicy-TLS13-1-1-2021-06",
  "ELBSecurityPolicy-TLS13-1-0-2021-06",
  // Hybrid post-quantum key exchange (ML-KEM), 2025-09.
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
  // FIPS 140-validated cryptographic modules, 2023-04.
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
  // FIPS with hybrid post-quantum key exchange, 2025-09.
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-1-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
  // Forward secrecy and TLS 1.2-and-older policies.
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
  "ELBSecurityPolicy-FS-1-2-Res-2019-08",
  "ELBSecurityPolicy-FS-1-2-2019-08",
  "ELBSecurityPolicy-FS-1-1-2019-08",
  "ELBSecurityPolicy-FS-2018-06",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-1-2017-01",
  // The API's (and the AWS Load Balancer Controller's) default: TLS 1.0 to 1.2.
  "ELBSecurityPolicy-2016-08",
  "ELBSecurityPolicy-TLS-1-0-2015-04",
];

/** What a security policy allows: the oldest TLS minor version (0 = TLS 1.0) and whether it uses FIPS modules only. */
export interface AlbSecurityPolicy {
  /** The policy name, e.g. "ELBSecurityPolicy-TLS13-1-2-2021-06". */
  readonly name: string;
  /** Minor version of the oldest TLS it accepts: 0 for TLS 1.0, 2 for TLS 1.2. */
  readonly minTlsMinor: number;
  /** True for the ELBSecurityPolicy-*-FIPS-* policies, whose TLS runs in FIPS 140-validated modules. */
  readonly fips: boolean;
}

/** The documented policy of this name, or undefined. Its oldest TLS version is read from the name, as AWS names them. */
export function albSecurityPolicy(name: string): AlbSecurityPolicy | undefined {
  if (!ALB_SECURITY_POLICIES.includes(name)) return undefined;
  const min = /^ELBSecurityPolicy-(?:TLS13|FS|TLS)-1-([0-3])-/.exec(name);
  return { name, minTlsMinor: min ? Number(min[1]) : 0, fips: name.includes("-FIPS-") };
}

/** The ALB access logs: S3 bucket and key prefix (without the "AWSLogs/..." part, which ELB appends). */
export interface AlbAccessLogs {
  /** Bucket name (SSE-S3, with a policy that admits ELB log delivery). */
  readonly bucket: string;
  /** Key prefix of this load balancer, without leading or trailing "/". */
  readonly prefix: string;
}

/** What an internal HTTPS ALB in front of a workload needs. */
export interface InternalAlbSettings {
  readonly certificateArn: string;
  /** The user's listener policy; unset: chosen at synth from the packs enforced on the Ingress. */
  readonly sslPolicy?: string;
  /** Called at synth: true when a compliance pack enforced on the Ingress asks for a FIPS policy. */
  readonly fipsRequired: () => boolean;
  /** Where the load balancer delivers its access logs. */
  readonly accessLogs: AlbAccessLogs;
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
 * Key prefix of one load balancer's access logs: `<root>/<namespace>/<ingress>`, unique per Ingress in the cluster's
 * log bucket. ELB appends "/AWSLogs/<account>/elasticloadbalancing/..." and refuses a prefix containing "AWSLogs"
 * (ALB User Guide, "Enable access logs for your Application Load Balancer"), which Kubernetes names cannot hold.
 */
export function albAccessLogPrefix(root: string, namespace: string, ingressName: string): string {
  return `${root}/${namespace}/${ingressName}`;
}

/**
 * AWS Load Balancer Controller annotations of an internal, HTTPS-only ALB with IP targets: the given certificate and
 * a TLS 1.2+ policy (FIPS where an enforced pack asks for it), access logs to S3, invalid header fields dropped, and
 * a deregistration delay that lets in-flight generations finish when a pod leaves.
 * Annotation keys and formats: kubernetes-sigs/aws-load-balancer-controller@v2.13.2:docs/guide/ingress/annotations.md.
 */
export function internalAlbAnnotations(s: InternalAlbSettings): Record<string, string> {
  // Load balancer attribute names: ALB User Guide, "Load balancer attributes" (access_logs.s3.enabled / .bucket / .prefix,
  // routing.http.drop_invalid_header_fields.enabled, idle_timeout.timeout_seconds). The controller only sets the attributes
  // named here, so every one the library relies on is explicit.
  const attributes = [
    "access_logs.s3.enabled=true",
    `access_logs.s3.bucket=${s.accessLogs.bucket}`,
    `access_logs.s3.prefix=${s.accessLogs.prefix}`,
    "routing.http.drop_invalid_header_fields.enabled=true",
    `idle_timeout.timeout_seconds=${s.idleTimeoutSeconds}`,
  ];
  return {
    "alb.ingress.kubernetes.io/scheme": "internal",
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/certificate-arn": s.certificateArn,
    // Without the annotation the controller uses ELBSecurityPolicy-2016-08 (TLS 1.0; --default-ssl-policy,
    // aws-load-balancer-controller@v2.13.2:pkg/config/controller_config.go). Decided at synth, so that packs enforced
    // after this construct was created count; a policy the user gave is kept as is, and a pack's rule judges it.
    "alb.ingress.kubernetes.io/ssl-policy": s.sslPolicy ?? Lazy.stringValue({ produce: () => (s.fipsRequired() ? DEFAULT_FIPS_SSL_POLICY : DEFAULT_SSL_POLICY) }),
    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
    "alb.ingress.kubernetes.io/healthcheck-path": s.healthCheckPath,
    "alb.ingress.kubernetes.io/inbound-cidrs": s.inboundCidrs.join(","),
    "alb.ingress.kubernetes.io/load-balancer-attributes": attributes.join(","),
    "alb.ingress.kubernetes.io/target-group-attributes": ["deregistration_delay.timeout_seconds=60", ...(s.targetGroupAttributes ?? [])].join(","),
    "alb.ingress.kubernetes.io/tags": Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(","),
  };
}

/** Validates an ingress's certificate, TLS policy and client CIDRs; `prefix` is the props path, e.g. "ingress". */
export function validateInternalAlb(p: Problems, prefix: string, certificateArn: string, sslPolicy: string | undefined, cidrs: readonly string[]): void {
  if (isLiteral(certificateArn) && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
    p.add(`${prefix}.certificateArn`, `${show(certificateArn)} is not an ACM certificate ARN; use e.g. "arn:aws:acm:us-east-1:123456789012:certificate/<id>"`);
  }
  if (sslPolicy !== undefined && isLiteral(sslPolicy)) {
    const policy = albSecurityPolicy(sslPolicy);
    const fix = `leave it unset for "${DEFAULT_SSL_POLICY}" (or "${DEFAULT_FIPS_SSL_POLICY}" where an enforced pack asks for FIPS), or use another ELBSecurityPolicy-TLS13-1-2-* policy`;
    if (!policy) p.add(`${prefix}.sslPolicy`, `${show(sslPolicy)} is not a security policy of Application Load Balancers (ALB User Guide, "Security policies for your Application Load Balancer"); ${fix}`);
    else if (policy.minTlsMinor < 2) p.add(`${prefix}.sslPolicy`, `${show(sslPolicy)} allows TLS below 1.2 (from TLS 1.${policy.minTlsMinor}); ${fix}`);
  }
  if (cidrs.length === 0) p.add(`${prefix}.allowedCidrs`, `is needed: the cluster's VPC CIDR is unknown (existingVpc without cidrBlock); list the CIDRs that may reach the load balancer, e.g. ["10.0.0.0/16"]`);
  for (const [i, cidr] of cidrs.entries()) {
    if (!isLiteral(cidr)) continue;
    if (isOpenToWorld(cidr)) p.add(`${prefix}.allowedCidrs[${i}]`, `${show(cidr)} admits every address to an internal endpoint; list your networks`);
    else if (!parseCidr(cidr)) p.add(`${prefix}.allowedCidrs[${i}]`, `${show(cidr)} is not an IPv4 CIDR`);
  }
}
