import { createHash } from "crypto";
import { Annotations, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { ClusterProviders } from "../addons/cluster-providers";
import type { ClusterConnection } from "../cluster/cluster-connection";
import { CanaryModelEndpoint } from "../endpoint/canary-model-endpoint";
import { generatedSecret } from "../private/datastore";
import { imageProblems, MODEL_FETCH_IMAGE } from "../private/images";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../private/pod-security";
import { internalAlbAnnotations, validateInternalAlb } from "../private/internal-alb";
import { isDnsLabel, isLiteral, Problems, show } from "../private/validation";
import { EncryptionKey } from "../security/encryption-key";
import { PodIdentityRole } from "../security/pod-identity-role";
import { PolicyDocument } from "../security/policy-document";
import { CACHE_PORT, cacheIdBase, cacheUserName, ResponseCacheResources } from "./private/response-cache";
import { DATABASE_NAME, DATABASE_PORT, DATABASE_USER, RouterDatabaseResources } from "./private/router-database";
import { databaseSetupJob, fetchRdsCaBundle, teamsJob } from "./private/router-jobs";
import {
  AUTO_MODEL_NAME,
  fallbackCycles,
  liteLlmConfig,
  MASTER_KEY_ENV,
  renderConfigYaml,
  ResolvedRouterModel,
} from "./private/litellm-config";

/** A complexity tier of the auto router: clients that send `"model": "auto"` are routed by it. */
export type RouterTier = "simple" | "medium" | "complex" | "reasoning";

/** A model the router serves. */
export interface RouterModel {
  /** The endpoint serving it; it must have `ingress.host` (the router calls `https://<host>/v1`). */
  readonly endpoint: CanaryModelEndpoint;
  /**
   * Name clients send in the OpenAI `model` field.
   * @default - the endpoint's name (`endpoint.endpointName`)
   */
  readonly alias?: string;
}

/** A team of callers, its rate limits and its key. */
export interface RouterTeam {
  /** Team name: 1-40 lower-case letters, digits and "-", starting with a letter or digit (LiteLLM team id, key alias `team-<name>`). */
  readonly name: string;
  /**
   * Requests per minute the team may send.
   * @default - unlimited
   */
  readonly requestsPerMinute?: number;
  /**
   * Tokens (prompt plus completion) per minute the team may use.
   * @default - unlimited
   */
  readonly tokensPerMinute?: number;
  /**
   * Version of the team's key. Raising it stores a new random key in the team's secret and binds it
   * to the team in place of the old one (rotation).
   * @default 1
   */
  readonly keyVersion?: number;
}

/** LiteLLM's database, which a router with teams runs (RDS for PostgreSQL, IAM authentication). */
export interface RouterDatabase {
  /**
   * DB instance class.
   * @default "db.t4g.small"
   */
  readonly instanceClass?: string;
  /**
   * Storage in GiB, 20 to 1000; storage autoscaling may grow it to five times that.
   * @default 20
   */
  readonly allocatedStorageGiB?: number;
  /**
   * A standby in another zone with automatic failover. Without it, an outage of the instance stops
   * every request: LiteLLM checks each key against the database.
   * @default true
   */
  readonly multiAz?: boolean;
  /**
   * Days of automated backups (point-in-time recovery), 7 to 35.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Refuse deletion of the instance (destroying the router then fails until it is turned off).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Version of the generated admin password. Raising it writes a new random password to the
   * instance and its secret (rotation, or recovery when an apply wrote only one of them); the setup
   * Job is the only user of it.
   * @default 1
   */
  readonly adminPasswordVersion?: number;
}

/** The router's optional response cache: ElastiCache for Valkey, encrypted at rest and in transit, IAM-authenticated. */
export interface RouterResponseCache {
  /**
   * Seconds a cached response is served, 1 to 604800 (7 days). Clients skip the cache per request
   * with `"cache": {"no-cache": true}` in the request body, or bound it with `"cache": {"ttl": N}`.
   * @default 3600
   */
  readonly ttlSeconds?: number;
  /**
   * ElastiCache node type of each node.
   * @default "cache.t4g.small"
   */
  readonly nodeType?: string;
  /**
   * Replicas beside the primary, each in another zone, 0 to 5. With at least one, ElastiCache fails
   * over automatically (Multi-AZ). 0 is a single node: its loss empties the cache, running routers
   * log cache errors, and router pods started before it is replaced fail their start (LiteLLM
   * checks a configured cache at startup). The compliance packs warn on 0.
   * @default 1
   */
  readonly replicas?: number;
}

/** Replica bounds of the router. */
export interface RouterReplicas {
  /**
   * Fewest replicas; at least 2, because the PodDisruptionBudget keeps one available and a node drain must be able to evict the other.
   * @default 2
   */
  readonly min?: number;
  /**
   * Most replicas the CPU autoscaler may run.
   * @default - 6, or min when that is larger
   */
  readonly max?: number;
}

/** The router's internal HTTPS load balancer. */
export interface RouterIngress {
  /** ACM certificate ARN for the HTTPS listener. */
  readonly certificateArn: string;
  /**
   * Host name of the listener rule (the certificate must cover it); also the router's URL.
   * @default - every host; the URL is then the load balancer's DNS name
   */
  readonly host?: string;
  /**
   * ELB security policy of the listener; TLS 1.2 or newer only.
   * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
   */
  readonly sslPolicy?: string;
  /**
   * CIDRs that may connect to the load balancer.
   * @default - the cluster's VPC CIDR
   */
  readonly allowedCidrs?: string[];
}

/** Props of an InferenceRouter. */
export interface InferenceRouterProps {
  /** The cluster, from the platform stack (`cluster.connection`). */
  readonly connection: ClusterConnection;
  /** Namespace to deploy the router into (a WorkloadNamespace; its HTTPS egress reaches the endpoints' load balancers). */
  readonly namespace: string;
  /**
   * Kubernetes name of the router: a DNS label of at most 40 characters.
   * @default - the construct id
   */
  readonly name?: string;
  /** The models to route between, at least one; their aliases must be unique. */
  readonly models: RouterModel[];
  /**
   * Model alias per complexity tier of the `auto` model. Prompts LiteLLM's scorer cannot place go to the medium tier's model.
   * @default - simple and medium: the smallest model (by weights in GiB); complex and reasoning: the largest
   */
  readonly tiers?: Partial<Record<RouterTier, string>>;
  /**
   * Alias -> aliases tried in order when the model fails after its retries.
   * @default - each model falls back to the next larger one
   */
  readonly fallbacks?: Record<string, string[]>;
  /**
   * Alias -> aliases tried in order when a prompt does not fit the model's context window.
   * @default - the same as `fallbacks`
   */
  readonly contextWindowFallbacks?: Record<string, string[]>;
  /**
   * Retries of a failed call on the same model before its fallbacks, 0 to 10.
   * @default 2
   */
  readonly retries?: number;
  /**
   * Seconds one call to a model may take, 1 to 3600 (also the router load balancer's idle timeout).
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /**
   * Teams, each with its own key and rate limits. LiteLLM keeps teams and keys in its database, so a
   * router with teams runs one (see `database`) and registers the teams and their keys after each
   * change; `teamKeySecretArns` names the secret holding each team's key. See the class docs.
   * @default - no teams: clients use the master key, without rate limits
   */
  readonly teams?: RouterTeam[];
  /**
   * LiteLLM's database for the teams; used only when `teams` is not empty.
   * @default - db.t4g.small, 20 GiB, Multi-AZ, 7 days of backups, deletion protection
   */
  readonly database?: RouterDatabase;
  /**
   * Replica bounds; a HorizontalPodAutoscaler scales on CPU (70% of requests).
   * @default - 2 to 6
   */
  readonly replicas?: RouterReplicas;
  /** The internal HTTPS load balancer in front of the router. */
  readonly ingress: RouterIngress;
  /**
   * LiteLLM proxy image, pinned by tag or digest. It must run as a non-root user and have `sh` and
   * `litellm` on its PATH (the non_root variants of LiteLLM's images do).
   * @default LITELLM_IMAGE
   */
  readonly image?: string;
  /**
   * PEM bundle of the CA that issued the endpoints' certificates, when it is a private CA (names such
   * as *.internal cannot have public certificates). The router trusts it for its calls to the endpoints.
   * @default - the public CAs of the image (certifi)
   */
  readonly upstreamCaBundlePem?: string;
  /**
   * An exact-match response cache shared by the router's replicas (LiteLLM's Redis cache): an
   * identical request (model, messages and parameters) within the TTL is answered from the cache
   * without calling the model. Off unless given. See {@link RouterResponseCache}.
   * @default - no response cache
   */
  readonly responseCache?: RouterResponseCache;
  /**
   * Version of the generated master key. Raising it makes Terraform store a new random key in
   * Secrets Manager (rotation) and restarts the router pods so they read it.
   * @default 1
   */
  readonly masterKeyVersion?: number;
}

/**
 * LiteLLM's non-root proxy image, release v1.108.12 (an LTS patch of the 1.108 line). The release page
 * gives `cosign verify ... ghcr.io/berriai/litellm:v1.108.12`, "same command for litellm-database,
 * litellm-non_root". The non_root image runs as `nobody` (65534), which restricted Pod Security needs.
 */
export const LITELLM_IMAGE = "ghcr.io/berriai/litellm-non_root:v1.108.12";
/** Port the proxy listens on (LiteLLM's default). */
export const ROUTER_PORT = 4000;
/** Label every router pod carries. */
export const ROUTER_LABEL = "secure-inference.io/router";
/** uid of `nobody` in LiteLLM's non_root image. */
const ROUTER_UID = 65534;
const TIERS: readonly RouterTier[] = ["simple", "medium", "complex", "reasoning"];
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,127}$/;
const TEAM_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CONFIG_DIR = "/etc/litellm";
/** Memory-backed volume the master key is written to; it never touches a disk or the Kubernetes API. */
const SECRET_DIR = "/run/secrets/litellm";
const MASTER_KEY_FILE = `${SECRET_DIR}/master-key`;
/** Where the private CA bundle for calls to the endpoints is mounted. */
const CA_DIR = "/etc/ssl/upstream-ca";
/**
 * Memory volume holding the trust bundle the router uses with a private CA: the public CAs of the
 * init container's image (Amazon Linux) plus the private CA. SSL_CERT_FILE replaces the default
 * trust of every TLS client in the process (the model calls, and the response cache's connections
 * to ElastiCache, whose certificates chain to Amazon's public roots), so it must keep the public CAs.
 */
