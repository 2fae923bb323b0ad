import { Lazy } from "cdktf";
import type { ClusterConnection } from "../../../lib/cluster/cluster-connection";
import { CanaryModelEndpoint } from "../../../lib/endpoint/canary-model-endpoint";
import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { InferenceRouter } from "../../../lib/routing/inference-router";
import { InferenceRouterProps, LITELLM_IMAGE } from "../../../lib/routing/router-props";
import { datastoreIdBase } from "../../../lib/routing/private/datastore-id";
import { ResolvedRouter, resolveRouter, RouterResolution } from "../../../lib/routing/private/resolve-router";
import { CERTIFICATE_ARN, chatProps, platformAndServing } from "../../endpoint/fixtures";

// Endpoints are built once (construction only, no synth); every test below only resolves props.
const { cluster, serving } = platformAndServing();
const small = new CanaryModelEndpoint(serving, "chat", chatProps(cluster, { ingress: { certificateArn: CERTIFICATE_ARN, host: "chat.models.example.internal" } }));
const large = new CanaryModelEndpoint(serving, "large", chatProps(cluster, {
  model: { name: "llama-3.1-70b-instruct", source: "llama-3.1-70b-instruct/", parametersBillions: 70, dtype: "bfloat16" },
  gpu: { pool: "h100", perReplica: 4 },
  ingress: { certificateArn: CERTIFICATE_ARN, host: "large.models.example.internal" },
}));
const hostless = new CanaryModelEndpoint(serving, "hostless", chatProps(cluster));
const triton = new CanaryModelEndpoint(serving, "triton", chatProps(cluster, { server: InferenceServer.triton(), autoscaling: { minReplicas: 1, maxReplicas: 1 }, ingress: { certificateArn: CERTIFICATE_ARN, host: "triton.models.example.internal" } }));
const connection = cluster.connection;
const PATH = "serving/router";

function props(overrides: Partial<InferenceRouterProps> = {}): InferenceRouterProps {
  return {
    connection,
    namespace: "gateway",
    models: [{ endpoint: large }, { endpoint: small }],
    ingress: { certificateArn: CERTIFICATE_ARN, host: "llm.models.example.internal" },
    ...overrides,
  };
}

/** The resolved router; fails the test with the problems when there are any. */
function resolved(overrides: Partial<InferenceRouterProps> = {}, id = "router", constructPath = PATH): ResolvedRouter {
  const r: RouterResolution = resolveRouter(props(overrides), { id, constructPath });
  if (!r.ok) throw new Error(`unexpected problems:\n${r.problems.join("\n")}`);
  return r.router;
}

/** The problems of the props, as the construct would report them. */
function problems(overrides: Partial<InferenceRouterProps> = {}, id = "router"): readonly string[] {
  const r = resolveRouter(props(overrides), { id, constructPath: PATH });
  return r.ok ? [] : r.problems;
}

