import * as fs from "fs";
import * as path from "path";
import { buildHybridEdge, ON_PREMISES_SITE } from "../../examples/hybrid-edge/main";
import { REPORT_FILES } from "../../lib/compliance/compliance";
import { endpointWeightCache } from "../../lib/endpoint/private/weight-cache-entry";
import { PLAN_REPORT_FILES, PlanReport } from "../../lib/planning/capacity-plan";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { OfflineTerraform, StackCheck, SynthesizedStack, synthApp } from "../harness/offline-terraform";
import { changesWithAction, plannedResources } from "../harness/plan-json";

describe("examples/hybrid-edge under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  let stacks: SynthesizedStack[];
  let outdir: string;
  const checks: Record<string, StackCheck> = {};
  const json = (name: string) => stacks.find((s) => s.name === name)!.json;
  const planReport = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, PLAN_REPORT_FILES.json), "utf8")) as PlanReport;

  beforeAll(async () => {
    tf = await OfflineTerraform.start();
    ({ stacks, outdir } = synthApp((app) => buildHybridEdge(app)));
    for (const s of stacks) checks[s.name] = await tf.check(s);
  });
  afterAll(async () => tf?.stop());

  it("synthesizes platform (AWS only, planned offline), addons and serving (validated on their AWS part)", () => {
    expect(stacks.map((s) => s.name).sort()).toEqual(["addons", "platform", "serving"]);
    expect(Object.fromEntries(Object.values(checks).map((c) => [c.stack, c.mode]))).toEqual({
      platform: "plan",
      addons: "validate-aws-part",
      serving: "validate-aws-part",
    });
  });

  it("terraform validate passes for every stack", () => {
    for (const c of Object.values(checks)) {
      expect({ stack: c.stack, valid: c.validate.valid, diagnostics: c.validate.diagnostics }).toEqual({ stack: c.stack, valid: true, diagnostics: [] });
    }
  });

  it("passes all four packs in every stack, the data-resident endpoint checked and compliant", () => {
    for (const s of stacks) {
      const report = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s.name, REPORT_FILES.json), "utf8"));
      expect({ stack: s.name, passed: report.passed, findings: report.findings }).toEqual({ stack: s.name, passed: true, findings: [] });
      expect(report.packs.map((p: { name: string }) => p.name)).toEqual(["HIPAA", "SOC2", "FEDRAMP_MODERATE", "GDPR"]);
    }
    const serving = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "serving", REPORT_FILES.json), "utf8"));
    const residency = serving.rules.find((r: { pack: string; ruleId: string }) => r.pack === "GDPR" && r.ruleId === "DataResidencyRespected");
    expect(residency.compliant).toEqual([expect.stringMatching(/^aws_iam_role\.private-chat_model-read_role/)]);
  });

  it("plans a cluster that accepts hybrid nodes: remote networks, the Hybrid Nodes role through Roles Anywhere, its HYBRID_LINUX entry", () => {
    const plan = checks.platform.plan!;
    expect(plan.resource_changes.every((c) => ["create", "read"].includes(c.change.actions.join()))).toBe(true);
    expect(tf.standIn.requests.every((r) => r.host.startsWith("127.0.0.1"))).toBe(true);
    const [cluster] = plannedResources(plan, "aws_eks_cluster");
    expect(cluster.values.remote_network_config[0]).toEqual({
      remote_node_networks: [{ cidrs: ["192.168.10.0/24"] }],
      remote_pod_networks: [{ cidrs: ["192.168.64.0/18"] }],
    });
    expect(plannedResources(plan, "aws_eks_access_entry").map((e) => e.values.type)).toContain("HYBRID_LINUX");
    expect(plannedResources(plan, "aws_rolesanywhere_trust_anchor")[0].values.source[0].source_type).toBe("AWS_ACM_PCA");
    expect(plannedResources(plan, "aws_rolesanywhere_profile")).toHaveLength(1);
    // The CN condition survives Terraform's interpolation as the IAM policy variable (read from the synthesized JSON: the
    // trust policy names the trust anchor, known only after apply).
    const roles = Object.entries(json("platform").resource.aws_iam_role as Record<string, { assume_role_policy: string }>);
    expect(roles.find(([k]) => k.includes("hybrid-nodes"))![1].assume_role_policy).toContain("$${aws:PrincipalTag/x509Subject/CN}");
  });

  it("plans the regional and the Local Zone pools with the same hardening, and no machines for the on-premises pool", () => {
    const plan = checks.platform.plan!;
    const groups = plannedResources(plan, "aws_eks_node_group");
    const pools = Object.fromEntries(groups.map((g) => [g.values.labels["secure-inference.io/pool"], g.values]));
    expect(Object.keys(pools).sort()).toEqual(["l4", "lax", "system"]);
    expect(pools.lax.subnet_ids).toEqual(["subnet-0a1b2c3d4e5f60201"]);
    expect(pools.lax.instance_types).toEqual(["g5.xlarge"]);
    const templates = plannedResources(plan, "aws_launch_template");
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      expect(t.values.metadata_options[0]).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      for (const bd of t.values.block_device_mappings) expect(bd.ebs[0]).toMatchObject({ encrypted: "true", volume_type: "gp3" });
    }
    expect(changesWithAction(plan, "create").length).toBeGreaterThan(80);
  });

  it("places the three endpoints on their pools and reports placement, with the on-premises GPUs unpriced", () => {
    const rollouts = manifestsOf(json("serving")).map((m) => m.manifest).filter((m) => m.kind === "Rollout");
    expect(Object.fromEntries(rollouts.map((r) => [r.metadata.name, r.spec.template.spec.nodeSelector["secure-inference.io/pool"]]))).toEqual({ chat: "l4", "edge-chat": "lax", "private-chat": "onprem-l40s" });
    const platform = planReport("platform");
    expect(Object.fromEntries(platform.pools.map((p) => [p.pool, p.placement]))).toEqual({ l4: "region us-west-2", lax: "local-zone us-west-2-lax-1a", "onprem-l40s": `on-premises ${ON_PREMISES_SITE}` });
    expect(platform.pools.find((p) => p.pool === "onprem-l40s")!.usdPerNodeHour).toBeUndefined();
    expect(Object.fromEntries(planReport("serving").endpoints.map((e) => [e.name, e.placement]))).toEqual({
      "models/chat": "region us-west-2",
      "models/edge-chat": "local-zone us-west-2-lax-1a",
      "models/private-chat": `on-premises ${ON_PREMISES_SITE}`,
    });
    expect(fs.readFileSync(path.join(outdir, "stacks", "platform", PLAN_REPORT_FILES.markdown), "utf8")).toContain("### Join instructions: pool onprem-l40s");
  });

  it("puts the Local Zone endpoint's load balancer in the zone, and the others in the region's load balancer subnets", () => {
    const ingresses = Object.values(json("serving").resource.kubernetes_ingress_v1 as Record<string, { metadata: { name: string; annotations: Record<string, string> } }>);
    const subnets = Object.fromEntries(ingresses.map((i) => [i.metadata.name, i.metadata.annotations["alb.ingress.kubernetes.io/subnets"]]));
    expect(subnets).toEqual({ chat: undefined, "edge-chat": "subnet-0a1b2c3d4e5f60202", "private-chat": undefined, router: undefined });
  });

  it("caches the Local Zone endpoint's weights on its nodes: filler, pre-bound read-only volume, linking init container, read-only role", () => {
    const manifests = manifestsOf(json("serving")).map((m) => m.manifest);
    const filler = manifests.find((m) => m.kind === "DaemonSet")!;
    const names = endpointWeightCache("models", "edge-chat", "llama-3.1-8b-instruct/", 64, 13).names;
    expect(filler.metadata).toMatchObject({ name: names.filler, namespace: "weight-cache" });
    expect(filler.spec.template.spec.nodeSelector).toEqual({ "secure-inference.io/pool": "lax" });
    expect(filler.spec.template.spec.volumes[0]).toEqual({ name: "cache", hostPath: { path: "/var/lib/weight-cache", type: "DirectoryOrCreate" } });
    const volume = manifests.find((m) => m.kind === "PersistentVolume")!;
    expect(volume.spec.hostPath.path).toBe("/var/lib/weight-cache/models/edge-chat");
    expect(volume.spec.claimRef).toMatchObject({ namespace: "models", name: "edge-chat-weight-cache" });
    const pod = manifests.find((m) => m.kind === "Rollout" && m.metadata.name === "edge-chat")!.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "weight-cache", persistentVolumeClaim: { claimName: "edge-chat-weight-cache", readOnly: true } });
    // Only the endpoint on the cached pool whose server reads local files uses it; vLLM streams.
    expect(manifests.filter((m) => m.kind === "PersistentVolumeClaim").map((m) => m.metadata.name)).toEqual(["edge-chat-weight-cache"]);
    // The filler's role: Pod Identity for its own service account, reading the model's prefix only.
    const roles = json("serving").resource.aws_iam_role as Record<string, { assume_role_policy: string }>;
    const fillerRole = Object.entries(roles).find(([id]) => id.startsWith("edge-chat_weight-cache-read"))![1];
    expect(fillerRole.assume_role_policy).toContain('"aws:RequestTag/kubernetes-namespace":"weight-cache"');
    expect(fillerRole.assume_role_policy).toContain(`"aws:RequestTag/kubernetes-service-account":"${names.filler}"`);
    // The add-ons stack creates the fillers' namespace, at the one Pod Security level that admits hostPath.
    const namespaces = Object.values(json("addons").resource.kubernetes_namespace_v1 as Record<string, { metadata: { name: string; labels: Record<string, string> } }>);
    expect(namespaces.find((n) => n.metadata.name === "weight-cache")!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    const edge = planReport("serving").endpoints.find((e) => e.name === "models/edge-chat")!;
    expect(edge.coldStart).toMatchObject({ weights: "download", cacheHitSeconds: 63, cacheReadMiBps: 1200, warmNodeSeconds: 64 });
  });

  it("passes the @kubernetes-models schema of every custom resource", () => {
    expectValidCustomResources(manifestsOf(json("serving")).map((m) => m.manifest));
  });
});
