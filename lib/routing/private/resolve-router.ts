/*
 * Validation of an InferenceRouter's props, and the one typed value the construct builds from. Pure:
 * no construct is created, so `InferenceRouter.validate` and the tests call it without a stack.
 */
import { imageProblems } from "../../private/images";
import { validateInternalAlb } from "../../private/internal-alb";
import { isDnsLabel, isLiteral, Problems, show } from "../../private/validation";
import { InferenceRouterProps, LITELLM_IMAGE, RouterTier } from "../router-props";
import { datastoreIdBase } from "./datastore-id";
import { AUTO_MODEL_NAME, fallbackCycles, ResolvedRouterModel } from "./litellm-config";

const TIERS: readonly RouterTier[] = ["simple", "medium", "complex", "reasoning"];
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,127}$/;
const TEAM_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A team with its defaults applied. */
export interface ResolvedTeam {
  readonly name: string;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly keyVersion: number;
}

/** LiteLLM's database settings with defaults applied. */
export interface ResolvedDatabase {
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly adminPasswordVersion: number;
}

/** Response cache settings with defaults applied. */
export interface ResolvedResponseCache {
  readonly ttlSeconds: number;
  readonly nodeType: string;
  readonly replicas: number;
}

/** The load balancer settings, with the client CIDRs resolved. */
export interface ResolvedIngress {
  readonly certificateArn: string;
  readonly host?: string;
  readonly sslPolicy?: string;
  /** CIDRs that may connect: `allowedCidrs`, else the cluster's VPC CIDR. */
  readonly cidrs: string[];
}

/** Valid router props with every default applied. */
export interface ResolvedRouter {
  /** Kubernetes name. */
  readonly name: string;
  readonly namespace: string;
  /** The models, smallest first (by weights in GiB, then parameters, then position). */
  readonly models: readonly ResolvedRouterModel[];
  readonly tiers: Readonly<Record<RouterTier, string>>;
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  readonly contextWindowFallbacks: Readonly<Record<string, readonly string[]>>;
  readonly retries: number;
  readonly timeoutSeconds: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly image: string;
  readonly masterKeyVersion: number;
  readonly teams: readonly ResolvedTeam[];
  /** Present when the router has teams. */
  readonly database?: ResolvedDatabase;
  /** Present when the response cache is on. */
  readonly responseCache?: ResolvedResponseCache;
  readonly ingress: ResolvedIngress;
  readonly upstreamCaBundlePem?: string;
  /** Id base of the cache and the database, when the router has either (see datastoreIdBase). */
  readonly datastoreIdBase?: string;
}

/** Either every problem with the props, or the resolved router. */
export type RouterResolution = { readonly ok: false; readonly problems: readonly string[] } | { readonly ok: true; readonly router: ResolvedRouter };

/** Where the props are checked: by the construct (with its id and path), or on their own. */
export interface ResolveRouterOptions {
  /** The construct id, the default name; without it a missing `name` is not checked. */
  readonly id?: string;
  /** The construct path, hashed into the datastores' ids; without it `datastoreIdBase` is left out. */
  readonly constructPath?: string;
  /** Prepended to every property path, e.g. "routers[0].". */
  readonly prefix?: string;
}

