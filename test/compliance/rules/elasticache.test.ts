import { TerraformStack } from "cdktf";
import { ElasticacheCluster } from "@cdktf/provider-aws/lib/elasticache-cluster";
import { ElasticacheReplicationGroup, ElasticacheReplicationGroupConfig } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheServerlessCache } from "@cdktf/provider-aws/lib/elasticache-serverless-cache";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser, ElasticacheUserConfig } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import {
  ELASTICACHE_RULES,
  ElastiCacheAuthenticationRequired,
  ElastiCacheAutoMinorVersionUpgrade,
  ElastiCacheEncryptedAtRest,
  ElastiCacheEncryptedInTransit,
  ElastiCacheMultiAz,
  ElastiCacheUserNoPasswordlessAccess,
} from "../../../lib/compliance/rules/elasticache";
import { evaluateRule } from "../rule-harness";

/** The cache's users: an IAM-authenticated client and the disabled "default" placeholder every user group must contain. */
function userGroup(s: TerraformStack): ElasticacheUserGroup {
  const router = new ElasticacheUser(s, "router-user", {
    userId: "router", userName: "router", engine: "valkey", accessString: "on ~* +@all", authenticationMode: { type: "iam" },
  });
  const placeholder = new ElasticacheUser(s, "default-user", {
    userId: "router-default", userName: "default", engine: "valkey", accessString: "off -@all", authenticationMode: { type: "no-password-required" },
  });
  return new ElasticacheUserGroup(s, "users", { userGroupId: "router", engine: "valkey", userIds: [router.userId, placeholder.userId] });
}

/** The replication group the InferenceRouter's response cache synthesizes, with `overrides` applied. */
function group(s: TerraformStack, id: string, overrides: Partial<ElasticacheReplicationGroupConfig> = {}): ElasticacheReplicationGroup {
  const key = s.node.tryFindChild("key") as KmsKey | undefined ?? new KmsKey(s, "key", { enableKeyRotation: true });
  const subnets = s.node.tryFindChild("subnets") as ElasticacheSubnetGroup | undefined
    ?? new ElasticacheSubnetGroup(s, "subnets", { name: "router-cache", subnetIds: ["subnet-a", "subnet-b"] });
  const users = s.node.tryFindChild("users") as ElasticacheUserGroup | undefined ?? userGroup(s);
  return new ElasticacheReplicationGroup(s, id, {
    replicationGroupId: id,
    description: "router response cache",
    engine: "valkey",
    engineVersion: "8.0",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    subnetGroupName: subnets.name,
    securityGroupIds: ["sg-0123"],
    atRestEncryptionEnabled: "true",
    kmsKeyId: key.arn,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    userGroupIds: [users.userGroupId],
    port: 6379,
    snapshotRetentionLimit: 1,
    autoMinorVersionUpgrade: "true",
    ...overrides,
  });
}

const user = (s: TerraformStack, id: string, config: Partial<ElasticacheUserConfig>): ElasticacheUser =>
  new ElasticacheUser(s, id, { userId: id, userName: id, engine: "valkey", accessString: "on ~* +@all", ...config });

