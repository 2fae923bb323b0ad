import { Fn, Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import "../../lib/testing";
import { SecureInferenceCluster } from "../../lib/cluster/secure-inference-cluster";
import { Compliance } from "../../lib/compliance/compliance";
import { ALL_PACKS } from "../../lib/compliance/packs";
import { CanaryModelEndpoint } from "../../lib/endpoint/canary-model-endpoint";
import type { EndpointAutoscaling } from "../../lib/endpoint/endpoint-props";
import { InferenceServer } from "../../lib/endpoint/inference-server";
import { InferenceRouter } from "../../lib/routing/inference-router";
import { InferenceRouterProps, LITELLM_IMAGE, RouterTeam, RouterTier } from "../../lib/routing/router-props";
import { fallbackCycles } from "../../lib/routing/private/litellm-config";
import { CERTIFICATE_ARN, chatProps, platformAndServing } from "../endpoint/fixtures";
import { parseTemplateJson, resourcesOf } from "../util";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SMALL_HOST = "chat.models.example.internal";
const LARGE_HOST = "large.models.example.internal";
const ROUTER_HOST = "llm.models.example.internal";

/** A serving stack with a small 8B endpoint on L4 and a large 70B endpoint on 4 H100s, both with ingress.host. */
function endpoints(opts: { smallHost?: string | null; smallServer?: InferenceServer; smallAutoscaling?: EndpointAutoscaling } = {}) {
  const { cluster, serving } = platformAndServing();
  const smallHost = opts.smallHost === null ? undefined : (opts.smallHost ?? SMALL_HOST);
  const small = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { ingress: { certificateArn: CERTIFICATE_ARN, host: smallHost }, server: opts.smallServer, autoscaling: opts.smallAutoscaling }));
  const large = new CanaryModelEndpoint(serving, "large", chatProps(cluster, {
    model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b-instruct/", parametersBillions: 70, dtype: "bfloat16" },
    gpu: { pool: "h100", perReplica: 4 },
    ingress: { certificateArn: CERTIFICATE_ARN, host: LARGE_HOST },
  }));
  return { cluster, serving, small, large };
}

type Endpoints = ReturnType<typeof endpoints>;

function routerProps(e: Endpoints, overrides: Partial<InferenceRouterProps> = {}): InferenceRouterProps {
  return {
    connection: e.cluster.connection,
    namespace: "gateway",
    // Listed large first: the defaults must order models by size, not by position.
    models: [{ endpoint: e.large }, { endpoint: e.small }],
    ingress: { certificateArn: CERTIFICATE_ARN, host: ROUTER_HOST },
    ...overrides,
  };
}

function build(overrides: Partial<InferenceRouterProps> = {}) {
  const e = endpoints();
  const router = new InferenceRouter(e.serving, "router", routerProps(e, overrides));
  const raw = Testing.synth(e.serving);
  const json: Json = JSON.parse(raw);
  const routerResources = (type: string) => Object.entries(resourcesOf(json, type)).filter(([k]) => k.startsWith("router_")).map(([, v]) => v as Json);
  return { ...e, router, raw, json, routerResources };
}