const TRUST_DIR = "/run/trust";
const TRUST_BUNDLE = `${TRUST_DIR}/ca-bundle.pem`;
/** RDS's CA bundle, fetched by the init container when the router has a database. */
const RDS_CA_FILE = `${TRUST_DIR}/rds-ca.pem`;
/** The public CA bundle of the aws-cli image (Amazon Linux 2, ca-certificates). */
const SYSTEM_CA_BUNDLE = "/etc/pki/tls/certs/ca-bundle.crt";
/** Connections each router replica may open to its database: 6 replicas stay far below a db.t4g.small's ~200. */
const DATABASE_POOL_PER_REPLICA = 10;
/** Pods that may reach the router's datastores carry this label (router pods, the database setup Job). */
const DATASTORE_CLIENT_LABEL = "secure-inference.io/router-datastore-client";
/** Pods that may call the router's admin API in the cluster carry this label (the teams Job). */
const ADMIN_CLIENT_LABEL = "secure-inference.io/router-admin-client";
/** Environment variable holding the response cache's primary endpoint (config.yaml reads it). */
const CACHE_HOST_ENV = "LITELLM_CACHE_HOST";
/** Seconds a terminating router pod keeps serving while the ALB deregisters it. */
const ROUTER_PRE_STOP_SECONDS = 20;

