import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing, TerraformStack } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { Compliance, REPORT_FILES } from "../../lib/compliance/compliance";
import { ALL_PACKS, GDPR, HIPAA, SOC2 } from "../../lib/compliance/packs";
import { ALL_RULES } from "../../lib/compliance/rules";
import { complianceSummary } from "../../lib/testing";

function weakApp(outdir: string): { app: App; stack: TerraformStack } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "weak");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const bucket = new S3Bucket(stack, "public-bucket", { bucket: "weak-public-bucket" });
  new S3BucketAcl(stack, "public-acl", { bucket: bucket.id, acl: "public-read" });
  new KmsKey(stack, "unrotated-key", { description: "no rotation" });
  new IamRole(stack, "role-without-mfa", {
    name: "weak-admin",
    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }] }),
  });
  new EksCluster(stack, "public-cluster", { name: "weak", roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], endpointPublicAccess: true } });
  new CloudwatchLogGroup(stack, "plain-log-group", { name: "/weak/logs", retentionInDays: 7 });
  return { app, stack };
}

describe("Compliance.enforce on a deliberately weak stack", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "weak-"));
  const { app } = weakApp(outdir);
  Compliance.of(app).enforce(...ALL_PACKS);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }

  it("fails synth with one message listing every violated rule, with its citations", () => {
    expect(error).toBeDefined();
    const message = error!.message;
    for (const id of ["S3BucketPublicAccessBlocked", "S3BucketNoPublicAcl", "KMSKeyRotationEnabled", "IamHumanRoleRequiresMfa", "EksPrivateEndpoint", "EksPublicEndpointRestricted", "LogGroupEncrypted", "LogGroupRetention"]) {
      expect(message).toContain(id);
    }
    expect(message).toMatch(/\[HIPAA KMSKeyRotationEnabled\] aws_kms_key\.unrotated-key \(weak\/unrotated-key\): .* Controls: 164\.312/);
    expect(message).toMatch(/\[GDPR IamHumanRoleRequiresMfa\] aws_iam_role\.role-without-mfa .* Controls: Art\. 32/);
    expect(message).toMatch(/\[FEDRAMP_MODERATE EksPrivateEndpoint\] .* Controls: .*(AC|SC)-\d/);
  });

  it("writes no Terraform for the failed stack (never half-synthesized), but writes the reports for review", () => {
    const stackDir = path.join(outdir, "stacks", "weak");
    expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(false);
    const report = JSON.parse(fs.readFileSync(path.join(stackDir, REPORT_FILES.json), "utf8"));
    expect(report.passed).toBe(false);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(["S3BucketPublicAccessBlocked", "IamHumanRoleRequiresMfa"]));
    // Each finding names the checkov ids of the same check (empty where checkov has none), so a checkov report can be matched to it.
    const byRule = (id: string) => report.findings.find((f: { ruleId: string }) => f.ruleId === id);
    expect(byRule("KMSKeyRotationEnabled").checkov).toEqual(["CKV_AWS_7"]);
    expect(byRule("S3BucketPublicAccessBlocked").checkov).toEqual(expect.arrayContaining(["CKV_AWS_53", "CKV2_AWS_6"]));
    expect(byRule("IamHumanRoleRequiresMfa").checkov).toEqual([]);
    for (const f of report.findings) expect(f.checkov).toEqual(ALL_RULES.find((r) => r.id === f.ruleId)!.checkov ?? []);
    expect(fs.readFileSync(path.join(stackDir, REPORT_FILES.markdown), "utf8")).toContain("Result: **FAIL**");
  });
});

