import { TerraformStack } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { ALB_INGRESS_RULES, AlbIngressAccessLogs, AlbIngressHttpsOnly, AlbIngressTlsPolicy } from "../../../lib/compliance/rules/alb-ingress";
import { evaluateRule } from "../rule-harness";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
const HTTPS_ONLY = { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS": 443}]', "alb.ingress.kubernetes.io/certificate-arn": CERT };
const LOGS = "access_logs.s3.enabled=true,access_logs.s3.bucket=ml-access-logs,access_logs.s3.prefix=alb/models/chat";

/** An Ingress of class `className` (default "alb") with these annotations. */
function ingress(stack: TerraformStack, id: string, annotations: Record<string, string>, className: string | undefined = "alb") {
  return new IngressV1(stack, id, {
    metadata: { name: id, namespace: "models", annotations },
    spec: { ingressClassName: className, rule: [{ http: { path: [{ path: "/", backend: { service: { name: "chat", port: { number: 8000 } } } }] } }] },
  });
}

describe("AlbIngressAccessLogs", () => {
  const { byId } = evaluateRule(AlbIngressAccessLogs, (stack) => {
    ingress(stack, "logs", { ...HTTPS_ONLY, "alb.ingress.kubernetes.io/load-balancer-attributes": `idle_timeout.timeout_seconds=600,${LOGS}` });
    const bucket = new S3Bucket(stack, "log-bucket", { bucketPrefix: "ml-access-logs-" });
    ingress(stack, "logs-to-referenced-bucket", { "alb.ingress.kubernetes.io/load-balancer-attributes": `access_logs.s3.enabled=true,access_logs.s3.bucket=${bucket.bucket}` });
    ingress(stack, "no-attributes", HTTPS_ONLY);
    ingress(stack, "logs-off", { "alb.ingress.kubernetes.io/load-balancer-attributes": "access_logs.s3.enabled=false,access_logs.s3.bucket=ml-access-logs" });
    ingress(stack, "logs-without-bucket", { "alb.ingress.kubernetes.io/load-balancer-attributes": "access_logs.s3.enabled=true" });
    // IngressGroup: load-balancer-attributes is "Exclusive", set on one member for the shared ALB.
    ingress(stack, "group-owner", { "alb.ingress.kubernetes.io/group.name": "shared", "alb.ingress.kubernetes.io/load-balancer-attributes": LOGS });
    ingress(stack, "group-member", { "alb.ingress.kubernetes.io/group.name": "shared" });
    ingress(stack, "lonely-group-member", { "alb.ingress.kubernetes.io/group.name": "other" });
    // Another controller's Ingress, and an ALB class defined in the stack under another name.
    ingress(stack, "nginx", {}, "nginx");
    new IngressClassV1(stack, "internal-class", { metadata: { name: "internal-alb" }, spec: { controller: "ingress.k8s.aws/alb" } });
    ingress(stack, "custom-class-without-logs", {}, "internal-alb");
  });

  it("passes an ALB Ingress with access_logs.s3.enabled=true and a bucket, literal or referenced", () => {
    expect(byId.logs.status).toBe("compliant");
    expect(byId["logs-to-referenced-bucket"].status).toBe("compliant");
  });

  it("flags an ALB Ingress without load-balancer-attributes, and says what to set", () => {
    expect(byId["no-attributes"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("access_logs.s3.enabled=true,access_logs.s3.bucket=<bucket>") });
  });

  it("flags access logs turned off, or on without a bucket", () => {
    expect(byId["logs-off"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining('access_logs.s3.enabled to "false"') });
    expect(byId["logs-without-bucket"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("without access_logs.s3.bucket") });
  });

  it("takes the attributes of another Ingress of the same IngressGroup", () => {
    expect(byId["group-owner"].status).toBe("compliant");
    expect(byId["group-member"].status).toBe("compliant");
    expect(byId["lonely-group-member"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining('IngressGroup "other"') });
  });

  it("judges Ingresses of an IngressClass of the ALB controller, and no other controller's", () => {
    expect(byId.nginx.status).toBe("not-applicable");
    expect(byId["custom-class-without-logs"].status).toBe("non-compliant");
  });
});

describe("AlbIngressHttpsOnly", () => {
  const { byId } = evaluateRule(AlbIngressHttpsOnly, (stack) => {
    ingress(stack, "https-only", HTTPS_ONLY);
    ingress(stack, "certificate-without-ports", { "alb.ingress.kubernetes.io/certificate-arn": CERT });
    ingress(stack, "http-redirected", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "alb.ingress.kubernetes.io/ssl-redirect": "443" });
    ingress(stack, "no-ports-no-certificate", { "alb.ingress.kubernetes.io/scheme": "internal" });
    ingress(stack, "http-and-https", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]' });
    ingress(stack, "redirect-to-http", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "alb.ingress.kubernetes.io/ssl-redirect": "80" });
    ingress(stack, "bad-ports", { "alb.ingress.kubernetes.io/listen-ports": "443" });
  });

  it("passes HTTPS-only listeners, the certificate default, and HTTP redirected to an HTTPS port", () => {
    for (const id of ["https-only", "certificate-without-ports", "http-redirected"]) expect(byId[id].status).toBe("compliant");
  });

  it("flags the controller's HTTP:80 default when neither listen-ports nor certificate-arn is set", () => {
    expect(byId["no-ports-no-certificate"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("HTTP only (port 80: no alb.ingress.kubernetes.io/listen-ports") });
  });

  it("flags an HTTP listener that is not redirected to an HTTPS port", () => {
    expect(byId["http-and-https"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining('set alb.ingress.kubernetes.io/ssl-redirect: "443"') });
    expect(byId["redirect-to-http"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("is not one of the HTTPS ports (443)") });
  });

  it("flags listen-ports it cannot read", () => {
    expect(byId["bad-ports"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("is not a non-empty JSON list") });
  });
});