function problemsOf(overrides: Partial<InferenceRouterProps> | ((e: Endpoints) => Partial<InferenceRouterProps>), e: Endpoints = endpoints()): string {
  const o = typeof overrides === "function" ? overrides(e) : overrides;
  try {
    new InferenceRouter(e.serving, "router", routerProps(e, o));
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a ValidationError");
}

const modelEntry = (config: Json, name: string) => (config.model_list as Json[]).find((m) => m.model_name === name) as Json;

describe("InferenceRouter in front of a TGI endpoint", () => {
  const TGI = InferenceServer.tgi({ image: "registry.example.com/tgi-nonroot:3.3.6", maxInputTokens: 4096, maxTotalTokens: 8192 });

  it("exposes TGI's --max-input-tokens, not --max-total-tokens, as the endpoint's longest prompt", () => {
    const e = endpoints({ smallServer: TGI });
    expect(e.small.container.maxInputTokens).toBe(4096);
    expect(e.small.container.maxModelLen).toBe(8192);
  });

  it("gives LiteLLM TGI's --max-input-tokens as max_input_tokens, so longer prompts take the context-window fallback instead of a 422", () => {
    const e = endpoints({ smallServer: TGI });
    const router = new InferenceRouter(e.serving, "router", routerProps(e));
    expect(modelEntry(router.config as Json, "chat").model_info).toEqual({ mode: "chat", max_input_tokens: 4096 });
  });
});

describe("InferenceRouter in front of a small and a large endpoint (defaults)", () => {
  let b: ReturnType<typeof build>;
  let config: Json;
  let deployment: Json;
  let podSpec: Json;
  beforeAll(() => {
    b = build();
    config = b.router.config as Json;
    deployment = b.routerResources("kubernetes_deployment_v1")[0];
    podSpec = deployment.spec.template.spec;
  });

  it("routes each alias to its endpoint's internal load balancer at https://<host>/v1, as an OpenAI-compatible model", () => {
    const chat = modelEntry(config, "chat");
    expect(chat.litellm_params).toMatchObject({ model: "openai/llama-3.1-8b-instruct", api_base: `https://${SMALL_HOST}/v1` });
    const large = modelEntry(config, "large");
    expect(large.litellm_params).toMatchObject({ model: "openai/llama-3.1-70b-instruct", api_base: `https://${LARGE_HOST}/v1` });
    // The server's context length feeds LiteLLM's pre-call check.
    expect(chat.model_info).toEqual({ mode: "chat", max_input_tokens: 8192 });
    expect(config.router_settings.enable_pre_call_checks).toBe(true);
    expect((config.model_list as Json[]).map((m) => m.model_name)).toEqual(["chat", "large", "auto"]);
  });

  it("sends simple and medium prompts of the auto model to the smallest model, complex and reasoning to the largest", () => {
    const auto = modelEntry(config, "auto");
    expect(auto.litellm_params).toEqual({
      model: "auto_router/complexity_router",
      complexity_router_config: { classifier_type: "heuristic", tiers: { SIMPLE: "chat", MEDIUM: "chat", COMPLEX: "large", REASONING: "large" } },
      complexity_router_default_model: "chat",
    });
    expect(b.router.tiers).toEqual({ simple: "chat", medium: "chat", complex: "large", reasoning: "large" });
  });

  it("falls back from the small model to the large one on errors and on context-window overflow", () => {
    expect(config.router_settings.fallbacks).toEqual([{ chat: ["large"] }]);
    expect(config.router_settings.context_window_fallbacks).toEqual([{ chat: ["large"] }]);
  });

  it("retries twice and gives each call 600 s, with no hidden client retries", () => {
    expect(config.router_settings).toMatchObject({ num_retries: 2, timeout: 600, routing_strategy: "simple-shuffle" });
    for (const alias of ["chat", "large"]) {
      expect(modelEntry(config, alias).litellm_params).toMatchObject({ timeout: 600, stream_timeout: 600, max_retries: 0 });
    }
    // No rate limit without teams.
    expect(modelEntry(config, "chat").litellm_params.rpm).toBeUndefined();
  });

  it("mounts exactly the generated config, which reads the master key from the environment", () => {
    const cm = b.routerResources("kubernetes_config_map_v1")[0];
    expect(cm.data["config.yaml"]).toBe(b.router.configYaml);
    expect(config.general_settings).toEqual({ master_key: "os.environ/LITELLM_MASTER_KEY" });
    expect(b.router.configYaml.startsWith("# ")).toBe(true);
    expect(JSON.parse(b.router.configYaml.slice(b.router.configYaml.indexOf("\n") + 1))).toEqual(config);
  });

  it("keeps every secret out of the synthesized stack: no key value, no Kubernetes Secret, no plain secret_string", () => {
    // The only "sk-" is the prefix the ephemeral password is written behind; no key-like literal anywhere.
    expect(b.raw).not.toMatch(/sk-[A-Za-z0-9_]/);
    const prefixes = b.raw.match(/sk-.{0,12}/g) ?? [];
    expect(prefixes).toEqual(["sk-${ephemeral."]);
    expect(b.raw).not.toMatch(/LITELLM_MASTER_KEY"?\s*[:=]\s*"(?!\$)/);
    expect(Object.keys(resourcesOf(b.json, "kubernetes_secret_v1"))).toHaveLength(0);
    expect(Object.keys(resourcesOf(b.json, "kubernetes_secret"))).toHaveLength(0);
    const version = b.routerResources("aws_secretsmanager_secret_version")[0];
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_binary).toBeUndefined();
    expect(b.json.data?.aws_secretsmanager_random_password).toBeUndefined();
    // No container is handed the key as an env value.
    for (const c of [...podSpec.init_container, ...podSpec.container]) {
      expect((c.env as Json[]).map((e) => e.name)).not.toContain("LITELLM_MASTER_KEY");
    }
  });

  it("generates the master key in AWS and stores it write-only in Secrets Manager, encrypted with a customer-managed key of its own", () => {
    const ephemeral = Object.values(b.json.ephemeral.aws_secretsmanager_random_password) as Json[];
    expect(ephemeral).toEqual([{ password_length: 48, exclude_punctuation: true, require_each_included_type: true }]);
    const name = Object.keys(b.json.ephemeral.aws_secretsmanager_random_password)[0];
    const version = b.routerResources("aws_secretsmanager_secret_version")[0];
    expect(version.secret_string_wo).toBe(`sk-\${ephemeral.aws_secretsmanager_random_password.${name}.random_password}`);
    expect(version.secret_string_wo_version).toBe(1);
    const secret = b.routerResources("aws_secretsmanager_secret")[0];
    const keyId = Object.keys(resourcesOf(b.json, "aws_kms_key")).find((k) => k.startsWith("router_"));
    expect(secret.kms_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(version.secret_id).toMatch(/^\$\{aws_secretsmanager_secret\.router_master-key_[A-Z0-9]+\.id\}$/);
    const key = resourcesOf(b.json, "aws_kms_key")[keyId as string] as Json;
    expect(key.enable_key_rotation).toBe(true);
    expect(key.tags.Purpose).toBe("router-secrets");
    const alias = b.routerResources("aws_kms_alias")[0];
    expect(alias.name).toBe("alias/ml-prod/gateway/router/router-secrets");
  });

  it("lets the pods' role read only that secret, and decrypt only through Secrets Manager for it", () => {
    const policies = b.routerResources("aws_iam_policy");
    expect(policies).toHaveLength(1);
    const doc = parseTemplateJson(policies[0].policy);
    const secretArn = `\${aws_secretsmanager_secret.${Object.keys(resourcesOf(b.json, "aws_secretsmanager_secret"))[0]}.arn}`;
    expect(doc.Statement).toHaveLength(2);
    const read = doc.Statement.find((s: Json) => s.Sid === "ReadMasterKey");
    expect(read).toMatchObject({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn });
    const decrypt = doc.Statement.find((s: Json) => s.Sid === "DecryptMasterKeyThroughSecretsManager");
    expect(decrypt.Action).toBe("kms:Decrypt");
    expect(decrypt.Resource).toMatch(/^\$\{aws_kms_key\.router_key_[A-Z0-9]+\.arn\}$/);
    // Secrets Manager's host in the partition of the stack (amazonaws.com.cn in China), never a literal suffix.
    expect(decrypt.Condition.StringEquals["kms:ViaService"]).toMatch(/^secretsmanager\.\$\{.*\}\.\$\{data\.aws_partition\.[A-Za-z0-9_]+\.dns_suffix\}$/);
    expect(decrypt.Condition.StringEquals["kms:EncryptionContext:SecretARN"]).toBe(secretArn);
    const assoc = b.routerResources("aws_eks_pod_identity_association");
    expect(assoc.map((a) => [a.namespace, a.service_account])).toEqual([["gateway", "router"]]);
    expect(b.router.masterKeySecretArn).toMatch(/^\$\{TfToken\[/);
  });

  it("reads the key in an init container into a memory-backed volume, never into a Kubernetes Secret", () => {
    const init = podSpec.init_container[0];
    expect(init.command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(init.command[2]).toContain('aws secretsmanager get-secret-value --secret-id "$MASTER_KEY_SECRET_ARN"');
    expect(init.env).toContainEqual({ name: "MASTER_KEY_SECRET_ARN", value: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.router_master-key_[A-Z0-9]+\.arn\}$/) });
    const volume = (podSpec.volume as Json[]).find((v) => v.name === "master-key") as Json;
    expect(volume.empty_dir).toEqual({ medium: "Memory", size_limit: "1Mi" });
    const main = podSpec.container[0];
    expect(main.volume_mount).toContainEqual({ name: "master-key", mount_path: "/run/secrets/litellm", read_only: true });
    expect(main.command[2]).toContain('export LITELLM_MASTER_KEY="$key"');
    expect(main.command[2]).toMatch(/exec litellm --config \/etc\/litellm\/config\.yaml --host 0\.0\.0\.0 --port 4000$/);
    // The pods start only after their role can read the key.
    expect(deployment.depends_on.join(" ")).toMatch(/aws_eks_pod_identity_association\.router_pod-role_association/);
  });

  it("runs restricted: non-root, read-only root filesystem, all capabilities dropped, RuntimeDefault seccomp, no token, no GPU node", () => {
    expect(podSpec.security_context).toEqual({ run_as_non_root: true, run_as_user: "65534", run_as_group: "65534", fs_group: "65534", seccomp_profile: { type: "RuntimeDefault" } });
    expect(podSpec.automount_service_account_token).toBe(false);
    for (const c of [...podSpec.init_container, ...podSpec.container]) {
      expect(c.security_context).toEqual({ allow_privilege_escalation: false, privileged: false, read_only_root_filesystem: true, run_as_non_root: true, capabilities: { drop: ["ALL"] } });
      expect((c.volume_mount as Json[]).some((m) => m.mount_path === "/tmp")).toBe(true);
    }
    expect(podSpec.toleration).toBeUndefined();
    expect(podSpec.node_selector).toBeUndefined();
    expect(podSpec.topology_spread_constraint.map((t: Json) => t.topology_key)).toEqual(["topology.kubernetes.io/zone", "kubernetes.io/hostname"]);
    const main = podSpec.container[0];
    expect(main.image).toBe(LITELLM_IMAGE);
    expect(main.liveness_probe.http_get).toEqual({ path: "/health/liveliness", port: "http" });
    expect(main.readiness_probe.http_get).toEqual({ path: "/health/readiness", port: "http" });
    expect(main.startup_probe.http_get).toEqual({ path: "/health/readiness", port: "http" });
    expect(main.resources.requests).toEqual({ cpu: "500m", memory: "1Gi" });
    expect(main.env).toContainEqual({ name: "DISABLE_ADMIN_UI", value: "True" });
    const sa = b.routerResources("kubernetes_service_account_v1")[0];
    expect(sa.automount_service_account_token).toBe(false);
  });

  it("scales 2 to 6 replicas on CPU, leaves the count to the autoscaler, and keeps one replica through disruptions", () => {
    expect(deployment.spec.replicas).toBeUndefined();
    const hpa = b.routerResources("kubernetes_horizontal_pod_autoscaler_v2")[0];
    expect(hpa.spec).toMatchObject({ min_replicas: 2, max_replicas: 6, scale_target_ref: { api_version: "apps/v1", kind: "Deployment", name: "router" } });
    expect(hpa.spec.metric).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } }]);
    const pdb = b.routerResources("kubernetes_pod_disruption_budget_v1")[0];
    expect(pdb.spec.min_available).toBe("1");
    expect(deployment.spec.strategy.rolling_update).toEqual({ max_surge: "1", max_unavailable: "0" });
  });

  it("admits only the load balancer subnets (which hold no pods) to the router port", () => {
    const policies = b.routerResources("kubernetes_network_policy_v1");
    expect(policies).toHaveLength(1);
    expect(policies[0].spec.policy_types).toEqual(["Ingress"]);
    expect(policies[0].spec.ingress).toEqual([{ from: [{ ip_block: { cidr: "10.0.248.0/24" } }, { ip_block: { cidr: "10.0.249.0/24" } }], ports: [{ port: "4000", protocol: "TCP" }] }]);
  });

  it("puts an internal HTTPS-only ALB with a TLS 1.2+ policy in front, with the endpoints' annotations", () => {
    const ing = b.routerResources("kubernetes_ingress_v1")[0];
    const a = ing.metadata.annotations;
    expect(a["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
    expect(a["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
    expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTPS: 443 }]);
    expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toBe(CERTIFICATE_ARN);
    expect(a["alb.ingress.kubernetes.io/ssl-policy"]).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(a["alb.ingress.kubernetes.io/inbound-cidrs"]).toBe("10.0.0.0/16");
    expect(a["alb.ingress.kubernetes.io/healthcheck-path"]).toBe("/health/readiness");
    expect(a["alb.ingress.kubernetes.io/load-balancer-attributes"]).toContain("idle_timeout.timeout_seconds=600");
    expect(a["alb.ingress.kubernetes.io/load-balancer-attributes"]).toContain("routing.http.drop_invalid_header_fields.enabled=true");
    expect(ing.spec.ingress_class_name).toBe("alb");
    expect(ing.spec.rule[0].host).toBe(ROUTER_HOST);
    expect(ing.spec.rule[0].http.path[0].backend.service).toEqual({ name: "router", port: { number: 4000 } });
    expect(b.router.url).toBe(`https://${ROUTER_HOST}`);
    expect(b.router.serviceUrl).toBe("http://router.gateway.svc.cluster.local:4000");
  });

  it("passes the HIPAA, SOC 2, FedRAMP Moderate and GDPR packs", () => {
    // Enforced, as an app would: the packs choose the load balancers' TLS policy (FIPS under FedRAMP).
    Compliance.of(b.serving).enforce(...ALL_PACKS);
    expect(b.serving).toBeCompliantWith(...ALL_PACKS);
  });

  it("keeps serving through deregistration and lets a call finish: preStop pause, grace period past the call timeout, new key version first", () => {
    const c = podSpec.container.find((x: Json) => x.name === "litellm");
    expect(c.lifecycle.pre_stop[0].exec.command).toEqual(["/bin/sh", "-c", "sleep 20"]);
    expect(podSpec.termination_grace_period_seconds).toBeGreaterThan(600);
    expect(deployment.depends_on.some((d: string) => d.startsWith("aws_secretsmanager_secret_version."))).toBe(true);
  });

  it("runs no database without teams, and requires Terraform 1.11", () => {
    expect(Object.keys(b.json.resource).filter((t) => t.startsWith("aws_db_") || t === "kubernetes_job_v1")).toEqual([]);
    expect((b.router.config.general_settings as Json).database_connection_pool_limit).toBeUndefined();
    expect(b.router.teamKeySecretArns).toEqual({});
    expect(b.json.terraform.required_version).toBe(">= 1.11.0");
  });

  it("matches the snapshot of its LiteLLM config", () => {
    expect(b.router.configYaml).toMatchSnapshot();
  });
});