/**
 * An OpenAI-compatible router in front of several CanaryModelEndpoints, run by the LiteLLM proxy:
 * clients send a model alias, or `"model": "auto"` to let LiteLLM's complexity router pick a model
 * by how hard the prompt looks (simple and medium prompts to a small model, complex and reasoning
 * to a large one). A failed call is retried, then falls back to the next larger model; a prompt too
 * long for a model goes to one with a larger context window.
 *
 * The router calls each endpoint through its internal load balancer (`https://<ingress.host>/v1`),
 * so Argo Rollouts' canary weights apply to routed traffic as to direct traffic.
 *
 * The master key is generated in AWS (Secrets Manager's GetRandomPassword, through an ephemeral
 * resource) and written with a write-only attribute, so it is in neither the plan nor the state; it
 * is encrypted with a customer-managed key of its own. An init container reads it with the pods'
 * EKS Pod Identity role (GetSecretValue on that secret only, kms:Decrypt only through Secrets
 * Manager for it) into a memory-backed volume; no Kubernetes Secret holds it. (LiteLLM's own AWS
 * Secrets Manager integration, `key_management_system: aws_secret_manager`, is documented as an
 * Enterprise feature and would need a license key, itself a secret to deliver; everything this
 * router configures runs on the open-source proxy.) Requires Terraform 1.11 or newer (write-only
 * attributes, ephemeral resources). Read the key with
 * `aws secretsmanager get-secret-value --secret-id <masterKeySecretArn>`.
 *
 * Teams and rate limits: without `teams`, clients use the master key (the proxy's admin key) and
 * nothing is rate-limited. With `teams`, each team gets its own key and its own requests and tokens
 * per minute, enforced by LiteLLM on the key's team (429 over the limit). LiteLLM keeps teams and keys
 * in its database, so the router then runs one: RDS for PostgreSQL 17, encrypted with the router's
 * key, Multi-AZ, TLS only, reached with IAM tokens as a `litellm` login that a one-off setup Job
 * creates (the admin password is generated in AWS and written write-only; only that Job reads it).
 * After each change a second Job registers the teams, their limits and their keys through LiteLLM's
 * admin API. Each team's key is generated in AWS into its own secret (`teamKeySecretArns`; raise
 * `keyVersion` to rotate it); give a team read access to its secret. LiteLLM counts limits in each
 * replica's memory unless it has Redis, so with teams turn on `responseCache`, whose Redis it then
 * shares (synth warns otherwise). Teams are declared in code only: the Job deletes the LiteLLM teams
 * the list no longer names, with their keys. The setup Job and the router verify the database's
 * certificate (verify-full) against RDS's CA bundle, which their init containers fetch from RDS's
 * trust store (commercial partition).
 *
 * Response cache (`responseCache`, off by default): LiteLLM's exact-match Redis cache on an
 * ElastiCache for Valkey replication group, encrypted at rest with the router's key and in transit
 * with TLS required, in the cluster's private subnets. No Redis password exists: the router's
 * ElastiCache user is in IAM mode and LiteLLM signs a short-lived token per connection with the
 * pods' role, which may `elasticache:Connect` to this cache as this user only (LiteLLM's
 * `aws_iam_auth`, in releases since 1.102). A hit skips the model, and the canary: cached answers
 * come from whichever version produced them, for up to `ttlSeconds`. The router reaches the cache
 * through an egress NetworkPolicy to port 6379 in the VPC's primary CIDR (`connection.vpcCidr`),
 * where the cluster's private subnets are. LiteLLM's Redis documentation says that without a
 * separate coordination Redis it also coordinates replicas through this one (pub/sub, hence the
 * user's "&*" channel grant), and its Redis requirements page names rate limiting across replicas as
 * what the Redis is for; that the counters are shared was read in its documentation, not measured.
 */
export class InferenceRouter extends Construct {
  /** Kubernetes name. */
  public readonly routerName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The generated LiteLLM proxy config (config.yaml), for tests and review. Holds no secret. */
  public readonly config: Record<string, unknown>;
  /** config.yaml as mounted into the pods. */
  public readonly configYaml: string;
  /** ARN of the Secrets Manager secret holding the master key (clients send it as the bearer token). */
  public readonly masterKeySecretArn: string;
  /** HTTPS URL of the router's load balancer; OpenAI clients use `${url}/v1`. */
  public readonly url: string;
  /** In-cluster URL of the router's Service. */
  public readonly serviceUrl: string;
  /** Model alias per tier, with defaults applied. */
  public readonly tiers: Readonly<Record<RouterTier, string>>;
  /** Fallbacks with defaults applied. */
  public readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  /** Context-window fallbacks with defaults applied. */
  public readonly contextWindowFallbacks: Readonly<Record<string, readonly string[]>>;
  /** The key encrypting the router's secrets. */
  public readonly encryptionKey: EncryptionKey;
  /** The pods' role: reads the master key and connects to the response cache, nothing else. */
  public readonly podRole: PodIdentityRole;
  /** Replication group id of the response cache (also the prefix of its other ElastiCache ids), when on. */
  public readonly responseCacheId?: string;
  /** Team name -> ARN of the Secrets Manager secret holding the team's key (its bearer token). Empty without teams. */
  public readonly teamKeySecretArns: Readonly<Record<string, string>>;
  /** Identifier of LiteLLM's RDS instance, when the router has teams. */
  public readonly databaseIdentifier?: string;