describe("AlbIngressTlsPolicy", () => {
  const build = (stack: TerraformStack) => {
    ingress(stack, "tls13", { ...HTTPS_ONLY, "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    ingress(stack, "fips", { ...HTTPS_ONLY, "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04" });
    ingress(stack, "no-policy", HTTPS_ONLY);
    ingress(stack, "tls10", { ...HTTPS_ONLY, "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08" });
    ingress(stack, "unknown", { ...HTTPS_ONLY, "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-Custom" });
    ingress(stack, "http-only", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}]' });
  };
  const plain = evaluateRule(AlbIngressTlsPolicy, build).byId;
  const fips = evaluateRule(AlbIngressTlsPolicy, build, { requireFips: true }).byId;

  it("passes a documented TLS 1.2+ policy, and needs no FIPS by default", () => {
    expect(AlbIngressTlsPolicy.params).toEqual({ requireFips: false });
    expect(plain.tls13.status).toBe("compliant");
    expect(plain.fips.status).toBe("compliant");
  });

  it("flags a missing ssl-policy: the controller would apply ELBSecurityPolicy-2016-08", () => {
    expect(plain["no-policy"]).toMatchObject({ status: "non-compliant", message: expect.stringContaining("applies ELBSecurityPolicy-2016-08 (TLS 1.0 and up)") });
  });

  it("flags a policy that accepts TLS below 1.2, and a name ALBs do not have", () => {
    expect(plain.tls10).toMatchObject({ status: "non-compliant", message: expect.stringContaining('"ELBSecurityPolicy-2016-08" accepts TLS 1.0') });
    expect(plain.unknown).toMatchObject({ status: "non-compliant", message: expect.stringContaining("is not a security policy of Application Load Balancers") });
  });

  it("with requireFips, passes a FIPS policy and flags a non-FIPS one, naming the FIPS default", () => {
    expect(fips.fips.status).toBe("compliant");
    expect(fips.tls13).toMatchObject({ status: "non-compliant", message: expect.stringContaining('is not a FIPS policy, and this framework requires FIPS-validated cryptography; set alb.ingress.kubernetes.io/ssl-policy to "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"') });
  });

  it("does not apply to an ALB without HTTPS listeners (AlbIngressHttpsOnly flags it)", () => {
    expect(plain["http-only"].status).toBe("not-applicable");
  });
});

describe("ALB Ingress rules", () => {
  it("cite the checkov checks of aws_lb / aws_lb_listener they mirror", () => {
    expect(Object.fromEntries(ALB_INGRESS_RULES.map((r) => [r.id, r.checkov]))).toEqual({
      AlbIngressAccessLogs: ["CKV_AWS_91"],
      AlbIngressHttpsOnly: ["CKV_AWS_2", "CKV2_AWS_20"],
      AlbIngressTlsPolicy: ["CKV_AWS_103"],
    });
  });
});
