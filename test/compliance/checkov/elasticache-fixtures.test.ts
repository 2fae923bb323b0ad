import { ElasticacheCluster } from "@cdktf/provider-aws/lib/elasticache-cluster";
import { ElasticacheReplicationGroup, ElasticacheReplicationGroupConfig } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import {
  ElastiCacheAuthenticationRequired,
  ElastiCacheAutoMinorVersionUpgrade,
  ElastiCacheEncryptedAtRest,
  ElastiCacheEncryptedInTransit,
} from "../../../lib/compliance/rules/elasticache";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f:tests/terraform/checks/resource/aws/ (test_Elasticache*.py, example_Elasti*).
 * Provider 5.x removed replication_group_description and number_cache_clusters: the fixtures that use them are written with
 * their successors description and num_cache_clusters. availability_zones (also removed) is written as preferred_cache_cluster_azs.
 * ${var.auth_token} is written as a literal token.
 */

/** The inline resource_conf of test_ElasticacheReplicationGroupEncryptionAt{Rest,Transit}.py. */
const inlineGroup: ElasticacheReplicationGroupConfig = {
  automaticFailoverEnabled: true, preferredCacheClusterAzs: ["us-west-2a", "us-west-2b"], replicationGroupId: "tf-rep-group-1",
  description: "test description", nodeType: "cache.m4.large", numCacheClusters: 2, parameterGroupName: "default.redis3.2", port: 6379,
  atRestEncryptionEnabled: "true", transitEncryptionEnabled: true, authToken: "auth-token-0123456789",
};

describe("CKV_AWS_29 fixtures (ElastiCacheEncryptedAtRest)", () => {
  it("detects the failing groups (2/2); flags the passing one (1/1), deliberately", () => {
    const v = verdicts(ElastiCacheEncryptedAtRest, (s) => {
      new ElasticacheReplicationGroup(s, "test_success", inlineGroup);
      new ElasticacheReplicationGroup(s, "test_failure", { ...inlineGroup, atRestEncryptionEnabled: "false" });
      new ElasticacheReplicationGroup(s, "test_failure_on_missing_property", { ...inlineGroup, atRestEncryptionEnabled: undefined });
    });
    // The rule claims CKV_AWS_29 and CKV_AWS_191 together: at-rest encryption under the service-managed key (no kms_key_id) is
    // flagged, as its description says ("with a customer-managed KMS key").
    expect(misses(v, ["test_failure", "test_failure_on_missing_property"], ["test_success"])).toEqual({ undetected: [], flagged: ["test_success"] });
  });
});