  constructor(scope: Construct, id: string, props: InferenceRouterProps) {
    super(scope, id);
    const c = props.connection;
    const name = props.name ?? id;
    const ns = props.namespace;
    const p = new Problems();

    // --- validation: every problem at once ----------------------------------------------------
    if (!isDnsLabel(name, 40)) p.add(props.name === undefined ? "id" : "name", `${show(name)} must be a DNS label of at most 40 characters (it names the Deployment, Service and load balancer); e.g. "llm-router"`);
    if (isLiteral(ns) && !isDnsLabel(ns)) p.add("namespace", `${show(ns)} is not a namespace name (DNS label)`);
    const models = props.models ?? [];
    if (models.length === 0) p.add("models", "is empty; give at least one { endpoint } to route to");
    const aliases = models.map((m) => m.alias ?? m.endpoint.endpointName);
    const firstIndex = new Map<string, number>();
    for (const [i, m] of models.entries()) {
      const alias = aliases[i];
      const prop = `models[${i}]`;
      if (!ALIAS.test(alias)) p.add(`${prop}.alias`, `${show(alias)} must be 1-128 letters, digits, ".", "_", "-" or "/" (what clients send as "model")`);
      else if (alias === AUTO_MODEL_NAME) p.add(`${prop}.alias`, `"${AUTO_MODEL_NAME}" is reserved for the complexity-routed model; give this model another alias`);
      const first = firstIndex.get(alias);
      if (first !== undefined) p.add(`${prop}.alias`, `${show(alias)} is also the alias of models[${first}]; aliases must be unique, set alias on one of them`);
      else firstIndex.set(alias, i);
      const ep = m.endpoint;
      if (ep.host === undefined) {
        p.add(`${prop}.endpoint`, `endpoint ${ep.namespace}/${ep.endpointName} (${ep.node.path}) has no ingress.host; the router calls https://<host>/v1 on the endpoint's internal load balancer so that its canary weights apply. Set ingress.host on that CanaryModelEndpoint to a name its certificate covers and that resolves to its load balancer, e.g. "${ep.endpointName}.models.example.internal"`);
      }
      if (ep.container.kind === "triton") {
        p.add(`${prop}.endpoint`, `endpoint ${ep.namespace}/${ep.endpointName} runs Triton, whose HTTP API is KServe v2, not OpenAI's /v1; route only to vLLM, TGI or OpenAI-compatible custom servers`);
      }
    }
    const known = new Set(aliases);
    const knownList = () => [...known].map((a) => `"${a}"`).join(", ");

    for (const [tier, alias] of Object.entries(props.tiers ?? {})) {
      if (!TIERS.includes(tier as RouterTier)) p.add(`tiers.${tier}`, `is not a tier; tiers are ${TIERS.map((t) => `"${t}"`).join(", ")}`);
      else if (alias === undefined || !known.has(alias)) p.add(`tiers.${tier}`, `${show(alias)} is not an alias of this router; aliases: ${knownList()}`);
    }
    const checkFallbacks = (prop: string, map: Record<string, string[]> | undefined) => {
      if (map === undefined) return;
      for (const [from, targets] of Object.entries(map)) {
        if (!known.has(from)) p.add(prop, `key ${show(from)} is not an alias of this router; aliases: ${knownList()}`);
        for (const [j, to] of (targets ?? []).entries()) {
          if (!known.has(to)) p.add(`${prop}.${from}[${j}]`, `${show(to)} is not an alias of this router; aliases: ${knownList()}`);
        }
      }
      for (const cycle of fallbackCycles(map)) {
        p.add(prop, `fallback loop ${cycle.join(" -> ")}: a failing request would be retried around it; fall back only towards models that do not fall back to the first`);
      }
    };
    checkFallbacks("fallbacks", props.fallbacks);
    checkFallbacks("contextWindowFallbacks", props.contextWindowFallbacks);

    const retries = props.retries ?? 2;
    if (!(Number.isInteger(retries) && retries >= 0 && retries <= 10)) p.add("retries", `${show(retries)} must be a whole number from 0 to 10`);
    const timeoutSeconds = props.timeoutSeconds ?? 600;
    if (!(Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= 3600)) {
      p.add("timeoutSeconds", `${show(timeoutSeconds)} must be a whole number of seconds from 1 to 3600 (it is also the load balancer's idle timeout), e.g. 600`);
    }
    const minReplicas = props.replicas?.min ?? 2;
    const maxReplicas = props.replicas?.max ?? Math.max(6, minReplicas);
    if (!(Number.isInteger(minReplicas) && minReplicas >= 2)) p.add("replicas.min", `${show(minReplicas)} must be a whole number, at least 2: the PodDisruptionBudget keeps one replica available, so a single replica would block node drains and be a single point of failure`);
    if (!(Number.isInteger(maxReplicas) && maxReplicas >= 1)) p.add("replicas.max", `${show(maxReplicas)} must be a whole number, at least 1`);
    else if (minReplicas > maxReplicas) p.add("replicas", `min (${minReplicas}) must not exceed max (${maxReplicas})`);
    const image = props.image ?? LITELLM_IMAGE;
    p.addAll(imageProblems("image", image, LITELLM_IMAGE));
    const keyVersion = props.masterKeyVersion ?? 1;
    if (!(Number.isInteger(keyVersion) && keyVersion >= 1)) p.add("masterKeyVersion", `${show(keyVersion)} must be a whole number, at least 1; raise it to rotate the master key`);

    const teamNames = new Set<string>();
    for (const [i, t] of (props.teams ?? []).entries()) {
      if (!t.name || t.name.trim() === "") p.add(`teams[${i}].name`, "is empty; name the team");
      else if (!TEAM_NAME.test(t.name)) p.add(`teams[${i}].name`, `${show(t.name)} must be 1-40 lower-case letters, digits and "-", starting with a letter or digit (it is the LiteLLM team id and names the team's secret), e.g. "search"`);
      else if (teamNames.has(t.name)) p.add(`teams[${i}].name`, `${show(t.name)} is listed twice; team names must be unique`);
      teamNames.add(t.name);
      for (const [field, v] of [["requestsPerMinute", t.requestsPerMinute], ["tokensPerMinute", t.tokensPerMinute]] as const) {
        if (v !== undefined && !(Number.isInteger(v) && v >= 1)) p.add(`teams[${i}].${field}`, `${show(v)} must be a whole number, at least 1 (leave it out for no limit)`);
      }
      if (t.keyVersion !== undefined && !(Number.isInteger(t.keyVersion) && t.keyVersion >= 1)) p.add(`teams[${i}].keyVersion`, `${show(t.keyVersion)} must be a whole number, at least 1; raise it to rotate the team's key`);
    }
    const withTeams = (props.teams ?? []).length > 0;
    const db = props.database ?? {};
    const dbInstanceClass = db.instanceClass ?? "db.t4g.small";
    const dbStorage = db.allocatedStorageGiB ?? 20;
    const dbBackupDays = db.backupRetentionDays ?? 7;
    if (props.database && !withTeams) p.add("database", "is given without teams; the database holds LiteLLM's teams and keys, so give teams or leave database out");
    if (isLiteral(dbInstanceClass) && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(dbInstanceClass)) p.add("database.instanceClass", `${show(dbInstanceClass)} is not an RDS instance class; use e.g. "db.t4g.small" or "db.m7g.large"`);
    if (!(Number.isInteger(dbStorage) && dbStorage >= 20 && dbStorage <= 1000)) p.add("database.allocatedStorageGiB", `${show(dbStorage)} must be whole GiB from 20 to 1000`);
    if (!(Number.isInteger(dbBackupDays) && dbBackupDays >= 7 && dbBackupDays <= 35)) p.add("database.backupRetentionDays", `${show(dbBackupDays)} must be whole days from 7 to 35 (RDS keeps at most 35; the compliance packs ask for 7)`);
    const dbPasswordVersion = db.adminPasswordVersion ?? 1;
    if (!(Number.isInteger(dbPasswordVersion) && dbPasswordVersion >= 1)) p.add("database.adminPasswordVersion", `${show(dbPasswordVersion)} must be a whole number, at least 1; raise it to write a new admin password`);
    if (withTeams && c.vpcCidr === undefined) p.add("teams", "need the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to its database; give existingVpc.cidrBlock on the cluster");

    const ing = props.ingress;
    const cidrs = ing.allowedCidrs ?? (c.vpcCidr !== undefined ? [c.vpcCidr] : []);
    validateInternalAlb(p, "ingress", ing.certificateArn, ing.sslPolicy, cidrs);
    const pem = props.upstreamCaBundlePem;
    const cacheProps = props.responseCache;
    const cacheTtl = cacheProps?.ttlSeconds ?? 3600;
    const cacheNodeType = cacheProps?.nodeType ?? "cache.t4g.small";
    const cacheReplicas = cacheProps?.replicas ?? 1;
    if (cacheProps) {
      if (!(Number.isInteger(cacheTtl) && cacheTtl >= 1 && cacheTtl <= 604800)) p.add("responseCache.ttlSeconds", `${show(cacheTtl)} must be whole seconds from 1 to 604800 (7 days), e.g. 3600`);
      if (isLiteral(cacheNodeType) && !/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(cacheNodeType)) p.add("responseCache.nodeType", `${show(cacheNodeType)} is not an ElastiCache node type; use e.g. "cache.t4g.small" or "cache.r7g.large"`);
      if (!(Number.isInteger(cacheReplicas) && cacheReplicas >= 0 && cacheReplicas <= 5)) p.add("responseCache.replicas", `${show(cacheReplicas)} must be a whole number from 0 to 5 (replicas beside the primary; 1 or more for automatic failover)`);
      if (c.vpcCidr === undefined) p.add("responseCache", "needs the cluster's VPC CIDR (connection.vpcCidr) for the router's egress policy to the cache; give existingVpc.cidrBlock on the cluster");
    }
    if ((cacheProps || withTeams) && isLiteral(c.clusterName) && !/^[A-Za-z]/.test(c.clusterName)) {
      p.add(cacheProps ? "responseCache" : "teams", `the cluster name ${show(c.clusterName)} starts with a digit, and ElastiCache and RDS ids (which start with it) must start with a letter`);
    }
    if (pem !== undefined && isLiteral(pem) && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
      p.add("upstreamCaBundlePem", "is not a PEM bundle; give the private CA's certificate(s), each between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----");
    }
    p.throwIfAny(this, "InferenceRouter");
    // Ephemeral resources and write-only attributes (the master key) need Terraform 1.11.
    TerraformStack.of(this).addOverride("terraform.required_version", ">= 1.11.0");

    // From here on every input is valid.
    this.routerName = name;
    this.namespace = ns;
    const idBase = cacheProps || withTeams ? cacheIdBase(c.clusterName, this.node.path) : undefined;
    const cacheBase = cacheProps ? idBase : undefined;
    this.responseCacheId = cacheBase;

    // --- routing: tiers and fallbacks from model size -------------------------------------------
    const bySize = models
      .map((m, i) => ({ m, alias: aliases[i], i }))
      .sort((a, b) => a.m.endpoint.fit.weightsGiB - b.m.endpoint.fit.weightsGiB || a.m.endpoint.model.parametersBillions - b.m.endpoint.model.parametersBillions || a.i - b.i);
    const smallest = bySize[0].alias;
    const largest = bySize[bySize.length - 1].alias;
    const defaultTiers: Record<RouterTier, string> = { simple: smallest, medium: smallest, complex: largest, reasoning: largest };
    this.tiers = { ...defaultTiers, ...(props.tiers as Record<RouterTier, string> | undefined) };
    const nextLarger: Record<string, string[]> = {};
    bySize.forEach((entry, k) => {
      nextLarger[entry.alias] = k + 1 < bySize.length ? [bySize[k + 1].alias] : [];
    });
    this.fallbacks = props.fallbacks ?? nextLarger;
    this.contextWindowFallbacks = props.contextWindowFallbacks ?? this.fallbacks;

    const teams = props.teams ?? [];
    const resolved: ResolvedRouterModel[] = bySize.map(({ m, alias }) => ({
      alias,
      servedModel: m.endpoint.modelName,
      apiBase: `https://${m.endpoint.host}/v1`,
      maxInputTokens: m.endpoint.container.maxModelLen,
    }));
    this.config = liteLlmConfig({
      models: resolved,
      tiers: { SIMPLE: this.tiers.simple, MEDIUM: this.tiers.medium, COMPLEX: this.tiers.complex, REASONING: this.tiers.reasoning },
      // When the scorer cannot place a prompt: the medium tier's model, not the scarce largest pool.
      defaultModel: this.tiers.medium,
      fallbacks: this.fallbacks,
      contextWindowFallbacks: this.contextWindowFallbacks,
      retries,
      timeoutSeconds,
      databaseConnectionPoolLimit: withTeams ? DATABASE_POOL_PER_REPLICA : undefined,
      responseCache: cacheBase
        ? {
            host: `os.environ/${CACHE_HOST_ENV}`,
            port: CACHE_PORT,
            userName: cacheUserName(cacheBase),
            cacheName: cacheBase,
            ttlSeconds: cacheTtl,
            namespace: `litellm.${ns}.${name}`,
          }
        : undefined,
    });
    this.configYaml = renderConfigYaml(this.config);

    const provider = ClusterProviders.of(this, c).kubernetes;
    const region = c.region;
    const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "inference-router", "app.kubernetes.io/managed-by": "cdktf-secure-inference", [ROUTER_LABEL]: name };
    const selector = { [ROUTER_LABEL]: name };
    const tags = { "secure-inference/cluster": c.clusterName, "secure-inference/router": `${ns}/${name}` };

