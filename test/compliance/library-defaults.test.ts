import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import "../../lib/testing";
import { App, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { Compliance } from "../../lib/compliance/compliance";
import { ALL_PACKS } from "../../lib/compliance/packs";
import { AuditTrail } from "../../lib/security/audit-trail";
import { EncryptionKey } from "../../lib/security/encryption-key";
import { GithubDeployRole } from "../../lib/security/github-deploy-role";
import { BucketDataClass, SecureBucket } from "../../lib/security/secure-bucket";
import { StateBackend } from "../../lib/security/state-backend";
import { buildReferencePlatform } from "../../examples/reference-platform/main";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import { chatProps, platformAndServing } from "../endpoint/fixtures";

function stack(build: (s: TerraformStack) => void): TerraformStack {
  const s = new TerraformStack(Testing.app(), "defaults");
  new AwsProvider(s, "aws", { region: "us-east-1" });
  build(s);
  return s;
}

/** Secure by default: every construct, with its defaults, passes all four packs with no open finding. */
describe("the library's defaults pass HIPAA, SOC 2, FedRAMP Moderate and GDPR", () => {
  it("SecureInferenceCluster with its defaults", () => {
    const s = stack((x) => new SecureInferenceCluster(x, "ml", { clusterName: "ml-prod", gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 2 }] }));
    expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it("SecureInferenceCluster in an existing VPC, with MFA-gated access and break-glass", () => {
    const s = stack((x) => new SecureInferenceCluster(x, "ml", {
      clusterName: "ml-prod",
      existingVpc: { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-a", "subnet-b"] },
      gpuNodePools: [{ name: "h100", instanceTypes: ["p5.48xlarge"], maxSize: 1 }],
      access: {
        admins: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/admins"] },
        operators: { trustedAccountIds: ["123456789012"], namespaces: ["models"] },
        breakGlass: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/security"] },
      },
    }));
    expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it.each<BucketDataClass>(["artifacts", "audit", "personal-data", "state"])("SecureBucket holding %s data", (dataClass) => {
    const s = stack((x) => {
      const logs = new SecureBucket(x, "logs", { bucketPrefix: "logs-", dataClass: "access-logs" });
      const key = new EncryptionKey(x, "key", { purpose: "data" });
      new SecureBucket(x, "bucket", { bucketPrefix: "data-", dataClass, encryptionKey: key, accessLogBucket: logs });
    });
    expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it("AuditTrail", () => {
    const s = stack((x) => new AuditTrail(x, "trail", { name: "org-audit", accessLogBucket: new SecureBucket(x, "logs", { bucketPrefix: "logs-", dataClass: "access-logs" }) }));
    expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it("StateBackend and the GitHub deploy and plan roles", () => {
    const s = stack((x) => {
      const state = new StateBackend(x, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
      const deploy = new GithubDeployRole(x, "deploy", { repository: "org/repo", branches: ["main"], resourceNamePrefix: "ml-prod", additionalStatements: [...state.accessPolicyDocument(["platform.tfstate"]).statements] });
      new GithubDeployRole(x, "plan", { repository: "org/repo", pullRequests: true, readOnly: true, oidcProviderArn: deploy.oidcProviderArn, resourceNamePrefix: "ml-prod", additionalStatements: [...state.accessPolicyDocument(["platform.tfstate"], { readOnly: true }).statements] });
    });
    expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it("every stack of the reference example", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "ref-")) });
    const { bootstrap, platform, addons, serving } = buildReferencePlatform(app);
    for (const s of [bootstrap, platform, addons, serving]) expect(s).toBeCompliantWith(...ALL_PACKS);
  });

  it("CanaryModelEndpoint with its defaults (and a pre-traffic gate and drift alarm)", () => {
    const { app, cluster, serving } = platformAndServing();
    // As users do: the ALB's TLS policy follows the packs enforced on the app (FedRAMP Moderate: a FIPS policy).
    Compliance.of(app).enforce(...ALL_PACKS);
    new CanaryModelEndpoint(serving, "chat", chatProps(cluster));
    new CanaryModelEndpoint(serving, "gated", chatProps(cluster, {
      rollout: { preTrafficEvaluation: { image: "registry.example.com/evals:1.0.0" } },
      driftAlarm: { namespace: "Chat", metricName: "Quality" },
    }));
    expect(serving).toBeCompliantWith(...ALL_PACKS);
  });
});
