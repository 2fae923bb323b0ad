import { ComplianceRule, Outcome, ResourceView, RuleContext } from "../rule-model";
import { block, isLiteralString, isSet, isTrue, shown } from "../private/attributes";
import { DEFAULT_FIPS_SSL_POLICY, DEFAULT_SSL_POLICY, albSecurityPolicy } from "../../private/internal-alb";

/*
 * Rules over the Application Load Balancers that the AWS Load Balancer Controller creates from Kubernetes Ingresses
 * (kubernetes_ingress_v1). The ALB, its listeners and attributes are no Terraform resources here: the controller derives
 * them from the Ingress's annotations, so these rules read those, with the controller's defaults and formats at the version
 * the library installs (kubernetes-sigs/aws-load-balancer-controller@v2.13.2: docs/guide/ingress/annotations.md;
 * pkg/ingress/model_build_listener.go; pkg/annotations/parser.go; pkg/config/controller_config.go).
 *
 * checkov judges the same properties on aws_lb / aws_lb_listener (CKV_AWS_91, CKV_AWS_2, CKV2_AWS_20, CKV_AWS_103), and
 * cdk-nag on AWS::ElasticLoadBalancingV2 (ELBLoggingEnabled, ALBHttpToHttpsRedirection); none of them reads an Ingress.
 *
 * Out of sight of these rules: an IngressClassParams object (its sslPolicy, certificateArn and loadBalancerAttributes win over
 * the annotations) and the controller's --default-ssl-policy flag. An Ingress that relies on them is flagged; suppress the
 * finding with the reason.
 */

const INGRESS = "kubernetes_ingress_v1";
const PREFIX = "alb.ingress.kubernetes.io/";
const A = {
  attributes: `${PREFIX}load-balancer-attributes`,
  listenPorts: `${PREFIX}listen-ports`,
  sslRedirect: `${PREFIX}ssl-redirect`,
  sslPolicy: `${PREFIX}ssl-policy`,
  certificateArn: `${PREFIX}certificate-arn`,
  groupName: `${PREFIX}group.name`,
} as const;
/** The controller name an IngressClass names for the AWS Load Balancer Controller (pkg/ingress/class_loader.go). */
const ALB_CONTROLLER = "ingress.k8s.aws/alb";
/** The IngressClass the controller's Helm chart creates (ingressClass: alb). */
const DEFAULT_ALB_CLASS = "alb";

type Annotations = Readonly<Record<string, unknown>>;

/** An Ingress the AWS Load Balancer Controller turns into an ALB. */
interface AlbIngress {
  readonly annotations: Annotations;
  /** The IngressGroup (one ALB for several Ingresses), when the Ingress names one. */
  readonly group?: string;
}

const annotationsOf = (r: ResourceView): Annotations => (block(block(r.config.metadata)?.annotations) ?? {}) as Annotations;

/** Names of the IngressClasses in the stack that the AWS Load Balancer Controller serves, and the chart's "alb". */
function albClasses(ctx: RuleContext): Set<string> {
  const names = ctx.stack.ofType("kubernetes_ingress_class_v1")
    .filter((c) => block(c.config.spec)?.controller === ALB_CONTROLLER)
    .map((c) => block(c.config.metadata)?.name)
    .filter(isLiteralString);
  return new Set([DEFAULT_ALB_CLASS, ...names]);
}

/**
 * The Ingress as an ALB, or undefined when another controller serves it: its class (spec.ingress_class_name, or the legacy
 * kubernetes.io/ingress.class annotation) is an ALB class, or it names no literal class and carries alb.ingress.kubernetes.io
 * annotations (the cluster's default IngressClass then decides; with those annotations, it is meant to be the ALB's).
 */
function albIngressOf(ctx: RuleContext): AlbIngress | undefined {
  const annotations = annotationsOf(ctx.resource);
  const cls = block(ctx.resource.config.spec)?.ingress_class_name ?? annotations["kubernetes.io/ingress.class"];
  const hasAlbAnnotations = Object.keys(annotations).some((k) => k.startsWith(PREFIX));
  const isAlb = isLiteralString(cls) ? albClasses(ctx).has(cls) : hasAlbAnnotations;
  if (!isAlb) return undefined;
  const group = annotations[A.groupName];
  return { annotations, group: isLiteralString(group) ? group : undefined };
}