describe("Compliance suppressions", () => {
  function stackWithUnrotatedKey() {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const key = new KmsKey(stack, "key", { description: "imported material cannot rotate" });
    return { app, stack, key };
  }

  it("refuses a reason shorter than 10 characters", () => {
    const { key } = stackWithUnrotatedKey();
    expect(() => Compliance.suppress(key, { id: "KMSKeyRotationEnabled", reason: "legacy" })).toThrow(/reason: "legacy" must explain the exception in at least 10 characters/);
  });

  it("accepts a finding, records the reason in the report, and flags a suppression that matches nothing", () => {
    const { stack, key } = stackWithUnrotatedKey();
    Compliance.suppress(key, { id: "KMSKeyRotationEnabled", reason: "key material is imported from the HSM and rotated there" });
    Compliance.suppress(stack, { id: "S3BucketVersioningEnabled", reason: "no buckets here, this one is stale" });
    const report = Compliance.evaluate(stack, HIPAA);
    expect(report.findings.filter((f) => f.ruleId === "KMSKeyRotationEnabled")).toEqual([]);
    expect(report.suppressedFindings).toEqual([expect.objectContaining({ ruleId: "KMSKeyRotationEnabled", suppressedBy: { path: "s/key", reason: "key material is imported from the HSM and rotated there" } })]);
    expect(report.suppressions.find((s) => s.id === "S3BucketVersioningEnabled")).toMatchObject({ matched: 0, relevant: true });
  });

  it("limits a suppression to the addresses or paths in appliesTo", () => {
    const { stack, key } = stackWithUnrotatedKey();
    new KmsKey(stack, "other", { description: "other" });
    Compliance.suppress(stack, { id: "KMSKeyRotationEnabled", reason: "only the imported key is exempt", appliesTo: [key.node.path] });
    const report = Compliance.evaluate(stack, SOC2);
    expect(report.findings.filter((f) => f.ruleId === "KMSKeyRotationEnabled").map((f) => f.path)).toEqual(["s/other"]);
  });
});

describe("Compliance engine invariants", () => {
  it("has at least 40 rules, each naming what it checks and at least one resource type", () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) expect(r.resourceTypes.length).toBeGreaterThan(0);
  });

  it("every pack names only rules the registry has", () => {
    for (const pack of ALL_PACKS) for (const pr of pack.rules) expect(ALL_RULES.map((r) => r.id)).toContain(pr.ruleId);
  });

  it("gives a stable summary for snapshot tests, with the weak stack's violations per pack and rule", () => {
    const { stack } = weakApp(fs.mkdtempSync(path.join(os.tmpdir(), "weak-summary-")));
    const summary = complianceSummary(stack, GDPR);
    expect(summary.passed).toBe(false);
    expect(summary.packs.GDPR.IamHumanRoleRequiresMfa).toEqual({ result: "fail", compliant: 0, nonCompliant: ["aws_iam_role.role-without-mfa"], suppressed: [] });
    expect(summary).toMatchSnapshot();
  });
});

