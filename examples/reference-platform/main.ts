import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CanaryModelEndpoint, ClusterAddons, Compliance, GithubDeployRole, InferenceRouter, InferenceServer, SecureInferenceCluster, SecureInferenceClusterProps, StateBackend, WorkloadNamespace } from "../../lib";

/** Stacks of the reference platform, returned for tests and for composition. */
export interface ReferencePlatform {
  /** Deployed once by an administrator: Terraform state bucket and the CI roles that deploy the rest. */
  readonly bootstrap: TerraformStack;
  /** AWS resources only: network, keys, EKS, node pools. */
  readonly platform: TerraformStack;
  /** The cluster construct. */
  readonly cluster: SecureInferenceCluster;
  /** Kubernetes side: controllers (Helm) and the workload namespace, configured from cluster.connection. */
  readonly addons: TerraformStack;
  /** Model endpoints; applied after the add-ons, whose CRDs they need at plan time. */
  readonly serving: TerraformStack;
  /** The small model on the L4 pool. */
  readonly chat: CanaryModelEndpoint;
  /** The large model on the H100 pool. */
  readonly large: CanaryModelEndpoint;
  /** The OpenAI-compatible router in front of both. */
  readonly router: InferenceRouter;
}

/** The AWS account of the example. */
export const ACCOUNT_ID = "123456789012";
/** Names of the CI roles the bootstrap stack creates (GitHub Actions assumes them through OIDC). */
export const CI_ROLE_NAMES = { deploy: "github-deploy-ml-prod", plan: "github-plan-ml-prod" } as const;

/** Route 53 private hosted zone of models.example.internal, associated with the cluster's VPC. */
export const MODELS_PRIVATE_ZONE_ID = "Z04312345EXAMPLEZONE1";

/** ACM certificate of the endpoints' internal load balancers (issued for *.models.example.internal). */
export const ENDPOINT_CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";

/** The reference platform's cluster: defaults plus two GPU pools, MFA-gated access and an alarm subscription. */
export const REFERENCE_CLUSTER: SecureInferenceClusterProps = {
  clusterName: "ml-prod",
  kubernetesVersion: "1.35",
  // Zones given explicitly: no EC2 API read at plan time.
  network: { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
  gpuNodePools: [
    // chat: 5 replicas, and 5 canary replicas beside a warm stable at the last rollout step.
    { name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], minSize: 0, maxSize: 10 },
    { name: "h100", instanceTypes: ["p5.48xlarge"], minSize: 0, maxSize: 2, capacityType: "ON_DEMAND", dataVolumeSizeGiB: 1000 },
  ],
  // People reach the cluster only through these roles, with MFA no older than an hour.
  access: {
    admins: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/platform-admins"] },
    operators: { trustedAccountIds: ["123456789012"], namespaces: ["models"] },
    viewers: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ml-engineers"] },
    breakGlass: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/security-officers"] },
  },
  monitoring: { alarmEmailAddresses: ["ml-oncall@example.com"] },
};

/**
 * The reference platform: a private, encrypted EKS cluster with an L4 pool that scales from zero
 * and an H100 pool for large models.
 */
