import { TerraformStack } from "cdktf";
import { DbInstance, DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup, DbParameterGroupParameter } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import {
  RDS_RULES,
  RdsAutoMinorVersionUpgrade,
  RdsBackupRetention,
  RdsDeletionProtection,
  RdsEnhancedMonitoring,
  RdsIamAuthentication,
  RdsLogExports,
  RdsMasterPasswordManaged,
  RdsMultiAz,
  RdsNotPublic,
  RdsPerformanceInsightsEncrypted,
  RdsStorageEncrypted,
  RdsTlsRequired,
} from "../../../lib/compliance/rules/rds";
import { evaluateRule } from "../rule-harness";

const AWS_MANAGED_KEY = "arn:aws:kms:us-east-1:123456789012:alias/aws/rds";

/** A child of the stack by id, created once. */
function once<T>(s: TerraformStack, id: string, make: () => T): T {
  return (s.node.tryFindChild(id) as T | undefined) ?? make();
}

/** A PostgreSQL parameter group of the stack with `parameters`. */
const parameterGroup = (s: TerraformStack, id: string, parameters: DbParameterGroupParameter[], family = "postgres17"): DbParameterGroup =>
  new DbParameterGroup(s, id, { name: id, family, parameter: parameters });

/** The PostgreSQL instance the InferenceRouter's LiteLLM database synthesizes, with `overrides` applied. */
function instance(s: TerraformStack, id: string, overrides: Partial<DbInstanceConfig> = {}): DbInstance {
  const key = once(s, "key", () => new KmsKey(s, "key", { enableKeyRotation: true }));
  const subnets = once(s, "subnets", () => new DbSubnetGroup(s, "subnets", { name: "router-db", subnetIds: ["subnet-a", "subnet-b"] }));
  const parameters = once(s, "parameters", () => parameterGroup(s, "parameters", [{ name: "rds.force_ssl", value: "1" }, { name: "log_connections", value: "1" }]));
  const monitoring = once(s, "monitoring", () => new IamRole(s, "monitoring", {
    name: "router-db-monitoring",
    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
  }));
  return new DbInstance(s, id, {
    identifier: id,
    engine: "postgres",
    engineVersion: "17",
    instanceClass: "db.t4g.small",
    allocatedStorage: 20,
    maxAllocatedStorage: 100,
    storageType: "gp3",
    storageEncrypted: true,
    kmsKeyId: key.arn,
    dbName: "litellm",
    username: "litellm_admin",
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: key.arn,
    iamDatabaseAuthenticationEnabled: true,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: ["sg-0123"],
    publiclyAccessible: false,
    multiAz: true,
    backupRetentionPeriod: 7,
    copyTagsToSnapshot: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `${id}-final`,
    autoMinorVersionUpgrade: true,
    parameterGroupName: parameters.name,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: key.arn,
    performanceInsightsRetentionPeriod: 7,
    monitoringInterval: 60,
    monitoringRoleArn: monitoring.arn,
    caCertIdentifier: "rds-ca-rsa2048-g1",
    ...overrides,
  });
}

/** A read replica of `source` in the same Region, which names neither engine nor master user. */
const replica = (s: TerraformStack, id: string, source: DbInstance, overrides: Partial<DbInstanceConfig> = {}): DbInstance =>
  new DbInstance(s, id, { identifier: id, instanceClass: "db.t4g.small", replicateSourceDb: source.identifier, ...overrides });