describe("Compliance evidence that never overclaims", () => {
  // One rotated key and nothing else: the VPC, trail and bucket rules have nothing to judge.
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "sparse-")) });
  const stack = new TerraformStack(app, "sparse");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new KmsKey(stack, "key", { description: "rotated", enableKeyRotation: true });
  Compliance.of(app).enforce(HIPAA);
  app.synth();
  const dir = path.join(app.outdir, "stacks", "sparse");
  const report = JSON.parse(fs.readFileSync(path.join(dir, REPORT_FILES.json), "utf8"));
  const rule = (id: string) => report.rules.find((r: { ruleId: string }) => r.ruleId === id);

  it("reports a rule with no resource to judge as not evaluated, with who answers for it, never as pass", () => {
    expect(rule("KMSKeyRotationEnabled")).toMatchObject({ result: "pass", compliant: ["aws_kms_key.key"] });
    expect(rule("VpcFlowLogsEnabled")).toMatchObject({ result: "not-evaluated", compliant: [], notEvaluated: expect.stringMatching(/^no aws_vpc in this stack; answered by the stack that creates the VPC; for an existing VPC \(existingVpc\), its owner/) });
    expect(report.rules.filter((r: { result: string }) => r.result === "pass").every((r: { compliant: string[]; suppressed: string[] }) => r.compliant.length + r.suppressed.length > 0)).toBe(true);
  });

  it("lists the controls no resource evidences in the JSON and the Markdown matrix", () => {
    const flowLogControls = rule("VpcFlowLogsEnabled").controls as string[];
    const listed = report.controlsNotEvaluated.map((c: { control: string }) => c.control);
    // A control is not evaluated only when none of its rules judged anything: the key-rotation controls are evidenced.
    for (const c of rule("KMSKeyRotationEnabled").controls as string[]) expect(listed).not.toContain(c);
    expect(flowLogControls.some((c) => listed.includes(c))).toBe(true);
    const md = fs.readFileSync(path.join(dir, REPORT_FILES.markdown), "utf8");
    expect(md).toMatch(/\| `VpcFlowLogsEnabled`: .* \| not evaluated \| _not evaluated: no aws_vpc in this stack; answered by .*_ \|/);
    expect(md).toMatch(/## Controls not evaluated in this stack\n\nNo resource here evidences these controls, so this report claims nothing about them/);
    expect(md).toMatch(/- HIPAA 164\.312\(b\): .*`VpcFlowLogsEnabled`.* \(VpcFlowLogsEnabled: the stack that creates the VPC/);
    expect(md).not.toMatch(/\| pass \| _/);
  });

  it("says so in the jest matcher and the summary for snapshots", () => {
    const summary = complianceSummary(stack, HIPAA);
    expect(summary.packs.HIPAA.VpcFlowLogsEnabled.result).toBe("not-evaluated");
    expect(summary.notEvaluated.length).toBeGreaterThan(0);
    // Whichever way the matcher fails (complies under .not, or findings), its message lists what was not evaluated.
    let message = "";
    for (const assert of [() => expect(stack).toBeCompliantWith(HIPAA), () => expect(stack).not.toBeCompliantWith(HIPAA)]) {
      try {
        assert();
      } catch (e) {
        message = (e as Error).message;
      }
    }
    expect(message).toMatch(/Not evaluated in this stack \(no resource for their rules here; a pass claims nothing about them; .*\):\n  - HIPAA /);
    expect(message).toMatch(/VpcFlowLogsEnabled.* \(VpcFlowLogsEnabled: the stack that creates the VPC; for an existing VPC \(existingVpc\), its owner/);
  });
});

describe("Compliance scopes", () => {
  it("applies a pack enforced on a construct only to that construct's resources", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "scoped-")) });
    const stack = new TerraformStack(app, "scoped");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const strict = new KmsKey(stack, "strict", { description: "checked" });
    new KmsKey(stack, "unchecked", { description: "outside the scope" });
    Compliance.of(strict).enforce(HIPAA);
    expect(() => app.synth()).toThrow(/\[HIPAA KMSKeyRotationEnabled\] aws_kms_key\.strict /);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", "scoped", REPORT_FILES.json), "utf8"));
    expect(report.findings.map((f: { address: string }) => f.address)).not.toContain("aws_kms_key.unchecked");
  });

  it("covers stacks created after enforce() on the App", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "late-")) });
    Compliance.of(app).enforce(HIPAA);
    const late = new TerraformStack(app, "late");
    new AwsProvider(late, "aws", { region: "us-east-1" });
    new KmsKey(late, "key", { description: "no rotation" });
    expect(() => app.synth()).toThrow(/\[HIPAA KMSKeyRotationEnabled\] aws_kms_key\.key /);
  });

  it("credits every suppression that covers a finding, and refuses unknown rule ids", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const key = new KmsKey(stack, "key", { description: "imported" });
    Compliance.suppress(stack, { id: "KMSKeyRotationEnabled", reason: "all keys here hold imported material" });
    Compliance.suppress(key, { id: "KMSKeyRotationEnabled", reason: "imported key material, rotated in the HSM" });
    const report = Compliance.evaluate(stack, HIPAA);
    expect(report.suppressions.map((s) => s.matched)).toEqual([1, 1]);
    expect(report.suppressedFindings[0].suppressedBy).toEqual({ path: "s/key", reason: "imported key material, rotated in the HSM" });
    expect(() => Compliance.suppress(key, { id: "KmsRotation", reason: "typo in the rule id here" })).toThrow(/id: "KmsRotation" is not a rule of the library/);
  });
});
