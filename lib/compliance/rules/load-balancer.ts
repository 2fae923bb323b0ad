import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { block, isReference, isTrue, literalNumber, shown } from "../private/attributes";

/*
 * Rules over load balancers written as Terraform resources (aws_lb / aws_alb, their listeners, and the Classic aws_elb),
 * as checkov judges them (bridgecrewio/checkov@03d5fdad, checkov/terraform/checks/resource/aws/ and graph_checks/aws/).
 * The library's own ALBs come from the AWS Load Balancer Controller and are judged through their Ingress annotations
 * (rules/alb-ingress.ts); these rules judge load balancers that users declare themselves, e.g. for the LLM router.
 */

const LBS = ["aws_lb", "aws_alb"] as const;
const LISTENERS = ["aws_lb_listener", "aws_alb_listener"] as const;

/** "application" unless set (the provider's default). */
const lbType = (lb: ResourceView): unknown => lb.config.load_balancer_type ?? "application";

/** The load balancer of this stack a listener's load_balancer_arn names, if any. */
function loadBalancerOf(listener: ResourceView, stack: StackView): ResourceView | undefined {
  return LBS.flatMap((t) => stack.ofType(t)).find((lb) => stack.refersTo(listener.config.load_balancer_arn, lb));
}

/** The listeners of this stack attached to a load balancer. */
const listenersOf = (lb: ResourceView, stack: StackView): ResourceView[] => LISTENERS.flatMap((t) => stack.attachedTo(t, "load_balancer_arn", lb));

/** True when the listener's default action redirects to HTTPS (on port 443 when `port443`). */
function redirectsToHttps(listener: ResourceView, port443 = false): boolean {
  const action = block(listener.config.default_action);
  const redirect = block(action?.redirect);
  if (action?.type !== "redirect" || redirect?.protocol !== "HTTPS") return false;
  return !port443 || literalNumber(redirect.port) === 443;
}

/** Nobody deletes a load balancer by accident. */
export const LoadBalancerDeletionProtection = {
  id: "LoadBalancerDeletionProtection",
  description: "Load balancers have deletion protection (enable_deletion_protection = true).",
  explanation:
    "Deleting a load balancer takes the endpoint's DNS name with it: clients keep failing after it is recreated, until every one of them " +
    "resolves the new name. Deletion protection makes a stray destroy or replacement fail instead.",
  resourceTypes: LBS,
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/LBDeletionProtection.py
  checkov: ["CKV_AWS_150"],
  cdkNag: ["ELBDeletionProtectionEnabled"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.enable_deletion_protection;
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`enable_deletion_protection is ${shown(v, "unset (default false)")}; set enable_deletion_protection = true`);
  },
} as const satisfies ComplianceRule;

/** Requests with malformed headers are dropped, not passed to the servers. */
export const LoadBalancerDropsInvalidHeaders = {
  id: "LoadBalancerDropsInvalidHeaders",
  description: "Application load balancers drop HTTP headers that are not valid (drop_invalid_header_fields = true).",
  explanation:
    "Header names outside RFC 7230's token characters are a vehicle for request smuggling and header injection against the servers " +
    "behind the ALB (an inference server's HTTP stack is rarely hardened for them). Dropping them costs nothing for valid clients.",
  resourceTypes: LBS,
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/ALBDropHttpHeaders.py: network and gateway load balancers are unknown there.
  checkov: ["CKV_AWS_131"],
  evaluate: ({ resource }): RuleOutcome => {
    if (lbType(resource) !== "application") return Outcome.notApplicable();
    const v = resource.config.drop_invalid_header_fields;
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`drop_invalid_header_fields is ${shown(v, "unset (default false)")}; set drop_invalid_header_fields = true`);
  },
} as const satisfies ComplianceRule;