/** Validates router props, collecting every problem; returns them, or the resolved router when there is none. */
export function resolveRouter(props: InferenceRouterProps, options: ResolveRouterOptions = {}): RouterResolution {
  const prefix = options.prefix ?? "";
  const p = new Problems();
  const add = (prop: string, message: string) => p.add(`${prefix}${prop}`, message);
  const c = props.connection;
  const name = props.name ?? options.id;
  const ns = props.namespace;

  if (name !== undefined && !isDnsLabel(name, 40)) add(props.name === undefined ? "id" : "name", `${show(name)} must be a DNS label of at most 40 characters (it names the Deployment, Service and load balancer); e.g. "llm-router"`);
  if (isLiteral(ns) && !isDnsLabel(ns)) add("namespace", `${show(ns)} is not a namespace name (DNS label)`);
  const models = props.models ?? [];
  if (models.length === 0) add("models", "is empty; give at least one { endpoint } to route to");
  const aliases = models.map((m) => m.alias ?? m.endpoint.endpointName);
  const firstIndex = new Map<string, number>();
  for (const [i, m] of models.entries()) {
    const alias = aliases[i];
    const prop = `models[${i}]`;
    if (!ALIAS.test(alias)) add(`${prop}.alias`, `${show(alias)} must be 1-128 letters, digits, ".", "_", "-" or "/" (what clients send as "model")`);
    else if (alias === AUTO_MODEL_NAME) add(`${prop}.alias`, `"${AUTO_MODEL_NAME}" is reserved for the complexity-routed model; give this model another alias`);
    const first = firstIndex.get(alias);
    if (first !== undefined) add(`${prop}.alias`, `${show(alias)} is also the alias of models[${first}]; aliases must be unique, set alias on one of them`);
    else firstIndex.set(alias, i);
    const ep = m.endpoint;
    if (ep.host === undefined) {
      add(`${prop}.endpoint`, `endpoint ${ep.namespace}/${ep.endpointName} (${ep.node.path}) has no ingress.host; the router calls https://<host>/v1 on the endpoint's internal load balancer so that its canary weights apply. Set ingress.host on that CanaryModelEndpoint to a name its certificate covers and that resolves to its load balancer, e.g. "${ep.endpointName}.models.example.internal"`);
    }
    if (ep.container.kind === "triton") {
      add(`${prop}.endpoint`, `endpoint ${ep.namespace}/${ep.endpointName} runs Triton, whose HTTP API is KServe v2, not OpenAI's /v1; route only to vLLM, TGI or OpenAI-compatible custom servers`);
    }
  }
  const known = new Set(aliases);
  const knownList = () => [...known].map((a) => `"${a}"`).join(", ");

  for (const [tier, alias] of Object.entries(props.tiers ?? {})) {
    if (!TIERS.includes(tier as RouterTier)) add(`tiers.${tier}`, `is not a tier; tiers are ${TIERS.map((t) => `"${t}"`).join(", ")}`);
    else if (alias === undefined || !known.has(alias)) add(`tiers.${tier}`, `${show(alias)} is not an alias of this router; aliases: ${knownList()}`);
  }
  const checkFallbacks = (prop: string, map: Record<string, string[]> | undefined) => {
    if (map === undefined) return;
    for (const [from, targets] of Object.entries(map)) {
      if (!known.has(from)) add(prop, `key ${show(from)} is not an alias of this router; aliases: ${knownList()}`);
      for (const [j, to] of (targets ?? []).entries()) {
        if (!known.has(to)) add(`${prop}.${from}[${j}]`, `${show(to)} is not an alias of this router; aliases: ${knownList()}`);
      }
    }
    for (const cycle of fallbackCycles(map)) {
      add(prop, `fallback loop ${cycle.join(" -> ")}: a failing request would be retried around it; fall back only towards models that do not fall back to the first`);
    }
  };
  checkFallbacks("fallbacks", props.fallbacks);
  checkFallbacks("contextWindowFallbacks", props.contextWindowFallbacks);

  const retries = props.retries ?? 2;
  if (!(Number.isInteger(retries) && retries >= 0 && retries <= 10)) add("retries", `${show(retries)} must be a whole number from 0 to 10`);
  const timeoutSeconds = props.timeoutSeconds ?? 600;
  if (!(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= 3600)) {
    add("timeoutSeconds", `${show(timeoutSeconds)} must be a whole number of seconds from 1 to 3600 (it is also the load balancer's idle timeout), e.g. 600`);
  }
  const minReplicas = props.replicas?.min ?? 2;
  const maxReplicas = props.replicas?.max ?? Math.max(6, minReplicas);
  if (!(Number.isInteger(minReplicas) && minReplicas >= 2)) add("replicas.min", `${show(minReplicas)} must be a whole number, at least 2: the PodDisruptionBudget keeps one replica available, so a single replica would block node drains and be a single point of failure`);
  if (!(Number.isInteger(maxReplicas) && maxReplicas >= 1)) add("replicas.max", `${show(maxReplicas)} must be a whole number, at least 1`);
  else if (minReplicas > maxReplicas) add("replicas", `min (${minReplicas}) must not exceed max (${maxReplicas})`);
  const image = props.image ?? LITELLM_IMAGE;
  p.addAll(imageProblems(`${prefix}image`, image, LITELLM_IMAGE));
  const masterKeyVersion = props.masterKeyVersion ?? 1;
  if (!(Number.isInteger(masterKeyVersion) && masterKeyVersion >= 1)) add("masterKeyVersion", `${show(masterKeyVersion)} must be a whole number, at least 1; raise it to rotate the master key`);

  const teamNames = new Set<string>();
  for (const [i, t] of (props.teams ?? []).entries()) {
    if (!t.name || t.name.trim() === "") add(`teams[${i}].name`, "is empty; name the team");
    else if (!TEAM_NAME.test(t.name)) add(`teams[${i}].name`, `${show(t.name)} must be 1-40 lower-case letters, digits and "-", starting with a letter or digit (it is the LiteLLM team id and names the team's secret), e.g. "search"`);
    else if (teamNames.has(t.name)) add(`teams[${i}].name`, `${show(t.name)} is listed twice; team names must be unique`);
    teamNames.add(t.name);
    for (const [field, v] of [["requestsPerMinute", t.requestsPerMinute], ["tokensPerMinute", t.tokensPerMinute]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v >= 1)) add(`teams[${i}].${field}`, `${show(v)} must be a whole number, at least 1 (leave it out for no limit)`);
    }
    if (t.keyVersion !== undefined && !(Number.isInteger(t.keyVersion) && t.keyVersion >= 1)) add(`teams[${i}].keyVersion`, `${show(t.keyVersion)} must be a whole number, at least 1; raise it to rotate the team's key`);
  }
  const withTeams = (props.teams ?? []).length > 0;
  const db = props.database ?? {};
  const dbInstanceClass = db.instanceClass ?? "db.t4g.small";
  const dbStorage = db.allocatedStorageGiB ?? 20;
  const dbBackupDays = db.backupRetentionDays ?? 7;
  if (props.database && !withTeams) add("database", "is given without teams; the database holds LiteLLM's teams and keys, so give teams or leave database out");
  if (isLiteral(dbInstanceClass) && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(dbInstanceClass)) add("database.instanceClass", `${show(dbInstanceClass)} is not an RDS instance class; use e.g. "db.t4g.small" or "db.m7g.large"`);
  if (!(Number.isInteger(dbStorage) && dbStorage >= 20 && dbStorage <= 1000)) add("database.allocatedStorageGiB", `${show(dbStorage)} must be whole GiB from 20 to 1000`);
  if (!(Number.isInteger(dbBackupDays) && dbBackupDays >= 7 && dbBackupDays <= 35)) add("database.backupRetentionDays", `${show(dbBackupDays)} must be whole days from 7 to 35 (RDS keeps at most 35; the compliance packs ask for 7)`);
  const dbPasswordVersion = db.adminPasswordVersion ?? 1;
  if (!(Number.isInteger(dbPasswordVersion) && dbPasswordVersion >= 1)) add("database.adminPasswordVersion", `${show(dbPasswordVersion)} must be a whole number, at least 1; raise it to write a new admin password`);
  if (withTeams && c.vpcCidr === undefined) add("teams", "need the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to its database; give existingVpc.cidrBlock on the cluster");

  const ing = props.ingress;
  const cidrs = ing.allowedCidrs ?? (c.vpcCidr !== undefined ? [c.vpcCidr] : []);
  validateInternalAlb(p, `${prefix}ingress`, ing.certificateArn, ing.sslPolicy, cidrs);
  const pem = props.upstreamCaBundlePem;
  const cacheProps = props.responseCache;
  const cacheTtl = cacheProps?.ttlSeconds ?? 3600;
  const cacheNodeType = cacheProps?.nodeType ?? "cache.t4g.small";
  const cacheReplicas = cacheProps?.replicas ?? 1;
  if (cacheProps) {
    if (!(Number.isInteger(cacheTtl) && cacheTtl >= 1 && cacheTtl <= 604800)) add("responseCache.ttlSeconds", `${show(cacheTtl)} must be whole seconds from 1 to 604800 (7 days), e.g. 3600`);
    if (isLiteral(cacheNodeType) && !/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(cacheNodeType)) add("responseCache.nodeType", `${show(cacheNodeType)} is not an ElastiCache node type; use e.g. "cache.t4g.small" or "cache.r7g.large"`);
    if (!(Number.isInteger(cacheReplicas) && cacheReplicas >= 0 && cacheReplicas <= 5)) add("responseCache.replicas", `${show(cacheReplicas)} must be a whole number from 0 to 5 (replicas beside the primary; 1 or more for automatic failover)`);
    if (c.vpcCidr === undefined) add("responseCache", "needs the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to the cache; give existingVpc.cidrBlock on the cluster");
  }
  if ((cacheProps || withTeams) && isLiteral(c.clusterName) && !/^[A-Za-z]/.test(c.clusterName)) {
    add(cacheProps ? "responseCache" : "teams", `the cluster name ${show(c.clusterName)} starts with a digit, and ElastiCache and RDS ids (which start with it) must start with a letter`);
  }
  if (pem !== undefined && isLiteral(pem) && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
    add("upstreamCaBundlePem", "is not a PEM bundle; give the private CA's certificate(s), each between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----");
  }
  if (p.list.length > 0) return { ok: false, problems: [...p.list] };

  // From here on every input is valid: apply the defaults.
  // Tiers and fallbacks default from model size.
  const bySize = models
    .map((m, i) => ({ m, alias: aliases[i], i }))
    .sort((a, b) => a.m.endpoint.fit.weightsGiB - b.m.endpoint.fit.weightsGiB || a.m.endpoint.model.parametersBillions - b.m.endpoint.model.parametersBillions || a.i - b.i);
  const smallest = bySize[0].alias;
  const largest = bySize[bySize.length - 1].alias;
  const defaultTiers: Record<RouterTier, string> = { simple: smallest, medium: smallest, complex: largest, reasoning: largest };
  const nextLarger: Record<string, string[]> = {};
  bySize.forEach((entry, k) => {
    nextLarger[entry.alias] = k + 1 < bySize.length ? [bySize[k + 1].alias] : [];
  });
  const fallbacks = props.fallbacks ?? nextLarger;
  return {
    ok: true,
    router: {
      // Without an id (validate on its own) a missing name was not checked; the construct always passes one.
      name: name as string,
      namespace: ns,
      models: bySize.map(({ m, alias }) => ({
        alias,
        servedModel: m.endpoint.modelName,
        apiBase: `https://${m.endpoint.host}/v1`,
        maxInputTokens: m.endpoint.container.maxInputTokens ?? m.endpoint.container.maxModelLen,
      })),
      tiers: { ...defaultTiers, ...(props.tiers as Record<RouterTier, string> | undefined) },
      fallbacks,
      contextWindowFallbacks: props.contextWindowFallbacks ?? fallbacks,
      retries,
      timeoutSeconds,
      minReplicas,
      maxReplicas,
      image,
      masterKeyVersion,
      teams: (props.teams ?? []).map((t) => ({ name: t.name, requestsPerMinute: t.requestsPerMinute, tokensPerMinute: t.tokensPerMinute, keyVersion: t.keyVersion ?? 1 })),
      database: withTeams
        ? {
            instanceClass: dbInstanceClass,
            allocatedStorageGiB: dbStorage,
            multiAz: db.multiAz ?? true,
            backupRetentionDays: dbBackupDays,
            deletionProtection: db.deletionProtection ?? true,
            adminPasswordVersion: dbPasswordVersion,
          }
        : undefined,
      responseCache: cacheProps ? { ttlSeconds: cacheTtl, nodeType: cacheNodeType, replicas: cacheReplicas } : undefined,
      ingress: { certificateArn: ing.certificateArn, host: ing.host, sslPolicy: ing.sslPolicy, cidrs },
      upstreamCaBundlePem: pem,
      datastoreIdBase: (cacheProps || withTeams) && options.constructPath !== undefined ? datastoreIdBase(c.clusterName, options.constructPath) : undefined,
    },
  };
}
