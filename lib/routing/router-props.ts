/*
 * The props of an InferenceRouter and the constants its builders share, apart from the construct so
 * that lib/routing/private/* import them without a cycle back to inference-router.ts.
 */
import type { ClusterConnection } from "../cluster/cluster-connection";
import type { CanaryModelEndpoint } from "../endpoint/canary-model-endpoint";

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
