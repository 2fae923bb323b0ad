import { TerraformStack } from "cdktf";
import { warn } from "../private/stack-synthesis";
import { Construct } from "constructs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ClusterProviders } from "../addons/cluster-providers";
import { providerRegion } from "../private/aws-context";
import { generatedSecret } from "../private/datastore";
import { MODEL_FETCH_IMAGE } from "../private/images";
import { Problems } from "../private/validation";
import { EncryptionKey } from "../security/encryption-key";
import { PodIdentityRole } from "../security/pod-identity-role";
import { InferenceRouterProps, RouterTier } from "./router-props";
import { AUTO_MODEL_NAME, CACHE_HOST_ENV, liteLlmConfig, renderConfigYaml } from "./private/litellm-config";
import { resolveRouter } from "./private/resolve-router";
import { rotatedByVersion } from "./private/secret-rotation";
import { cacheUserName, CACHE_PORT, ResponseCacheResources } from "./private/response-cache";
import { RouterDatabaseResources } from "./private/router-database";
import { routerDeployment, routerScaling } from "./private/router-deployment";
import { databaseSetupJob, teamsJob } from "./private/router-jobs";
import { adminClientLabels, datastoreClientLabels, jobLabels, routerObjects } from "./private/router-labels";
import { adminClientPolicies, databaseEgressPolicy, loadBalancerIngressPolicy, responseCacheEgressPolicy } from "./private/router-network-policies";
import { routerLoadBalancer, routerService } from "./private/router-service";
import { masterKeyReadPolicy, secretsManagerViaService, teamKeysReadPolicy } from "./private/secret-read-policies";


