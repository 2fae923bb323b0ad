import * as fs from "fs";
import * as path from "path";
import { buildReferencePlatform } from "../../examples/reference-platform/main";

/** What cluster.connection.loadBalancerCidrs says for the reference VPC (10.0.0.0/16, three zones). */
const REFERENCE_LB_CIDRS = ["10.0.248.0/24", "10.0.249.0/24", "10.0.250.0/24"];
import { REPORT_FILES } from "../../lib/compliance/compliance";
import { FAKE_ACCOUNT_ID } from "../harness/aws-stand-in";
import { OfflineTerraform, StackCheck, SynthesizedStack, synthApp } from "../harness/offline-terraform";
import { changesWithAction, plannedResources } from "../harness/plan-json";
import { parseTemplateJson } from "../util";

describe("examples/reference-platform under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  let stacks: SynthesizedStack[];
  let outdir: string;
  const checks: Record<string, StackCheck> = {};

  beforeAll(async () => {
    tf = await OfflineTerraform.start();
    ({ stacks, outdir } = synthApp((app) => buildReferencePlatform(app)));
    for (const s of stacks) checks[s.name] = await tf.check(s);
  });
  afterAll(async () => tf?.stop());

  it("synthesizes bootstrap and platform (AWS only, planned offline), addons and serving (validated on their AWS part)", () => {
    expect(stacks.map((s) => s.name).sort()).toEqual(["addons", "bootstrap", "platform", "serving"]);
    expect(Object.fromEntries(Object.values(checks).map((c) => [c.stack, c.mode]))).toEqual({
      bootstrap: "plan",
      platform: "plan",
      addons: "validate-aws-part",
      serving: "validate-aws-part",
    });
  });

  it("orders the stacks platform -> addons -> serving in the manifest cdktf deploys from", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks.addons.dependencies).toEqual(["platform"]);
    expect(manifest.stacks.serving.dependencies).toEqual(["addons", "platform"]);
    expect(manifest.stacks.platform.dependencies).toEqual([]);
  });

  it("keeps Kubernetes and Helm out of the platform stack, and no AWS resource refers to a Kubernetes or Helm resource", () => {
    const platform = stacks.find((s) => s.name === "platform")!.json;
    expect(Object.keys(platform.provider)).toEqual(["aws"]);
    for (const s of stacks) {
      for (const [type, byName] of Object.entries((s.json.resource ?? {}) as Record<string, Record<string, unknown>>)) {
        if (!type.startsWith("aws_")) continue;
        expect({ stack: s.name, type, refs: JSON.stringify(byName).match(/\b(kubernetes|helm)_[a-z0-9_]+\./g) }).toEqual({ stack: s.name, type, refs: null });
      }
    }
    const addons = stacks.find((s) => s.name === "addons")!.json;
    expect(Object.keys(addons.resource.helm_release).length).toBeGreaterThanOrEqual(5);
  });

  it("plans the bootstrap stack: the state bucket and the CI roles trusted only for the repository (deploys only from the protected production environment)", () => {
    const plan = checks.bootstrap.plan!;
    expect(plannedResources(plan, "aws_iam_role")).toHaveLength(2);
    // The trust policies name the OIDC provider, known only after apply: read them from the synthesized stack.
    const roles = Object.values(stacks.find((s) => s.name === "bootstrap")!.json.resource.aws_iam_role as Record<string, { assume_role_policy: string }>);
    const subjects = roles.map((r) => parseTemplateJson(r.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).flat().sort();
    expect(subjects).toEqual(["repo:example-org/ml-platform:environment:production", "repo:example-org/ml-platform:pull_request"]);
    expect(plannedResources(plan, "aws_s3_bucket").map((b) => b.values.bucket)).toContain("ml-prod-terraform-state-123456789012");
  });

  it("writes a passing JSON and Markdown compliance report for every stack (all four packs)", () => {
    for (const s of stacks) {
      const dir = path.join(outdir, "stacks", s.name);
      const report = JSON.parse(fs.readFileSync(path.join(dir, REPORT_FILES.json), "utf8"));
      expect({ stack: s.name, passed: report.passed, findings: report.findings }).toEqual({ stack: s.name, passed: true, findings: [] });
      expect(report.packs.map((p: { name: string }) => p.name)).toEqual(["HIPAA", "SOC2", "FEDRAMP_MODERATE", "GDPR"]);
      const markdown = fs.readFileSync(path.join(dir, REPORT_FILES.markdown), "utf8");
      expect(markdown).toContain("| Control | Rule | Level | Result | Evidence (resources that satisfy it) |");
      expect(markdown).toMatch(/Result: \*\*PASS\*\*/);
    }
    const platform = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "platform", REPORT_FILES.json), "utf8"));
    // The evidence an auditor asks for: the trail that satisfies log file validation, by control.
    expect(platform.rules.find((r: { pack: string; ruleId: string }) => r.pack === "HIPAA" && r.ruleId === "CloudTrailLogFileValidation").compliant).toEqual([expect.stringMatching(/^aws_cloudtrail\./)]);
    // Deliberate exceptions are listed with their reasons.
    expect(platform.suppressions.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(["VpcNoUnrestrictedRouteToIgw", "S3BucketKmsEncryption", "S3BucketAccessLogging"]));
  });

  it("terraform validate passes for every stack", () => {
    for (const c of Object.values(checks)) {
      expect({ stack: c.stack, valid: c.validate.valid, diagnostics: c.validate.diagnostics }).toEqual({ stack: c.stack, valid: true, diagnostics: [] });
    }
  });

  it("offline terraform plan of platform creates the cluster, pools and network, touching nothing but the loopback stand-in", () => {
    const plan = checks.platform.plan!;
    expect(checks.platform.mode).toBe("plan");
    const created = changesWithAction(plan, "create");
    expect(created.length).toBeGreaterThan(150);
    expect(plan.resource_changes.every((c) => c.change.actions.join() === "create" || c.change.actions.join() === "read")).toBe(true);
    // The one unavoidable read: the account id, answered by the stand-in.
    expect(tf.standIn.requests.map((r) => r.action)).toContain("GetCallerIdentity");
    expect(tf.standIn.requests.every((r) => r.host.startsWith("127.0.0.1"))).toBe(true);
    const timing = checks.platform.runs.map((r) => `${r.args[0]} ${r.seconds.toFixed(1)}s`).join(", ");
    console.log(`terraform on stack platform: ${timing}; ${created.length} resources to create`);
  });

  it("the planned EKS cluster is private, API-authenticated, envelope-encrypted and logs all five control-plane types", () => {
    const [cluster] = plannedResources(checks.platform.plan!, "aws_eks_cluster");
    expect(cluster.values.vpc_config[0]).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.values.access_config[0]).toEqual(expect.objectContaining({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false }));
    expect(cluster.values.encryption_config[0].resources).toEqual(["secrets"]);
    expect([...cluster.values.enabled_cluster_log_types].sort()).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
  });

  it("every planned launch template requires IMDSv2 with hop limit 1 and encrypts every gp3 volume", () => {
    const templates = plannedResources(checks.platform.plan!, "aws_launch_template");
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      expect(t.values.metadata_options[0]).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" });
      for (const bd of t.values.block_device_mappings) expect(bd.ebs[0]).toMatchObject({ encrypted: "true", volume_type: "gp3" });
    }
  });

  it("the planned KMS keys rotate, and their policies resolve to the stand-in account", () => {
    const keys = plannedResources(checks.platform.plan!, "aws_kms_key");
    expect(keys).toHaveLength(4);
    expect(keys.every((k) => k.values.enable_key_rotation === true)).toBe(true);
    // The secrets key's policy names the cluster role, whose ARN is known only after apply.
    const known = keys.filter((k) => typeof k.values.policy === "string");
    expect(known.map((k) => k.values.description).sort()).toEqual(["Encrypts audit", "Encrypts logs", "Encrypts storage"]);
    for (const k of known) {
      const policy = JSON.parse(k.values.policy as string);
      expect(policy.Statement[0].Principal.AWS).toBe(`arn:aws:iam::${FAKE_ACCOUNT_ID}:root`);
    }
    const logs = JSON.parse(known.find((k) => k.values.description === "Encrypts logs")!.values.policy);
    expect(logs.Statement.find((x: { Sid: string }) => x.Sid === "CloudWatchLogsEncryptsLogGroups").Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      `arn:aws:logs:us-east-1:${FAKE_ACCOUNT_ID}:log-group:/aws/vpc/ml-prod/*`,
      `arn:aws:logs:us-east-1:${FAKE_ACCOUNT_ID}:log-group:/aws/eks/ml-prod/*`,
    ]);
  });

  it("the planned subnets carve the VPC CIDR without overlap and assign no public IPs", () => {
    const subnets = plannedResources(checks.platform.plan!, "aws_subnet");
    expect(subnets.map((s) => s.values.cidr_block).sort()).toEqual(
      ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19", "10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24", "10.0.248.0/24", "10.0.249.0/24", "10.0.250.0/24"].sort(),
    );
    // The load balancer subnets Terraform computes are the literals endpoints put in their NetworkPolicies.
    const ingress = subnets.filter((s) => s.values.tags["secure-inference/tier"] === "ingress").map((s) => s.values.cidr_block).sort();
    expect(ingress).toEqual([...REFERENCE_LB_CIDRS].sort());
    expect(subnets.filter((s) => s.values.tags["kubernetes.io/role/internal-elb"] === "1").map((s) => s.values.cidr_block).sort()).toEqual(ingress);
    expect(subnets.every((s) => s.values.map_public_ip_on_launch === false)).toBe(true);
  });
});