    // --- the master key: generated and stored in AWS, never in plan, state or Kubernetes ----------
    this.encryptionKey = new EncryptionKey(this, "key", {
      purpose: "router-secrets",
      aliasPrefix: `${c.clusterName}/${ns}/${name}`,
      description: `Encrypts the secrets of router ${ns}/${name} on ${c.clusterName} (LiteLLM master key${cacheBase ? ", response cache" : ""})`,
      tags,
    });
    // Generated by Secrets Manager during the apply and written write-only; LiteLLM expects "sk-" keys.
    const masterKey = generatedSecret(this, "master-key", {
      namePrefix: `${c.clusterName}/${ns}/${name}/master-key-`,
      description: `LiteLLM master key of router ${ns}/${name} on ${c.clusterName}; clients send it as the bearer token`,
      kmsKeyId: this.encryptionKey.keyArn,
      version: keyVersion,
      length: 48,
      valuePrefix: "sk-",
      ephemeralBase: `${name}_master_key`,
      tags,
    });
    const secret = masterKey.secret;
    const keyValue = masterKey.version;
    this.masterKeySecretArn = secret.arn;

    // The router's datastores: private subnets, reachable from the cluster's nodes only.
    const placement = idBase
      ? { idBase, clusterName: c.clusterName, routerRef: `${ns}/${name}`, vpcId: c.vpcId, subnetIds: c.privateSubnetIds, clientSecurityGroupId: c.clusterSecurityGroupId, tags }
      : undefined;
    const cache = cacheBase && placement
      ? new ResponseCacheResources(this, "response-cache", {
          ...placement,
          kmsKeyArn: this.encryptionKey.keyArn,
          nodeType: cacheNodeType,
          replicas: cacheReplicas,
        })
      : undefined;