/**
 * An annotation whose merge behaviour is "Exclusive" in an IngressGroup (set on one member for the whole ALB): the Ingress's
 * own value, else that of another Ingress of the stack in the same group.
 */
function groupAnnotation(ctx: RuleContext, alb: AlbIngress, key: string): { value: unknown; from?: string } {
  if (alb.annotations[key] !== undefined || alb.group === undefined) return { value: alb.annotations[key] };
  for (const other of ctx.stack.ofType(INGRESS)) {
    if (other === ctx.resource) continue;
    const a = annotationsOf(other);
    if (a[A.groupName] === alb.group && a[key] !== undefined) return { value: a[key], from: other.address };
  }
  return { value: undefined };
}

/**
 * Splits on commas outside "${...}" Terraform expressions (whose resolved values the controller sees), trimming and
 * dropping empty parts, as the controller's splitCommaSeparatedString does.
 */
function splitList(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "$" && raw[i + 1] === "{") depth++;
    else if (c === "}" && depth > 0) depth--;
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** A stringMap annotation ("k1=v1,k2=v2", split at the first "=") as the controller parses it; undefined when unset or not a string. */
function stringMap(raw: unknown): Record<string, string> | undefined {
  if (typeof raw !== "string") return undefined;
  const out: Record<string, string> = {};
  for (const pair of splitList(raw)) {
    const at = pair.indexOf("=");
    if (at > 0) out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** Listener protocol by port. */
type Listeners = Map<number, "HTTP" | "HTTPS">;

/**
 * The ALB's listeners from listen-ports (a JSON list of {"HTTP"|"HTTPS": port}); without the annotation the controller
 * listens on HTTPS:443 when certificate-arn is set and on HTTP:80 otherwise. A string when listen-ports cannot be read.
 */
function listenersOf(a: Annotations): Listeners | string {
  const raw = a[A.listenPorts];
  if (raw === undefined) return new Map([a[A.certificateArn] !== undefined ? [443, "HTTPS"] : [80, "HTTP"]]);
  if (!isLiteralString(raw)) return `${A.listenPorts} is ${shown(raw)}`;
  let entries: unknown;
  try {
    entries = JSON.parse(raw);
  } catch {
    return `${A.listenPorts} ${JSON.stringify(raw)} is not JSON`;
  }
  if (!Array.isArray(entries) || entries.length === 0) return `${A.listenPorts} ${JSON.stringify(raw)} is not a non-empty JSON list`;
  const listeners: Listeners = new Map();
  for (const entry of entries) {
    for (const [protocol, port] of Object.entries((entry ?? {}) as Record<string, unknown>)) {
      if ((protocol !== "HTTP" && protocol !== "HTTPS") || typeof port !== "number") return `${A.listenPorts} ${JSON.stringify(raw)} has an entry other than {"HTTP"|"HTTPS": <port>}`;
      listeners.set(port, protocol);
    }
  }
  return listeners;
}

const ports = (l: Listeners, protocol: "HTTP" | "HTTPS"): number[] => [...l].filter(([, p]) => p === protocol).map(([port]) => port).sort((x, y) => x - y);

const LOG_FIX = `set ${A.attributes} to include "access_logs.s3.enabled=true,access_logs.s3.bucket=<bucket>,access_logs.s3.prefix=<prefix>"`;

/** The ALB delivers access logs to S3. */
export const AlbIngressAccessLogs = {
  id: "AlbIngressAccessLogs",
  description: "ALB Ingresses turn on access logs to an S3 bucket (load-balancer-attributes access_logs.s3.enabled=true with access_logs.s3.bucket).",
  explanation:
    "The ALB in front of a model endpoint is where every inference request enters: its access logs record client, time, path, status, " +
    "latencies and TLS protocol and cipher of each request, which no other log holds (the pods see only the load balancer). ELB leaves " +
    "them off by default, and the AWS Load Balancer Controller sets only the attributes the annotation names.",
  resourceTypes: [INGRESS],
  // CKV_AWS_91 (ELBv2AccessLogs, aws_lb access_logs.enabled) and cdk-nag ELBLoggingEnabled / AwsSolutions-ELB2 judge the aws_lb; this rule the Ingress.
  checkov: ["CKV_AWS_91"],
  cdkNag: ["ELBLoggingEnabled", "AwsSolutions-ELB2"],
  notEvaluatedNote: "the stack that holds the Kubernetes Ingresses (the serving stack); ALBs made otherwise are judged where they are defined",
  evaluate: (ctx) => {
    const alb = albIngressOf(ctx);
    if (!alb) return Outcome.notApplicable();
    const { value, from } = groupAnnotation(ctx, alb, A.attributes);
    const attrs = stringMap(value);
    const where = from ? ` (set by ${from}, of the same IngressGroup)` : "";
    if (!attrs) return Outcome.nonCompliant(`no ${A.attributes} annotation${alb.group ? ` on this Ingress or another of IngressGroup "${alb.group}" in this stack` : ""}, so the ALB keeps access logs off (the ELB default); ${LOG_FIX}.`);
    const enabled = attrs["access_logs.s3.enabled"];
    if (enabled !== "true") return Outcome.nonCompliant(`${A.attributes}${where} sets access_logs.s3.enabled to ${shown(enabled)}; ${LOG_FIX}.`);
    if (!isSet(attrs["access_logs.s3.bucket"])) return Outcome.nonCompliant(`${A.attributes}${where} enables access logs without access_logs.s3.bucket, which ELB requires; name the log bucket.`);
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Clients reach the ALB over HTTPS only. */
export const AlbIngressHttpsOnly = {
  id: "AlbIngressHttpsOnly",
  description: "ALB Ingresses listen on HTTPS only, or redirect every HTTP listener to an HTTPS one (ssl-redirect).",
  explanation:
    "Prompts and completions cross the network between clients and the load balancer; an HTTP listener carries them, and the API keys " +
    "sent with them, in clear text. Without listen-ports and certificate-arn the controller creates an HTTP:80 listener.",
  resourceTypes: [INGRESS],
  // CKV_AWS_2 (ALBListenerHTTPS) and CKV2_AWS_20 (ALBRedirectsHTTPToHTTPS) judge aws_lb_listener / aws_lb; cdk-nag ALBHttpToHttpsRedirection the CFN listener.
  checkov: ["CKV_AWS_2", "CKV2_AWS_20"],
  cdkNag: ["ALBHttpToHttpsRedirection"],
  notEvaluatedNote: "the stack that holds the Kubernetes Ingresses (the serving stack); ALBs made otherwise are judged where they are defined",
  evaluate: (ctx) => {
    const alb = albIngressOf(ctx);
    if (!alb) return Outcome.notApplicable();
    const listeners = listenersOf(alb.annotations);
    const fix = `set ${A.listenPorts} to '[{"HTTPS": 443}]' with ${A.certificateArn}`;
    if (typeof listeners === "string") return Outcome.nonCompliant(`${listeners}, so its listeners cannot be verified; ${fix}.`);
    const http = ports(listeners, "HTTP");
    const https = ports(listeners, "HTTPS");
    if (https.length === 0) return Outcome.nonCompliant(`the ALB listens on HTTP only (port ${http.join(", ")}${alb.annotations[A.listenPorts] === undefined ? `: no ${A.listenPorts} and no ${A.certificateArn}` : ""}); ${fix}.`);
    if (http.length === 0) return Outcome.compliant();
    const redirect = groupAnnotation(ctx, alb, A.sslRedirect).value;
    const to = isLiteralString(redirect) && /^\d+$/.test(redirect) ? Number(redirect) : undefined;
    if (to !== undefined && https.includes(to)) return Outcome.compliant();
    if (redirect !== undefined) return Outcome.nonCompliant(`HTTP listener on port ${http.join(", ")} and ${A.sslRedirect} ${shown(redirect)} is not one of the HTTPS ports (${https.join(", ")}); set it to ${https[0]}, or drop the HTTP ports.`);
    return Outcome.nonCompliant(`HTTP listener on port ${http.join(", ")} serves requests in clear text; drop it from ${A.listenPorts}, or set ${A.sslRedirect}: "${https[0]}" to redirect it to HTTPS.`);
  },
} as const satisfies ComplianceRule;

/** The HTTPS listeners negotiate TLS 1.2 or newer, through FIPS-validated modules where the pack asks. */
export const AlbIngressTlsPolicy = {
  id: "AlbIngressTlsPolicy",
  description: "ALB Ingresses with HTTPS listeners name a documented security policy (ssl-policy) that allows nothing below TLS 1.2, and a FIPS policy when requireFips is set.",
  explanation:
    "TLS 1.0 and 1.1 are deprecated (RFC 8996) and their cipher suites no longer protect data in transit. Without ssl-policy the " +
    "controller applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0. Frameworks that require FIPS 140-validated cryptography " +
    "(FedRAMP: SC-13) need one of the ELBSecurityPolicy-*-FIPS-* policies, whose TLS runs in validated modules.",
  resourceTypes: [INGRESS],
  // CKV_AWS_103 (AppLoadBalancerTLS12) judges aws_lb_listener.ssl_policy and accepts only ELBSecurityPolicy-FS-1-2* and -TLS-1-2*
  // names (bridgecrewio/checkov@08f4fdbf: AppLoadBalancerTLS12.py), so it also flags the TLS 1.3 policies this rule accepts.
  checkov: ["CKV_AWS_103"],
  params: { requireFips: false },
  notEvaluatedNote: "the stack that holds the Kubernetes Ingresses (the serving stack); ALBs made otherwise are judged where they are defined",
  evaluate: (ctx) => {
    const alb = albIngressOf(ctx);
    if (!alb) return Outcome.notApplicable();
    const listeners = listenersOf(alb.annotations);
    // Without an HTTPS listener there is no TLS to judge; AlbIngressHttpsOnly flags the Ingress.
    if (typeof listeners !== "string" && ports(listeners, "HTTPS").length === 0) return Outcome.notApplicable();
    const fips = isTrue(ctx.params.requireFips);
    const recommended = fips ? DEFAULT_FIPS_SSL_POLICY : DEFAULT_SSL_POLICY;
    const fix = `set ${A.sslPolicy} to "${recommended}"${fips ? " or another ELBSecurityPolicy-TLS13-1-2-*FIPS* / -TLS13-1-3-*FIPS* policy" : ""} (with the library's constructs, leave sslPolicy unset: the default follows the enforced packs)`;
    const { value, from } = groupAnnotation(ctx, alb, A.sslPolicy);
    const where = from ? ` (set by ${from}, of the same IngressGroup)` : "";
    if (value === undefined) return Outcome.nonCompliant(`no ${A.sslPolicy}, so the controller applies ELBSecurityPolicy-2016-08 (TLS 1.0 and up); ${fix}.`);
    if (!isLiteralString(value)) return Outcome.nonCompliant(`${A.sslPolicy} is ${shown(value)}; ${fix}.`);
    const policy = albSecurityPolicy(value);
    if (!policy) return Outcome.nonCompliant(`${A.sslPolicy}${where} ${JSON.stringify(value)} is not a security policy of Application Load Balancers; ${fix}.`);
    if (policy.minTlsMinor < 2) return Outcome.nonCompliant(`${A.sslPolicy}${where} ${JSON.stringify(value)} accepts TLS 1.${policy.minTlsMinor}; ${fix}.`);
    if (fips && !policy.fips) return Outcome.nonCompliant(`${A.sslPolicy}${where} ${JSON.stringify(value)} is not a FIPS policy, and this framework requires FIPS-validated cryptography; ${fix}.`);
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Rules for ALBs made from Kubernetes Ingresses by the AWS Load Balancer Controller. */
export const ALB_INGRESS_RULES = [AlbIngressAccessLogs, AlbIngressHttpsOnly, AlbIngressTlsPolicy] as const satisfies readonly ComplianceRule[];