describe("ElastiCacheEncryptedAtRest", () => {
  const { byId } = evaluateRule(ElastiCacheEncryptedAtRest, (s) => {
    const key = new KmsKey(s, "key", { enableKeyRotation: true });
    group(s, "encrypted");
    group(s, "boolean-true").addOverride("at_rest_encryption_enabled", true);
    // The provider's default for engine valkey is true.
    group(s, "valkey-default", { atRestEncryptionEnabled: undefined });
    group(s, "at-rest-off", { atRestEncryptionEnabled: "false" });
    group(s, "service-key", { kmsKeyId: undefined });
    group(s, "redis-default", { engine: "redis", atRestEncryptionEnabled: undefined });
    group(s, "aws-managed-key", { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/elasticache" });
    new ElasticacheServerlessCache(s, "serverless-cmk", { name: "cmk", engine: "valkey", kmsKeyId: key.arn });
    new ElasticacheServerlessCache(s, "serverless-default", { name: "plain", engine: "valkey" });
    new ElasticacheCluster(s, "standalone", { clusterId: "standalone", engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1 });
    new ElasticacheCluster(s, "standalone-memcached", { clusterId: "memcached", engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2 });
    new ElasticacheCluster(s, "member", { clusterId: "member", replicationGroupId: "encrypted" });
  });

  it("passes a replication group with at_rest_encryption_enabled true (string or boolean) and a customer-managed kms_key_id", () => {
    expect(byId.encrypted).toEqual({ status: "compliant" });
    expect(byId["boolean-true"]).toEqual({ status: "compliant" });
  });

  it("passes a valkey group that leaves at_rest_encryption_enabled to its default (true), with kms_key_id", () => {
    expect(byId["valkey-default"]).toEqual({ status: "compliant" });
  });

  it("flags at_rest_encryption_enabled \"false\", naming the attribute, the value and the fix", () => {
    expect(byId["at-rest-off"]).toEqual({ status: "non-compliant", message: expect.stringContaining('at_rest_encryption_enabled is "false"; set at_rest_encryption_enabled = true') });
  });

  it("flags a redis group that leaves at_rest_encryption_enabled to its default (false)", () => {
    expect(byId["redis-default"]).toEqual({ status: "non-compliant", message: expect.stringContaining('at_rest_encryption_enabled is unset (the default for engine "redis" is false)') });
  });

  it("flags a group without kms_key_id, or with an AWS managed key, and says to set a customer-managed key", () => {
    expect(byId["service-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_key_id is unset, so ElastiCache encrypts under its service-managed key") });
    expect(byId["service-key"].message).toContain("set kms_key_id to a customer-managed KMS key ARN");
    expect(byId["service-key"].message).not.toContain("at_rest_encryption_enabled");
    expect(byId["aws-managed-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining("an AWS managed key whose policy you cannot restrict") });
  });

  it("requires kms_key_id on serverless caches, which are always encrypted at rest", () => {
    expect(byId["serverless-cmk"]).toEqual({ status: "compliant" });
    expect(byId["serverless-default"]).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_key_id is unset") });
  });

  it("flags a standalone cache cluster, which cannot be encrypted at rest, and leaves a group's member cluster to the group", () => {
    expect(byId.standalone).toEqual({ status: "non-compliant", message: expect.stringContaining("use an aws_elasticache_replication_group with at_rest_encryption_enabled = true and kms_key_id") });
    expect(byId["standalone-memcached"]).toEqual({ status: "non-compliant", message: expect.stringContaining("use an aws_elasticache_serverless_cache with kms_key_id") });
    expect(byId.member).toEqual({ status: "not-applicable" });
  });
});

describe("ElastiCacheEncryptedInTransit", () => {
  const { byId } = evaluateRule(ElastiCacheEncryptedInTransit, (s) => {
    group(s, "required");
    // transit_encryption_mode unset: a group created with TLS accepts TLS only.
    group(s, "mode-unset", { transitEncryptionMode: undefined });
    group(s, "preferred", { transitEncryptionMode: "preferred" });
    group(s, "transit-off", { transitEncryptionEnabled: false, transitEncryptionMode: undefined });
    group(s, "transit-unset", { transitEncryptionEnabled: undefined, transitEncryptionMode: undefined });
    new ElasticacheCluster(s, "standalone-tls", { clusterId: "tls", engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, transitEncryptionEnabled: true });
    new ElasticacheCluster(s, "standalone-plain", { clusterId: "plain", engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1 });
    new ElasticacheCluster(s, "member", { clusterId: "member", replicationGroupId: "required" });
  });

  it("passes transit_encryption_enabled true with mode \"required\" or no mode", () => {
    expect(byId.required).toEqual({ status: "compliant" });
    expect(byId["mode-unset"]).toEqual({ status: "compliant" });
    expect(byId["standalone-tls"]).toEqual({ status: "compliant" });
  });

  it("flags transit_encryption_mode \"preferred\", which still accepts unencrypted clients", () => {
    expect(byId.preferred).toEqual({ status: "non-compliant", message: expect.stringContaining('transit_encryption_mode is "preferred", so the nodes still accept unencrypted connections') });
    expect(byId.preferred.message).toContain('set transit_encryption_mode = "required"');
  });

  it("flags transit encryption off or unset, naming the attribute and the fix", () => {
    expect(byId["transit-off"]).toEqual({ status: "non-compliant", message: expect.stringContaining("transit_encryption_enabled is false") });
    expect(byId["transit-off"].message).toContain('set transit_encryption_enabled = true with transit_encryption_mode = "required"');
    expect(byId["transit-unset"]).toEqual({ status: "non-compliant", message: expect.stringContaining("transit_encryption_enabled is unset (AWS default: false)") });
    expect(byId["standalone-plain"]).toEqual({ status: "non-compliant", message: expect.stringContaining("set transit_encryption_enabled = true") });
  });

  it("leaves a group's member cluster to the group", () => expect(byId.member).toEqual({ status: "not-applicable" }));
});

describe("ElastiCacheAuthenticationRequired", () => {
  const { byId } = evaluateRule(ElastiCacheAuthenticationRequired, (s) => {
    const users = userGroup(s);
    group(s, "rbac");
    group(s, "auth-token", { userGroupIds: undefined, authToken: "a-long-enough-auth-token-0123" });
    group(s, "open", { userGroupIds: undefined, port: 6380 });
    group(s, "empty-user-groups", { userGroupIds: [] });
    new ElasticacheServerlessCache(s, "serverless-rbac", { name: "rbac", engine: "valkey", userGroupId: users.userGroupId });
    new ElasticacheServerlessCache(s, "serverless-open", { name: "open", engine: "valkey" });
  });

  it("passes a group with an RBAC user group or an AUTH token, and a serverless cache with a user group", () => {
    for (const id of ["rbac", "auth-token", "serverless-rbac"]) expect(byId[id]).toEqual({ status: "compliant" });
  });

  it("flags a group with neither user_group_ids nor auth_token, naming the port and both fixes", () => {
    for (const id of ["open", "empty-user-groups"]) {
      expect(byId[id]).toEqual({ status: "non-compliant", message: expect.stringContaining("neither user_group_ids nor auth_token is set") });
    }
    expect(byId.open.message).toContain("any client that reaches port 6380 is the default user with full access");
    expect(byId.open.message).toContain("set user_group_ids to an aws_elasticache_user_group");
    expect(byId.open.message).toContain("or auth_token");
  });

  it("flags a serverless cache without user_group_id", () => {
    expect(byId["serverless-open"]).toEqual({ status: "non-compliant", message: expect.stringContaining("user_group_id is unset") });
  });
});

describe("ElastiCacheUserNoPasswordlessAccess", () => {
  const { byId } = evaluateRule(ElastiCacheUserNoPasswordlessAccess, (s) => {
    user(s, "iam", { authenticationMode: { type: "iam" } });
    user(s, "password", { authenticationMode: { type: "password", passwords: ["a-long-enough-password-0123"] } });
    user(s, "placeholder", { userName: "default", accessString: "off -@all", authenticationMode: { type: "no-password-required" } });
    user(s, "placeholder-list", { userName: "default", accessString: "off -@all" }).addOverride("authentication_mode", [{ type: "no-password-required" }]);
    user(s, "open", { userName: "default", authenticationMode: { type: "no-password-required" } });
    user(s, "open-list", { accessString: "on ~* +@all" }).addOverride("authentication_mode", [{ type: "no-password-required" }]);
    user(s, "open-legacy", { noPasswordRequired: true });
    user(s, "no-state", { accessString: "~* +@all", authenticationMode: { type: "no-password-required" } });
    user(s, "turned-off-last", { accessString: "on ~* +@all off", authenticationMode: { type: "no-password-required" } });
  });

  it("passes users that authenticate with IAM or a password", () => {
    expect(byId.iam).toEqual({ status: "compliant" });
    expect(byId.password).toEqual({ status: "compliant" });
  });

  it("passes the disabled passwordless \"default\" placeholder, whether authentication_mode is an object or a one-element list", () => {
    for (const id of ["placeholder", "placeholder-list", "turned-off-last"]) expect(byId[id]).toEqual({ status: "compliant" });
  });

  it("flags a passwordless user that is on, naming authentication_mode, the access string and the fix", () => {
    expect(byId.open).toEqual({ status: "non-compliant", message: expect.stringContaining('authentication_mode.type is "no-password-required" and access_string "on ~* +@all" turns the user on') });
    expect(byId.open.message).toContain('authenticate as user_name "default" without a password; start access_string with "off"');
    expect(byId["open-list"].status).toBe("non-compliant");
    expect(byId["open-legacy"]).toEqual({ status: "non-compliant", message: expect.stringContaining("no_password_required is true and access_string") });
  });

  it("flags a passwordless user whose access string does not turn it off", () => {
    expect(byId["no-state"]).toEqual({ status: "non-compliant", message: expect.stringContaining("does not turn the user off") });
  });
});

describe("ElastiCacheMultiAz", () => {
  const { byId } = evaluateRule(ElastiCacheMultiAz, (s) => {
    group(s, "two-azs");
    group(s, "sharded", { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 1 });
    group(s, "single-node", { numCacheClusters: 1, automaticFailoverEnabled: undefined, multiAzEnabled: undefined });
    group(s, "default-size", { numCacheClusters: undefined });
    group(s, "single-az", { multiAzEnabled: false });
    group(s, "shards-without-replicas", { numCacheClusters: undefined, numNodeGroups: 2, replicasPerNodeGroup: 0 });
  });

  it("passes a group with automatic failover, Multi-AZ and a replica (num_cache_clusters or replicas_per_node_group)", () => {
    expect(byId["two-azs"]).toEqual({ status: "compliant" });
    expect(byId.sharded).toEqual({ status: "compliant" });
  });

  it("flags a single-node group, naming each missing setting and its fix", () => {
    const message = byId["single-node"].message;
    expect(byId["single-node"].status).toBe("non-compliant");
    expect(message).toContain("automatic_failover_enabled is unset (default false); set automatic_failover_enabled = true");
    expect(message).toContain("multi_az_enabled is unset (default false); set multi_az_enabled = true");
    expect(message).toContain("num_cache_clusters is 1, so there is no replica to promote; set num_cache_clusters to at least 2");
    expect(byId["default-size"]).toEqual({ status: "non-compliant", message: expect.stringContaining("num_cache_clusters is unset (default 1)") });
  });

  it("flags multi_az_enabled false and shards without replicas", () => {
    expect(byId["single-az"]).toEqual({ status: "non-compliant", message: "multi_az_enabled is false; set multi_az_enabled = true." });
    expect(byId["shards-without-replicas"]).toEqual({ status: "non-compliant", message: expect.stringContaining("replicas_per_node_group is 0, so a shard has no replica to promote; set it to at least 1") });
  });
});

describe("ElastiCacheAutoMinorVersionUpgrade", () => {
  const { byId } = evaluateRule(ElastiCacheAutoMinorVersionUpgrade, (s) => {
    group(s, "on");
    group(s, "default", { autoMinorVersionUpgrade: undefined });
    group(s, "off", { autoMinorVersionUpgrade: "false" });
    group(s, "off-boolean").addOverride("auto_minor_version_upgrade", false);
    new ElasticacheCluster(s, "standalone-off", { clusterId: "off", engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, autoMinorVersionUpgrade: "false" });
    new ElasticacheCluster(s, "memcached", { clusterId: "memcached", engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 1 });
    new ElasticacheCluster(s, "member", { clusterId: "member", replicationGroupId: "on" });
  });

  it("passes \"true\" and the default (true)", () => {
    expect(byId.on).toEqual({ status: "compliant" });
    expect(byId.default).toEqual({ status: "compliant" });
  });

  it("flags auto_minor_version_upgrade \"false\" or false, naming the value and the fix", () => {
    expect(byId.off).toEqual({ status: "non-compliant", message: expect.stringContaining('auto_minor_version_upgrade is "false", so minor engine versions and their security fixes are not applied') });
    expect(byId.off.message).toContain('remove auto_minor_version_upgrade or set it to "true"');
    expect(byId["off-boolean"]).toEqual({ status: "non-compliant", message: expect.stringContaining("auto_minor_version_upgrade is false") });
    expect(byId["standalone-off"].status).toBe("non-compliant");
  });

  it("does not apply to memcached clusters or to a group's member clusters", () => {
    expect(byId.memcached).toEqual({ status: "not-applicable" });
    expect(byId.member).toEqual({ status: "not-applicable" });
  });
});

describe("the response cache configuration the InferenceRouter synthesizes", () => {
  const build = (s: TerraformStack) => group(s, "cache");

  it.each(ELASTICACHE_RULES.map((r) => [r.id, r] as const))("satisfies %s", (_id, rule) => {
    const outcomes = Object.values(evaluateRule(rule, build).byAddress);
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) expect(outcome).toEqual({ status: "compliant" });
  });
});