describe("resolveRouter with valid props", () => {
  it("applies every default: name from the id, 2 retries, 600 s, 2 to 6 replicas, the pinned image, key version 1", () => {
    const r = resolved();
    expect(r).toMatchObject({ name: "router", namespace: "gateway", retries: 2, timeoutSeconds: 600, minReplicas: 2, maxReplicas: 6, image: LITELLM_IMAGE, masterKeyVersion: 1 });
    expect(r.teams).toEqual([]);
    expect(r.database).toBeUndefined();
    expect(r.responseCache).toBeUndefined();
    expect(r.upstreamCaBundlePem).toBeUndefined();
    // No datastore, no datastore id.
    expect(r.datastoreIdBase).toBeUndefined();
  });

  it("orders the models smallest first, whatever their position, with each endpoint's /v1 URL and context length", () => {
    expect(resolved().models).toEqual([
      { alias: "chat", servedModel: "llama-3.1-8b-instruct", apiBase: "https://chat.models.example.internal/v1", maxInputTokens: small.container.maxModelLen },
      { alias: "large", servedModel: "llama-3.1-70b-instruct", apiBase: "https://large.models.example.internal/v1", maxInputTokens: large.container.maxModelLen },
    ]);
    // Models of one size keep their order.
    expect(resolved({ models: [{ endpoint: small, alias: "b" }, { endpoint: small, alias: "a" }] }).models.map((m) => m.alias)).toEqual(["b", "a"]);
  });

  it("defaults simple and medium to the smallest model, complex and reasoning to the largest, and falls back to the next larger", () => {
    const r = resolved();
    expect(r.tiers).toEqual({ simple: "chat", medium: "chat", complex: "large", reasoning: "large" });
    expect(r.fallbacks).toEqual({ chat: ["large"], large: [] });
    expect(r.contextWindowFallbacks).toBe(r.fallbacks);
  });

  it("merges explicit tiers over the defaults and uses explicit fallbacks for both kinds unless context-window ones are given", () => {
    const r = resolved({ tiers: { medium: "large" }, fallbacks: { large: ["chat"] } });
    expect(r.tiers).toEqual({ simple: "chat", medium: "large", complex: "large", reasoning: "large" });
    expect(r.contextWindowFallbacks).toEqual({ large: ["chat"] });
    expect(resolved({ fallbacks: { large: ["chat"] }, contextWindowFallbacks: { chat: ["large"] } }).contextWindowFallbacks).toEqual({ chat: ["large"] });
  });

  it("raises the default maximum to the minimum, and takes the name over the id", () => {
    expect(resolved({ replicas: { min: 8 } })).toMatchObject({ minReplicas: 8, maxReplicas: 8 });
    expect(resolved({ name: "llm-router" }, "Not_A_Label").name).toBe("llm-router");
  });

  it("lets the load balancer's clients default to the VPC CIDR, or the CIDRs given", () => {
    expect(resolved().ingress).toEqual({ certificateArn: CERTIFICATE_ARN, host: "llm.models.example.internal", sslPolicy: undefined, cidrs: [connection.vpcCidr] });
    expect(resolved({ ingress: { certificateArn: CERTIFICATE_ARN, allowedCidrs: ["10.1.0.0/16"] } }).ingress.cidrs).toEqual(["10.1.0.0/16"]);
  });

  it("gives teams a database with its defaults, and each team key version 1", () => {
    const r = resolved({ teams: [{ name: "search", requestsPerMinute: 60 }, { name: "support", keyVersion: 3 }] });
    expect(r.teams).toEqual([
      { name: "search", requestsPerMinute: 60, tokensPerMinute: undefined, keyVersion: 1 },
      { name: "support", requestsPerMinute: undefined, tokensPerMinute: undefined, keyVersion: 3 },
    ]);
    expect(r.database).toEqual({ instanceClass: "db.t4g.small", allocatedStorageGiB: 20, multiAz: true, backupRetentionDays: 7, deletionProtection: true, adminPasswordVersion: 1 });
    expect(resolved({ teams: [{ name: "a" }], database: { multiAz: false, deletionProtection: false, allocatedStorageGiB: 100 } }).database).toMatchObject({ multiAz: false, deletionProtection: false, allocatedStorageGiB: 100 });
  });

  it("turns the response cache on with its defaults: 1 hour, cache.t4g.small, one replica", () => {
    expect(resolved({ responseCache: {} }).responseCache).toEqual({ ttlSeconds: 3600, nodeType: "cache.t4g.small", replicas: 1 });
  });

  it("names the datastores after the cluster and the router's path: one id base for the cache and the database", () => {
    const withCache = resolved({ responseCache: {} });
    expect(withCache.datastoreIdBase).toMatch(/^ml-prod-[0-9a-f]{8}$/);
    expect(withCache.datastoreIdBase).toBe(datastoreIdBase("ml-prod", PATH));
    expect(resolved({ teams: [{ name: "a" }] }).datastoreIdBase).toBe(withCache.datastoreIdBase);
    expect(resolved({ responseCache: {} }, "router", "serving/other-router").datastoreIdBase).not.toBe(withCache.datastoreIdBase);
  });

  it("creates nothing: the tree is the same before and after", () => {
    const before = serving.node.findAll().length;
    resolved({ teams: [{ name: "a" }], responseCache: {} });
    problems({ retries: 99 });
    expect(serving.node.findAll().length).toBe(before);
  });

  it("skips checks of values only known at apply time", () => {
    const token = Lazy.stringValue({ produce: () => "Not A Namespace" });
    expect(problems({ namespace: token, upstreamCaBundlePem: Lazy.stringValue({ produce: () => "not pem" }) })).toEqual([]);
  });
});

