import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ClusterAddons, Compliance, GithubDeployRole, SecureInferenceCluster, SecureInferenceClusterProps, StateBackend, WorkloadNamespace } from "../../lib";

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
}

/** The reference platform's cluster: defaults plus two GPU pools, MFA-gated access and an alarm subscription. */
export const REFERENCE_CLUSTER: SecureInferenceClusterProps = {
  clusterName: "ml-prod",
  kubernetesVersion: "1.35",
  // Zones given explicitly: no EC2 API read at plan time.
  network: { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
  gpuNodePools: [
    { name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], minSize: 0, maxSize: 8 },
    { name: "h100", instanceTypes: ["p5.48xlarge"], minSize: 0, maxSize: 1, capacityType: "ON_DEMAND", dataVolumeSizeGiB: 1000 },
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
    repository: "example-org/ml-platform",
    branches: ["main"],
    resourceNamePrefix: "ml-prod",
    additionalStatements: [...state.accessPolicyDocument(stateKeys).statements],
  });
  // Pull requests may plan (read state, take the lock) but never deploy or write state.
  new GithubDeployRole(bootstrap, "plan", {
    repository: "example-org/ml-platform",
    pullRequests: true,
    readOnly: true,
    oidcProviderArn: deploy.oidcProviderArn,
    resourceNamePrefix: "ml-prod",
    additionalStatements: [...state.accessPolicyDocument(stateKeys, { readOnly: true }).statements],
  });

  const platform = new TerraformStack(app, "platform");
  // State in the bootstrap bucket (encrypted, versioned, locked): CI runners keep nothing between runs.
  state.useIn(platform, "platform.tfstate");
  new AwsProvider(platform, "aws", {
    region: "us-east-1",
    defaultTags: [{ tags: { "managed-by": "cdktf", project: "reference-platform" } }],
  });
  const cluster = new SecureInferenceCluster(platform, "ml", REFERENCE_CLUSTER);
  // The chat endpoint's pods read only their model's prefix.
  cluster.grantModelRead("chat", { namespace: "models", serviceAccount: "chat", prefix: "llama-3.1-8b-instruct/" });

  // Add-ons: a separate stack, because its providers need the cluster to exist before they are configured.
  const addons = new TerraformStack(app, "addons");
  state.useIn(addons, "addons.tfstate");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 8 });

  // Serving: CanaryModelEndpoints go here; Rollouts and ScaledObjects need the add-ons' CRDs at plan time.
  const serving = new TerraformStack(app, "serving");
  state.useIn(serving, "serving.tfstate");
  serving.addDependency(addons);
  return { bootstrap, platform, cluster, addons, serving };
}

if (require.main === module) {
  const app = new App();
  buildReferencePlatform(app);
  app.synth();
}
