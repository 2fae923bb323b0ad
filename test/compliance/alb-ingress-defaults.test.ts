/**
 * The internal ALBs of endpoints and routers (Ingresses for the AWS Load Balancer Controller): access logs to the cluster's
 * log bucket, and a listener policy chosen at synth from the packs enforced on the Ingress (FIPS under FedRAMP Moderate),
 * whatever the order of enforce() and construct creation; a policy the user gives is kept and judged by the pack.
 */
import "../../lib/testing";
import { Testing } from "cdktf";
import { Compliance } from "../../lib/compliance/compliance";
import { ALL_PACKS, FEDRAMP_MODERATE, HIPAA, SOC2 } from "../../lib/compliance/packs";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { CanaryModelEndpointProps } from "../../lib/endpoint/endpoint-props";
import { DEFAULT_FIPS_SSL_POLICY, DEFAULT_SSL_POLICY } from "../../lib/private/internal-alb";
import { InferenceRouter } from "../../lib/routing/inference-router";
import { CERTIFICATE_ARN, chatProps, platformAndServing } from "../endpoint/fixtures";
import { resourcesOf } from "../util";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SSL_POLICY = "alb.ingress.kubernetes.io/ssl-policy";
const ATTRIBUTES = "alb.ingress.kubernetes.io/load-balancer-attributes";

/** A platform and a serving stack with endpoint "chat" and router "router"; `before` runs before the constructs are made. */
function build(opts: { before?: (x: ReturnType<typeof platformAndServing>) => void; chat?: Partial<CanaryModelEndpointProps> } = {}) {
  const x = platformAndServing(Testing.app());
  opts.before?.(x);
  const chat = new CanaryModelEndpoint(x.serving, "chat", chatProps(x.cluster, { ingress: { certificateArn: CERTIFICATE_ARN, host: "chat.models.example.internal" }, ...opts.chat }));
  const router = new InferenceRouter(x.serving, "router", {
    connection: x.cluster.connection,
    namespace: "gateway",
    models: [{ endpoint: chat }],
    ingress: { certificateArn: CERTIFICATE_ARN, host: "llm.models.example.internal" },
  });
  return { ...x, chat, router };
}

/** Annotations of the serving stack's Ingresses by Kubernetes name. */
function ingresses(x: { serving: Parameters<typeof Testing.synth>[0] }): Record<string, Json> {
  const json = JSON.parse(Testing.synth(x.serving));
  return Object.fromEntries(Object.values(resourcesOf(json, "kubernetes_ingress_v1")).map((i: Json) => [i.metadata.name, i.metadata.annotations]));
}

describe("access logs of the internal ALBs", () => {
  const x = build();
  const a = ingresses(x);
  const platform = JSON.parse(Testing.synth(x.platform));

  it("go to the cluster's access-log bucket, one prefix per Ingress below the connection's prefix", () => {
    expect(x.cluster.connection.loadBalancerLogPrefix).toBe("alb");
    expect(x.cluster.connection.loadBalancerLogBucketName).toBe(x.cluster.accessLogBucket.bucketName);
    for (const [name, ns] of [["chat", "models"], ["router", "gateway"]]) {
      const attributes = a[name][ATTRIBUTES] as string;
      expect(attributes).toContain("access_logs.s3.enabled=true");
      // The bucket of the platform stack (app.synth turns the reference into a remote-state read; Testing.synth leaves it as is).
      expect(attributes).toMatch(/access_logs\.s3\.bucket=\$\{aws_s3_bucket\.ml_access-log-bucket_[0-9A-F]+\.bucket\}/);
      expect(attributes).toContain(`access_logs.s3.prefix=alb/${ns}/${name}`);
      expect(attributes).toContain("routing.http.drop_invalid_header_fields.enabled=true");
    }
  });

  it("are admitted by the bucket policy: the regional ELB account of us-east-1, for this account's logs under alb/", () => {
    const policies = Object.values(resourcesOf(platform, "aws_s3_bucket_policy")).map((p: Json) => JSON.parse(p.policy));
    const grant = policies.flatMap((p) => p.Statement).find((s: Json) => s.Sid === "ElbAccessLogsDelivery");
    expect(grant).toMatchObject({ Effect: "Allow", Action: "s3:PutObject", Principal: { AWS: expect.stringMatching(/^\$\{data\.aws_elb_service_account\..+\.arn\}$/) } });
    expect(grant.Resource).toMatch(/^\$\{aws_s3_bucket\.ml_access-log-bucket_[0-9A-F]+\.arn\}\/alb\/\*\/AWSLogs\/\$\{data\.aws_caller_identity\..+\.account_id\}\/\*$/);
  });

  it("pass the ALB rules of every pack", () => {
    for (const pack of ALL_PACKS.filter((p) => p.name !== "FEDRAMP_MODERATE")) {
      const report = Compliance.evaluate(x.serving, pack);
      for (const id of ["AlbIngressAccessLogs", "AlbIngressHttpsOnly", "AlbIngressTlsPolicy"]) {
        expect(report.rules.find((r) => r.ruleId === id)).toMatchObject({ result: "pass", compliant: [expect.stringContaining("kubernetes_ingress_v1.chat_ingress"), expect.stringContaining("kubernetes_ingress_v1.router_ingress")] });
      }
    }
  });
});