describe("resolveRouter with invalid props", () => {
  it("reports each problem once, with its property path, the value and the fix", () => {
    expect(problems({ retries: 11 })).toEqual(["retries: 11 must be a whole number from 0 to 10"]);
    expect(problems({ replicas: { min: 5, max: 3 } })).toEqual(["replicas: min (5) must not exceed max (3)"]);
    expect(problems({ masterKeyVersion: 0 })).toEqual(["masterKeyVersion: 0 must be a whole number, at least 1; raise it to rotate the master key"]);
    expect(problems({ database: {} })).toEqual(["database: is given without teams; the database holds LiteLLM's teams and keys, so give teams or leave database out"]);
  });

  it("checks the construct id when no name is given", () => {
    expect(problems({}, "Router_1")).toEqual(['id: "Router_1" must be a DNS label of at most 40 characters (it names the Deployment, Service and load balancer); e.g. "llm-router"']);
    expect(problems({ name: "Router_1" })[0]).toMatch(/^name: "Router_1" must be a DNS label/);
  });

  it("collects every problem at once, in the order of the props", () => {
    const list = problems({
      namespace: "Gateway",
      models: [{ endpoint: hostless, alias: "auto" }, { endpoint: triton, alias: "auto" }],
      tiers: { complex: "gpt-4" },
      fallbacks: { auto: ["auto"] },
      retries: -1,
      timeoutSeconds: 0,
      replicas: { min: 1 },
      image: "ghcr.io/berriai/litellm:latest",
      teams: [{ name: "Search Team", keyVersion: 0 }],
      database: { instanceClass: "t4g.small", allocatedStorageGiB: 10, backupRetentionDays: 1, adminPasswordVersion: 0 },
      ingress: { certificateArn: "not-an-arn", sslPolicy: "ELBSecurityPolicy-2016-08", allowedCidrs: ["0.0.0.0/0"] },
      responseCache: { ttlSeconds: 0, nodeType: "t4g.small", replicas: 6 },
      upstreamCaBundlePem: "not pem",
    });
    expect(list.map((l) => l.slice(0, l.indexOf(":")))).toEqual([
      "namespace",
      "models[0].alias",
      "models[0].endpoint",
      "models[1].alias",
      "models[1].alias",
      "models[1].endpoint",
      "tiers.complex",
      "fallbacks",
      "retries",
      "timeoutSeconds",
      "replicas.min",
      "image",
      "teams[0].name",
      "teams[0].keyVersion",
      "database.instanceClass",
      "database.allocatedStorageGiB",
      "database.backupRetentionDays",
      "database.adminPasswordVersion",
      "ingress.certificateArn",
      "ingress.sslPolicy",
      "ingress.allowedCidrs[0]",
      "responseCache.ttlSeconds",
      "responseCache.nodeType",
      "responseCache.replicas",
      "upstreamCaBundlePem",
    ]);
    expect(list).toContain('models[1].alias: "auto" is also the alias of models[0]; aliases must be unique, set alias on one of them');
    expect(list).toContain('tiers.complex: "gpt-4" is not an alias of this router; aliases: "auto"');
    expect(list).toContain("fallbacks: fallback loop auto -> auto: a failing request would be retried around it; fall back only towards models that do not fall back to the first");
    expect(list.find((l) => l.startsWith("models[0].endpoint"))).toMatch(/^models\[0\]\.endpoint: endpoint models\/hostless \(serving\/hostless\) has no ingress\.host/);
    expect(list.find((l) => l.startsWith("models[1].endpoint"))).toMatch(/runs Triton, whose HTTP API is KServe v2/);
  });

  it("needs the VPC CIDR for the datastores' egress policies and the load balancer's clients", () => {
    const noCidr: ClusterConnection = { ...connection, vpcCidr: undefined };
    expect(problems({ connection: noCidr, teams: [{ name: "a" }], responseCache: {} })).toEqual([
      "teams: need the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to its database; give existingVpc.cidrBlock on the cluster",
      expect.stringMatching(/^ingress\.allowedCidrs: is needed: the cluster's VPC CIDR is unknown/),
      "responseCache: needs the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to the cache; give existingVpc.cidrBlock on the cluster",
    ]);
  });

  it("refuses a cluster name starting with a digit when datastores would be named after it", () => {
    const digit: ClusterConnection = { ...connection, clusterName: "1ml" };
    expect(problems({ connection: digit, responseCache: {} })).toEqual(['responseCache: the cluster name "1ml" starts with a digit, and ElastiCache and RDS ids (which start with it) must start with a letter']);
    expect(problems({ connection: digit, teams: [{ name: "a" }] })).toEqual(['teams: the cluster name "1ml" starts with a digit, and ElastiCache and RDS ids (which start with it) must start with a letter']);
    expect(problems({ connection: digit })).toEqual([]);
  });

  it("refuses teams with duplicate names, empty names and limits below 1", () => {
    expect(problems({ teams: [{ name: "" }, { name: "a", requestsPerMinute: 0 }, { name: "a", tokensPerMinute: 1.5 }] })).toEqual([
      "teams[0].name: is empty; name the team",
      "teams[1].requestsPerMinute: 0 must be a whole number, at least 1 (leave it out for no limit)",
      'teams[2].name: "a" is listed twice; team names must be unique',
      "teams[2].tokensPerMinute: 1.5 must be a whole number, at least 1 (leave it out for no limit)",
    ]);
  });
});

describe("InferenceRouter.validate", () => {
  it("returns no problem for valid props", () => {
    expect(InferenceRouter.validate(props())).toEqual([]);
    expect(InferenceRouter.validate(props({ teams: [{ name: "a" }], responseCache: {} }))).toEqual([]);
  });

  it("returns the resolver's problems, each starting with the prefix", () => {
    const list = InferenceRouter.validate(props({ retries: 11, image: "litellm", ingress: { certificateArn: "not-an-arn" } }), "routers[0].");
    expect(list).toEqual([
      "routers[0].retries: 11 must be a whole number from 0 to 10",
      expect.stringMatching(/^routers\[0\]\.image: "litellm" has no tag or digest/),
      expect.stringMatching(/^routers\[0\]\.ingress\.certificateArn: "not-an-arn" is not an ACM certificate ARN/),
    ]);
  });

  it("leaves a missing name to the constructor, which checks its id", () => {
    expect(InferenceRouter.validate(props())).toEqual([]);
    expect(InferenceRouter.validate(props({ name: "Bad_Name" }))).toEqual([expect.stringMatching(/^name: "Bad_Name" must be a DNS label/)]);
  });

  it("matches what the constructor throws", () => {
    const bad = props({ retries: 11, timeoutSeconds: 0 });
    expect(() => new InferenceRouter(serving, "router", bad)).toThrow(InferenceRouter.validate(bad).join("\n- "));
    expect(serving.node.tryFindChild("router")).toBeUndefined();
  });
});
