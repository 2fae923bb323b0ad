/*
 * The AWS side of an InferenceRouter's response cache: an ElastiCache for Valkey replication group
 * that only the router's IAM role can open.
 *
 * - Encrypted at rest with the router's customer-managed key, and in transit with TLS required
 *   (`transit_encryption_mode = "required"`: plaintext connections are refused).
 * - No password exists: the router's ElastiCache user authenticates with IAM (SigV4 tokens signed by
 *   the pod's EKS Pod Identity role, `elasticache:Connect` on this group and this user only). IAM
 *   mode needs Valkey 7.2+ or Redis OSS 7+, TLS, and a user name equal to its user id. ElastiCache
 *   requires a user named "default" in every user group; here it is switched off ("off -@all"), so
 *   it cannot log in even though it has no password.
 * - One primary and `replicas` replicas in other zones, with automatic failover (Multi-AZ); the
 *   cluster mode is disabled, so LiteLLM talks to the primary endpoint with a plain Redis client.
 * - In the cluster's private subnets; its security group admits port 6379 from the cluster security
 *   group (every node, hence every pod network path) and nothing else. Reaching the port is not
 *   enough: without the IAM grant a client cannot authenticate.
 * - No snapshots: the contents are derived data that a miss recomputes.
 */
import { Construct } from "constructs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { clusterClientSecurityGroup, DatastorePlacement } from "../../private/datastore";
import { PolicyDocument } from "../../security/policy-document";

/** Valkey's port. */
export const CACHE_PORT = 6379;
/** Engine of the replication group: Valkey. */
export const CACHE_ENGINE = "valkey";
/** Major.minor version of the engine: Valkey 8.0 (IAM authentication needs 7.2 or newer). */
export const CACHE_ENGINE_VERSION = "8.0";
/**
 * Engine of the users and the user group. A user group of engine "valkey" admits only users that
 * authenticate with a password or IAM, so the switched-off "default" placeholder (no password) could
 * not join it; Valkey caches accept user groups of engine "redis", whose users may be of any kind.
 */
const USER_ENGINE = "redis";

/** Where the cache lives, the key encrypting it, and its size. */
export interface ResponseCacheResourcesProps extends DatastorePlacement {
  readonly kmsKeyArn: string;
  readonly nodeType: string;
  readonly replicas: number;
}


/** The router's ElastiCache user (IAM mode: user name = user id). */
export function cacheUserName(idBase: string): string {
  return `${idBase}-router`;
}

/** The ElastiCache resources of one router's response cache. */
export class ResponseCacheResources extends Construct {
  /** Replication group id (also what LiteLLM signs its IAM token for). */
  public readonly replicationGroupId: string;
  /** The router's ElastiCache user; user name = user id. */
  public readonly userName: string;
  /** Primary endpoint host name. */
  public readonly primaryEndpointAddress: string;
  /** elasticache:Connect on this group as this user, nothing else. */
  public readonly connectPolicy: PolicyDocument;

  constructor(scope: Construct, id: string, props: ResponseCacheResourcesProps) {
    super(scope, id);
    const base = props.idBase;
    this.replicationGroupId = base;
    this.userName = cacheUserName(base);
    const tags = props.tags;

    const sg = clusterClientSecurityGroup(this, {
      name: `${base}-response-cache`,
      description: `Valkey (TLS) from the nodes of ${props.clusterName} to the response cache of router ${props.routerRef}`,
      ruleDescription: "Valkey over TLS from the cluster's nodes and pods",
      vpcId: props.vpcId,
      port: CACHE_PORT,
      clientSecurityGroupId: props.clientSecurityGroupId,
      tags,
    });
    const subnets = new ElasticacheSubnetGroup(this, "subnets", {
      name: base,
      description: `Private subnets of ${props.clusterName} for the response cache of router ${props.routerRef}`,
      subnetIds: props.subnetIds,
      tags,
    });

    // Every user group needs a user named "default"; this one is switched off.
    const disabledDefault = new ElasticacheUser(this, "default-user", {
      userId: `${base}-off`,
      userName: "default",
      engine: USER_ENGINE,
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
      tags,
    });
    const router = new ElasticacheUser(this, "router-user", {
      userId: this.userName,
      userName: this.userName,
      engine: USER_ENGINE,
      // The whole keyspace and every channel of this dedicated cache: LiteLLM's response cache uses
      // the keys, and without a separate coordination Redis it also subscribes to channels (Valkey
      // creates ACL users with resetchannels, so channels need "&*").
      accessString: "on ~* &* +@all",
      authenticationMode: { type: "iam" },
      tags,
    });
    const group = new ElasticacheUserGroup(this, "users", {
      userGroupId: `${base}-users`,
      engine: USER_ENGINE,
      userIds: [disabledDefault.userId, router.userId],
      tags,
    });

    const cache = new ElasticacheReplicationGroup(this, "replication-group", {
      replicationGroupId: base,
      description: `LiteLLM response cache of router ${props.routerRef} on ${props.clusterName}`,
      engine: CACHE_ENGINE,
      engineVersion: CACHE_ENGINE_VERSION,
      nodeType: props.nodeType,
      port: CACHE_PORT,
      numCacheClusters: 1 + props.replicas,
      automaticFailoverEnabled: props.replicas >= 1,
      multiAzEnabled: props.replicas >= 1,
      subnetGroupName: subnets.name,
      securityGroupIds: [sg.id],
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [group.userGroupId],
      autoMinorVersionUpgrade: "true",
      snapshotRetentionLimit: 0,
      tags,
    });
    this.primaryEndpointAddress = cache.primaryEndpointAddress;
    this.connectPolicy = new PolicyDocument([
      // Both the cache and the user must be named, or ElastiCache refuses the token.
      { sid: "ConnectToResponseCache", actions: ["elasticache:Connect"], resources: [cache.arn, router.arn] },
    ]);
  }
}