    // --- teams: LiteLLM's database and one generated key per team ---------------------------------
    const database = withTeams && placement
      ? new RouterDatabaseResources(this, "database", {
          ...placement,
          encryptionKey: this.encryptionKey,
          instanceClass: dbInstanceClass,
          allocatedStorageGiB: dbStorage,
          multiAz: db.multiAz ?? true,
          backupRetentionDays: dbBackupDays,
          deletionProtection: db.deletionProtection ?? true,
          adminPasswordVersion: dbPasswordVersion,
        })
      : undefined;
    this.databaseIdentifier = database?.identifier;
    const teamSecrets = teams.map((t) => {
      const key = generatedSecret(this, `team-key-${t.name}`, {
        namePrefix: `${c.clusterName}/${ns}/${name}/team/${t.name}-`,
        description: `LiteLLM key of team ${t.name} on router ${ns}/${name} of ${c.clusterName}; the team sends it as the bearer token`,
        kmsKeyId: this.encryptionKey.keyArn,
        version: t.keyVersion ?? 1,
        length: 48,
        valuePrefix: "sk-",
        ephemeralBase: `${name}_team_${t.name}`,
        tags: { ...tags, "secure-inference/team": t.name },
      });
      return { team: t, secret: key.secret, version: key.version };
    });
    this.teamKeySecretArns = Object.fromEntries(teamSecrets.map(({ team, secret: s2 }) => [team.name, s2.arn]));

    this.podRole = new PodIdentityRole(this, "pod-role", {
      clusterName: c.clusterName,
      clusterArn: c.clusterArn,
      namespace: ns,
      serviceAccount: name,
      purpose: `router-${name}`.slice(0, 20),
      description: `Router ${ns}/${name} of ${c.clusterName}: reads its LiteLLM master key${cache ? ", connects to its response cache" : ""}${database ? ", connects to its database" : ""}`,
      policies: {
        "master-key-read": masterKeyReadPolicy(secret.arn, this.encryptionKey.keyArn, region),
        ...(cache ? { "response-cache-connect": cache.connectPolicy } : {}),
        ...(database ? { "database-connect": database.connectPolicy } : {}),
      },
      tags,
    });

    // --- Kubernetes: identity, config, pods -----------------------------------------------------
    new ServiceAccountV1(this, "service-account", {
      provider,
      metadata: { name, namespace: ns, labels },
      automountServiceAccountToken: false,
    });
    const configMapName = `${name}-config`;
    new ConfigMapV1(this, "config", {
      provider,
      metadata: { name: configMapName, namespace: ns, labels },
      data: { "config.yaml": this.configYaml },
    });
    if (props.upstreamCaBundlePem) {
      new ConfigMapV1(this, "upstream-ca", {
        provider,
        metadata: { name: `${name}-upstream-ca`, namespace: ns, labels },
        data: { "ca.pem": props.upstreamCaBundlePem },
      });
    }