describe("TLS policy of the internal ALBs, per enforced pack", () => {
  it("is the TLS 1.3/1.2 default when no pack, or no pack asking for FIPS, is enforced", () => {
    expect(Object.values(ingresses(build())).map((a) => a[SSL_POLICY])).toEqual([DEFAULT_SSL_POLICY, DEFAULT_SSL_POLICY]);
    const hipaa = build({ before: (x) => Compliance.of(x.app).enforce(HIPAA, SOC2) });
    expect(Object.values(ingresses(hipaa)).map((a) => a[SSL_POLICY])).toEqual([DEFAULT_SSL_POLICY, DEFAULT_SSL_POLICY]);
  });

  it("is the FIPS policy under FedRAMP Moderate, whether enforce() comes before or after the constructs", () => {
    const before = build({ before: (x) => Compliance.of(x.app).enforce(FEDRAMP_MODERATE) });
    expect(Object.values(ingresses(before)).map((a) => a[SSL_POLICY])).toEqual([DEFAULT_FIPS_SSL_POLICY, DEFAULT_FIPS_SSL_POLICY]);
    const after = build();
    Compliance.of(after.app).enforce(HIPAA, FEDRAMP_MODERATE);
    expect(Object.values(ingresses(after)).map((a) => a[SSL_POLICY])).toEqual([DEFAULT_FIPS_SSL_POLICY, DEFAULT_FIPS_SSL_POLICY]);
    expect(after.serving).toBeCompliantWith(...ALL_PACKS);
  });

  it("follows the scope of the enforcement: the serving stack, one construct, or another stack", () => {
    const stack = build();
    Compliance.of(stack.serving).enforce(FEDRAMP_MODERATE);
    expect(Object.values(ingresses(stack)).map((a) => a[SSL_POLICY])).toEqual([DEFAULT_FIPS_SSL_POLICY, DEFAULT_FIPS_SSL_POLICY]);
    const construct = build();
    Compliance.of(construct.chat).enforce(FEDRAMP_MODERATE);
    expect(ingresses(construct)).toMatchObject({ chat: { [SSL_POLICY]: DEFAULT_FIPS_SSL_POLICY }, router: { [SSL_POLICY]: DEFAULT_SSL_POLICY } });
    const other = build();
    Compliance.of(other.platform).enforce(FEDRAMP_MODERATE);
    expect(ingresses(other)).toMatchObject({ chat: { [SSL_POLICY]: DEFAULT_SSL_POLICY }, router: { [SSL_POLICY]: DEFAULT_SSL_POLICY } });
  });

  it("keeps a policy the user gives; under FedRAMP Moderate a non-FIPS one then fails the pack's rule instead of being replaced", () => {
    const x = build({ chat: { ingress: { certificateArn: CERTIFICATE_ARN, host: "chat.models.example.internal", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" } } });
    Compliance.of(x.app).enforce(FEDRAMP_MODERATE);
    expect(ingresses(x)).toMatchObject({ chat: { [SSL_POLICY]: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" }, router: { [SSL_POLICY]: DEFAULT_FIPS_SSL_POLICY } });
    const report = Compliance.evaluate(x.serving, FEDRAMP_MODERATE);
    expect(report.findings.map((f) => [f.ruleId, f.path])).toEqual([["AlbIngressTlsPolicy", "serving/chat/ingress"]]);
    expect(report.findings[0].message).toContain('"ELBSecurityPolicy-TLS13-1-2-Res-2021-06" is not a FIPS policy');
    expect(x.serving).toBeCompliantWith(HIPAA, SOC2);
  });

  it("refuses a policy name Application Load Balancers do not have, and one below TLS 1.2", () => {
    const x = platformAndServing();
    const attempt = (sslPolicy: string) => () => new CanaryModelEndpoint(x.serving, `chat-${sslPolicy.length}`, chatProps(x.cluster, { ingress: { certificateArn: CERTIFICATE_ARN, sslPolicy } }));
    expect(attempt("ELBSecurityPolicy-TLS13-1-2-2099-01")).toThrow(/ingress\.sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2099-01" is not a security policy of Application Load Balancers/);
    expect(attempt("ELBSecurityPolicy-TLS-1-1-2017-01")).toThrow(/ingress\.sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" allows TLS below 1\.2 \(from TLS 1\.1\)/);
  });
});
