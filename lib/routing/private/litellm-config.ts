/*
 * The LiteLLM proxy configuration (config.yaml) an InferenceRouter generates, as plain data.
 *
 * Field names follow LiteLLM's proxy documentation (docs/my-website/docs/proxy/config_settings.md,
 * configs.md, auto_routing.md and reliability.md in BerriAI/litellm) for the pinned release:
 * `model_list[].litellm_params.{model, api_base, api_key, timeout, stream_timeout, max_retries}`,
 * `model_list[].model_info.{mode, max_input_tokens}`, `router_settings.{routing_strategy, num_retries,
 * timeout, fallbacks, context_window_fallbacks, enable_pre_call_checks}`, `general_settings.master_key`
 * and `litellm_settings.{cache, cache_params}` (caching_settings.md, elasticache_iam.md).
 */

/** Complexity tiers of LiteLLM's complexity router, in ascending order. */
export const LITELLM_TIERS = ["SIMPLE", "MEDIUM", "COMPLEX", "REASONING"] as const;

/** model_name of the complexity-routed entry; clients send `"model": "auto"`. */
export const AUTO_MODEL_NAME = "auto";

/** Environment variable the proxy reads the master key from (`os.environ/...` in config.yaml). */
export const MASTER_KEY_ENV = "LITELLM_MASTER_KEY";

/** Environment variable holding the response cache's primary endpoint (`os.environ/...` in config.yaml). */
export const CACHE_HOST_ENV = "LITELLM_CACHE_HOST";

/**
 * The endpoints serve no API key: their internal load balancers admit only the VPC and the pods run
 * behind NetworkPolicies. The OpenAI client LiteLLM uses for `openai/` models still wants a non-empty
 * key, so this placeholder (not a secret) is sent.
 */
export const UPSTREAM_API_KEY_PLACEHOLDER = "none";

/** One model the router serves, resolved from a CanaryModelEndpoint. */
export interface ResolvedRouterModel {
  /** model_name clients send. */
  readonly alias: string;
  /** Served model name on the endpoint (the upstream OpenAI `model` field). */
  readonly servedModel: string;
  /** https://<endpoint host>/v1 */
  readonly apiBase: string;
  /**
   * Longest prompt the server accepts, in tokens, when known: the endpoint's
   * `container.maxInputTokens` (vLLM's --max-model-len, TGI's --max-input-tokens), never TGI's
   * --max-total-tokens. LiteLLM's pre-call check compares each prompt with it and sends a longer one
   * to the context-window fallback; a larger value lets the prompt through to TGI, which answers
   * 422 (text-generation-inference@v3.3.6:router/src/validation.rs:180-182, router/src/server.rs:2405).
   */
  readonly maxInputTokens?: number;
}

/** Everything config.yaml depends on. */
export interface LiteLlmConfigInput {
  /** Models, smallest first. */
  readonly models: readonly ResolvedRouterModel[];
  /** Alias per LiteLLM tier. */
  readonly tiers: Readonly<Record<(typeof LITELLM_TIERS)[number], string>>;
  /** Alias the complexity router uses when it cannot place a request. */
  readonly defaultModel: string;
  /** alias -> aliases tried in order on errors. */
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  /** alias -> aliases tried in order when the prompt does not fit. */
  readonly contextWindowFallbacks: Readonly<Record<string, readonly string[]>>;
  /** Router retries per model before its fallbacks. */
  readonly retries: number;
  /** Seconds one upstream call may take. */
  readonly timeoutSeconds: number;
  /**
   * Connections each replica may open to LiteLLM's database, when the router has one (teams and
   * keys live there). The database URL comes from the environment (IAM token authentication).
   */
  readonly databaseConnectionPoolLimit?: number;
  /** The response cache, when on. */
  readonly responseCache?: ResponseCacheConfig;
}

/** LiteLLM's Redis response cache on ElastiCache with IAM authentication (no password anywhere). */
export interface ResponseCacheConfig {
  /** `os.environ/<VAR>` naming the variable that holds the primary endpoint's host name. */
  readonly host: string;
  /** Port (6379). */
  readonly port: number;
  /** ElastiCache user in IAM mode; its user name equals its user id. */
  readonly userName: string;
  /** Replication group id: what the SigV4 token is signed for. */
  readonly cacheName: string;
  /** Seconds a cached response is served. */
  readonly ttlSeconds: number;
  /** Key prefix. */
  readonly namespace: string;
}

/**
 * The call types the response cache serves: chat, text completions and embeddings. Audio
 * transcriptions and the Responses API are left out (large or stateful payloads).
 */
export const CACHED_CALL_TYPES = ["acompletion", "atext_completion", "aembedding"] as const;

/** LiteLLM's list-of-single-key-maps form: [{ small: [large] }, ...], entries without targets left out. */
function fallbackList(map: Readonly<Record<string, readonly string[]>>): Array<Record<string, string[]>> {
  return Object.entries(map)
    .filter(([, targets]) => targets.length > 0)
    .map(([alias, targets]) => ({ [alias]: [...targets] }));
}