    const containerSecurity = restrictedContainerSecurity();
    // The key is read into the process environment (LiteLLM reads master_key from os.environ) and
    // never printed; the check makes an unreadable or empty key fail the start instead of starting open.
    const startScript = [
      "set -eu",
      `key="$(cat ${MASTER_KEY_FILE})"`,
      `[ -n "$key" ] || { echo "the master key file ${MASTER_KEY_FILE} is empty" >&2; exit 1; }`,
      `export ${MASTER_KEY_ENV}="$key"`,
      "unset key",
      `exec litellm --config ${CONFIG_DIR}/config.yaml --host 0.0.0.0 --port ${ROUTER_PORT}`,
    ].join("\n");
    const fetchScript = [
      "set -eu",
      "umask 077",
      `aws secretsmanager get-secret-value --secret-id "$MASTER_KEY_SECRET_ARN" --query SecretString --output text > ${MASTER_KEY_FILE}`,
      ...(pem
        ? [
            "umask 022",
            `[ -s ${SYSTEM_CA_BUNDLE} ] || { echo "the image has no public CA bundle at ${SYSTEM_CA_BUNDLE}" >&2; exit 1; }`,
            `cat ${SYSTEM_CA_BUNDLE} ${CA_DIR}/ca.pem > ${TRUST_BUNDLE}`,
          ]
        : []),
      // The database's CA bundle, so that the connection verifies the server (verify-full).
      ...(database ? ["umask 022", ...fetchRdsCaBundle(RDS_CA_FILE)] : []),
    ].join("\n");
    const trustVolume = pem !== undefined || database !== undefined;
    // --- the database's login: a one-off Job with the admin password, before the router starts ------
    const jobLabels = (component: string) => ({
      "app.kubernetes.io/name": `${name}-${component}`,
      "app.kubernetes.io/component": `inference-router-${component}`,
      "app.kubernetes.io/managed-by": "cdktf-secure-inference",
    });
    let setupJob: JobV1 | undefined;
    if (database) {
      // The router and the setup Job reach PostgreSQL in the VPC; the namespace denies other egress.
      const databaseEgress = new NetworkPolicyV1(this, "allow-database", {
        provider,
        metadata: { name: `${name}-to-database`, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: { [DATASTORE_CLIENT_LABEL]: name } },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: c.vpcCidr as string } }], ports: [{ port: String(DATABASE_PORT), protocol: "TCP" }] }],
        },
      });
      const setupRole = new PodIdentityRole(this, "database-setup-role", {
        clusterName: c.clusterName,
        clusterArn: c.clusterArn,
        namespace: ns,
        serviceAccount: `${name}-db-setup`,
        purpose: `dbsetup-${name}`.slice(0, 20),
        description: `Database setup Job of router ${ns}/${name} on ${c.clusterName}: reads the database's admin password`,
        policies: { "admin-password-read": database.adminReadPolicy },
        tags,
      });
      setupJob = databaseSetupJob(this, {
        provider,
        namespace: ns,
        routerName: name,
        labels: jobLabels("db-setup"),
        region,
        fetchImage: MODEL_FETCH_IMAGE,
        databaseHost: database.address,
        adminSecretArn: database.adminSecretArn,
        podLabels: { [DATASTORE_CLIENT_LABEL]: name },
        dependsOn: [database.instance, database.adminPasswordVersion, databaseEgress, ...setupRole.attachments, ...(setupRole.association ? [setupRole.association] : [])],
      });
    }

    const deployment = new DeploymentV1(this, "deployment", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: {
        // No `replicas`: the HorizontalPodAutoscaler owns the count and Terraform leaves it alone.
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0", maxSurge: "1" } },
        template: {
          metadata: {
            labels: { ...labels, ...(database ? { [DATASTORE_CLIENT_LABEL]: name } : {}) },
            annotations: {
              // A config change or a new master key rolls the pods.
              "secure-inference.io/config-sha256": createHash("sha256").update(this.configYaml).digest("hex"),
              "secure-inference.io/master-key-version": String(keyVersion),
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity(ROUTER_UID),
            // No toleration of the GPU taint: the router runs on the system nodes, never on a GPU.
            topologySpreadConstraint: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
            ],
            // preStop pause, then a call may run as long as its timeout.
            terminationGracePeriodSeconds: ROUTER_PRE_STOP_SECONDS + timeoutSeconds + 10,
            initContainer: [
              {
                name: "fetch-master-key",
                image: MODEL_FETCH_IMAGE,
                command: ["/bin/sh", "-c", fetchScript],
                env: [
                  { name: "MASTER_KEY_SECRET_ARN", value: secret.arn },
                  { name: "AWS_REGION", value: region },
                  { name: "HOME", value: "/tmp" },
                ],
                securityContext: containerSecurity,
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                volumeMount: [
                  { name: "master-key", mountPath: SECRET_DIR },
                  { name: "fetch-tmp", mountPath: "/tmp" },
                  ...(pem ? [{ name: "upstream-ca", mountPath: CA_DIR, readOnly: true }] : []),
                  ...(trustVolume ? [{ name: "trust", mountPath: TRUST_DIR }] : []),
                ],
              },
            ],
            container: [
              {
                name: "litellm",
                image,
                command: ["/bin/sh", "-c", startScript],
                env: [
                  // The admin UI needs LiteLLM's database, which this router does not run.
                  { name: "DISABLE_ADMIN_UI", value: "True" },
                  { name: "HOME", value: "/tmp" },
                  { name: "XDG_CACHE_HOME", value: "/tmp/.cache" },
                  { name: "AWS_REGION", value: region },
                  // The model cost map ships in the image; do not fetch it from GitHub at start.
                  { name: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" },
                  // The cache's primary endpoint: a replaced cache changes it, which rolls the pods.
                  ...(cache ? [{ name: CACHE_HOST_ENV, value: cache.primaryEndpointAddress }] : []),
                  // LiteLLM's database: IAM token authentication (a fresh SigV4 token before each expires), no password.
                  ...(database
                    ? [
                        { name: "IAM_TOKEN_DB_AUTH", value: "True" },
                        { name: "DATABASE_HOST", value: database.address },
                        { name: "DATABASE_PORT", value: String(DATABASE_PORT) },
                        { name: "DATABASE_USER", value: DATABASE_USER },
                        { name: "DATABASE_USERNAME", value: DATABASE_USER },
                        { name: "DATABASE_NAME", value: DATABASE_NAME },
                        { name: "AWS_REGION_NAME", value: region },
                        // Verify the server's certificate against RDS's CA bundle before the IAM token is sent.
                        { name: "DATABASE_SSLMODE", value: "verify-full" },
                        { name: "DATABASE_SSLROOTCERT", value: RDS_CA_FILE },
                        // Prisma's migrations at start need a writable directory (read-only root filesystem).
                        { name: "LITELLM_MIGRATION_DIR", value: "/tmp/litellm-migrations" },
                      ]
                    : []),
                  ...(pem ? [{ name: "SSL_CERT_FILE", value: TRUST_BUNDLE }, { name: "REQUESTS_CA_BUNDLE", value: TRUST_BUNDLE }] : []),
                ],
                port: [{ name: "http", containerPort: ROUTER_PORT, protocol: "TCP" }],
                // The router runs on the system nodes beside the controllers: keep its request modest.
                resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
                // Keep serving while the ALB deregisters the pod.
                lifecycle: { preStop: [{ exec: { command: ["/bin/sh", "-c", `sleep ${ROUTER_PRE_STOP_SECONDS}`] } }] },
                securityContext: containerSecurity,
                // LiteLLM's health routes, as its Helm chart probes them; neither calls a model.
                startupProbe: { httpGet: { path: "/health/readiness", port: "http" }, periodSeconds: 5, failureThreshold: 60 },
                readinessProbe: { httpGet: { path: "/health/readiness", port: "http" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
                livenessProbe: { httpGet: { path: "/health/liveliness", port: "http" }, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 },
                volumeMount: [
                  { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                  { name: "master-key", mountPath: SECRET_DIR, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                  ...(trustVolume ? [{ name: "trust", mountPath: TRUST_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volume: [
              { name: "config", configMap: { name: configMapName } },
              ...(pem ? [{ name: "upstream-ca", configMap: { name: `${name}-upstream-ca` } }] : []),
              ...(trustVolume ? [{ name: "trust", emptyDir: { medium: "Memory", sizeLimit: "2Mi" } }] : []),
              // tmpfs: the key lives in the pod's memory only.
              { name: "master-key", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
              { name: "fetch-tmp", emptyDir: { sizeLimit: "64Mi" } },
              { name: "tmp", emptyDir: { sizeLimit: "512Mi" } },
            ],
          },
        },
      },
      // The pods need their role (Pod Identity) before they can read the key.
      // The new key version first: pods restarted for a rotation must read the new key.
      // The database's login must exist before LiteLLM connects at start.
      dependsOn: [...this.podRole.attachments, ...(this.podRole.association ? [this.podRole.association] : []), keyValue, ...(setupJob ? [setupJob] : [])],
    });

    new HorizontalPodAutoscalerV2(this, "autoscaler", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: {
        minReplicas,
        maxReplicas,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
      },
    });
    new PodDisruptionBudgetV1(this, "pdb", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: { minAvailable: "1", selector: { matchLabels: selector } },
    });

    // --- network: only the load balancer (the VPC or allowedCidrs) reaches the pods ---------------
    new NetworkPolicyV1(this, "allow-load-balancer", {
      provider,
      metadata: { name: `${name}-from-load-balancer`, namespace: ns, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        // Only the load balancer subnets (no pods there); an existing VPC without them falls back to the client CIDRs.
        ingress: [{ from: (c.loadBalancerCidrs ?? cidrs).map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
      },
    });
    if (cache) {
      // The namespace denies egress but HTTPS and DNS; the cache listens on 6379 in the VPC.
      new NetworkPolicyV1(this, "allow-response-cache", {
        provider,
        metadata: { name: `${name}-to-response-cache`, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Egress"],
          egress: [{ to: [{ ipBlock: { cidr: c.vpcCidr as string } }], ports: [{ port: String(CACHE_PORT), protocol: "TCP" }] }],
        },
      });
    }
    new ServiceV1(this, "service", {
      provider,
      metadata: { name, namespace: ns, labels },
      spec: { type: "ClusterIP", selector, port: [{ name: "http", port: ROUTER_PORT, targetPort: "http", protocol: "TCP" }] },
    });
    this.serviceUrl = `http://${name}.${ns}.svc.cluster.local:${ROUTER_PORT}`;

    // --- teams: registered with the running router by a Job that calls its admin API in the cluster --
    if (teamSecrets.length > 0) {
      const adminClient = { [ADMIN_CLIENT_LABEL]: name };
      const adminIngress = new NetworkPolicyV1(this, "allow-admin-client", {
        provider,
        metadata: { name: `${name}-from-admin-client`, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ podSelector: { matchLabels: adminClient } }], ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
        },
      });
      const adminEgress = new NetworkPolicyV1(this, "allow-admin-client-egress", {
        provider,
        metadata: { name: `${name}-admin-client-to-router`, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: adminClient },
          policyTypes: ["Egress"],
          egress: [{ to: [{ podSelector: { matchLabels: selector } }], ports: [{ port: String(ROUTER_PORT), protocol: "TCP" }] }],
        },
      });
      const teamsRole = new PodIdentityRole(this, "teams-role", {
        clusterName: c.clusterName,
        clusterArn: c.clusterArn,
        namespace: ns,
        serviceAccount: `${name}-teams`,
        purpose: `teams-${name}`.slice(0, 20),
        description: `Teams Job of router ${ns}/${name} on ${c.clusterName}: reads the master key and the teams' keys`,
        policies: {
          "master-key-read": masterKeyReadPolicy(secret.arn, this.encryptionKey.keyArn, region),
          "team-keys-read": teamKeysReadPolicy(teamSecrets.map((t) => t.secret.arn), this.encryptionKey.keyArn, region),
        },
        tags,
      });
      teamsJob(this, {
        provider,
        namespace: ns,
        routerName: name,
        labels: jobLabels("teams"),
        region,
        fetchImage: MODEL_FETCH_IMAGE,
        masterKeySecretArn: secret.arn,
        teams: teamSecrets.map(({ team, secret: s2 }) => ({ ...team, keySecretArn: s2.arn, keyVersion: team.keyVersion ?? 1 })),
        models: [...bySize.map((b) => b.alias), AUTO_MODEL_NAME],
        routerUrl: this.serviceUrl,
        podLabels: adminClient,
        databaseId: (database as RouterDatabaseResources).instance.resourceId,
        dependsOn: [deployment, adminIngress, adminEgress, ...teamSecrets.map((t) => t.version), ...teamsRole.attachments, ...(teamsRole.association ? [teamsRole.association] : [])],
      });
      if (!cache) {
        Annotations.of(this).addWarning(
          `${this.node.path}: the teams' rate limits are counted by each router replica on its own (up to ${maxReplicas} replicas), so a team may send up to ${maxReplicas} times its limit; turn on responseCache, whose Redis LiteLLM uses to share its counters`,
        );
      }
    }

    // --- internal HTTPS load balancer (the same annotations as an endpoint's) ----------------------
    const ingress = new IngressV1(this, "ingress", {
      provider,
      metadata: {
        name,
        namespace: ns,
        labels,
        annotations: {
          ...internalAlbAnnotations({
            certificateArn: ing.certificateArn,
            sslPolicy: ing.sslPolicy,
            inboundCidrs: cidrs,
            healthCheckPath: "/health/readiness",
            // Idle timeout = one call's timeout: the load balancer never cuts a call LiteLLM still waits on.
            idleTimeoutSeconds: timeoutSeconds,
            tags: { "secure-inference/cluster": c.clusterName, "secure-inference/router": `${ns}.${name}` },
          }),
        },
      },
      spec: {
        ingressClassName: "alb",
        rule: [{ host: ing.host, http: { path: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { number: ROUTER_PORT } } } }] } }],
      },
      waitForLoadBalancer: true,
    });
    this.url = ing.host !== undefined ? `https://${ing.host}` : `https://${ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname}`;
  }
}

/** GetSecretValue on the teams' keys only; kms:Decrypt only as Secrets Manager does it for them. */
function teamKeysReadPolicy(secretArns: string[], keyArn: string, region: string): PolicyDocument {
  return new PolicyDocument([
    { sid: "ReadTeamKeys", actions: ["secretsmanager:GetSecretValue"], resources: secretArns },
    {
      sid: "DecryptTeamKeysThroughSecretsManager",
      actions: ["kms:Decrypt"],
      resources: [keyArn],
      conditions: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secretArns } },
    },
  ]);
}

/** GetSecretValue on the master key only; kms:Decrypt only as Secrets Manager does it for that secret. */
function masterKeyReadPolicy(secretArn: string, keyArn: string, region: string): PolicyDocument {
  return new PolicyDocument([
    { sid: "ReadMasterKey", actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] },
    {
      sid: "DecryptMasterKeyThroughSecretsManager",
      actions: ["kms:Decrypt"],
      resources: [keyArn],
      conditions: {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${region}.amazonaws.com`,
          // Secrets Manager's encryption context names the secret.
          "kms:EncryptionContext:SecretARN": secretArn,
        },
      },
    },
  ]);
}