describe("InferenceRouter options", () => {
  it("takes explicit tiers, fallbacks, context-window fallbacks, retries, timeout and aliases", () => {
    const e = endpoints();
    const router = new InferenceRouter(e.serving, "router", routerProps(e, {
      name: "llm-router",
      models: [{ endpoint: e.small, alias: "fast" }, { endpoint: e.large, alias: "capable" }],
      tiers: { medium: "capable" },
      fallbacks: { capable: ["fast"] },
      contextWindowFallbacks: { fast: ["capable"] },
      retries: 0,
      timeoutSeconds: 120,
    }));
    const config = router.config as Json;
    expect(modelEntry(config, "auto").litellm_params.complexity_router_config.tiers).toEqual({ SIMPLE: "fast", MEDIUM: "capable", COMPLEX: "capable", REASONING: "capable" });
    expect(modelEntry(config, "auto").litellm_params.complexity_router_default_model).toBe("capable");
    expect(config.router_settings).toMatchObject({ num_retries: 0, timeout: 120, fallbacks: [{ capable: ["fast"] }], context_window_fallbacks: [{ fast: ["capable"] }] });
    expect(modelEntry(config, "fast").litellm_params.model).toBe("openai/llama-3.1-8b-instruct");
    const json: Json = JSON.parse(Testing.synth(e.serving));
    const ing = Object.values(resourcesOf(json, "kubernetes_ingress_v1")).find((i: Json) => i.metadata.name === "llm-router") as Json;
    expect(ing.metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]).toContain("idle_timeout.timeout_seconds=120");
  });


  it("rotates the master key by version: a new write-only value and a pod restart", () => {
    const b = build({ masterKeyVersion: 2 });
    expect(b.routerResources("aws_secretsmanager_secret_version")[0].secret_string_wo_version).toBe(2);
    expect(b.routerResources("kubernetes_deployment_v1")[0].spec.template.metadata.annotations["secure-inference.io/master-key-version"]).toBe("2");
  });

  it("uses the load balancer's DNS name as its URL when no host is given, and lets the CIDRs given reach the load balancer", () => {
    const b = build({ ingress: { certificateArn: CERTIFICATE_ARN, allowedCidrs: ["10.1.0.0/16", "192.168.0.0/24"] } });
    expect(b.router.url).toMatch(/^https:\/\/\$\{TfToken\[/);
    const ing = b.routerResources("kubernetes_ingress_v1")[0];
    expect(ing.spec.rule[0].host).toBeUndefined();
    expect(ing.metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"]).toBe("10.1.0.0/16,192.168.0.0/24");
    // The pods still admit only the load balancer subnets; allowedCidrs are the load balancer's clients.
    expect(b.routerResources("kubernetes_network_policy_v1")[0].spec.ingress[0].from).toEqual([{ ip_block: { cidr: "10.0.248.0/24" } }, { ip_block: { cidr: "10.0.249.0/24" } }]);
  });

  it("serves a single model on every tier with no fallback", () => {
    const e = endpoints();
    const router = new InferenceRouter(e.serving, "router", routerProps(e, { models: [{ endpoint: e.small }] }));
    const config = router.config as Json;
    expect(modelEntry(config, "auto").litellm_params.complexity_router_config.tiers).toEqual({ SIMPLE: "chat", MEDIUM: "chat", COMPLEX: "chat", REASONING: "chat" });
    expect(config.router_settings.fallbacks).toEqual([]);
  });

  it("finds each fallback loop once, with its path", () => {
    expect(fallbackCycles({ a: ["b"], b: ["a"] })).toEqual([["a", "b", "a"]]);
    expect(fallbackCycles({ a: ["a"] })).toEqual([["a", "a"]]);
    expect(fallbackCycles({ a: ["b"], b: ["c"], c: ["a"], d: ["a"] })).toEqual([["a", "b", "c", "a"]]);
    expect(fallbackCycles({ a: ["b", "c"], b: ["c"], c: [] })).toEqual([]);
  });
});

describe("InferenceRouter with a response cache", () => {
  let b: ReturnType<typeof build>;
  let group: Json;
  let podSpec: Json;
  beforeAll(() => {
    b = build({ responseCache: {} });
    group = b.routerResources("aws_elasticache_replication_group")[0];
    podSpec = b.routerResources("kubernetes_deployment_v1")[0].spec.template.spec;
  });

  it("is off by default: no ElastiCache resource, no cache in the config", () => {
    const plain = build();
    expect(Object.keys(plain.json.resource).filter((t) => t.startsWith("aws_elasticache"))).toEqual([]);
    expect((plain.router.config.litellm_settings as Json).cache).toBeUndefined();
    expect(plain.router.responseCacheId).toBeUndefined();
  });

  it("encrypts at rest with the router's customer-managed key and in transit with TLS required", () => {
    const keyId = Object.keys(resourcesOf(b.json, "aws_kms_key")).find((k) => k.startsWith("router_"));
    expect(group.at_rest_encryption_enabled).toBe("true");
    expect(group.kms_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(group.transit_encryption_enabled).toBe(true);
    expect(group.transit_encryption_mode).toBe("required");
    expect(group).toMatchObject({ engine: "valkey", engine_version: "8.0", node_type: "cache.t4g.small", port: 6379, snapshot_retention_limit: 0 });
  });

  it("fails over across zones: a primary and one replica, Multi-AZ", () => {
    expect(group).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true });
    const single = build({ responseCache: { replicas: 0 } }).routerResources("aws_elasticache_replication_group")[0];
    expect(single).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false, multi_az_enabled: false });
  });

  it("has no password anywhere: the router's user authenticates with IAM, the default user is switched off", () => {
    const users = b.routerResources("aws_elasticache_user");
    const router = users.find((u) => u.user_name !== "default") as Json;
    const off = users.find((u) => u.user_name === "default") as Json;
    expect(router.authentication_mode).toEqual({ type: "iam" });
    expect(router.user_id).toBe(router.user_name);
    expect(router.passwords).toBeUndefined();
    expect(off.access_string).toBe("off -@all");
    // Keys and pub/sub channels of this dedicated cache; Valkey user groups refuse passwordless users, so users and group are of engine redis.
    expect(router.access_string).toBe("on ~* &* +@all");
    expect([router.engine, off.engine, b.routerResources("aws_elasticache_user_group")[0].engine]).toEqual(["redis", "redis", "redis"]);
    const userGroup = b.routerResources("aws_elasticache_user_group")[0];
    expect(userGroup.user_ids).toHaveLength(2);
    expect(group.user_group_ids).toEqual([expect.stringMatching(/^\$\{aws_elasticache_user_group\.router_response-cache_users_[A-Z0-9]+\.user_group_id\}$/)]);
    expect(group.auth_token).toBeUndefined();
    expect(b.raw).not.toMatch(/"passwords"|"auth_token"|REDIS_PASSWORD/);
  });

  it("lets only the router's role connect, to this cache as this user", () => {
    const policies = b.routerResources("aws_iam_policy").map((p) => parseTemplateJson(p.policy));
    const connect = policies.flatMap((d) => d.Statement).find((s: Json) => s.Sid === "ConnectToResponseCache");
    expect(connect.Action).toBe("elasticache:Connect");
    expect(connect.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_elasticache_replication_group\.router_response-cache_replication-group_[A-Z0-9]+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_elasticache_user\.router_response-cache_router-user_[A-Z0-9]+\.arn\}$/),
    ]);
  });

  it("configures LiteLLM's Redis cache with ElastiCache IAM auth over TLS, the host from the environment", () => {
    const settings = b.router.config.litellm_settings as Json;
    expect(settings.cache).toBe(true);
    const id = b.router.responseCacheId as string;
    expect(id).toMatch(/^ml-prod-[0-9a-f]{8}$/);
    expect(settings.cache_params).toEqual({
      type: "redis",
      host: "os.environ/LITELLM_CACHE_HOST",
      port: 6379,
      ssl: true,
      aws_iam_auth: true,
      aws_iam_user_name: `${id}-router`,
      aws_iam_cache_name: id,
      namespace: "litellm.gateway.router",
      ttl: 3600,
      supported_call_types: ["acompletion", "atext_completion", "aembedding"],
    });
    expect(group.replication_group_id).toBe(id);
    const env = (podSpec.container[0].env as Json[]).find((e) => e.name === "LITELLM_CACHE_HOST");
    expect(env?.value).toMatch(/^\$\{aws_elasticache_replication_group\..*\.primary_endpoint_address\}$/);
  });

  it("reaches the cache on 6379 only: the security group admits the cluster's nodes, the router's egress policy the VPC", () => {
    const rule = b.routerResources("aws_vpc_security_group_ingress_rule")[0];
    expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: 6379, to_port: 6379 });
    expect(rule.referenced_security_group_id).toMatch(/cluster_security_group_id/);
    expect(rule.cidr_ipv4).toBeUndefined();
    const sg = b.routerResources("aws_security_group")[0];
    expect(sg.egress).toBeUndefined();
    expect(sg.ingress).toBeUndefined();
    const egress = b.routerResources("kubernetes_network_policy_v1").find((p) => p.metadata.name === "router-to-response-cache") as Json;
    expect(egress.spec.policy_types).toEqual(["Egress"]);
    expect(egress.spec.egress[0].ports).toEqual([{ port: "6379", protocol: "TCP" }]);
    expect(egress.spec.egress[0].to[0].ip_block.cidr).toBe(b.cluster.connection.vpcCidr);
    const subnets = b.routerResources("aws_elasticache_subnet_group")[0];
    expect(group.subnet_group_name).toMatch(/aws_elasticache_subnet_group\..*\.name/);
    expect(subnets.subnet_ids).toBeDefined();
  });

  it("passes the HIPAA, SOC 2, FedRAMP Moderate and GDPR packs", () => {
    // Enforced, as an app would: the packs choose the load balancers' TLS policy (FIPS under FedRAMP).
    Compliance.of(b.serving).enforce(...ALL_PACKS);
    expect(b.serving).toBeCompliantWith(...ALL_PACKS);
  });

  it("refuses a bad TTL, node type and replica count, all at once", () => {
    const msg = problemsOf({ responseCache: { ttlSeconds: 0, nodeType: "t4g.small", replicas: 6 } });
    expect(msg).toMatch(/responseCache\.ttlSeconds: 0 must be whole seconds from 1 to 604800/);
    expect(msg).toMatch(/responseCache\.nodeType: "t4g\.small" is not an ElastiCache node type/);
    expect(msg).toMatch(/responseCache\.replicas: 6 must be a whole number from 0 to 5/);
  });
});

