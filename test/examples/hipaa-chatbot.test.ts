import * as fs from "fs";
import * as path from "path";
import { CHATBOT_VPC, buildHipaaChatbot } from "../../examples/hipaa-chatbot/main";
import { REPORT_FILES } from "../../lib/compliance/compliance";
import { expectValidCustomResources, manifestsOf } from "../harness/k8s-schemas";
import { OfflineTerraform, StackCheck, SynthesizedStack, synthApp } from "../harness/offline-terraform";
import { plannedResources } from "../harness/plan-json";
import { parseTemplateJson } from "../util";

describe("examples/hipaa-chatbot under the real Terraform CLI", () => {
  let tf: OfflineTerraform;
  let stacks: SynthesizedStack[];
  let outdir: string;
  const checks: Record<string, StackCheck> = {};
  const json = (name: string) => stacks.find((s) => s.name === name)!.json;
  const manifest = () => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));

  beforeAll(async () => {
    tf = await OfflineTerraform.start();
    ({ stacks, outdir } = synthApp((app) => buildHipaaChatbot(app)));
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
    expect(manifest().stacks.serving.dependencies).toEqual(["addons", "platform"]);
  });

  it("terraform validate passes for every stack", () => {
    for (const c of Object.values(checks)) {
      expect({ stack: c.stack, valid: c.validate.valid, diagnostics: c.validate.diagnostics }).toEqual({ stack: c.stack, valid: true, diagnostics: [] });
    }
  });

  it("passes HIPAA and SOC 2 (and only those) in every stack, with the reports written next to it", () => {
    for (const s of stacks) {
      const report = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s.name, REPORT_FILES.json), "utf8"));
      expect({ stack: s.name, passed: report.passed, findings: report.findings }).toEqual({ stack: s.name, passed: true, findings: [] });
      expect(report.packs.map((p: { name: string }) => p.name)).toEqual(["HIPAA", "SOC2"]);
      expect(fs.readFileSync(path.join(outdir, "stacks", s.name, REPORT_FILES.markdown), "utf8")).toMatch(/Result: \*\*PASS\*\*/);
    }
  });

  it("keeps the other stacks' state in the bootstrap bucket, encrypted and locked", () => {
    const [bucket] = plannedResources(checks.bootstrap.plan!, "aws_s3_bucket").filter((b) => b.values.bucket === "hipaa-chatbot-terraform-state-123456789012");
    expect(bucket).toBeDefined();
    for (const name of ["platform", "addons", "serving"]) {
      expect(json(name).terraform.backend.s3).toMatchObject({ bucket: "hipaa-chatbot-terraform-state-123456789012", key: `${name}.tfstate`, encrypt: true, use_lockfile: true });
    }
  });

  describe("the cluster in the existing VPC", () => {
    it("uses the given VPC and private subnets and creates no network of its own", () => {
      const plan = checks.platform.plan!;
      for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table", "aws_vpc_endpoint", "aws_flow_log", "aws_eip"]) {
        expect({ type, planned: plannedResources(plan, type).length }).toEqual({ type, planned: 0 });
        expect({ type, synthesized: json("platform").resource[type] }).toEqual({ type, synthesized: undefined });
      }
      const [cluster] = plannedResources(plan, "aws_eks_cluster");
      expect([...cluster.values.vpc_config[0].subnet_ids].sort()).toEqual([...CHATBOT_VPC.privateSubnetIds].sort());
      expect(cluster.values.vpc_config[0]).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
      // The API's security group lives in the given VPC and admits only the CI runners' subnet, on 443.
      const groups = plannedResources(plan, "aws_security_group");
      expect(groups.map((g) => g.values.vpc_id)).toEqual([CHATBOT_VPC.vpcId]);
      expect(plannedResources(plan, "aws_vpc_security_group_ingress_rule").map((r) => [r.values.cidr_ipv4, r.values.from_port, r.values.to_port])).toEqual([["10.20.64.0/24", 443, 443]]);
      // Every node group (system and L4) runs in the given subnets.
      const nodeGroups = plannedResources(plan, "aws_eks_node_group");
      expect(nodeGroups).toHaveLength(2);
      for (const g of nodeGroups) expect([...g.values.subnet_ids].sort()).toEqual([...CHATBOT_VPC.privateSubnetIds].sort());
      // The metrics scraper's network interfaces go into the load balancer subnets, never among the pods.
      const [scraper] = Object.values(json("platform").resource.aws_prometheus_scraper as Record<string, { source: Array<{ eks: Array<{ subnet_ids: string[] }> }> }>);
      expect(scraper.source[0].eks[0].subnet_ids).toEqual(CHATBOT_VPC.loadBalancerSubnets!.subnetIds);
    });

    it("lets people in only through the MFA-gated admin and operator roles", () => {
      const roles = Object.values(json("platform").resource.aws_iam_role as Record<string, { assume_role_policy: string; tags?: Record<string, string> }>);
      const human = roles.filter((r) => r.tags?.["secure-inference/access"] !== undefined);
      expect(human.map((r) => r.tags!["secure-inference/access"]).sort()).toEqual(["admins", "operators"]);
      for (const role of human) {
        for (const s of parseTemplateJson(role.assume_role_policy).Statement) {
          expect(s.Condition.Bool).toEqual({ "aws:MultiFactorAuthPresent": "true" });
          expect(Number(s.Condition.NumericLessThan["aws:MultiFactorAuthAge"])).toBeLessThanOrEqual(3600);
        }
      }
      // Operators edit the chatbot namespace only.
      const associations = Object.values(json("platform").resource.aws_eks_access_policy_association as Record<string, { policy_arn: string; access_scope: { type: string; namespaces?: string[] } }>);
      const edit = associations.find((a) => a.policy_arn.endsWith("/AmazonEKSEditPolicy"))!;
      expect(edit.access_scope).toEqual({ type: "namespace", namespaces: ["chatbot"] });
    });
  });

  describe("serving", () => {
    const customResources = () => manifestsOf(json("serving")).map((m) => m.manifest);

    it("routes every model name and tier of the router to the chat endpoint's load balancer", () => {
      const configMap = Object.values(json("serving").resource.kubernetes_config_map_v1 as Record<string, { metadata: { name: string; namespace: string }; data: Record<string, string> }>).find((c) => c.metadata.name === "router-config")!;
      expect(configMap.metadata.namespace).toBe("chatbot");
      // JSON is YAML: the router writes its config as JSON after a comment line.
      const config = JSON.parse(Object.values(configMap.data)[0].replace(/^#.*\n/, ""));
      const chat = config.model_list.find((m: { model_name: string }) => m.model_name === "chat");
      expect(chat.litellm_params).toMatchObject({ model: "openai/llama-3.1-8b-instruct", api_base: "https://chat.chatbot.example.internal/v1" });
      const auto = config.model_list.find((m: { model_name: string }) => m.model_name === "auto");
      expect(auto.litellm_params.complexity_router_config.tiers).toEqual({ SIMPLE: "chat", MEDIUM: "chat", COMPLEX: "chat", REASONING: "chat" });
      expect(config.model_list.map((m: { model_name: string }) => m.model_name).sort()).toEqual(["auto", "chat"]);
      expect(config.general_settings.master_key).toBe("os.environ/LITELLM_MASTER_KEY");
    });

    it("serves the 8B model with vLLM on one L4 GPU, and names the endpoint's host in a record of the private zone", () => {
      const rollout = customResources().find((m) => m.kind === "Rollout")!;
      const pod = rollout.spec.template.spec;
      expect(rollout.metadata).toMatchObject({ name: "chat", namespace: "chatbot" });
      expect(pod.containers[0].image).toMatch(/^vllm\/vllm-openai:v\d/);
      expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
      expect(pod.nodeSelector).toEqual({ "secure-inference.io/pool": "l4" });
      const records = Object.values(json("serving").resource.aws_route53_record as Record<string, { name: string; zone_id: string }>);
      expect(records.map((r) => [r.name, r.zone_id])).toEqual([["chat.chatbot.example.internal", "Z04398765EXAMPLEZONE2"]]);
    });

    it("admits only the VPC's load balancer subnets to the endpoint's and the router's pods, with no synth warning", () => {
      const policies = Object.values(json("serving").resource.kubernetes_network_policy_v1 as Record<string, { metadata: { name: string }; spec: { ingress?: Array<{ from: Array<{ ip_block?: { cidr: string } }> }> } }>);
      const fromLb = policies.filter((p) => p.metadata.name.endsWith("-from-load-balancer"));
      expect(fromLb.map((p) => p.metadata.name).sort()).toEqual(["chat-from-load-balancer", "router-from-load-balancer"]);
      for (const p of fromLb) expect(p.spec.ingress![0].from.map((f) => f.ip_block?.cidr)).toEqual(CHATBOT_VPC.loadBalancerSubnets!.cidrs);
      const warnings = ((manifest().stacks.serving.annotations ?? []) as Array<{ level: string }>).filter((a) => a.level === "@cdktf/warn");
      expect(warnings).toEqual([]);
    });

    it("passes the @kubernetes-models schema of every custom resource", () => {
      const manifests = customResources();
      expect(manifests.map((m) => m.kind).sort()).toEqual(["AnalysisTemplate", "Rollout", "ScaledObject", "TriggerAuthentication"]);
      expectValidCustomResources(manifests);
    });
  });
});
