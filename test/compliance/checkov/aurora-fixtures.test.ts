import { RdsCluster, RdsClusterConfig } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterCopyTagsToSnapshot, RdsDeletionProtection, RdsIamAuthentication, RdsLogExports, RdsStorageEncrypted } from "../../../lib/compliance/rules/rds";
import { misses, verdicts } from "./checkov-harness";

/*
 * checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f fixtures of its aws_rds_cluster checks:
 *   tests/terraform/checks/resource/aws/test_AuroraEncryption.py (CKV_AWS_96, inline confs),
 *   test_RDSDeletionProtection.py (CKV_AWS_139, inline confs),
 *   example_RDSClusterIAMAuthentication/main.tf (CKV_AWS_162), example_RDSClusterLogging/main.tf (CKV_AWS_324),
 *   example_RDSClusterEncryptedWithCMK/main.tf (CKV_AWS_327), example_RDSClusterCopyTags/main.tf (CKV_AWS_313).
 * Provider 5.100 requires `engine`: fixtures without one get "aurora-mysql" (the RDS API's default). `availability_zones`,
 * `master_password` and the other unrelated arguments are kept where the provider accepts them.
 */
type Props = Omit<RdsClusterConfig, "engine"> & { engine?: string };
const cluster = (s: Parameters<Parameters<typeof verdicts>[1]>[0], id: string, props: Props) => new RdsCluster(s, id, { engine: "aurora-mysql", ...props });
const demo: Props = {
  clusterIdentifier: "aurora-cluster-demo",
  availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
  databaseName: "mydb",
  masterUsername: "foo",
  masterPassword: "bar",
  backupRetentionPeriod: 5,
  preferredBackupWindow: "07:00-09:00",
};

describe("CKV_AWS_96 fixtures (RdsStorageEncrypted on aws_rds_cluster)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsStorageEncrypted, (s) => {
      const mysql = { ...demo, engine: "aurora-mysql", engineVersion: "5.7.mysql_aurora.2.03.2" };
      cluster(s, "test_success", { ...mysql, storageEncrypted: true });
      cluster(s, "test_success_serverless_default", { ...demo, engineMode: "serverless" });
      cluster(s, "test_success_serverless_enc_off", { ...demo, engineMode: "serverless", storageEncrypted: false });
      cluster(s, "test_failure_explicit", { ...mysql, storageEncrypted: false });
      cluster(s, "test_failure_default", mysql);
    });
  });

  it("detects both failing fixtures (2/2); the three passing ones are flagged for their missing customer-managed key (deliberately stricter, CKV_AWS_327)", () => {
    expect(misses(v, ["test_failure_explicit", "test_failure_default"], [])).toEqual({ undetected: [], flagged: [] });
    expect(misses(v, [], ["test_success", "test_success_serverless_default", "test_success_serverless_enc_off"]).flagged).toHaveLength(3);
  });
});

describe("CKV_AWS_327 fixtures (RdsStorageEncrypted: a customer-managed key on aws_rds_cluster)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsStorageEncrypted, (s) => {
      cluster(s, "pass", { masterUsername: "username", masterPassword: "password", storageEncrypted: true, iamDatabaseAuthenticationEnabled: true, kmsKeyId: "${aws_kms_key.pike.arn}" });
      cluster(s, "fail", { masterUsername: "username", masterPassword: "password" });
    });
  });

  it("detects the failing fixture (1/1) and flags no passing one (0/1)", () => {
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_139 fixtures (RdsDeletionProtection on aws_rds_cluster)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsDeletionProtection, (s) => {
      cluster(s, "test_failure", { ...demo, deletionProtection: false });
      cluster(s, "test_failure_missing_attribute", demo);
      cluster(s, "test_success", { ...demo, deletionProtection: true });
    });
  });

  it("detects both failing fixtures (2/2) and flags no passing one (0/1)", () => {
    expect(misses(v, ["test_failure", "test_failure_missing_attribute"], ["test_success"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_162 fixtures (RdsIamAuthentication on aws_rds_cluster)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsIamAuthentication, (s) => {
      const base = { masterUsername: "username", masterPassword: "password" };
      cluster(s, "enabled", { ...base, iamDatabaseAuthenticationEnabled: true });
      cluster(s, "default", base);
      cluster(s, "disabled", { ...base, iamDatabaseAuthenticationEnabled: false });
    });
  });

  it("detects both failing fixtures (2/2) and flags no passing one (0/1)", () => {
    expect(misses(v, ["default", "disabled"], ["enabled"])).toEqual({ undetected: [], flagged: [] });
  });
});

describe("CKV_AWS_324 fixtures (RdsLogExports on aws_rds_cluster)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsLogExports, (s) => {
      cluster(s, "pass", { masterUsername: "username", masterPassword: "password", enabledCloudwatchLogsExports: ["audit"], iamDatabaseAuthenticationEnabled: true });
      cluster(s, "fail", { masterUsername: "username", masterPassword: "password" });
      // Not a checkov fixture: Aurora PostgreSQL must export its "postgresql" log (deliberately stricter than any log type).
      cluster(s, "postgres_without_postgresql", { engine: "aurora-postgresql", masterUsername: "username", masterPassword: "password", enabledCloudwatchLogsExports: ["instance"] });
    });
  });

  it("detects the failing fixture (1/1) and flags no passing one (0/1)", () => {
    expect(misses(v, ["fail"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });

  it("asks Aurora PostgreSQL for its postgresql log", () => expect(v.postgres_without_postgresql).toBe("non-compliant"));
});

describe("CKV_AWS_313 fixtures (RdsClusterCopyTagsToSnapshot)", () => {
  let v: ReturnType<typeof verdicts>;
  beforeAll(() => {
    v = verdicts(RdsClusterCopyTagsToSnapshot, (s) => {
      const base: Props = {
        clusterIdentifier: "example",
        availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
        engine: "mysql",
        dbClusterInstanceClass: "db.r6gd.xlarge",
        storageType: "io1",
        allocatedStorage: 100,
        iops: 1000,
        masterUsername: "test",
        masterPassword: "mustbeeightcharaters",
      };
      cluster(s, "fail", base);
      cluster(s, "fail2", { ...base, copyTagsToSnapshot: false });
      cluster(s, "pass", { ...base, copyTagsToSnapshot: true });
    });
  });

  it("detects both failing fixtures (2/2) and flags no passing one (0/1)", () => {
    expect(misses(v, ["fail", "fail2"], ["pass"])).toEqual({ undetected: [], flagged: [] });
  });
});