describe("InferenceRouter with teams", () => {
  let b: ReturnType<typeof build>;
  let db: Json;
  let podSpec: Json;
  let jobs: Json[];
  const TEAMS: RouterTeam[] = [
    { name: "search", requestsPerMinute: 120, tokensPerMinute: 200000 },
    { name: "support", requestsPerMinute: 30 },
  ];
  beforeAll(() => {
    b = build({ teams: TEAMS, responseCache: {} });
    db = b.routerResources("aws_db_instance")[0];
    podSpec = b.routerResources("kubernetes_deployment_v1")[0].spec.template.spec;
    jobs = b.routerResources("kubernetes_job_v1");
  });

  it("runs LiteLLM's database on RDS for PostgreSQL: encrypted with the router's key, private, Multi-AZ, backed up, protected", () => {
    const keyRef = expect.stringMatching(/^\$\{aws_kms_key\.router_key_[A-Z0-9]+\.arn\}$/);
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "17",
      instance_class: "db.t4g.small",
      storage_encrypted: true,
      kms_key_id: keyRef,
      performance_insights_kms_key_id: keyRef,
      publicly_accessible: false,
      multi_az: true,
      backup_retention_period: 7,
      deletion_protection: true,
      skip_final_snapshot: false,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      monitoring_interval: 60,
    });
    expect(b.router.databaseIdentifier).toBe(db.identifier);
    expect(db.identifier).toBe(`${b.router.responseCacheId}-litellm`);
    const params = b.routerResources("aws_db_parameter_group")[0];
    expect(params.parameter).toContainEqual({ name: "rds.force_ssl", value: "1" });
    for (const g of b.routerResources("aws_cloudwatch_log_group")) {
      expect(g.kms_key_id).toEqual(keyRef);
      expect(g.retention_in_days).toBe(365);
    }
  });

  it("keeps the admin password out of the plan and the state: generated in AWS, written write-only to the instance and its secret", () => {
    expect(db.password).toBeUndefined();
    expect(db.manage_master_user_password).toBeUndefined();
    expect(db.password_wo).toMatch(/^\$\{ephemeral\.aws_secretsmanager_random_password\.[a-z0-9_]+_db_admin_[0-9a-f]{8}\.random_password\}$/);
    const adminVersion = b.routerResources("aws_secretsmanager_secret_version").find((v) => String(v.secret_id).includes("admin-password")) as Json;
    expect(adminVersion.secret_string_wo).toBe(db.password_wo);
    expect(adminVersion.secret_string).toBeUndefined();
    expect(b.raw).not.toMatch(/"password"\s*:/);
    // A new version writes a new password to both together.
    const rotated = build({ teams: TEAMS, responseCache: {}, database: { adminPasswordVersion: 2 } });
    expect(rotated.routerResources("aws_db_instance")[0].password_wo_version).toBe(2);
    expect((rotated.routerResources("aws_secretsmanager_secret_version").find((v) => String(v.secret_id).includes("admin-password")) as Json).secret_string_wo_version).toBe(2);
  });

  it("connects the router with IAM tokens as the litellm login only, and bounds its connection pool", () => {
    const env = Object.fromEntries((podSpec.container[0].env as Json[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ IAM_TOKEN_DB_AUTH: "True", DATABASE_PORT: "5432", DATABASE_USER: "litellm", DATABASE_NAME: "litellm" });
    expect(env.DATABASE_HOST).toMatch(/^\$\{aws_db_instance\..*\.address\}$/);
    expect(env.DATABASE_PASSWORD).toBeUndefined();
    // The router verifies the database's certificate too, with the bundle its init container fetched.
    expect(env).toMatchObject({ DATABASE_SSLMODE: "verify-full", DATABASE_SSLROOTCERT: "/run/trust/rds-ca.pem" });
    expect(podSpec.init_container[0].command[2]).toContain('-o /run/trust/rds-ca.pem "$RDS_CA_BUNDLE_URL"');
    expect(env.DATABASE_URL).toBeUndefined();
    const statements = b.routerResources("aws_iam_policy").map((p) => parseTemplateJson(p.policy)).flatMap((d) => d.Statement);
    const connect = statements.find((s: Json) => s.Sid === "ConnectToLiteLlmDatabase");
    expect(connect.Action).toBe("rds-db:connect");
    expect(connect.Resource).toMatch(/:rds-db:.*:dbuser:\$\{aws_db_instance\..*\.resource_id\}\/litellm$/);
    expect((b.router.config.general_settings as Json).database_connection_pool_limit).toBe(10);
  });

  it("creates the IAM login in a setup Job before the router starts; only that Job reads the admin password", () => {
    const setup = jobs.find((j) => j.metadata.name.startsWith("router-db-setup-")) as Json;
    const script = setup.spec.template.spec.container[0].command[2];
    expect(script).toContain("GRANT rds_iam TO litellm;");
    expect(script).toContain("ALTER DATABASE litellm OWNER TO litellm;");
    // The server's certificate and name are verified against RDS's CA bundle before the password is sent.
    expect(script).toContain("sslmode=verify-full sslrootcert=/run/secrets/job/rds-ca.pem");
    expect(setup.spec.template.spec.init_container[0].command[2]).toContain('curl -fsS --retry 3 --max-time 30 -o /run/secrets/job/rds-ca.pem "$RDS_CA_BUNDLE_URL"');
    expect(script).not.toMatch(/psql[^\n]*password=/);
    expect(setup.wait_for_completion).toBe(true);
    const deployment = b.routerResources("kubernetes_deployment_v1")[0];
    expect(deployment.depends_on).toContainEqual(expect.stringMatching(/^kubernetes_job_v1\.router_database-setup_/));
    const statements = b.routerResources("aws_iam_policy").map((p) => parseTemplateJson(p.policy)).flatMap((d) => d.Statement);
    const reads = statements.filter((s: Json) => s.Sid === "ReadDatabaseAdminPassword");
    expect(reads).toHaveLength(1);
    // Job pods carry no router label: the Service, PDB and router policies never select them.
    for (const j of jobs) expect(Object.keys(j.spec.template.metadata.labels)).not.toContain("secure-inference.io/router");
  });

  it("gives each team a generated key in its own secret and registers teams, limits and keys through LiteLLM's admin API", () => {
    expect(Object.keys(b.router.teamKeySecretArns)).toEqual(["search", "support"]);
    const teamVersions = b.routerResources("aws_secretsmanager_secret_version").filter((v) => String(v.secret_id).includes("team-key"));
    expect(teamVersions).toHaveLength(2);
    for (const v of teamVersions) expect(v.secret_string_wo).toMatch(/^sk-\$\{ephemeral\.aws_secretsmanager_random_password\./);
    const teamsJobRes = jobs.find((j) => j.metadata.name.startsWith("router-teams-")) as Json;
    const script = teamsJobRes.spec.template.spec.container[0].command[2];
    expect(script).toContain('"team_id":"search","team_alias":"search","models":["chat","large","auto"],"rpm_limit":120,"tpm_limit":200000');
    // A limit left out is sent as null: /team/update keeps fields that are missing.
    expect(script).toContain('"team_id":"support","team_alias":"support","models":["chat","large","auto"],"rpm_limit":30,"tpm_limit":null');
    // curl's %{http_code} reaches the shell through Terraform's template escape.
    expect(script).toContain("-w '%%{http_code}'");
    // An existing key is re-bound in place; only a new value replaces the key with the team's alias.
    expect(script.indexOf("call /key/update")).toBeLessThan(script.indexOf("call /key/generate"));
    expect(script).toContain("call /team/new");
    expect(script).toContain("call /team/update");
    expect(script).toContain("call /key/generate");
    // Teams LiteLLM has that the list no longer names are deleted, with their keys.
    expect(script).toContain('case " search support " in *" $t "*) continue ;; esac');
    expect(script).toContain("call /team/delete /tmp/remove.json");
    expect(script).toContain(`sed 's/.*"\\([^"]*\\)"$/\\1/'`);
    // Keys and the master key travel in memory-backed files, never on a command line or in the config.
    expect(script).toContain("-H @\"$H\"");
    expect(teamsJobRes.spec.template.spec.volume).toContainEqual({ name: "secrets", empty_dir: { medium: "Memory", size_limit: "1Mi" } });
    expect(teamsJobRes.spec.template.spec.container[0].env.map((e: Json) => e.name)).toEqual(["ROUTER_URL", "DATABASE_ID", "HOME"]);
    // A replaced (empty) database re-runs the Job.
    expect(teamsJobRes.spec.template.spec.container[0].env[1].value).toMatch(/^\$\{aws_db_instance\..*\.resource_id\}$/);
    expect(teamsJobRes.depends_on).toContainEqual(expect.stringMatching(/^kubernetes_deployment_v1\.router_deployment_/));
  });

  it("re-runs the teams Job when a limit or a key version changes", () => {
    const name = (teams: typeof TEAMS) => (build({ teams, responseCache: {} }).routerResources("kubernetes_job_v1").find((j) => j.metadata.name.startsWith("router-teams-")) as Json).metadata.name;
    const base = name(TEAMS);
    expect(name([{ ...TEAMS[0], requestsPerMinute: 121 }, TEAMS[1]])).not.toBe(base);
    expect(name([{ ...TEAMS[0], keyVersion: 2 }, TEAMS[1]])).not.toBe(base);
  });

  it("lets only the admin Job call the router in the cluster, and the router and setup Job reach PostgreSQL", () => {
    const policies = Object.fromEntries(b.routerResources("kubernetes_network_policy_v1").map((p) => [p.metadata.name, p.spec]));
    expect(policies["router-from-admin-client"].ingress[0].from).toEqual([{ pod_selector: { match_labels: { "secure-inference.io/router-admin-client": "router" } } }]);
    expect(policies["router-admin-client-to-router"].egress[0].ports).toEqual([{ port: "4000", protocol: "TCP" }]);
    expect(policies["router-to-database"].pod_selector.match_labels).toEqual({ "secure-inference.io/router-datastore-client": "router" });
    expect(policies["router-to-database"].egress[0].ports).toEqual([{ port: "5432", protocol: "TCP" }]);
  });

  it("passes the HIPAA, SOC 2, FedRAMP Moderate and GDPR packs", () => {
    // Enforced, as an app would: the packs choose the load balancers' TLS policy (FIPS under FedRAMP).
    Compliance.of(b.serving).enforce(...ALL_PACKS);
    expect(b.serving).toBeCompliantWith(...ALL_PACKS);
  });

  it("warns that without the response cache each replica counts the teams' limits on its own", () => {
    const e = endpoints();
    new InferenceRouter(e.serving, "router", routerProps(e, { teams: TEAMS }));
    Testing.synth(e.serving);
    const warnings = e.serving.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toMatch(/the teams' rate limits are counted by each router replica on its own \(up to 6 replicas\).*turn on responseCache/);
  });

  it("refuses a bad team name and key version, a database without teams and database settings out of range", () => {
    const msg = problemsOf({ teams: [{ name: "Search Team", keyVersion: 0 }], database: { instanceClass: "t4g.small", allocatedStorageGiB: 10, backupRetentionDays: 1, adminPasswordVersion: 0 } });
    expect(msg).toMatch(/teams\[0\]\.name: "Search Team" must be 1-40 lower-case letters/);
    expect(msg).toMatch(/teams\[0\]\.keyVersion: 0 must be a whole number, at least 1/);
    expect(msg).toMatch(/database\.instanceClass: "t4g\.small" is not an RDS instance class/);
    expect(msg).toMatch(/database\.allocatedStorageGiB: 10 must be whole GiB from 20 to 1000/);
    expect(msg).toMatch(/database\.backupRetentionDays: 1 must be whole days from 7 to 35/);
    expect(msg).toMatch(/database\.adminPasswordVersion: 0 must be a whole number, at least 1/);
    expect(problemsOf({ database: {} })).toMatch(/database: is given without teams/);
  });
});

describe("InferenceRouter in the aws-cn partition", () => {
  const CN_CERTIFICATE_ARN = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
  let policies: Array<{ key: string; text: string; doc: Json }>;
  let json: Json;
  beforeAll(() => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "cn-north-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", {
      clusterName: "ml-prod",
      network: { availabilityZones: ["cn-north-1a", "cn-north-1b"] },
      gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 8 }],
    });
    const serving = new TerraformStack(app, "serving");
    // The region as a reference: with a literal cn-* region a router with teams is refused (no confirmed RDS trust store there).
    new AwsProvider(serving, "aws", { region: Fn.lookup({ prod: "cn-north-1" }, "prod", "cn-north-1") });
    const chat = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { ingress: { certificateArn: CN_CERTIFICATE_ARN, host: SMALL_HOST } }));
    // Teams and the cache: every policy of the router that reads a secret (master key twice, team keys, admin password).
    new InferenceRouter(serving, "router", {
      connection: cluster.connection,
      namespace: "gateway",
      models: [{ endpoint: chat }],
      ingress: { certificateArn: CN_CERTIFICATE_ARN, host: ROUTER_HOST },
      teams: [{ name: "search" }],
      responseCache: {},
    });
    json = JSON.parse(Testing.synth(serving));
    policies = Object.entries(resourcesOf(json, "aws_iam_policy"))
      .filter(([k]) => k.startsWith("router_"))
      .map(([key, p]) => ({ key, text: (p as Json).policy as string, doc: parseTemplateJson((p as Json).policy) }));
  });

  it("builds every kms:ViaService of its policies from the partition's DNS suffix", () => {
    expect(json.provider.aws[0].region).toContain("cn-north-1");
    const viaServices = policies.flatMap((p) => p.doc.Statement as Json[]).map((s) => s.Condition?.StringEquals?.["kms:ViaService"]).filter((v) => v !== undefined);
    expect(viaServices).toHaveLength(4);
    for (const v of viaServices) expect(v).toMatch(/^secretsmanager\.\$\{[^}]+\}\.\$\{data\.aws_partition\.[A-Za-z0-9_]+\.dns_suffix\}$/);
  });

  it("writes no literal amazonaws.com into any of its policies", () => {
    expect(policies.map((p) => p.key)).toEqual(expect.arrayContaining([expect.stringMatching(/^router_pod-role_/), expect.stringMatching(/^router_teams-role_/), expect.stringMatching(/^router_database-setup-role_/)]));
    for (const p of policies) expect(p.text).not.toContain("amazonaws.com");
  });
});