export function buildReferencePlatform(app: App, options: { readonly compliance?: boolean } = {}): ReferencePlatform {
  // Every stack must pass all four packs at synth; the reports land next to each stack in cdktf.out.
  if (options.compliance ?? true) Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2, Compliance.FEDRAMP_MODERATE, Compliance.GDPR);

  // Bootstrap: applied once with local state by an administrator, then CI takes over.
  const bootstrap = new TerraformStack(app, "bootstrap");
  new AwsProvider(bootstrap, "aws", { region: "us-east-1", defaultTags: [{ tags: { "managed-by": "cdktf", project: "reference-platform" } }] });
  const state = new StateBackend(bootstrap, "state", { bucketName: "ml-prod-terraform-state-123456789012", region: "us-east-1" });
  const stateKeys = ["platform.tfstate", "addons.tfstate", "serving.tfstate"];
  const deploy = new GithubDeployRole(bootstrap, "deploy", {
    // Fixed names: the platform stack grants them cluster access by ARN, without reading bootstrap's state.
    roleName: CI_ROLE_NAMES.deploy,
    repository: "example-org/ml-platform",
    // Only jobs of the "production" environment (required reviewers, deployments from main only): examples/ci.
    environments: ["production"],
    resourceNamePrefix: "ml-prod",
    additionalStatements: [...state.accessPolicyDocument(stateKeys).statements],
  });
  // The deploy role creates roles only under its permissions boundary: every role of the stacks it deploys carries it.
  const boundaryArn = GithubDeployRole.permissionsBoundaryArnOf({ roleName: CI_ROLE_NAMES.deploy, resourceNamePrefix: "ml-prod" }, ACCOUNT_ID);
  // Pull requests may plan (read state; examples/ci plans without the lock) but never deploy, write state or read secret values.
  new GithubDeployRole(bootstrap, "plan", {
    roleName: CI_ROLE_NAMES.plan,
    repository: "example-org/ml-platform",
    pullRequests: true,
    readOnly: true,
    oidcProviderArn: deploy.oidcProviderArn,
    resourceNamePrefix: "ml-prod",
    // The pull-request diffs plan with -lock=false (examples/ci): no access to the lock files at all.
    additionalStatements: [...state.accessPolicyDocument(stateKeys, { readOnly: true, withoutLock: true }).statements],
  });

  const platform = new TerraformStack(app, "platform");
  // State in the bootstrap bucket (encrypted, versioned, locked): CI runners keep nothing between runs.
  state.useIn(platform, "platform.tfstate");
  GithubDeployRole.applyPermissionsBoundary(platform, boundaryArn);
  new AwsProvider(platform, "aws", {
    region: "us-east-1",
    defaultTags: [{ tags: { "managed-by": "cdktf", project: "reference-platform" } }],
  });
  const cluster = new SecureInferenceCluster(platform, "ml", REFERENCE_CLUSTER);
  // CI applies the addons and serving stacks through the Kubernetes API: the deploy role administers
  // the cluster, the plan role (pull requests) reads it, Secrets included, to diff Helm releases.
  cluster.grantAccess("ci-deploy", { principalArn: `arn:aws:iam::${ACCOUNT_ID}:role/${CI_ROLE_NAMES.deploy}`, policy: "ClusterAdmin" });
  cluster.grantAccess("ci-plan", { principalArn: `arn:aws:iam::${ACCOUNT_ID}:role/${CI_ROLE_NAMES.plan}`, policy: "AdminView" });

  // Add-ons: a separate stack, because its providers need the cluster to exist before they are configured.
  const addons = new TerraformStack(app, "addons");
  state.useIn(addons, "addons.tfstate");
  GithubDeployRole.applyPermissionsBoundary(addons, boundaryArn);
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  // GPUs: chat up to 5 x 1 (8 during a rollout step), large up to 2 x 4 (3 replicas during a step).
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 24 });

  // Serving: Rollouts, AnalysisTemplates and ScaledObjects need the add-ons' CRDs at plan time.
  const serving = new TerraformStack(app, "serving");
  state.useIn(serving, "serving.tfstate");
  GithubDeployRole.applyPermissionsBoundary(serving, boundaryArn);
  serving.addDependency(addons);
  // AWS side of the endpoints: their model-read roles, alarms and dashboards.
  new AwsProvider(serving, "aws", { region: "us-east-1", defaultTags: [{ tags: { "managed-by": "cdktf", project: "reference-platform" } }] });
  // A small model on the L4 pool: vLLM with continuous batching and prefix caching, 1 GPU per replica.
  const chat = new CanaryModelEndpoint(serving, "chat", {
    connection: cluster.connection,
    namespace: "models",
    model: {
      name: "llama-3.1-8b-instruct",
      source: "llama-3.1-8b-instruct/",
      parametersBillions: 8,
      dtype: "bfloat16",
      architecture: { layers: 32, kvHeads: 8, headDim: 128 },
    },
    server: InferenceServer.vllm({ maxNumSeqs: 64, maxModelLen: 8192 }),
    gpu: { pool: "l4", perReplica: 1 },
    autoscaling: { minReplicas: 1, maxReplicas: 5, targetQueueDepthPerReplica: 4 },
    rollout: { steps: [1, 5, 10, 25, 50, 100], stepDuration: "10m" },
    rollbackWhen: { errorRatePercent: 1, p99LatencyMs: 20000, timeToFirstTokenP99Ms: 2000 },
    // Sessions that keep the ALB cookie return to the replica holding their prefix cache.
    sharedPrefixTokens: 1024,
    ingress: { certificateArn: ENDPOINT_CERTIFICATE_ARN, host: "chat.models.example.internal", privateHostedZoneId: MODELS_PRIVATE_ZONE_ID, sessionAffinitySeconds: 1800 },
  });
  // A large model on the H100 pool: 4 GPUs per replica (tensor parallel), two replicas per p5 node;
  // the second node holds a canary while the endpoint runs at its maximum.
  const large = new CanaryModelEndpoint(serving, "large", {
    connection: cluster.connection,
    namespace: "models",
    model: {
      name: "llama-3.1-70b-instruct",
      source: "llama-3.1-70b-instruct/",
      parametersBillions: 70,
      dtype: "bfloat16",
      architecture: { layers: 80, kvHeads: 8, headDim: 128 },
    },
    server: InferenceServer.vllm({ maxNumSeqs: 128, maxModelLen: 32768, maxNumBatchedTokens: 32768 }),
    gpu: { pool: "h100", perReplica: 4 },
    autoscaling: { minReplicas: 1, maxReplicas: 2, targetQueueDepthPerReplica: 8 },
    rollbackWhen: { errorRatePercent: 1, p99LatencyMs: 60000, timeToFirstTokenP99Ms: 5000 },
    ingress: { certificateArn: ENDPOINT_CERTIFICATE_ARN, host: "large.models.example.internal", privateHostedZoneId: MODELS_PRIVATE_ZONE_ID },
  });
  // One OpenAI-compatible URL: LiteLLM sends simple and medium prompts to the 8B model and complex and
  // reasoning ones to the 70B model, and falls back from small to large on errors and long contexts.
  const router = new InferenceRouter(serving, "router", {
    connection: cluster.connection,
    namespace: "models",
    models: [{ endpoint: chat }, { endpoint: large }],
    teams: [
      { name: "search", requestsPerMinute: 600, tokensPerMinute: 400000 },
      { name: "support", requestsPerMinute: 300, tokensPerMinute: 200000 },
    ],
    ingress: { certificateArn: ENDPOINT_CERTIFICATE_ARN, host: "router.models.example.internal" },
    // Identical requests within an hour are answered from an encrypted Valkey cache (IAM auth, no password).
    responseCache: { ttlSeconds: 3600 },
  });
  return { bootstrap, platform, cluster, addons, serving, chat, large, router };
}

if (require.main === module) {
  const app = new App();
  buildReferencePlatform(app);
  app.synth();
}