describe("RdsStorageEncrypted", () => {
  const { byId } = evaluateRule(RdsStorageEncrypted, (s) => {
    const primary = instance(s, "encrypted");
    instance(s, "unencrypted", { storageEncrypted: false });
    instance(s, "encryption-unset", { storageEncrypted: undefined });
    instance(s, "default-key", { kmsKeyId: undefined });
    instance(s, "aws-managed-key", { kmsKeyId: AWS_MANAGED_KEY });
    instance(s, "aurora", { engine: "aurora-postgresql", storageEncrypted: undefined, kmsKeyId: undefined });
    replica(s, "in-region-replica", primary);
    replica(s, "external-replica", primary, { replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:elsewhere" });
  });

  it("passes storage_encrypted true with a customer-managed kms_key_id", () => expect(byId.encrypted).toEqual({ status: "compliant" }));

  it("flags storage_encrypted false or unset, naming the value, the fix and the replacement", () => {
    expect(byId.unencrypted).toEqual({ status: "non-compliant", message: expect.stringContaining("storage_encrypted is false; set storage_encrypted = true") });
    expect(byId.unencrypted.message).toContain("changing either replaces the instance");
    expect(byId["encryption-unset"]).toEqual({ status: "non-compliant", message: expect.stringContaining("storage_encrypted is unset (default false)") });
  });

  it("flags kms_key_id unset or an AWS managed key, and says to set a customer-managed key", () => {
    expect(byId["default-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_key_id is unset, so RDS encrypts under the AWS managed key aws/rds") });
    expect(byId["default-key"].message).toContain("set kms_key_id to a customer-managed KMS key ARN");
    expect(byId["default-key"].message).not.toContain("storage_encrypted");
    expect(byId["aws-managed-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining(`kms_key_id is "${AWS_MANAGED_KEY}", an AWS managed key`) });
  });

  it("leaves Aurora instances to their cluster and an in-region replica to its source in the stack", () => {
    expect(byId.aurora).toEqual({ status: "not-applicable" });
    expect(byId["in-region-replica"]).toEqual({ status: "not-applicable" });
  });

  it("asks a replica whose source is not in the stack for its own kms_key_id", () => {
    expect(byId["external-replica"]).toEqual({ status: "non-compliant", message: expect.stringContaining("kms_key_id is unset") });
    expect(byId["external-replica"].message).not.toContain("storage_encrypted");
  });
});

describe("RdsNotPublic", () => {
  const { byId } = evaluateRule(RdsNotPublic, (s) => {
    instance(s, "private");
    instance(s, "default", { publiclyAccessible: undefined });
    instance(s, "public", { publiclyAccessible: true });
    instance(s, "public-string").addOverride("publicly_accessible", "true");
    instance(s, "expression").addOverride("publicly_accessible", "${var.public}");
  });

  it("passes publicly_accessible false or unset (default false)", () => {
    expect(byId.private).toEqual({ status: "compliant" });
    expect(byId.default).toEqual({ status: "compliant" });
  });

  it("flags publicly_accessible true, naming the value and the fix", () => {
    expect(byId.public).toEqual({ status: "non-compliant", message: expect.stringContaining("publicly_accessible is true, so the instance gets a public IP address") });
    expect(byId.public.message).toContain("remove publicly_accessible (default false) or set it to false");
    expect(byId["public-string"]).toEqual({ status: "non-compliant", message: expect.stringContaining('publicly_accessible is "true"') });
  });

  it("flags an expression that cannot be checked at synth time", () => {
    expect(byId.expression).toEqual({ status: "non-compliant", message: expect.stringContaining("a Terraform reference (${var.public}) that cannot be checked at synth time") });
  });
});

describe("RdsIamAuthentication", () => {
  const { byId } = evaluateRule(RdsIamAuthentication, (s) => {
    const primary = instance(s, "iam");
    instance(s, "off", { iamDatabaseAuthenticationEnabled: false });
    instance(s, "unset", { iamDatabaseAuthenticationEnabled: undefined });
    instance(s, "mysql", { engine: "mysql", engineVersion: "8.0", iamDatabaseAuthenticationEnabled: undefined });
    instance(s, "sqlserver", { engine: "sqlserver-se", iamDatabaseAuthenticationEnabled: undefined });
    instance(s, "aurora", { engine: "aurora-postgresql", iamDatabaseAuthenticationEnabled: undefined });
    replica(s, "replica-off", primary);
    replica(s, "unknown-engine", primary, { replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:elsewhere" });
  });

  it("passes iam_database_authentication_enabled true", () => expect(byId.iam).toEqual({ status: "compliant" }));

  it("flags IAM authentication off or unset on postgres and mysql, naming the value and the fix", () => {
    expect(byId.off).toEqual({ status: "non-compliant", message: expect.stringContaining("iam_database_authentication_enabled is false, so clients of this postgres instance can only log in with long-lived passwords") });
    expect(byId.off.message).toContain("set iam_database_authentication_enabled = true and grant rds_iam");
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("iam_database_authentication_enabled is unset (default false)") });
    expect(byId.mysql).toEqual({ status: "non-compliant", message: expect.stringContaining("this mysql instance") });
  });

  it("takes a replica's engine from its source in the stack", () => {
    expect(byId["replica-off"]).toEqual({ status: "non-compliant", message: expect.stringContaining("this postgres instance") });
  });

  it("asks for a literal engine when it cannot be known", () => {
    expect(byId["unknown-engine"]).toEqual({ status: "non-compliant", message: expect.stringContaining("engine is unset and iam_database_authentication_enabled is unset; set engine literally") });
  });

  it("does not apply to engines without IAM authentication or to Aurora instances", () => {
    expect(byId.sqlserver).toEqual({ status: "not-applicable" });
    expect(byId.aurora).toEqual({ status: "not-applicable" });
  });
});

describe("RdsMasterPasswordManaged", () => {
  const ephemeral = "${ephemeral.aws_secretsmanager_random_password.db.random_password}";
  const { byId } = evaluateRule(RdsMasterPasswordManaged, (s) => {
    const primary = instance(s, "managed");
    instance(s, "write-only-ephemeral", { manageMasterUserPassword: undefined, passwordWo: ephemeral, passwordWoVersion: 1 });
    instance(s, "literal", { manageMasterUserPassword: undefined, password: "not-a-real-password-0123" });
    instance(s, "variable", { manageMasterUserPassword: undefined }).addOverride("password", "${var.db_password}");
    instance(s, "write-only-literal", { manageMasterUserPassword: undefined, passwordWo: "not-a-real-password-0123", passwordWoVersion: 1 });
    instance(s, "write-only-variable", { manageMasterUserPassword: undefined }).addOverride("password_wo", "${var.db_password}");
    instance(s, "write-only-resource", { manageMasterUserPassword: undefined }).addOverride("password_wo", "${random_password.db.result}");
    instance(s, "nothing", { manageMasterUserPassword: false });
    instance(s, "from-snapshot", { manageMasterUserPassword: undefined, snapshotIdentifier: "router-db-2026-11-01" });
    replica(s, "replica", primary);
    instance(s, "aurora", { engine: "aurora-postgresql", manageMasterUserPassword: undefined });
  });

  it("passes manage_master_user_password, password_wo from an ephemeral value, and instances that inherit the password", () => {
    for (const id of ["managed", "write-only-ephemeral", "from-snapshot", "replica"]) expect(byId[id]).toEqual({ status: "compliant" });
  });

  it("flags a literal password, which is in the configuration and in the state", () => {
    expect(byId.literal).toEqual({ status: "non-compliant", message: expect.stringContaining("password is a literal, so the master password is in the synthesized configuration and, in clear text, in the Terraform state") });
    expect(byId.literal.message).toContain("remove password and set manage_master_user_password = true");
    expect(byId.literal.message).not.toContain("not-a-real-password");
  });

  it("flags a password from a reference, whose value the state stores", () => {
    expect(byId.variable).toEqual({ status: "non-compliant", message: expect.stringContaining("its value is stored in clear text in the Terraform state") });
  });

  it("flags password_wo given literally, from a variable or from another resource's state", () => {
    expect(byId["write-only-literal"]).toEqual({ status: "non-compliant", message: expect.stringContaining("password_wo is a literal, so the master password is in the synthesized configuration") });
    expect(byId["write-only-literal"].message).not.toContain("not-a-real-password");
    expect(byId["write-only-variable"]).toEqual({ status: "non-compliant", message: expect.stringContaining("password_wo comes from an input variable (${var.db_password})") });
    expect(byId["write-only-resource"]).toEqual({ status: "non-compliant", message: expect.stringContaining("whose state holds the password in clear text") });
  });

  it("flags an instance with no password source at all", () => {
    expect(byId.nothing).toEqual({ status: "non-compliant", message: expect.stringContaining("manage_master_user_password is false and neither password nor password_wo is set") });
  });

  it("leaves Aurora instances to their cluster", () => expect(byId.aurora).toEqual({ status: "not-applicable" }));
});

describe("RdsBackupRetention", () => {
  const { byId } = evaluateRule(RdsBackupRetention, (s) => {
    const primary = instance(s, "week");
    instance(s, "month", { backupRetentionPeriod: 35 });
    instance(s, "short", { backupRetentionPeriod: 1 });
    instance(s, "off", { backupRetentionPeriod: 0 });
    instance(s, "unset", { backupRetentionPeriod: undefined });
    instance(s, "expression").addOverride("backup_retention_period", "${var.days}");
    replica(s, "replica", primary);
  });

  it("passes a retention of at least 7 days", () => {
    expect(byId.week).toEqual({ status: "compliant" });
    expect(byId.month).toEqual({ status: "compliant" });
  });

  it("flags a short, disabled or unset retention, naming the value and the fix", () => {
    expect(byId.short).toEqual({ status: "non-compliant", message: "backup_retention_period is 1, so point-in-time restores reach back less than 7 days; set backup_retention_period to at least 7 (at most 35)." });
    expect(byId.off).toEqual({ status: "non-compliant", message: expect.stringContaining("backup_retention_period is 0, so automated backups are off") });
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("backup_retention_period is unset (the provider documents 0, the RDS API defaults to 1 day)") });
    expect(byId.expression).toEqual({ status: "non-compliant", message: expect.stringContaining("cannot be checked at synth time; set backup_retention_period to at least 7 (at most 35) literally") });
  });

  it("takes minDays from the pack", () => {
    const { byId: strict } = evaluateRule(RdsBackupRetention, (s) => instance(s, "week"), { minDays: 14 });
    expect(strict.week).toEqual({ status: "non-compliant", message: expect.stringContaining("backup_retention_period is 7, so point-in-time restores reach back less than 14 days") });
  });

  it("does not apply to read replicas", () => expect(byId.replica).toEqual({ status: "not-applicable" }));
});

describe("RdsDeletionProtection", () => {
  const { byId } = evaluateRule(RdsDeletionProtection, (s) => {
    const primary = instance(s, "protected");
    instance(s, "unprotected", { deletionProtection: false });
    instance(s, "protection-unset", { deletionProtection: undefined });
    instance(s, "snapshot-default", { skipFinalSnapshot: undefined });
    instance(s, "no-final-snapshot", { skipFinalSnapshot: true, finalSnapshotIdentifier: undefined });
    instance(s, "neither", { deletionProtection: false, skipFinalSnapshot: true, finalSnapshotIdentifier: undefined });
    replica(s, "replica", primary);
  });

  it("passes deletion protection with a final snapshot (skip_final_snapshot false or unset)", () => {
    expect(byId.protected).toEqual({ status: "compliant" });
    expect(byId["snapshot-default"]).toEqual({ status: "compliant" });
  });

  it("flags deletion_protection false or unset", () => {
    expect(byId.unprotected).toEqual({ status: "non-compliant", message: "deletion_protection is false, so a destroy or a replacement deletes the database; set deletion_protection = true." });
    expect(byId["protection-unset"]).toEqual({ status: "non-compliant", message: expect.stringContaining("deletion_protection is unset (default false)") });
  });

  it("flags skip_final_snapshot true, and names both problems when both apply", () => {
    expect(byId["no-final-snapshot"]).toEqual({ status: "non-compliant", message: expect.stringContaining("skip_final_snapshot is true, so deleting the instance keeps no copy of the data; set skip_final_snapshot = false with a final_snapshot_identifier") });
    expect(byId.neither.message).toContain("deletion_protection is false");
    expect(byId.neither.message).toContain("skip_final_snapshot is true");
  });

  it("does not apply to read replicas", () => expect(byId.replica).toEqual({ status: "not-applicable" }));
});

describe("RdsMultiAz", () => {
  const { byId } = evaluateRule(RdsMultiAz, (s) => {
    instance(s, "multi-az");
    instance(s, "single-az", { multiAz: false });
    instance(s, "unset", { multiAz: undefined });
    instance(s, "aurora", { engine: "aurora-postgresql", multiAz: undefined });
  });

  it("passes multi_az true", () => expect(byId["multi-az"]).toEqual({ status: "compliant" }));

  it("flags multi_az false or unset, naming the value and the fix", () => {
    expect(byId["single-az"]).toEqual({ status: "non-compliant", message: "multi_az is false, so the database has no standby and is down while its Availability Zone is; set multi_az = true." });
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("multi_az is unset (default false)") });
  });

  it("leaves Aurora instances to their cluster", () => expect(byId.aurora).toEqual({ status: "not-applicable" }));
});

