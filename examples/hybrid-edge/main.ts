// Hybrid and edge placement: one cluster in us-west-2 (an existing VPC) with three GPU pools in three places:
// a regional L4 pool for variable load, an A10G pool in the Los Angeles Local Zone for latency, and two of your own
// 4 x L40S servers on premises (EKS Hybrid Nodes) for data that must stay on your hardware; a router across them.
// Run with `npx cdktf synth --app "npx ts-node examples/hybrid-edge/main.ts"`; deploy platform -> addons -> serving.
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CanaryModelEndpoint, CapacityPlan, ClusterAddons, Compliance, EndpointModel, InferenceRouter, InferenceServer, SecureInferenceCluster, SecureInferenceClusterProps, WorkloadNamespace } from "../../lib";

/** Region of the cluster: the Local Zone below extends it. */
export const HYBRID_EDGE_REGION = "us-west-2";
/** ACM certificate of the internal load balancers (replace with yours). */
export const HYBRID_EDGE_CERTIFICATE_ARN = "arn:aws:acm:us-west-2:123456789012:certificate/4f0c3d9e-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
/** Route 53 private hosted zone of models.example.internal, associated with the VPC. */
export const HYBRID_EDGE_PRIVATE_ZONE_ID = "Z04312345EXAMPLEZONE2";
/** Where the on-premises servers are: named by the pool and by the resident endpoint's allowed locations. */
export const ON_PREMISES_SITE = "sea-dc1";

/** The cluster: an existing VPC, hybrid nodes over Direct Connect, three pools in three placements. */
export const HYBRID_EDGE_CLUSTER: SecureInferenceClusterProps = {
  clusterName: "ml-edge",
  existingVpc: {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
    cidrBlock: "10.20.0.0/16",
    loadBalancerSubnets: { subnetIds: ["subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102"], cidrs: ["10.20.250.0/24", "10.20.251.0/24"] },
  },
  gpuNodePools: [
    // Regional: scales from zero with demand, priced at list prices.
    { name: "l4", instanceTypes: ["g6.xlarge"], minSize: 0, maxSize: 8 },
    // Los Angeles Local Zone (opt in to zone group us-west-2-lax-1 first): the same hardened launch template.
    // Its endpoints' load balancers go in the zone too: an ALB serves only targets in the zones it is enabled in.
    // Its nodes cache the weights of servers that read local files (TGI below): a restart, a rollback or a second
    // replica reads the node's verified copy instead of fetching it again from S3 in the parent region.
    {
      name: "lax",
      instanceTypes: ["g5.xlarge"],
      minSize: 0,
      maxSize: 4,
      weightCache: { maxSizeGiB: 64 },
      // A cache hit reads at the data volume's throughput: 1,200 MiB/s keeps it at the instance's 10 Gbit/s.
      volumeThroughputMiBps: 1200,
      localZone: { zone: "us-west-2-lax-1a", subnetId: "subnet-0a1b2c3d4e5f60201", loadBalancerSubnet: { subnetId: "subnet-0a1b2c3d4e5f60202", cidr: "10.20.240.0/24" } },
    },
  ],
  // Servers in 192.168.10.0/24 reach the VPC over Direct Connect; Cilium gives pods 192.168.64.0/18 and advertises it by BGP.
  hybridNodes: {
    remoteNodeNetworks: ["192.168.10.0/24"],
    remotePodNetworks: ["192.168.64.0/18"],
    cni: "cilium",
    // The servers' certificates come from the company's private CA in AWS Private CA.
    credentials: { provider: "iam-roles-anywhere", certificateAuthority: { acmPcaArn: "arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/0a1b2c3d-1111-2222-3333-444455556666" } },
  },
  onPremisesGpuPools: [{ name: "onprem-l40s", serverShape: "onprem-l40s.4gpu", servers: 2, location: ON_PREMISES_SITE }],
};

