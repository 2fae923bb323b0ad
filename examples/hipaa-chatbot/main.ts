// A HIPAA chatbot: one 8B chat model served by vLLM on an L4 pool, behind an OpenAI-compatible
// router, on a private EKS cluster placed in a VPC the network team already runs. Every stack must
// pass HIPAA and SOC 2 at synth (cdktf.out/stacks/<stack>/compliance-report.md is the evidence).
//
// Deploy order: bootstrap (once, local state, as an administrator), then platform -> addons -> serving
// (`cdktf deploy platform addons serving`), which keep their state in the bootstrap bucket.
// examples/hipaa-chatbot/compliance.test.ts is the test a platform team keeps next to this app.
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CanaryModelEndpoint, ClusterAddons, Compliance, ExistingVpc, InferenceRouter, InferenceServer, SecureInferenceCluster, StateBackend, WorkloadNamespace } from "../../lib";

/**
 * The existing VPC (ids of the example account; use your own). Its private subnets hold the nodes, the
 * control plane's network interfaces.
 *
 * `loadBalancerSubnets` names the subnets (tagged `kubernetes.io/role/internal-elb: 1`) that hold the
 * internal load balancers and the metrics scraper and no pods: the endpoint and the router admit only
 * those to their pods, so no other pod or host in the VPC can call the model API around the router,
 * the TLS listener and the canary split. Without them the pods would admit `cidrBlock` (every pod's
 * range) and synth would warn.
 */
export const CHATBOT_VPC: ExistingVpc = {
  vpcId: "vpc-0a1b2c3d4e5f67890",
  privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
  cidrBlock: "10.20.0.0/16",
  loadBalancerSubnets: {
    subnetIds: ["subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102", "subnet-0a1b2c3d4e5f60103"],
    cidrs: ["10.20.250.0/24", "10.20.251.0/24", "10.20.252.0/24"],
  },
};

/** ACM certificate for *.chatbot.example.internal, used by the endpoint's and the router's internal load balancers. */
export const CHATBOT_CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/7d2e4f6a-8b9c-4d1e-a2f3-b4c5d6e7f809";

/** Route 53 private hosted zone of chatbot.example.internal, associated with the VPC. */
export const CHATBOT_PRIVATE_ZONE_ID = "Z04398765EXAMPLEZONE2";

/** Builds the chatbot's four stacks. */
export function buildHipaaChatbot(app: App) {
  // HIPAA and SOC 2 only: no FedRAMP or GDPR obligations for this workload.
  Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2);
  const region = "us-east-1";
  const defaultTags = [{ tags: { "managed-by": "cdktf", project: "hipaa-chatbot", "data-classification": "phi" } }];

  // Bootstrap: the encrypted, versioned, locked Terraform state bucket. Applied once with local state.
  const bootstrap = new TerraformStack(app, "bootstrap");
  new AwsProvider(bootstrap, "aws", { region, defaultTags });
  const state = new StateBackend(bootstrap, "state", { bucketName: "hipaa-chatbot-terraform-state-123456789012", region });

  // Platform: AWS only. The cluster in the existing VPC, with its own keys, audit trail and alarms.
  const platform = new TerraformStack(app, "platform");
  state.useIn(platform, "platform.tfstate");
  new AwsProvider(platform, "aws", { region, defaultTags });
  const cluster = new SecureInferenceCluster(platform, "ml", {
    clusterName: "hipaa-chatbot",
    existingVpc: CHATBOT_VPC,
    // The CI runners' subnet, which applies the addons and serving stacks; otherwise only nodes reach the private API.
    privateEndpointAccessCidrs: ["10.20.64.0/24"],
    // Up to 8 nodes: 4 replicas plus 4 canary replicas at the last step (the stable version stays warm during a
    // rollout, so an abort never waits for a cold start). The minimum replica keeps one node up.
    gpuNodePools: [{ name: "l4", instanceTypes: ["g6.xlarge", "g6.2xlarge"], minSize: 0, maxSize: 8 }],
    // People reach the cluster only through these roles, with MFA no older than an hour (164.312(d)).
    access: {
      admins: { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/chatbot-platform-admins"] },
      operators: { trustedAccountIds: ["123456789012"], namespaces: ["chatbot"] },
    },
    monitoring: { alarmEmailAddresses: ["chatbot-oncall@example.com"] },
    // The audit trail defaults already fit HIPAA: 6 years under object lock (164.316(b)(2)).
  });

  // Add-ons: controllers and the chatbot's namespace (restricted Pod Security, default-deny network).
  const addons = new TerraformStack(app, "addons");
  state.useIn(addons, "addons.tfstate");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  new WorkloadNamespace(addons, "chatbot", { connection: cluster.connection, name: "chatbot", gpuQuota: 8 });

  // Serving: the model endpoint and the router; after the add-ons, whose CRDs the Rollout needs.
  const serving = new TerraformStack(app, "serving");
  state.useIn(serving, "serving.tfstate");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region, defaultTags });
  const chat = new CanaryModelEndpoint(serving, "chat", {
    connection: cluster.connection,
    namespace: "chatbot",
    model: {
      name: "llama-3.1-8b-instruct",
      source: "llama-3.1-8b-instruct/",
      parametersBillions: 8,
      dtype: "bfloat16",
      architecture: { layers: 32, kvHeads: 8, headDim: 128 },
    },
    server: InferenceServer.vllm({ maxNumSeqs: 64, maxModelLen: 8192 }),
    gpu: { pool: "l4", perReplica: 1 },
    autoscaling: { minReplicas: 1, maxReplicas: 4 },
    rollbackWhen: { errorRatePercent: 1, p99LatencyMs: 20000, timeToFirstTokenP99Ms: 2000 },
    // The router calls https://<host>/v1, so the endpoint needs a host name (and a DNS record for it).
    ingress: { certificateArn: CHATBOT_CERTIFICATE_ARN, host: "chat.chatbot.example.internal", privateHostedZoneId: CHATBOT_PRIVATE_ZONE_ID },
  });
  // The one URL applications call (OpenAI API). It reaches the model through the endpoint's load balancer,
  // so canary weights apply. Point api.chatbot.example.internal at the router's load balancer in your zone.
  const router = new InferenceRouter(serving, "router", {
    connection: cluster.connection,
    namespace: "chatbot",
    models: [{ endpoint: chat }],
    // The portal gets its own key (in Secrets Manager) and limit; LiteLLM keeps both in its database (RDS, IAM auth).
    teams: [{ name: "patient-portal", requestsPerMinute: 600 }],
    ingress: { certificateArn: CHATBOT_CERTIFICATE_ARN, host: "api.chatbot.example.internal" },
    // Shares the team's rate-limit counters between the router's replicas. It caches responses too, which
    // hold ePHI: encrypted at rest and in transit, IAM-authenticated, and kept five minutes only.
    responseCache: { ttlSeconds: 300 },
  });
  return { bootstrap, platform, cluster, addons, serving, chat, router };
}

if (require.main === module) {
  const app = new App();
  buildHipaaChatbot(app);
  app.synth();
}