/** The LiteLLM proxy config object. Holds no secret: the master key is read from the environment. */
export function liteLlmConfig(input: LiteLlmConfigInput): Record<string, unknown> {
  const modelList: Array<Record<string, unknown>> = input.models.map((m) => ({
    model_name: m.alias,
    litellm_params: {
      // "openai/" is LiteLLM's provider for any OpenAI-compatible server; vLLM and TGI serve /v1
      // (POST /v1/chat/completions: vllm@v0.11.0:vllm/entrypoints/openai/api_server.py,
      // text-generation-inference@v3.3.6:router/src/server.rs:2203-2204). Triton does not (refused).
      model: `openai/${m.servedModel}`,
      api_base: m.apiBase,
      api_key: UPSTREAM_API_KEY_PLACEHOLDER,
      timeout: input.timeoutSeconds,
      stream_timeout: input.timeoutSeconds,
      // The OpenAI client's own retries would multiply the router's num_retries.
      max_retries: 0,
    },
    model_info: {
      mode: "chat",
      ...(m.maxInputTokens !== undefined ? { max_input_tokens: m.maxInputTokens } : {}),
    },
  }));
  // Complexity-based auto routing: LiteLLM's local heuristic scorer, no model call per request.
  // The plain heuristic classifier with operator-chosen tier models is free in the open-source proxy;
  // LiteLLM meters heuristic_v2, custom tier_definitions, classifier prompts and scorer tuning (weights,
  // boundaries, keyword lists) against its Enterprise "auto_router" license feature, so none is set here.
  modelList.push({
    model_name: AUTO_MODEL_NAME,
    litellm_params: {
      model: "auto_router/complexity_router",
      complexity_router_config: {
        classifier_type: "heuristic",
        tiers: { ...input.tiers },
      },
      complexity_router_default_model: input.defaultModel,
    },
  });

  return {
    model_list: modelList,
    router_settings: {
      // One deployment per model (the endpoint's load balancer spreads over its replicas and Argo
      // Rollouts splits stable/canary), so the strategy only matters for LiteLLM's bookkeeping.
      routing_strategy: "simple-shuffle",
      num_retries: input.retries,
      timeout: input.timeoutSeconds,
      fallbacks: fallbackList(input.fallbacks),
      context_window_fallbacks: fallbackList(input.contextWindowFallbacks),
      // Checks a prompt against model_info.max_input_tokens (context-window fallback before the call).
      enable_pre_call_checks: true,
      // allowed_fails / cooldown_time are left unset on purpose: each model is a single deployment,
      // which LiteLLM does not cool down unless allowed_fails is set, and cooling one down would send
      // all of its traffic to its fallback (the larger, scarcer model) for the whole cooldown.
    },
    litellm_settings: {
      // Prompts and completions never reach a logging callback; request metadata still does.
      turn_off_message_logging: true,
      json_logs: true,
      ...(input.responseCache ? responseCacheSettings(input.responseCache) : {}),
    },
    general_settings: {
      master_key: `os.environ/${MASTER_KEY_ENV}`,
      // Each replica's share of the database's connections (LiteLLM's default is 100 per replica).
      ...(input.databaseConnectionPoolLimit !== undefined ? { database_connection_pool_limit: input.databaseConnectionPoolLimit } : {}),
    },
  };
}

/**
 * `cache` and `cache_params` for a cluster-mode-disabled ElastiCache replication group with IAM
 * authentication, as LiteLLM documents it (docs/proxy/elasticache_iam.md in BerriAI/litellm-docs,
 * "Self-designed cluster": `host` is the primary endpoint, `ssl: true` is mandatory, and
 * `aws_iam_cache_name` is the replication group id, which is signed). The signing region falls back
 * to AWS_REGION, which the router sets. Credentials come from the pod's EKS Pod Identity role.
 */
function responseCacheSettings(cache: ResponseCacheConfig): Record<string, unknown> {
  return {
    cache: true,
    cache_params: {
      type: "redis",
      host: cache.host,
      port: cache.port,
      ssl: true,
      aws_iam_auth: true,
      aws_iam_user_name: cache.userName,
      aws_iam_cache_name: cache.cacheName,
      namespace: cache.namespace,
      ttl: cache.ttlSeconds,
      supported_call_types: [...CACHED_CALL_TYPES],
    },
  };
}

/** config.yaml text: a YAML comment and the config as JSON, which YAML parsers read as flow style. */
export function renderConfigYaml(config: Record<string, unknown>): string {
  return `# LiteLLM proxy config generated by cdktf-secure-inference InferenceRouter. Holds no secret.\n${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Cycles of a fallback graph, each as a closed path ("a", "b", "a"), a self-loop as ("a", "a").
 * Each cycle is reported once, starting at its first node in the graph's key order.
 */
export function fallbackCycles(graph: Readonly<Record<string, readonly string[]>>): string[][] {
  const order = Object.keys(graph);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph[node] ?? []) {
      const s = state.get(next);
      if (s === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        // Rotate to start at the node listed first, so a -> b -> a and b -> a -> b are one cycle.
        const start = cycle.reduce((best, n) => (order.indexOf(n) < order.indexOf(best) ? n : best), cycle[0]);
        const i = cycle.indexOf(start);
        const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
        const key = rotated.join("\u0000");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, start]);
        }
      } else if (s === undefined && next in graph) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of order) if (!state.has(node)) visit(node);
  return cycles;
}