describe("RdsLogExports", () => {
  const { byId } = evaluateRule(RdsLogExports, (s) => {
    instance(s, "postgres-logs");
    instance(s, "postgres-log-only", { enabledCloudwatchLogsExports: ["postgresql"] });
    instance(s, "upgrade-only", { enabledCloudwatchLogsExports: ["upgrade"] });
    instance(s, "none", { enabledCloudwatchLogsExports: undefined });
    instance(s, "empty", { enabledCloudwatchLogsExports: [] });
    instance(s, "expression").addOverride("enabled_cloudwatch_logs_exports", "${var.logs}");
    instance(s, "mysql-logs", { engine: "mysql", engineVersion: "8.0", enabledCloudwatchLogsExports: ["audit", "error"] });
    instance(s, "mysql-none", { engine: "mysql", engineVersion: "8.0", enabledCloudwatchLogsExports: undefined });
  });

  it("passes a postgres instance that exports \"postgresql\", and another engine that exports logs", () => {
    for (const id of ["postgres-logs", "postgres-log-only", "mysql-logs"]) expect(byId[id]).toEqual({ status: "compliant" });
  });

  it("flags a postgres instance without the \"postgresql\" log, naming the value and the fix", () => {
    expect(byId["upgrade-only"]).toEqual({ status: "non-compliant", message: expect.stringContaining('enabled_cloudwatch_logs_exports is ["upgrade"], so PostgreSQL\'s log (connections, errors, statements) stays on the instance') });
    expect(byId["upgrade-only"].message).toContain('add "postgresql" (and "upgrade") to enabled_cloudwatch_logs_exports');
    expect(byId.none).toEqual({ status: "non-compliant", message: expect.stringContaining("enabled_cloudwatch_logs_exports is unset") });
    expect(byId.empty.status).toBe("non-compliant");
    expect(byId.expression).toEqual({ status: "non-compliant", message: expect.stringContaining('list the log types literally, including "postgresql"') });
  });

  it("flags another engine that exports nothing, naming its log types", () => {
    expect(byId["mysql-none"]).toEqual({ status: "non-compliant", message: expect.stringContaining('engine "mysql" exports no logs; set enabled_cloudwatch_logs_exports to "audit", "error", "general" and "slowquery"') });
  });
});