/** Connections each router replica may open to its database: 6 replicas stay far below a db.t4g.small's ~200. */
const DATABASE_POOL_PER_REPLICA = 10;

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
 * the list no longer names, with their keys. The database refuses unencrypted connections
 * (rds.force_ssl). The setup Job's psql verifies the server's certificate (sslmode=verify-full) against
 * RDS's CA bundle, which the init containers fetch from the partition's RDS trust store (commercial or
 * GovCloud; a database in the China regions is refused). The router passes DATABASE_SSLMODE=verify-full
 * and the bundle to LiteLLM, whose Prisma client verifies the certificate only if LiteLLM translates
 * them into Prisma's sslaccept=strict; LiteLLM does so from 1.101.0 (BerriAI/litellm#40272), which
 * could not be checked against the pinned release's source here.
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
  /**
   * Validates props without creating anything; one line per problem, each starting with `prefix`.
   * The name defaults to the construct id, which only the constructor checks.
   */
  static validate(props: InferenceRouterProps, prefix = ""): string[] {
    const resolution = resolveRouter(props, { prefix });
    return resolution.ok ? [] : [...resolution.problems];
  }

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
  /** The pods' role: reads the master key and connects to the response cache and the database when the router has them, nothing else. */
  public readonly podRole: PodIdentityRole;
  /** Replication group id of the response cache (also the prefix of its other ElastiCache ids), when on. */
  public readonly responseCacheId?: string;
  /** Team name -> ARN of the Secrets Manager secret holding the team's key (its bearer token). Empty without teams. */
  public readonly teamKeySecretArns: Readonly<Record<string, string>>;
  /** Identifier of LiteLLM's RDS instance, when the router has teams. */
  public readonly databaseIdentifier?: string;

  constructor(scope: Construct, id: string, props: InferenceRouterProps) {
    super(scope, id);
    const resolution = resolveRouter(props, { id, constructPath: this.node.path });
    const stackRegion = providerRegion(this);
    const china = (props.teams ?? []).length > 0 && stackRegion !== undefined && stackRegion.startsWith("cn-");
    const problems = [
      ...(resolution.ok ? [] : resolution.problems),
      // RDS_CA_BUNDLE_URLS: no trust-store address for the China regions was confirmed from AWS's pages.
      ...(china ? [`teams: a router with teams runs a database whose certificate bundle this library has no confirmed address for in ${stackRegion} (aws-cn); run the router without teams there, or in another partition`] : []),
    ];
    if (!resolution.ok || problems.length > 0) refuse(this, problems);
    if (!resolution.ok) throw new Error("unreachable");
    const r = resolution.router;
    const c = props.connection;
    const { name, namespace: ns } = r;
    // Ephemeral resources and write-only attributes (the master key) need Terraform 1.11.
    TerraformStack.of(this).addOverride("terraform.required_version", ">= 1.11.0");

    this.routerName = name;
    this.namespace = ns;
    this.responseCacheId = r.responseCache ? r.datastoreIdBase : undefined;
    this.tiers = r.tiers;
    this.fallbacks = r.fallbacks;
    this.contextWindowFallbacks = r.contextWindowFallbacks;
    this.config = liteLlmConfig({
      models: r.models,
      tiers: { SIMPLE: r.tiers.simple, MEDIUM: r.tiers.medium, COMPLEX: r.tiers.complex, REASONING: r.tiers.reasoning },
      // When the scorer cannot place a prompt: the medium tier's model, not the scarce largest pool.
      defaultModel: r.tiers.medium,
      fallbacks: r.fallbacks,
      contextWindowFallbacks: r.contextWindowFallbacks,
      retries: r.retries,
      timeoutSeconds: r.timeoutSeconds,
      databaseConnectionPoolLimit: r.database ? DATABASE_POOL_PER_REPLICA : undefined,
      responseCache: r.responseCache && this.responseCacheId
        ? {
            host: `os.environ/${CACHE_HOST_ENV}`,
            port: CACHE_PORT,
            userName: cacheUserName(this.responseCacheId),
            cacheName: this.responseCacheId,
            ttlSeconds: r.responseCache.ttlSeconds,
            namespace: `litellm.${ns}.${name}`,
          }
        : undefined,
    });
    this.configYaml = renderConfigYaml(this.config);

    const k8s = routerObjects(ClusterProviders.of(this, c).kubernetes, name, ns);
    const region = c.region;
    const tags = { "secure-inference/cluster": c.clusterName, "secure-inference/router": `${ns}/${name}` };

    // --- the master key: generated and stored in AWS, never in plan, state or Kubernetes ----------
    this.encryptionKey = new EncryptionKey(this, "key", {
      purpose: "router-secrets",
      aliasPrefix: `${c.clusterName}/${ns}/${name}`,
      description: `Encrypts the secrets of router ${ns}/${name} on ${c.clusterName} (LiteLLM master key${this.responseCacheId ? ", response cache" : ""})`,
      tags,
    });
    const keyArn = this.encryptionKey.keyArn;
    // Generated by Secrets Manager during the apply and written write-only; LiteLLM expects "sk-" keys.
    const masterKey = generatedSecret(this, "master-key", {
      namePrefix: `${c.clusterName}/${ns}/${name}/master-key-`,
      description: `LiteLLM master key of router ${ns}/${name} on ${c.clusterName}; clients send it as the bearer token`,
      kmsKeyId: keyArn,
      version: r.masterKeyVersion,
      length: 48,
      valuePrefix: "sk-",
      ephemeralBase: `${name}_master_key`,
      tags,
    });
    rotatedByVersion(masterKey, "masterKeyVersion");
    const secretArn = masterKey.secret.arn;
    this.masterKeySecretArn = secretArn;

    // The router's datastores: private subnets, reachable from the cluster's nodes only.
    const placement = r.datastoreIdBase
      ? { idBase: r.datastoreIdBase, clusterName: c.clusterName, routerRef: `${ns}/${name}`, vpcId: c.vpcId, subnetIds: c.privateSubnetIds, clientSecurityGroupId: c.clusterSecurityGroupId, tags }
      : undefined;
    const cache = r.responseCache && placement
      ? new ResponseCacheResources(this, "response-cache", { ...placement, kmsKeyArn: keyArn, nodeType: r.responseCache.nodeType, replicas: r.responseCache.replicas })
      : undefined;

    // --- teams: LiteLLM's database and one generated key per team ---------------------------------
    const database = r.database && placement ? new RouterDatabaseResources(this, "database", { ...placement, encryptionKey: this.encryptionKey, ...r.database }) : undefined;
    this.databaseIdentifier = database?.identifier;
    const teamSecrets = r.teams.map((team) => {
      const key = generatedSecret(this, `team-key-${team.name}`, {
        namePrefix: `${c.clusterName}/${ns}/${name}/team/${team.name}-`,
        description: `LiteLLM key of team ${team.name} on router ${ns}/${name} of ${c.clusterName}; the team sends it as the bearer token`,
        kmsKeyId: keyArn,
        version: team.keyVersion,
        length: 48,
        valuePrefix: "sk-",
        ephemeralBase: `${name}_team_${team.name}`,
        tags: { ...tags, "secure-inference/team": team.name },
      });
      rotatedByVersion(key, `teams[].keyVersion of team ${team.name}`);
      return { team, secret: key.secret, version: key.version };
    });
    this.teamKeySecretArns = Object.fromEntries(teamSecrets.map(({ team, secret }) => [team.name, secret.arn]));

    const viaSecretsManager = secretsManagerViaService(this, region);
    this.podRole = new PodIdentityRole(this, "pod-role", {
      clusterName: c.clusterName,
      clusterArn: c.clusterArn,
      namespace: ns,
      serviceAccount: name,
      purpose: `router-${name}`.slice(0, 20),
      description: `Router ${ns}/${name} of ${c.clusterName}: reads its LiteLLM master key${cache ? ", connects to its response cache" : ""}${database ? ", connects to its database" : ""}`,
      policies: {
        "master-key-read": masterKeyReadPolicy(secretArn, keyArn, viaSecretsManager),
        ...(cache ? { "response-cache-connect": cache.connectPolicy } : {}),
        ...(database ? { "database-connect": database.connectPolicy } : {}),
      },
      tags,
    });

    // --- Kubernetes: identity, config, pods -----------------------------------------------------
    new ServiceAccountV1(this, "service-account", { provider: k8s.provider, metadata: { name, namespace: ns, labels: k8s.labels }, automountServiceAccountToken: false });
    const configMapName = `${name}-config`;
    new ConfigMapV1(this, "config", { provider: k8s.provider, metadata: { name: configMapName, namespace: ns, labels: k8s.labels }, data: { "config.yaml": this.configYaml } });
    const upstreamCaConfigMapName = r.upstreamCaBundlePem !== undefined ? `${name}-upstream-ca` : undefined;
    if (r.upstreamCaBundlePem !== undefined) {
      new ConfigMapV1(this, "upstream-ca", { provider: k8s.provider, metadata: { name: upstreamCaConfigMapName, namespace: ns, labels: k8s.labels }, data: { "ca.pem": r.upstreamCaBundlePem } });
    }

    // --- the database's login: a one-off Job with the admin password, before the router starts ------
    let setupJob: JobV1 | undefined;
    if (database) {
      const databaseEgress = databaseEgressPolicy(this, k8s, c.vpcCidr as string);
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
        provider: k8s.provider,
        namespace: ns,
        routerName: name,
        labels: jobLabels(name, "db-setup"),
        region,
        fetchImage: MODEL_FETCH_IMAGE,
        databaseHost: database.address,
        adminSecretArn: database.adminSecretArn,
        podLabels: datastoreClientLabels(name),
        dependsOn: [database.instance, database.adminPasswordVersion, databaseEgress, ...roleDependencies(setupRole)],
      });
    }

    const deployment = routerDeployment(this, k8s, {
      configYaml: this.configYaml,
      configMapName,
      upstreamCaConfigMapName,
      image: r.image,
      timeoutSeconds: r.timeoutSeconds,
      region,
      masterKeySecretArn: secretArn,
      masterKeyVersion: r.masterKeyVersion,
      cacheHost: cache?.primaryEndpointAddress,
      databaseHost: database?.address,
      // The pods need their role (Pod Identity) before they can read the key.
      // The new key version first: pods restarted for a rotation must read the new key.
      // The database's login must exist before LiteLLM connects at start.
      dependsOn: [...roleDependencies(this.podRole), masterKey.version, ...(setupJob ? [setupJob] : [])],
    });
    routerScaling(this, k8s, r.minReplicas, r.maxReplicas);

    // --- network: only the load balancer (its subnets, else the client CIDRs) reaches the pods -----
    loadBalancerIngressPolicy(this, k8s, c.loadBalancerCidrs ?? r.ingress.cidrs);
    if (cache) responseCacheEgressPolicy(this, k8s, c.vpcCidr as string);
    this.serviceUrl = routerService(this, k8s);

    // --- teams: registered with the running router by a Job that calls its admin API in the cluster --
    if (r.teams.length > 0 && database) {
      const admin = adminClientPolicies(this, k8s);
      const teamsRole = new PodIdentityRole(this, "teams-role", {
        clusterName: c.clusterName,
        clusterArn: c.clusterArn,
        namespace: ns,
        serviceAccount: `${name}-teams`,
        purpose: `teams-${name}`.slice(0, 20),
        description: `Teams Job of router ${ns}/${name} on ${c.clusterName}: reads the master key and the teams' keys`,
        policies: {
          "master-key-read": masterKeyReadPolicy(secretArn, keyArn, viaSecretsManager),
          "team-keys-read": teamKeysReadPolicy(teamSecrets.map((t) => t.secret.arn), keyArn, viaSecretsManager),
        },
        tags,
      });
      teamsJob(this, {
        provider: k8s.provider,
        namespace: ns,
        routerName: name,
        labels: jobLabels(name, "teams"),
        region,
        fetchImage: MODEL_FETCH_IMAGE,
        masterKeySecretArn: secretArn,
        teams: teamSecrets.map(({ team, secret }) => ({ ...team, keySecretArn: secret.arn })),
        models: [...r.models.map((m) => m.alias), AUTO_MODEL_NAME],
        routerUrl: this.serviceUrl,
        podLabels: adminClientLabels(name),
        databaseId: database.instance.resourceId,
        dependsOn: [deployment, admin.ingress, admin.egress, ...teamSecrets.map((t) => t.version), ...roleDependencies(teamsRole)],
      });
      if (!cache) {
        warn(this, 
          `${this.node.path}: the teams' rate limits are counted by each router replica on its own (up to ${r.maxReplicas} replicas), so a team may send up to ${r.maxReplicas} times its limit; turn on responseCache, whose Redis LiteLLM uses to share its counters`,
        );
      }
    }

    // --- internal HTTPS load balancer (the same annotations as an endpoint's) ----------------------
    this.url = routerLoadBalancer(this, k8s, {
      ingress: r.ingress,
      timeoutSeconds: r.timeoutSeconds,
      clusterName: c.clusterName,
      accessLogs: { bucketName: c.loadBalancerLogBucketName, prefix: c.loadBalancerLogPrefix },
    });
  }
}

/** What a pod must wait for before it can use its Pod Identity role: the policy attachments and the association. */
function roleDependencies(role: PodIdentityRole) {
  return [...role.attachments, ...(role.association ? [role.association] : [])];
}

/** Throws the router's ValidationError, leaving no trace of it in the tree. */
function refuse(router: InferenceRouter, problems: readonly string[]): never {
  const p = new Problems();
  p.addAll(problems);
  p.throwIfAny(router, "InferenceRouter");
  throw new Error("unreachable: a failed resolution has problems");
}