/** HTTP desync (request smuggling) mitigation is not in monitor mode. */
export const LoadBalancerDesyncMitigation = {
  id: "LoadBalancerDesyncMitigation",
  description: "Load balancers do not run desync mitigation in \"monitor\" mode (defensive, the default, or strictest).",
  explanation:
    "In monitor mode an ALB or Classic load balancer forwards requests it classifies as ambiguous or severe HTTP desync risks, which " +
    "lets one client smuggle a request into another's connection. The default \"defensive\" mode blocks the severe ones.",
  resourceTypes: [...LBS, "aws_elb"],
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/ALBDesyncMode.py (forbidden value "monitor").
  checkov: ["CKV_AWS_328"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.desync_mitigation_mode;
    if (v !== "monitor" && !isReference(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`desync_mitigation_mode is ${shown(v)}; remove it (default "defensive") or set "strictest"`);
  },
} as const satisfies ComplianceRule;

/** Load balancers write access logs. */
export const LoadBalancerAccessLogs = {
  id: "LoadBalancerAccessLogs",
  description: "Application and network load balancers write access logs (access_logs { enabled = true }).",
  explanation:
    "Access logs are the only record of who called the endpoint, when, from where and with what result; an investigation of abuse of a " +
    "model endpoint starts there. The provider's access_logs block is off unless enabled = true.",
  resourceTypes: LBS,
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/ELBv2AccessLogs.py: gateway load balancers are unknown there.
  checkov: ["CKV_AWS_91"],
  cdkNag: ["ELBLoggingEnabled"],
  evaluate: ({ resource }): RuleOutcome => {
    if (lbType(resource) === "gateway") return Outcome.notApplicable();
    const enabled = block(resource.config.access_logs)?.enabled;
    if (isTrue(enabled)) return Outcome.compliant();
    return Outcome.nonCompliant(`access_logs.enabled is ${shown(enabled, "unset (default false)")}; set access_logs { bucket = <log bucket>, enabled = true }`);
  },
} as const satisfies ComplianceRule;

const ENCRYPTED_OR_L4 = ["HTTPS", "TLS", "TCP", "UDP", "TCP_UDP"];

/** Listeners serve HTTPS, or redirect HTTP to it. */
export const LoadBalancerListenerHttps = {
  id: "LoadBalancerListenerHttps",
  description: "Load balancer listeners use HTTPS or TLS (or a layer-4 protocol), or redirect plain HTTP to HTTPS; a load balancer's port-80 HTTP listener redirects to HTTPS on 443.",
  explanation:
    "Prompts, completions and API keys cross a plain HTTP listener readable by anyone on the path. A listener is judged on its own " +
    "(checkov's CKV_AWS_2), and a load balancer by its listeners of this stack (checkov's CKV2_AWS_20: every listener is HTTPS, or port-80 " +
    "HTTP redirecting to HTTPS on 443).",
  resourceTypes: [...LISTENERS, ...LBS],
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/ALBListenerHTTPS.py and graph_checks/aws/ALBRedirectsHTTPToHTTPS.yaml.
  checkov: ["CKV_AWS_2", "CKV2_AWS_20"],
  cdkNag: ["ALBHttpToHttpsRedirection"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if ((LBS as readonly string[]).includes(resource.type)) {
      const plain = listenersOf(resource, stack).filter((l) => {
        const port = literalNumber(l.config.port);
        if (port !== 80) return l.config.protocol === "HTTP";
        return l.config.protocol !== "HTTP" || !redirectsToHttps(l, true);
      });
      if (plain.length === 0) return Outcome.compliant();
      return Outcome.nonCompliant(`listeners ${plain.map((l) => l.address).join(", ")} serve plain HTTP (or port 80 without a redirect to HTTPS on 443); use HTTPS listeners, and on port 80 a default_action { type = "redirect", redirect { protocol = "HTTPS", port = "443", status_code = "HTTP_301" } }`);
    }
    const protocol = resource.config.protocol;
    if (typeof protocol === "string" && ENCRYPTED_OR_L4.includes(protocol)) return Outcome.compliant();
    if (protocol === "HTTP" && redirectsToHttps(resource)) return Outcome.compliant();
    return Outcome.nonCompliant(`protocol is ${shown(protocol, "unset")} without a redirect to HTTPS; set protocol = "HTTPS" with a certificate_arn, or default_action { type = "redirect", redirect { protocol = "HTTPS", port = "443" } }`);
  },
} as const satisfies ComplianceRule;

/** checkov's CKV_AWS_103 prefixes of TLS 1.2+ security policies. */
const TLS12_POLICIES = ["ELBSecurityPolicy-FS-1-2", "ELBSecurityPolicy-TLS-1-2", "ELBSecurityPolicy-TLS13"];

/** HTTPS and TLS listeners negotiate TLS 1.2 or later. */
export const LoadBalancerListenerTls12 = {
  id: "LoadBalancerListenerTls12",
  description: "HTTPS and TLS listeners use a security policy that allows only TLS 1.2 or later (ssl_policy ELBSecurityPolicy-TLS13-*, -TLS-1-2-*, -FS-1-2-*).",
  explanation:
    "TLS 1.0 and 1.1 (in ELBSecurityPolicy-2016-08, the provider's default) are deprecated (RFC 8996) and fail PCI DSS and FedRAMP " +
    "transmission requirements. Layer-4 listeners, HTTP redirects to HTTPS and gateway load balancer listeners carry no TLS of their own.",
  resourceTypes: LISTENERS,
  // checkov@03d5fdad:checkov/terraform/checks/graph_checks/aws/AppLoadBalancerTLS12.yaml.
  checkov: ["CKV_AWS_103"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const c = resource.config;
    if (["TCP", "UDP", "TCP_UDP"].includes(c.protocol)) return Outcome.notApplicable();
    if (redirectsToHttps(resource)) return Outcome.compliant();
    const lb = loadBalancerOf(resource, stack);
    if (lb && lbType(lb) === "gateway") return Outcome.notApplicable();
    if ((c.protocol === "HTTPS" || c.protocol === "TLS") && typeof c.ssl_policy === "string" && TLS12_POLICIES.some((p) => c.ssl_policy.startsWith(p))) {
      return Outcome.compliant();
    }
    const what = c.protocol === "HTTPS" || c.protocol === "TLS" ? `ssl_policy is ${shown(c.ssl_policy, "unset (default ELBSecurityPolicy-2016-08, TLS 1.0+)")}` : `protocol is ${shown(c.protocol, "unset")}`;
    return Outcome.nonCompliant(`${what}; serve HTTPS or TLS with ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" (or a -FIPS- variant)`);
  },
} as const satisfies ComplianceRule;

/** Rules over Terraform-declared load balancers. */
export const LOAD_BALANCER_RULES = [
  LoadBalancerDeletionProtection,
  LoadBalancerDropsInvalidHeaders,
  LoadBalancerDesyncMitigation,
  LoadBalancerAccessLogs,
  LoadBalancerListenerHttps,
  LoadBalancerListenerTls12,
] as const satisfies readonly ComplianceRule[];