describe("RdsTlsRequired", () => {
  const { byId } = evaluateRule(RdsTlsRequired, (s) => {
    instance(s, "forced");
    instance(s, "default-group-17", { parameterGroupName: undefined });
    instance(s, "default-group-14", { parameterGroupName: undefined, engineVersion: "14.12" });
    instance(s, "default-group-no-version", { parameterGroupName: undefined, engineVersion: undefined });
    instance(s, "named-default-17", { parameterGroupName: "default.postgres17" });
    instance(s, "named-default-14", { parameterGroupName: "default.postgres14", engineVersion: "14" });
    const off = parameterGroup(s, "ssl-off", [{ name: "rds.force_ssl", value: "0" }]);
    instance(s, "group-off", { parameterGroupName: off.name });
    parameterGroup(s, "ssl-on-by-name", [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
    instance(s, "group-by-literal-name", { parameterGroupName: "ssl-on-by-name" });
    const inherits17 = parameterGroup(s, "inherits-17", [{ name: "log_connections", value: "1" }]);
    instance(s, "group-inherits-17", { parameterGroupName: inherits17.name });
    const inherits14 = parameterGroup(s, "inherits-14", [{ name: "log_connections", value: "1" }], "postgres14");
    instance(s, "group-inherits-14", { parameterGroupName: inherits14.name, engineVersion: "14" });
    instance(s, "group-elsewhere", { parameterGroupName: "shared-postgres17" });
    instance(s, "mysql", { engine: "mysql", engineVersion: "8.0", parameterGroupName: undefined });
  });

  it("passes a parameter group of the stack (by reference or literal name) that sets rds.force_ssl = 1", () => {
    expect(byId.forced).toEqual({ status: "compliant" });
    expect(byId["group-by-literal-name"]).toEqual({ status: "compliant" });
  });

  it("passes PostgreSQL 15 and later on a default group, or on a custom group that leaves rds.force_ssl to its default (1)", () => {
    for (const id of ["default-group-17", "named-default-17", "group-inherits-17"]) expect(byId[id]).toEqual({ status: "compliant" });
  });

  it("flags a parameter group that sets rds.force_ssl to 0, naming the group and the fix", () => {
    expect(byId["group-off"]).toEqual({ status: "non-compliant", message: 'parameter group aws_db_parameter_group.ssl-off sets rds.force_ssl to "0", so the server accepts unencrypted connections; set its value to "1".' });
  });

  it("flags PostgreSQL 14 and older, whose default rds.force_ssl is 0", () => {
    expect(byId["default-group-14"]).toEqual({ status: "non-compliant", message: expect.stringContaining("parameter_group_name is unset (the default group) and PostgreSQL 14 defaults rds.force_ssl to 0") });
    expect(byId["default-group-14"].message).toContain('whose parameter list has { name = "rds.force_ssl", value = "1" }');
    expect(byId["named-default-14"]).toEqual({ status: "non-compliant", message: expect.stringContaining('the default group "default.postgres14" and PostgreSQL 14 defaults rds.force_ssl to 0') });
    expect(byId["group-inherits-14"]).toEqual({ status: "non-compliant", message: expect.stringContaining('(family "postgres14") does not set rds.force_ssl and PostgreSQL 14 defaults rds.force_ssl to 0') });
  });

  it("flags what cannot be checked: no engine_version on the default group, a group outside the stack", () => {
    expect(byId["default-group-no-version"]).toEqual({ status: "non-compliant", message: expect.stringContaining("engine_version is unset (AWS picks the default version at apply)") });
    expect(byId["group-elsewhere"]).toEqual({ status: "non-compliant", message: expect.stringContaining('parameter_group_name is "shared-postgres17", which is no aws_db_parameter_group of this stack') });
  });

  it("does not apply to other engines", () => expect(byId.mysql).toEqual({ status: "not-applicable" }));
});

describe("RdsAutoMinorVersionUpgrade", () => {
  const { byId } = evaluateRule(RdsAutoMinorVersionUpgrade, (s) => {
    instance(s, "on");
    instance(s, "default", { autoMinorVersionUpgrade: undefined });
    instance(s, "off", { autoMinorVersionUpgrade: false });
    instance(s, "off-string").addOverride("auto_minor_version_upgrade", "false");
    instance(s, "expression").addOverride("auto_minor_version_upgrade", "${var.upgrades}");
  });

  it("passes true and the default (true)", () => {
    expect(byId.on).toEqual({ status: "compliant" });
    expect(byId.default).toEqual({ status: "compliant" });
  });

  it("flags auto_minor_version_upgrade false, naming the value and the fix", () => {
    expect(byId.off).toEqual({ status: "non-compliant", message: "auto_minor_version_upgrade is false, so minor engine versions and their security fixes are not applied; remove auto_minor_version_upgrade (default true) or set it to true." });
    expect(byId["off-string"]).toEqual({ status: "non-compliant", message: expect.stringContaining('auto_minor_version_upgrade is "false"') });
    expect(byId.expression).toEqual({ status: "non-compliant", message: expect.stringContaining("set it to true literally") });
  });
});

describe("RdsEnhancedMonitoring", () => {
  const { byId } = evaluateRule(RdsEnhancedMonitoring, (s) => {
    instance(s, "monitored");
    instance(s, "off", { monitoringInterval: 0, monitoringRoleArn: undefined });
    instance(s, "unset", { monitoringInterval: undefined, monitoringRoleArn: undefined });
    instance(s, "no-role", { monitoringRoleArn: undefined });
    instance(s, "invalid-interval", { monitoringInterval: 120 });
  });

  it("passes an interval with a monitoring role", () => expect(byId.monitored).toEqual({ status: "compliant" }));

  it("flags monitoring off or unset, naming the value and the fix", () => {
    expect(byId.off).toEqual({ status: "non-compliant", message: expect.stringContaining("monitoring_interval is 0, so Enhanced Monitoring is off; set monitoring_interval to one of 1, 5, 10, 15, 30, 60 seconds") });
    expect(byId.unset).toEqual({ status: "non-compliant", message: expect.stringContaining("monitoring_interval is unset (default 0)") });
    expect(byId["invalid-interval"]).toEqual({ status: "non-compliant", message: expect.stringContaining("monitoring_interval is 120;") });
  });

  it("flags an interval without monitoring_role_arn", () => {
    expect(byId["no-role"]).toEqual({ status: "non-compliant", message: expect.stringContaining("monitoring_interval is 60 but monitoring_role_arn is unset, so RDS cannot publish the metrics") });
  });
});

describe("RdsPerformanceInsightsEncrypted", () => {
  const { byId } = evaluateRule(RdsPerformanceInsightsEncrypted, (s) => {
    instance(s, "cmk");
    instance(s, "default-key", { performanceInsightsKmsKeyId: undefined });
    instance(s, "aws-managed-key", { performanceInsightsKmsKeyId: AWS_MANAGED_KEY });
    instance(s, "off", { performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined, performanceInsightsRetentionPeriod: undefined });
    instance(s, "unset", { performanceInsightsEnabled: undefined, performanceInsightsKmsKeyId: undefined, performanceInsightsRetentionPeriod: undefined });
  });

  it("passes Performance Insights under a customer-managed key", () => expect(byId.cmk).toEqual({ status: "compliant" }));

  it("flags Performance Insights without a key, or with an AWS managed key, naming the fix", () => {
    expect(byId["default-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining("performance_insights_enabled is true and performance_insights_kms_key_id is unset, so SQL text is kept under the AWS managed key aws/rds") });
    expect(byId["default-key"].message).toContain("set performance_insights_kms_key_id to a customer-managed KMS key ARN");
    expect(byId["aws-managed-key"]).toEqual({ status: "non-compliant", message: expect.stringContaining(`performance_insights_kms_key_id is "${AWS_MANAGED_KEY}", an AWS managed key`) });
  });

  it("does not apply when Performance Insights is off", () => {
    expect(byId.off).toEqual({ status: "not-applicable" });
    expect(byId.unset).toEqual({ status: "not-applicable" });
  });
});

describe("the LiteLLM database configuration the InferenceRouter synthesizes", () => {
  const build = (s: TerraformStack) => instance(s, "litellm");

  it.each(RDS_RULES.map((r) => [r.id, r] as const))("satisfies %s", (_id, rule) => {
    const outcomes = Object.values(evaluateRule(rule, build).byAddress);
    expect(outcomes.length).toBeGreaterThan(0);
    for (const outcome of outcomes) expect(outcome).toEqual({ status: "compliant" });
  });

  it("satisfies RdsMasterPasswordManaged with the master password write-only from an ephemeral random password", () => {
    const outcome = Object.values(evaluateRule(RdsMasterPasswordManaged, (s) => instance(s, "litellm", {
      manageMasterUserPassword: undefined,
      passwordWo: "${ephemeral.aws_secretsmanager_random_password.db.random_password}",
      passwordWoVersion: 1,
    })).byAddress);
    expect(outcome).toEqual([{ status: "compliant" }]);
  });
});