describe("InferenceRouter's database certificate bundle by partition", () => {
  it("fetches RDS's bundle from the trust store of the partition it deploys to (commercial or GovCloud), never a hard-coded commercial URL", () => {
    const b = build({ teams: [{ name: "search" }], responseCache: {} });
    const init = b.routerResources("kubernetes_deployment_v1")[0].spec.template.spec.init_container[0];
    const url = init.env.find((e: Json) => e.name === "RDS_CA_BUNDLE_URL").value as string;
    // A map indexed by the partition: aws-cn has no entry, so Terraform stops the plan there instead of guessing.
    expect(url).toMatch(/^\$\{\{"aws" = "https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem", "aws-us-gov" = "https:\/\/truststore\.pki\.us-gov-west-1\.rds\.amazonaws\.com\/global\/global-bundle\.pem"\}\[data\.aws_partition\.[A-Za-z0-9_]+\.partition\]\}$/);
    expect(init.command[2]).toContain('curl -fsS --retry 3 --max-time 30 -o /run/trust/rds-ca.pem "$RDS_CA_BUNDLE_URL"');
    const job = b.routerResources("kubernetes_job_v1").find((j) => j.metadata.name.includes("db-setup"))!;
    expect(job.spec.template.spec.init_container[0].env).toContainEqual({ name: "RDS_CA_BUNDLE_URL", value: url });
  });

  it("refuses a router with teams (a database) in a China region, where no trust-store address is confirmed", () => {
    const app = Testing.app();
    const platform = new TerraformStack(app, "platform");
    new AwsProvider(platform, "aws", { region: "cn-north-1" });
    const cluster = new SecureInferenceCluster(platform, "ml", { clusterName: "ml-cn", network: { availabilityZones: ["cn-north-1a", "cn-north-1b"] }, gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge"], maxSize: 8 }] });
    const serving = new TerraformStack(app, "serving");
    new AwsProvider(serving, "aws", { region: "cn-north-1" });
    const cert = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
    const chat = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { ingress: { certificateArn: cert, host: SMALL_HOST } }));
    expect(() => new InferenceRouter(serving, "router", { connection: cluster.connection, namespace: "gateway", models: [{ endpoint: chat }], ingress: { certificateArn: cert, host: ROUTER_HOST }, teams: [{ name: "search" }], responseCache: {} })).toThrow(
      /serving\/router: invalid InferenceRouter props[\s\S]*teams: a router with teams runs a database whose certificate bundle this library has no confirmed address for in cn-north-1 \(aws-cn\)/,
    );
  });
});