describe("CKV_AWS_191 fixtures (ElastiCacheEncryptedAtRest)", () => {
  // example_ElasticacheReplicationGroupEncryptedWithCMK/main.tf; subnet group, security group and AZ data source are literal names.
  it("detects the failing group (1/1) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(ElastiCacheEncryptedAtRest, (s) => {
      const key = new KmsKey(s, "bar", {});
      const group: ElasticacheReplicationGroupConfig = {
        replicationGroupId: "tf-%s", description: "test description", nodeType: "cache.t2.micro", numCacheClusters: 1, port: 6379,
        subnetGroupName: "bar", securityGroupIds: ["sg-bar"], parameterGroupName: "default.redis3.2", preferredCacheClusterAzs: ["us-east-1a"],
        engineVersion: "3.2.6", atRestEncryptionEnabled: "true",
      };
      new ElasticacheReplicationGroup(s, "pass", { ...group, kmsKeyId: key.arn });
      new ElasticacheReplicationGroup(s, "fail", group);
    });
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_30 fixtures (ElastiCacheEncryptedInTransit)", () => {
  it("detects the failing groups (2/2) and accepts the passing one (0/1 flagged)", () => {
    const v = verdicts(ElastiCacheEncryptedInTransit, (s) => {
      new ElasticacheReplicationGroup(s, "test_success", inlineGroup);
      new ElasticacheReplicationGroup(s, "test_failure", { ...inlineGroup, atRestEncryptionEnabled: "false", transitEncryptionEnabled: false });
      new ElasticacheReplicationGroup(s, "test_failure_on_missing_property", { ...inlineGroup, atRestEncryptionEnabled: undefined, transitEncryptionEnabled: undefined });
    });
    expect(misses(v, ["test_failure", "test_failure_on_missing_property"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_31 fixtures (ElastiCacheAuthenticationRequired)", () => {
  // example_ElasticacheReplicationGroupEncryptionAtTransitAuthToken/main.tf; pass2's local.replication_group_id is a literal.
  const group: ElasticacheReplicationGroupConfig = {
    automaticFailoverEnabled: true, replicationGroupId: "tf-rep-group-2", description: "d", nodeType: "cache.m4.large",
    parameterGroupName: "default.redis3.2", port: 6379, atRestEncryptionEnabled: "false", transitEncryptionEnabled: false,
  };
  const build = (s: Parameters<Parameters<typeof verdicts>[1]>[0]): void => {
    new ElasticacheReplicationGroup(s, "pass", { ...group, replicationGroupId: "tf-rep-group-1", atRestEncryptionEnabled: "true", transitEncryptionEnabled: true, authToken: "auth-token-0123456789" });
    new ElasticacheReplicationGroup(s, "pass2", { replicationGroupId: "rg", description: "Sample Redis replication group", engine: "redis", transitEncryptionEnabled: true, userGroupIds: ["sample-group-id"] });
    new ElasticacheReplicationGroup(s, "fail", group);
    new ElasticacheReplicationGroup(s, "fail2", { ...group, userGroupIds: ["sample-group-id"] });
    new ElasticacheReplicationGroup(s, "fail3", { ...group, transitEncryptionEnabled: true });
  };
  it("detects 2/3 failing groups and accepts the passing ones (0/2 flagged); fail2 is left to the in-transit rule", () => {
    // checkov's CKV_AWS_31 demands transit_encryption_enabled and a credential together; the rule judges the credential only and
    // ElastiCacheEncryptedInTransit (CKV_AWS_30) judges TLS. fail2 has a user group but no TLS.
    expect(misses(verdicts(ElastiCacheAuthenticationRequired, build), ["fail", "fail2", "fail3"], ["pass", "pass2"])).toEqual({ undetected: ["fail2"], flagged: [] });
    expect(verdicts(ElastiCacheEncryptedInTransit, build).fail2).toBe("non-compliant");
  });
});

describe("CKV_AWS_322 fixtures (ElastiCacheAutoMinorVersionUpgrade)", () => {
  // example_ElasticCacheAutomaticMinorUpgrades/main.tf. Provider 5.100 types auto_minor_version_upgrade as a string.
  it("detects the failing cluster (1/1) and accepts the passing ones (0/2 flagged)", () => {
    const cluster = { clusterId: "cluster", engine: "redis", nodeType: "cache.m5.large", numCacheNodes: 1, parameterGroupName: "default.redis6.x" };
    const v = verdicts(ElastiCacheAutoMinorVersionUpgrade, (s) => {
      new ElasticacheCluster(s, "pass", { ...cluster, autoMinorVersionUpgrade: "true", snapshotRetentionLimit: 5 });
      new ElasticacheCluster(s, "pass2", cluster);
      new ElasticacheCluster(s, "fail", { ...cluster, autoMinorVersionUpgrade: "false", snapshotRetentionLimit: 0 });
      new ElasticacheCluster(s, "memcached", { ...cluster, engine: "memcached", parameterGroupName: "default.memcached1.6 " });
    });
    expect(misses(v, ["fail"], ["pass", "pass2"])).toEqual({ undetected: [], flagged: [] });
    // checkov reports memcached as unknown; the setting does not exist for memcached.
    expect(v.memcached).toBe("not-applicable");
  });
});