/** TGI 3.3.6 rebuilt with a world-readable Python (UV_PYTHON_INSTALL_DIR=/usr/share/uv, text-generation-inference#3197) in your registry. */
export const HYBRID_EDGE_TGI_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/text-generation-inference-nonroot:3.3.6";

const LLAMA_8B: EndpointModel = { name: "llama-3.1-8b-instruct", source: "llama-3.1-8b-instruct/", parametersBillions: 8, dtype: "bfloat16", architecture: { layers: 32, kvHeads: 8, headDim: 128 } };

/** Builds the hybrid and edge app's three stacks. */
export function buildHybridEdge(app: App) {
  Compliance.of(app).enforce(Compliance.HIPAA, Compliance.SOC2, Compliance.FEDRAMP_MODERATE, Compliance.GDPR);
  // The catalog prices us-east-1; price the cloud pools at its list prices as an estimate (on-premises has no price).
  CapacityPlan.of(app).configure({ estimateOtherRegions: true });

  const platform = new TerraformStack(app, "platform");
  new AwsProvider(platform, "aws", { region: HYBRID_EDGE_REGION });
  const cluster = new SecureInferenceCluster(platform, "ml", HYBRID_EDGE_CLUSTER);

  const addons = new TerraformStack(app, "addons");
  new ClusterAddons(addons, "controllers", { connection: cluster.connection });
  new WorkloadNamespace(addons, "models", { connection: cluster.connection, name: "models", gpuQuota: 32 });

  const serving = new TerraformStack(app, "serving");
  serving.addDependency(addons);
  new AwsProvider(serving, "aws", { region: HYBRID_EDGE_REGION });
  const endpoint = (id: string, pool: string, extra: Partial<ConstructorParameters<typeof CanaryModelEndpoint>[2]> = {}) =>
    new CanaryModelEndpoint(serving, id, {
      connection: cluster.connection,
      namespace: "models",
      model: LLAMA_8B,
      gpu: { pool, perReplica: 1 },
      autoscaling: { minReplicas: 1, maxReplicas: 4 },
      // The router calls each endpoint by this name, so that its canary weights apply.
      ingress: { certificateArn: HYBRID_EDGE_CERTIFICATE_ARN, host: `${id}.models.example.internal`, privateHostedZoneId: HYBRID_EDGE_PRIVATE_ZONE_ID },
      ...extra,
    });
  // Variable load: the region scales it.
  const chat = endpoint("chat", "l4");
  // Latency: replicas in Los Angeles, next to the users (2 at most, so a canary at peak fits the zone's 4 nodes).
  // TGI reads the weights from local files, which the zone's nodes cache (the pool's weightCache).
  // The stock TGI image cannot run as a non-root user (huggingface/text-generation-inference#3082): a rebuild of it, pinned.
  const edge = endpoint("edge-chat", "lax", { autoscaling: { minReplicas: 1, maxReplicas: 2 }, server: InferenceServer.tgi({ image: HYBRID_EDGE_TGI_IMAGE }) });
  // Privacy: replicas on the company's servers; weights and request logs may be only there and in the cluster's region.
  const resident = endpoint("private-chat", "onprem-l40s", {
    dataResidency: { allowedLocations: [ON_PREMISES_SITE, HYBRID_EDGE_REGION] },
    // Weights stream over the 10 Gbit/s Direct Connect link, not a cloud instance's network.
    downloadSecondsPerGiB: 1,
  });
  const router = new InferenceRouter(serving, "router", {
    connection: cluster.connection,
    namespace: "models",
    models: [{ endpoint: chat }, { endpoint: edge }, { endpoint: resident }],
    teams: [{ name: "apps", requestsPerMinute: 600 }],
    // Shares the rate-limit counters between router replicas. It caches responses in the region (an allowed location).
    responseCache: { ttlSeconds: 600 },
    ingress: { certificateArn: HYBRID_EDGE_CERTIFICATE_ARN, host: "router.models.example.internal" },
  });
  return { platform, cluster, addons, serving, chat, edge, resident, router };
}

if (require.main === module) {
  const app = new App();
  buildHybridEdge(app);
  app.synth();
}