describe("InferenceRouter with a private CA", () => {
  const PEM = "-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n";
  it("trusts the CA bundle for its calls to the endpoints beside the public CAs (the cache's certificates are Amazon's), through SSL_CERT_FILE", () => {
    const b = build({ upstreamCaBundlePem: PEM, responseCache: {} });
    const maps = b.routerResources("kubernetes_config_map_v1");
    expect(maps.find((m) => m.metadata.name === "router-upstream-ca")!.data).toEqual({ "ca.pem": PEM });
    const spec = b.routerResources("kubernetes_deployment_v1")[0].spec.template.spec;
    // The init container joins the image's public bundle and the private CA into a memory volume.
    const init = spec.init_container[0];
    expect(init.command[2]).toContain("cat /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/upstream-ca/ca.pem > /run/trust/ca-bundle.pem");
    expect(init.command[2]).toMatch(/\[ -s \/etc\/pki\/tls\/certs\/ca-bundle\.crt \] \|\| \{ echo/);
    expect(init.volume_mount).toContainEqual({ name: "upstream-ca", mount_path: "/etc/ssl/upstream-ca", read_only: true });
    expect(spec.volume).toContainEqual({ name: "trust", empty_dir: { medium: "Memory", size_limit: "2Mi" } });
    const c = spec.container[0];
    expect(c.env).toContainEqual({ name: "SSL_CERT_FILE", value: "/run/trust/ca-bundle.pem" });
    expect(c.env).toContainEqual({ name: "REQUESTS_CA_BUNDLE", value: "/run/trust/ca-bundle.pem" });
    expect(c.volume_mount).toContainEqual({ name: "trust", mount_path: "/run/trust", read_only: true });
  });

  it("refuses a bundle that is not PEM", () => {
    expect(problemsOf({ upstreamCaBundlePem: "not a certificate" })).toMatch(/upstreamCaBundlePem: is not a PEM bundle/);
  });
});

describe("InferenceRouter validation", () => {
  it("refuses a tier naming an alias the router does not serve, and an unknown tier", () => {
    const msg = problemsOf({ tiers: { complex: "gpt-4", expert: "large" } as Partial<Record<RouterTier, string>> });
    expect(msg).toMatch(/serving\/router: invalid InferenceRouter props/);
    expect(msg).toMatch(/tiers\.complex: "gpt-4" is not an alias of this router; aliases: "large", "chat"/);
    expect(msg).toMatch(/tiers\.expert: is not a tier; tiers are "simple", "medium", "complex", "reasoning"/);
  });

  it("refuses fallbacks and context-window fallbacks naming unknown aliases", () => {
    const msg = problemsOf({ fallbacks: { chat: ["huge"], tiny: ["chat"] }, contextWindowFallbacks: { chat: ["long"] } });
    expect(msg).toMatch(/fallbacks\.chat\[0\]: "huge" is not an alias of this router/);
    expect(msg).toMatch(/fallbacks: key "tiny" is not an alias of this router/);
    expect(msg).toMatch(/contextWindowFallbacks\.chat\[0\]: "long" is not an alias of this router/);
  });

  it("refuses fallback loops, self-loops included, naming the cycle", () => {
    const msg = problemsOf({ fallbacks: { chat: ["large"], large: ["chat"] }, contextWindowFallbacks: { large: ["large"] } });
    expect(msg).toMatch(/fallbacks: fallback loop chat -> large -> chat/);
    expect(msg).toMatch(/contextWindowFallbacks: fallback loop large -> large/);
  });

  it("refuses duplicate aliases and the reserved alias auto", () => {
    const msg = problemsOf((e) => ({ models: [{ endpoint: e.small, alias: "llm" }, { endpoint: e.large, alias: "llm" }] }));
    expect(msg).toMatch(/models\[1\]\.alias: "llm" is also the alias of models\[0\]; aliases must be unique/);
    expect(problemsOf((e) => ({ models: [{ endpoint: e.small, alias: "auto" }] }))).toMatch(/models\[0\]\.alias: "auto" is reserved/);
  });

  it("refuses an endpoint without ingress.host, naming the endpoint and the fix", () => {
    const e = endpoints({ smallHost: null });
    const msg = problemsOf({}, e);
    expect(msg).toMatch(/models\[1\]\.endpoint: endpoint models\/chat \(serving\/chat\) has no ingress\.host/);
    expect(msg).toMatch(/Set ingress\.host on that CanaryModelEndpoint/);
  });

  it("refuses a Triton endpoint, whose API is not OpenAI's", () => {
    // Triton's vllm backend has no queue metric, so the endpoint runs a fixed number of replicas.
    const e = endpoints({ smallServer: InferenceServer.triton(), smallAutoscaling: { minReplicas: 1, maxReplicas: 1 } });
    expect(problemsOf({}, e)).toMatch(/models\[1\]\.endpoint: endpoint models\/chat runs Triton/);
  });

  it("refuses retries and timeouts out of range", () => {
    const msg = problemsOf({ retries: 11, timeoutSeconds: 0 });
    expect(msg).toMatch(/retries: 11 must be a whole number from 0 to 10/);
    expect(msg).toMatch(/timeoutSeconds: 0 must be a whole number of seconds from 1 to 3600/);
    expect(problemsOf({ retries: -1, timeoutSeconds: 7200 })).toMatch(/retries: -1 must be[\s\S]*timeoutSeconds: 7200 must be/);
  });

  it("refuses more minimum than maximum replicas, and a single replica", () => {
    expect(problemsOf({ replicas: { min: 5, max: 3 } })).toMatch(/replicas: min \(5\) must not exceed max \(3\)/);
    expect(problemsOf({ replicas: { min: 1 } })).toMatch(/replicas\.min: 1 must be a whole number, at least 2/);
  });

  it("refuses an image without a tag or digest", () => {
    expect(problemsOf({ image: "ghcr.io/berriai/litellm-non_root" })).toMatch(/image: "ghcr\.io\/berriai\/litellm-non_root" has no tag or digest/);
    expect(problemsOf({ image: "ghcr.io/berriai/litellm:latest" })).toMatch(/image: "ghcr\.io\/berriai\/litellm:latest" uses the moving tag "latest"/);
  });

  it("reports every bad input at once: no models, bad name, teams, weak TLS, open CIDRs, key version", () => {
    const msg = problemsOf({
      name: "Router_1",
      models: [],
      teams: [{ name: "a", requestsPerMinute: 0 }, { name: "a", tokensPerMinute: 1.5 }],
      ingress: { certificateArn: "not-an-arn", sslPolicy: "ELBSecurityPolicy-2016-08", allowedCidrs: ["0.0.0.0/0", "10.0.0/8"] },
      masterKeyVersion: 0,
    });
    expect(msg).toMatch(/name: "Router_1" must be a DNS label of at most 40 characters/);
    expect(msg).toMatch(/models: is empty/);
    expect(msg).toMatch(/teams\[0\]\.requestsPerMinute: 0 must be a whole number, at least 1/);
    expect(msg).toMatch(/teams\[1\]\.name: "a" is listed twice/);
    expect(msg).toMatch(/teams\[1\]\.tokensPerMinute: 1\.5 must be a whole number/);
    expect(msg).toMatch(/ingress\.certificateArn: "not-an-arn" is not an ACM certificate ARN/);
    expect(msg).toMatch(/ingress\.sslPolicy: "ELBSecurityPolicy-2016-08" allows TLS below 1\.2/);
    expect(msg).toMatch(/ingress\.allowedCidrs\[0\]: "0\.0\.0\.0\/0" admits every address/);
    expect(msg).toMatch(/ingress\.allowedCidrs\[1\]: "10\.0\.0\/8" is not an IPv4 CIDR/);
    expect(msg).toMatch(/masterKeyVersion: 0 must be a whole number, at least 1/);
  });

  it("allows endpoints in another namespace than the router's", () => {
    const e = endpoints();
    expect(() => new InferenceRouter(e.serving, "router", routerProps(e, { namespace: "gateway" }))).not.toThrow();
    expect(e.small.namespace).toBe("models");
  });

  it("leaves nothing behind when it throws", () => {
    const e = endpoints();
    expect(() => new InferenceRouter(e.serving, "router", routerProps(e, { retries: 99 }))).toThrow();
    expect(e.serving.node.tryFindChild("router")).toBeUndefined();
    expect(TerraformStack.of(e.serving)).toBe(e.serving);
  });
});
