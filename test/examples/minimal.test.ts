import * as fs from "fs";
import * as path from "path";
import { buildMinimal } from "../../examples/minimal/main";
import { REPORT_FILES } from "../../lib/compliance/compliance";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { OfflineTerraform, StackCheck, SynthesizedStack, synthApp } from "../harness/offline-terraform";
import { changesWithAction, plannedResources } from "../harness/plan-json";

const MAIN = path.join(__dirname, "..", "..", "examples", "minimal", "main.ts");

/** Lines that are neither blank nor comments (a trailing comment still counts its line). */
function codeLines(file: string): string[] {
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => !/^\s*($|\/\/|\/\*|\*)/.test(l));
}

describe("examples/minimal under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  let stacks: SynthesizedStack[];
  let outdir: string;
  const checks: Record<string, StackCheck> = {};
  const json = (name: string) => stacks.find((s) => s.name === name)!.json;

  beforeAll(async () => {
    tf = await OfflineTerraform.start();
    ({ stacks, outdir } = synthApp((app) => buildMinimal(app)));
    for (const s of stacks) checks[s.name] = await tf.check(s);
  });
  afterAll(async () => tf?.stop());

  it("stays minimal: under 60 lines of code, as the README promises", () => {
    const lines = codeLines(MAIN);
    expect(lines.length).toBeLessThan(60);
    // A runnable app: the build function and the `require.main` entry point.
    expect(lines.join("\n")).toMatch(/export function buildMinimal\(app: App\)/);
    expect(lines.join("\n")).toMatch(/if \(require\.main === module\)/);
  });

  it("synthesizes platform (AWS only, planned offline), addons and serving (validated on their AWS part)", () => {
    expect(stacks.map((s) => s.name).sort()).toEqual(["addons", "platform", "serving"]);
    expect(Object.fromEntries(Object.values(checks).map((c) => [c.stack, c.mode]))).toEqual({
      platform: "plan",
      addons: "validate-aws-part",
      serving: "validate-aws-part",
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    expect(manifest.stacks.platform.dependencies).toEqual([]);
    expect(manifest.stacks.addons.dependencies).toEqual(["platform"]);
    expect(manifest.stacks.serving.dependencies).toEqual(["addons", "platform"]);
  });

  it("terraform validate passes for every stack", () => {
    for (const c of Object.values(checks)) {
      expect({ stack: c.stack, valid: c.validate.valid, diagnostics: c.validate.diagnostics }).toEqual({ stack: c.stack, valid: true, diagnostics: [] });
    }
  });

  it("passes all four packs in every stack, with the reports written next to it", () => {
    for (const s of stacks) {
      const report = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s.name, REPORT_FILES.json), "utf8"));
      expect({ stack: s.name, passed: report.passed, findings: report.findings }).toEqual({ stack: s.name, passed: true, findings: [] });
      expect(report.packs.map((p: { name: string }) => p.name)).toEqual(["HIPAA", "SOC2", "FEDRAMP_MODERATE", "GDPR"]);
      expect(fs.readFileSync(path.join(outdir, "stacks", s.name, REPORT_FILES.markdown), "utf8")).toMatch(/Result: \*\*PASS\*\*/);
    }
  });

  it("plans a private cluster with defaults: a new VPC in the region's zones, one L4 pool that scales from zero", () => {
    const plan = checks.platform.plan!;
    expect(changesWithAction(plan, "create").length).toBeGreaterThan(100);
    expect(plan.resource_changes.every((c) => ["create", "read"].includes(c.change.actions.join()))).toBe(true);
    // No zones given: the default reads them, answered by the loopback stand-in.
    expect(tf.standIn.requests.map((r) => r.action)).toEqual(expect.arrayContaining(["GetCallerIdentity", "DescribeAvailabilityZones"]));
    expect(tf.standIn.requests.every((r) => r.host.startsWith("127.0.0.1"))).toBe(true);
    const [cluster] = plannedResources(plan, "aws_eks_cluster");
    expect(cluster.values).toMatchObject({ name: "ml-minimal", version: "1.35" });
    expect(cluster.values.vpc_config[0]).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(plannedResources(plan, "aws_vpc")).toHaveLength(1);
    const gpu = plannedResources(plan, "aws_eks_node_group").filter((g) => g.values.labels?.["secure-inference.io/pool"] === "l4");
    expect(gpu).toHaveLength(1);
    expect(gpu[0].values.scaling_config[0]).toMatchObject({ min_size: 0, max_size: 8 });
    expect(gpu[0].values.instance_types).toEqual(["g6.xlarge"]);
  });

  describe("the endpoint", () => {
    const rollout = () => manifestsOf(json("serving")).map((m) => m.manifest).find((m) => m.kind === "Rollout" && m.metadata.name === "chat")!;

    it("rolls out in the default steps 1, 5, 10, 25, 50, 100 with an analysis after each", () => {
      const steps = rollout().spec.strategy.canary.steps as Array<Record<string, unknown>>;
      expect(steps.filter((s) => "setWeight" in s).map((s) => s.setWeight)).toEqual([1, 5, 10, 25, 50, 100]);
      expect(steps.filter((s) => "analysis" in s)).toHaveLength(6);
      expect(rollout().metadata.namespace).toBe("models");
    });

    it("requests one GPU on the L4 pool, tolerating its taint, with the default vLLM server", () => {
      const pod = rollout().spec.template.spec;
      const [server] = pod.containers;
      expect(server.image).toMatch(/^vllm\/vllm-openai:v\d/);
      expect(server.resources.requests["nvidia.com/gpu"]).toBe("1");
      expect(server.resources.limits["nvidia.com/gpu"]).toBe("1");
      expect(pod.nodeSelector).toEqual({ "secure-inference.io/pool": "l4" });
      expect(pod.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" });
    });

    it("grants the namespace the GPUs the endpoint can use at most (4 replicas, and 4 canary replicas beside the warm stable)", () => {
      const quotas = Object.values(json("addons").resource.kubernetes_resource_quota_v1 as Record<string, { spec: { hard: Record<string, string> } }>);
      expect(quotas.map((q) => q.spec.hard["requests.nvidia.com/gpu"])).toEqual(["8"]);
    });

    it("passes the @kubernetes-models schema of every custom resource", () => {
      const manifests = manifestsOf(json("serving")).map((m) => m.manifest);
      expect(manifests.map((m) => m.kind).sort()).toEqual(["AnalysisTemplate", "Rollout", "ScaledObject", "TriggerAuthentication"]);
      expectValidCustomResources(manifests);
    });
  });
});
