import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { blocks, isAwsManagedKey, isFalse, isLiteralString, isOne, isReference, isSet, isTrue, literalNumber, shown } from "../private/attributes";

/*
 * Rules over Amazon RDS DB instances (aws_db_instance), written for RDS for PostgreSQL and applicable to the other engines
 * where the setting exists. Defaults quoted in messages are those of the hashicorp/aws provider documentation
 * (website/docs/r/db_instance.html.markdown) and of the RDS API reference (CreateDBInstance).
 */

const INSTANCE = "aws_db_instance";
/** Aurora: the cluster holds storage, backups, deletion protection and the master user; its instances hold the compute settings. */
const CLUSTER = "aws_rds_cluster";
const CLUSTER_INSTANCE = "aws_rds_cluster_instance";
const PARAMETER_GROUP = "aws_db_parameter_group";

type Config = Readonly<Record<string, unknown>>;

/** A read replica: it takes its data, engine, master user and (in-region) encryption from its source instance. */
const isReplica = (c: Config): boolean => isSet(c.replicate_source_db);

/** The instance in this stack that `replicate_source_db` names (by reference, or by its literal identifier). */
function sourceOf(resource: ResourceView, stack: StackView): ResourceView | undefined {
  const ref = resource.config.replicate_source_db;
  if (!isSet(ref)) return undefined;
  return stack.ofType(INSTANCE).find((i) => i !== resource && (stack.refersTo(ref, i) || (i.config.identifier !== undefined && i.config.identifier === ref)));
}

/** The engine: set on the instance, or taken from the replica's source when that is in the stack; undefined when unknown. */
function engineOf(resource: ResourceView, stack: StackView): string | undefined {
  const e = resource.config.engine;
  if (isLiteralString(e)) return e;
  if (e === undefined) {
    const source = sourceOf(resource, stack)?.config.engine;
    if (isLiteralString(source)) return source;
  }
  return undefined;
}

/**
 * An instance of an Aurora DB cluster: storage, backups, deletion protection, the master user, IAM authentication, log exports
 * and the TLS parameter are settings of the aws_rds_cluster, which these instance rules do not judge.
 */
const isAurora = (r: ResourceView): boolean => r.type === INSTANCE && typeof r.config.engine === "string" && r.config.engine.startsWith("aurora");

const CMK_FIX = "a customer-managed KMS key ARN whose policy lets RDS use it";

/** The engine named in messages: the literal, or what is known about it. */
const engineShown = (resource: ResourceView, engine: string | undefined): string =>
  engine !== undefined ? JSON.stringify(engine) : shown(resource.config.engine, "unset");

/** The database's storage, automated backups, snapshots and replicas are encrypted under a key you control. */
export const RdsStorageEncrypted = {
  id: "RdsStorageEncrypted",
  description: "RDS DB instances encrypt storage (storage_encrypted = true) with a customer-managed KMS key (kms_key_id).",
  explanation:
    "The router's database holds API keys, users, budgets and spend logs, which name who asked what and when. Storage encryption " +
    "covers the volumes, automated backups, read replicas and snapshots; a customer-managed key puts them behind a key policy and logs " +
    "every use in CloudTrail, where the AWS managed key aws/rds does neither and cannot be shared with another account for a restore. " +
    "Encryption can only be chosen at creation: an existing instance is encrypted by restoring an encrypted snapshot copy.",
  // An Aurora or Multi-AZ DB cluster (aws_rds_cluster) holds the same two attributes: checkov judges it as CKV_AWS_96
  // (storage_encrypted, checkov@03d5fdad:checkov/terraform/checks/resource/aws/AuroraEncryption.py; engine_mode "serverless" passes, as
  // Aurora Serverless v1 is always encrypted) and CKV_AWS_327 (kms_key_id set, RDSClusterEncryptedWithCMK.py).
  resourceTypes: [INSTANCE, CLUSTER],
  // CKV_AWS_16: storage_encrypted. AwsSolutions-RDS2 and RDSStorageEncrypted (HIPAA, NIST 800-53 rev5) check storage encryption only.
  // Deliberately stricter than CKV_AWS_16 and CKV_AWS_96: a customer-managed key is required too (CKV_AWS_327's check).
  checkov: ["CKV_AWS_16", "CKV_AWS_96", "CKV_AWS_327"],
  cdkNag: ["AwsSolutions-RDS2", "RDSStorageEncrypted"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const c = resource.config;
    if (isAurora(resource)) return Outcome.notApplicable();
    const encrypted = c.storage_encrypted;
    const key = c.kms_key_id;
    // An in-region replica of an instance in this stack takes its encryption and key from it; the source is judged instead.
    if (isReplica(c) && encrypted === undefined && !isSet(key) && sourceOf(resource, stack)) return Outcome.notApplicable();
    const problems: string[] = [];
    // Aurora Serverless v1 clusters are always encrypted (storage_encrypted is ignored); the key still matters.
    const alwaysEncrypted = resource.type === CLUSTER && c.engine_mode === "serverless";
    // A replica leaves storage_encrypted unset: it takes encryption from its source (a cross-region one from kms_key_id).
    if (!alwaysEncrypted && !isTrue(encrypted) && !(isReplica(c) && encrypted === undefined)) {
      problems.push(`storage_encrypted is ${shown(encrypted, "unset (default false)")}; set storage_encrypted = true`);
    }
    if (!isSet(key)) {
      problems.push(`kms_key_id is unset, so RDS encrypts under the AWS managed key aws/rds, whose use you cannot restrict or audit; set kms_key_id to ${CMK_FIX}`);
    } else if (isAwsManagedKey(key)) {
      problems.push(`kms_key_id is ${shown(key)}, an AWS managed key whose policy you cannot restrict; set kms_key_id to ${CMK_FIX}`);
    }
    if (problems.length === 0) return Outcome.compliant();
    // Both attributes are ForceNew in the provider schema.
    return Outcome.nonCompliant(`${problems.join("; ")} (changing either replaces the instance: restore an encrypted snapshot copy to keep the data).`);
  },
} as const satisfies ComplianceRule;

/** The instance has no public endpoint. */
export const RdsNotPublic = {
  id: "RdsNotPublic",
  description: "RDS DB instances are not publicly accessible (publicly_accessible not true).",
  explanation:
    "A publicly accessible instance gets a DNS name that resolves to a public IP address; with a public subnet and a permissive " +
    "security group, the database port is reachable from the internet and open to password guessing and engine exploits. " +
    "The router's pods reach the database inside the VPC and need no public address.",
  // checkov CKV_AWS_17 judges aws_db_instance and aws_rds_cluster_instance (checkov@03d5fdad:checkov/terraform/checks/resource/aws/RDSPubliclyAccessible.py).
  resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
  checkov: ["CKV_AWS_17"],
  cdkNag: ["RDSInstancePublicAccess"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.publicly_accessible;
    if (v === undefined || isFalse(v)) return Outcome.compliant();
    if (isTrue(v)) {
      return Outcome.nonCompliant(`publicly_accessible is ${shown(v)}, so the instance gets a public IP address and its endpoint resolves to it; remove publicly_accessible (default false) or set it to false, and reach the database from inside the VPC.`);
    }
    return Outcome.nonCompliant(`publicly_accessible is ${shown(v)}; remove it (default false) or set it to false literally.`);
  },
} as const satisfies ComplianceRule;

/** Engines that support IAM database authentication (RDS User Guide, "IAM database authentication"). */
const IAM_AUTH_ENGINES = ["postgres", "mysql", "mariadb"];
/** Cluster engines that support it: Aurora MySQL and PostgreSQL, and Multi-AZ DB clusters of MySQL and PostgreSQL. */
const CLUSTER_IAM_AUTH_ENGINES = ["aurora", "aurora-mysql", "aurora-postgresql", "mysql", "postgres"];

/** Clients authenticate with short-lived IAM tokens instead of long-lived database passwords. */
export const RdsIamAuthentication = {
  id: "RdsIamAuthentication",
  description: "RDS for PostgreSQL, MySQL and MariaDB instances enable IAM database authentication (iam_database_authentication_enabled = true).",
  explanation:
    "With IAM database authentication a client connects with a 15-minute token signed by its IAM role (rds-db:connect on one " +
    "database user), so no database password has to be stored in the router's pods, rotated or revoked by hand, and every " +
    "connection is tied to an IAM principal that CloudTrail records. Other engines do not offer it.",
  resourceTypes: [INSTANCE, CLUSTER],
  // checkov CKV_AWS_161 judges aws_db_instance engines "postgres" and "mysql" only; CKV_AWS_162 judges every aws_rds_cluster
  // (checkov@03d5fdad:checkov/terraform/checks/resource/aws/RDSClusterIAMAuthentication.py). cdk-nag's AwsSolutions-RDS6
  // (AuroraMySQLPostgresIAMAuth) judges Aurora clusters.
  checkov: ["CKV_AWS_161", "CKV_AWS_162"],
  cdkNag: ["AwsSolutions-RDS6"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const engine = engineOf(resource, stack);
    const engines = resource.type === CLUSTER ? CLUSTER_IAM_AUTH_ENGINES : IAM_AUTH_ENGINES;
    if (isAurora(resource) || (engine !== undefined && !engines.includes(engine))) return Outcome.notApplicable();
    const v = resource.config.iam_database_authentication_enabled;
    if (engine === undefined) {
      if (isTrue(v)) return Outcome.compliant();
      return Outcome.nonCompliant(`engine is ${engineShown(resource, engine)} and iam_database_authentication_enabled is ${shown(v, "unset")}; set engine literally, and iam_database_authentication_enabled = true for postgres, mysql or mariadb.`);
    }
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(
      `iam_database_authentication_enabled is ${shown(v, "unset (default false)")}, so clients of this ${engine} ${resource.type === CLUSTER ? "cluster" : "instance"} can only log in with long-lived passwords; ` +
      "set iam_database_authentication_enabled = true and grant rds_iam to the application's database user (clients then connect with rds-db:connect tokens).",
    );
  },
} as const satisfies ComplianceRule;

/** How a master password given as a Terraform reference reaches the provider. */
function passwordSource(v: string): string {
  return v.includes("${ephemeral.") ? "ephemeral" : v.includes("${var.") ? "variable" : "resource";
}

/** The master password appears in neither the configuration nor the Terraform state. */
export const RdsMasterPasswordManaged = {
  id: "RdsMasterPasswordManaged",
  description:
    "RDS DB instances keep the master password out of the configuration and the Terraform state: manage_master_user_password = true, " +
    "password_wo from an ephemeral value, or no password at all on a replica or snapshot restore.",
  explanation:
    "The provider stores `password` in the state file in clear text (its documentation says so), so anyone who can read the state " +
    "can log in as the master user; a literal is also in the synthesized configuration and in version control. With " +
    "manage_master_user_password RDS generates the password, keeps it in a Secrets Manager secret (optionally under " +
    "master_user_secret_kms_key_id) and rotates it; password_wo (Terraform 1.11+) is write-only and never stored, provided its value " +
    "comes from an ephemeral resource rather than from another resource's state.",
  resourceTypes: [INSTANCE],
  evaluate: ({ resource }): RuleOutcome => {
    const c = resource.config;
    if (isAurora(resource)) return Outcome.notApplicable();
    const managed = isTrue(c.manage_master_user_password);
    const fix = "set manage_master_user_password = true (RDS keeps and rotates it in Secrets Manager), or password_wo from an ephemeral resource (e.g. aws_secretsmanager_random_password) with password_wo_version";
    if (isSet(c.password)) {
      const where = isReference(c.password)
        ? `password is ${shown(c.password)}; its value is stored in clear text in the Terraform state`
        : "password is a literal, so the master password is in the synthesized configuration and, in clear text, in the Terraform state";
      return Outcome.nonCompliant(`${where}; remove password and ${fix}.`);
    }
    if (managed) return Outcome.compliant();
    const wo = c.password_wo;
    if (isSet(wo)) {
      if (!isReference(wo)) {
        return Outcome.nonCompliant(`password_wo is a literal, so the master password is in the synthesized configuration (and in version control); ${fix}.`);
      }
      const source = passwordSource(wo);
      if (source === "ephemeral") return Outcome.compliant();
      if (source === "variable") {
        return Outcome.nonCompliant(`password_wo comes from an input variable (${wo}), whose value is passed in plan files and CI settings; ${fix}, or mark the variable ephemeral and source it from a secret store at plan time.`);
      }
      return Outcome.nonCompliant(`password_wo is ${shown(wo)}, the attribute of a resource or data source whose state holds the password in clear text; ${fix}.`);
    }
    if (isReplica(c) || isSet(c.snapshot_identifier) || isSet(c.restore_to_point_in_time)) return Outcome.compliant();
    const now = c.manage_master_user_password === undefined ? "unset" : shown(c.manage_master_user_password);
    return Outcome.nonCompliant(`manage_master_user_password is ${now} and neither password nor password_wo is set, so the instance cannot be created with a master password; ${fix}.`);
  },
} as const satisfies ComplianceRule;

/** Automated backups allow a point-in-time restore for at least a week. */
export const RdsBackupRetention = {
  id: "RdsBackupRetention",
  description: "RDS DB instances keep automated backups for at least minDays (backup_retention_period).",
  explanation:
    "Automated backups (a daily snapshot plus the transaction logs) are what restores the database to a point in time after a bad " +
    "migration, a deletion or a corruption; with a retention of 0 there are none, and with a day or two a problem found after a " +
    "weekend is already beyond reach. Read replicas are not evaluated: their data lives in, and is backed up with, the source instance.",
  // An Aurora cluster keeps the backups of all its instances (backup_retention_period, default 1 day).
  resourceTypes: [INSTANCE, CLUSTER],
  params: { minDays: 7 },
  // checkov CKV_AWS_133 and cdk-nag RDSInstanceBackupEnabled (AwsSolutions-RDS13) pass any retention from 1 day; this rule asks for minDays.
  checkov: ["CKV_AWS_133"],
  cdkNag: ["AwsSolutions-RDS13", "RDSInstanceBackupEnabled"],
  evaluate: ({ resource, params }): RuleOutcome => {
    const c = resource.config;
    if (isAurora(resource) || isReplica(c)) return Outcome.notApplicable();
    const minDays = Number(params.minDays ?? 7);
    const raw = c.backup_retention_period;
    const days = literalNumber(raw);
    if (days !== undefined && days >= minDays) return Outcome.compliant();
    const fix = `set backup_retention_period to at least ${minDays} (at most 35)`;
    if (raw === undefined) {
      // The provider documents a default of 0; CreateDBInstance defaults to 1 day when the argument is omitted.
      return Outcome.nonCompliant(`backup_retention_period is unset (the provider documents 0, the RDS API defaults to 1 day), so point-in-time restores reach back less than ${minDays} days; ${fix}.`);
    }
    if (days === undefined) return Outcome.nonCompliant(`backup_retention_period is ${shown(raw)}; ${fix} literally.`);
    const what = days === 0 ? "0, so automated backups are off and there is no point-in-time restore" : `${days}, so point-in-time restores reach back less than ${minDays} days`;
    return Outcome.nonCompliant(`backup_retention_period is ${what}; ${fix}.`);
  },
} as const satisfies ComplianceRule;

/** Nobody deletes the database by accident, and deleting it keeps a final snapshot. */
export const RdsDeletionProtection = {
  id: "RdsDeletionProtection",
  description: "RDS DB instances have deletion_protection = true and take a final snapshot when deleted (skip_final_snapshot not true).",
  explanation:
    "Deletion protection makes DeleteDBInstance fail until it is turned off in a separate, reviewable change, so a stray " +
    "`terraform destroy` or a replacement cannot drop the database. A final snapshot is the only copy that survives the deletion: " +
    "the provider's delete_automated_backups defaults to true, so the automated backups go with the instance. Read replicas are not " +
    "evaluated: their data lives in the source instance.",
  // An Aurora cluster has the same deletion_protection and skip_final_snapshot: checkov judges it as CKV_AWS_139
  // (checkov@03d5fdad:checkov/terraform/checks/resource/aws/RDSDeletionProtection.py).
  resourceTypes: [INSTANCE, CLUSTER],
  // checkov CKV_AWS_293/139 and cdk-nag RDSInstanceDeletionProtectionEnabled (AwsSolutions-RDS10) check deletion_protection only.
  checkov: ["CKV_AWS_293", "CKV_AWS_139"],
  cdkNag: ["AwsSolutions-RDS10", "RDSInstanceDeletionProtectionEnabled"],
  evaluate: ({ resource }): RuleOutcome => {
    const c = resource.config;
    if (isAurora(resource) || isReplica(c)) return Outcome.notApplicable();
    const problems: string[] = [];
    if (!isTrue(c.deletion_protection)) {
      problems.push(`deletion_protection is ${shown(c.deletion_protection, "unset (default false)")}, so a destroy or a replacement deletes the database; set deletion_protection = true`);
    }
    const skip = c.skip_final_snapshot;
    if (isTrue(skip)) {
      problems.push(`skip_final_snapshot is ${shown(skip)}, so deleting the instance keeps no copy of the data; set skip_final_snapshot = false with a final_snapshot_identifier`);
    } else if (skip !== undefined && !isFalse(skip)) {
      problems.push(`skip_final_snapshot is ${shown(skip)}; remove it (default false) or set it to false literally, with a final_snapshot_identifier`);
    }
    if (problems.length === 0) return Outcome.compliant();
    return Outcome.nonCompliant(`${problems.join("; ")}.`);
  },
} as const satisfies ComplianceRule;

/** The database survives the loss of an instance or an Availability Zone. */
export const RdsMultiAz = {
  id: "RdsMultiAz",
  description: "RDS DB instances run a synchronous standby in another Availability Zone (multi_az = true).",
  explanation:
    "A Single-AZ instance is down while its host or Availability Zone is, and until a restore finishes; the router's virtual keys and " +
    "budgets live in this database, so requests fail meanwhile. Multi-AZ keeps a synchronous standby in another zone and fails over " +
    "to it automatically, usually within a few minutes, without losing committed transactions.",
  resourceTypes: [INSTANCE],
  checkov: ["CKV_AWS_157"],
  cdkNag: ["AwsSolutions-RDS3", "RDSMultiAZSupport"],
  evaluate: ({ resource }): RuleOutcome => {
    if (isAurora(resource)) return Outcome.notApplicable();
    const v = resource.config.multi_az;
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`multi_az is ${shown(v, "unset (default false)")}, so the database has no standby and is down while its Availability Zone is; set multi_az = true.`);
  },
} as const satisfies ComplianceRule;

/** The log types that carry each engine's connection, error and audit events (CreateDBInstance, EnableCloudwatchLogsExports). */
const ENGINE_LOGS: Readonly<Record<string, string>> = {
  postgres: `"postgresql" (and "upgrade")`,
  mysql: `"audit", "error", "general" and "slowquery"`,
  mariadb: `"audit", "error", "general" and "slowquery"`,
};

/** The database's own logs reach CloudWatch Logs, where they are retained and searched. */
export const RdsLogExports = {
  id: "RdsLogExports",
  description: "RDS DB instances export their engine logs to CloudWatch Logs (enabled_cloudwatch_logs_exports; \"postgresql\" for PostgreSQL).",
  explanation:
    "Without exports the engine's logs stay on the instance, rotate away within days and disappear with it; connections, " +
    "authentication failures, errors and (with log_statement) DDL are then lost to an investigation. The \"postgresql\" log carries " +
    "what the parameter group's log_connections, log_disconnections and log_statement settings ask PostgreSQL to record.",
  // checkov judges clusters as CKV_AWS_324 (checkov@03d5fdad:checkov/terraform/checks/resource/aws/RDSClusterLogging.py, any log type).
  resourceTypes: [INSTANCE, CLUSTER],
  // checkov CKV_AWS_129 accepts any log type; cdk-nag RDSLoggingEnabled asks for every type of the engine ("postgresql" and "upgrade").
  // Deliberately stricter for PostgreSQL (and Aurora PostgreSQL): "postgresql" must be among them.
  checkov: ["CKV_AWS_129", "CKV_AWS_324"],
  cdkNag: ["RDSLoggingEnabled"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (isAurora(resource)) return Outcome.notApplicable();
    const engine = engineOf(resource, stack);
    const raw = resource.config.enabled_cloudwatch_logs_exports;
    const types = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === "string") : [];
    const wanted = engine !== undefined ? ENGINE_LOGS[engine] : undefined;
    if (isReference(raw) || (Array.isArray(raw) && raw.some(isReference))) {
      return Outcome.nonCompliant(`enabled_cloudwatch_logs_exports is ${shown(raw)}; list the log types literally${wanted ? `, including ${wanted}` : ""}.`);
    }
    if (engine === "postgres" || engine === "aurora-postgresql") {
      if (types.includes("postgresql")) return Outcome.compliant();
      const now = types.length === 0 ? shown(raw, "unset") : JSON.stringify(types);
      return Outcome.nonCompliant(
        `enabled_cloudwatch_logs_exports is ${now}, so PostgreSQL's log (connections, errors, statements) stays on the instance; ` +
        `add "postgresql" (and "upgrade") to enabled_cloudwatch_logs_exports, with a KMS-encrypted log group /aws/rds/${resource.type === CLUSTER ? "cluster" : "instance"}/<identifier>/postgresql of your retention.`,
      );
    }
    if (types.length > 0) return Outcome.compliant();
    const what = wanted ? `set enabled_cloudwatch_logs_exports to ${wanted}` : "set enabled_cloudwatch_logs_exports to the engine's log types";
    return Outcome.nonCompliant(`enabled_cloudwatch_logs_exports is ${shown(raw, "unset")}, so engine ${engineShown(resource, engine)} exports no logs; ${what}.`);
  },
} as const satisfies ComplianceRule;

/** The major version of a literal engine_version ("17", "16.4", "9.6.24"), or undefined. */
function majorVersion(v: unknown): number | undefined {
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const m = /^(\d+)(\.|$)/.exec(String(v).trim());
  return m ? Number(m[1]) : undefined;
}

/** The major version of a parameter group family or default group name ("postgres17", "default.postgres17"). */
const familyMajor = (family: unknown): number | undefined => {
  const m = typeof family === "string" ? /postgres(\d+)/.exec(family) : null;
  return m ? Number(m[1]) : undefined;
};

/**
 * First major version of RDS for PostgreSQL whose default rds.force_ssl is 1: rds.force_ssl defaults to 0 (off) before PostgreSQL 15
 * and to 1 (on) from major version 15 (RDS User Guide, "Updating applications to connect to PostgreSQL DB instances using new SSL/TLS
 * certificates", ssl-certificate-rotation-postgresql.html, read in its docs.amazonaws.cn Chinese edition on 2026-11-28).
 */
const FORCE_SSL_DEFAULT_ON = 15;

/** The aws_db_parameter_group of the stack that `parameter_group_name` names (by reference, or by its literal name). */
function parameterGroupOf(stack: StackView, name: unknown): ResourceView | undefined {
  return stack.ofType(PARAMETER_GROUP).find((g) => stack.refersTo(name, g) || (typeof g.config.name === "string" && g.config.name === name));
}

/** Clients connect to PostgreSQL over TLS only. */
export const RdsTlsRequired = {
  id: "RdsTlsRequired",
  description: "RDS for PostgreSQL instances accept TLS connections only (rds.force_ssl = 1 in their parameter group, the default from PostgreSQL 15).",
  explanation:
    "With rds.force_ssl off, PostgreSQL accepts unencrypted connections, and libpq and JDBC clients default to sslmode=prefer, which " +
    "silently falls back to clear text: prompts in spend logs, API keys and passwords cross the VPC readable by anything on the path. " +
    "rds.force_ssl = 1 makes the server refuse them. It defaults to 1 from PostgreSQL 15; a custom parameter group that sets it to 0, " +
    "or an older version, turns that off. Other engines use other settings (require_secure_transport) and are not evaluated.",
  resourceTypes: [INSTANCE],
  // checkov CKV2_AWS_69 requires rds.force_ssl = 1 in an attached aws_db_parameter_group of a postgres family, and passes an
  // instance without one. No cdk-nag rule covers RDS instances' transport encryption.
  checkov: ["CKV2_AWS_69"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (isAurora(resource)) return Outcome.notApplicable();
    const engine = engineOf(resource, stack);
    if (engine !== undefined && engine !== "postgres") return Outcome.notApplicable();
    const c = resource.config;
    const fix = `set parameter_group_name to an ${PARAMETER_GROUP} of this stack whose parameter list has { name = "rds.force_ssl", value = "1" }`;
    if (engine === undefined) {
      return Outcome.nonCompliant(`engine is ${engineShown(resource, engine)}, so whether rds.force_ssl applies cannot be checked; set engine literally, and for "postgres" ${fix}.`);
    }
    const name = c.parameter_group_name;
    const byVersion = (major: number | undefined, what: string): RuleOutcome => {
      if (major !== undefined && major >= FORCE_SSL_DEFAULT_ON) return Outcome.compliant();
      if (major === undefined) {
        return Outcome.nonCompliant(`${what}, and engine_version is ${shown(c.engine_version, "unset (AWS picks the default version at apply)")}, so the default rds.force_ssl cannot be checked; set engine_version to 15 or later literally, or ${fix}.`);
      }
      return Outcome.nonCompliant(`${what} and PostgreSQL ${major} defaults rds.force_ssl to 0, so the server accepts unencrypted connections; ${fix}, or upgrade to PostgreSQL 15 or later (default 1).`);
    };
    if (!isSet(name)) return byVersion(majorVersion(c.engine_version), "parameter_group_name is unset (the default group)");
    if (typeof name === "string" && name.startsWith("default.")) {
      return byVersion(familyMajor(name) ?? majorVersion(c.engine_version), `parameter_group_name is the default group ${JSON.stringify(name)}`);
    }
    const group = parameterGroupOf(stack, name);
    if (!group) {
      return Outcome.nonCompliant(`parameter_group_name is ${shown(name)}, which is no ${PARAMETER_GROUP} of this stack, so rds.force_ssl cannot be checked; ${fix}.`);
    }
    const setting = blocks(group.config.parameter).find((p) => p.name === "rds.force_ssl");
    if (setting) {
      if (isOne(setting.value)) return Outcome.compliant();
      return Outcome.nonCompliant(`parameter group ${group.address} sets rds.force_ssl to ${shown(setting.value)}, so the server accepts unencrypted connections; set its value to "1".`);
    }
    // A custom group takes the family's default for every parameter it does not set.
    return byVersion(familyMajor(group.config.family), `parameter group ${group.address} (family ${shown(group.config.family)}) does not set rds.force_ssl`);
  },
} as const satisfies ComplianceRule;

/** Minor engine versions, which carry security fixes, are applied in the maintenance window. */
export const RdsAutoMinorVersionUpgrade = {
  id: "RdsAutoMinorVersionUpgrade",
  description: "RDS DB instances apply minor engine versions automatically (auto_minor_version_upgrade not false).",
  explanation:
    "Minor PostgreSQL versions carry security fixes; with automatic upgrades off they are applied only when someone remembers to, " +
    "and the database runs known vulnerabilities in the meantime. engine_version should then name the major version only (\"17\").",
  // checkov CKV_AWS_226 judges aws_db_instance and aws_rds_cluster_instance alike.
  resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
  checkov: ["CKV_AWS_226"],
  cdkNag: ["RDSAutomaticMinorVersionUpgradeEnabled"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.auto_minor_version_upgrade;
    if (isFalse(v)) {
      return Outcome.nonCompliant(`auto_minor_version_upgrade is ${shown(v)}, so minor engine versions and their security fixes are not applied; remove auto_minor_version_upgrade (default true) or set it to true.`);
    }
    if (isReference(v)) {
      return Outcome.nonCompliant(`auto_minor_version_upgrade is ${shown(v)}; remove it (default true) or set it to true literally.`);
    }
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** The intervals Enhanced Monitoring accepts, in seconds (0 turns it off). */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/** Operating-system metrics of the instance reach CloudWatch. */
export const RdsEnhancedMonitoring = {
  id: "RdsEnhancedMonitoring",
  description: "RDS DB instances publish Enhanced Monitoring metrics (monitoring_interval > 0 with a monitoring_role_arn).",
  explanation:
    "Enhanced Monitoring reports the instance's operating-system metrics (CPU steal, memory, swap, disk and process lists) every " +
    "minute or faster, from an agent on the host; CloudWatch's hypervisor metrics miss most of them. They show why the database " +
    "slowed down or ran out of memory before it failed over.",
  // checkov CKV_AWS_118 judges aws_db_instance and aws_rds_cluster_instance alike.
  resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
  checkov: ["CKV_AWS_118"],
  cdkNag: ["RDSEnhancedMonitoringEnabled"],
  evaluate: ({ resource }): RuleOutcome => {
    const c = resource.config;
    const raw = c.monitoring_interval;
    const interval = literalNumber(raw);
    const fix = `set monitoring_interval to one of ${MONITORING_INTERVALS.join(", ")} seconds (60 is enough for most) and monitoring_role_arn to a role that monitoring.rds.amazonaws.com assumes, with AmazonRDSEnhancedMonitoringRole attached`;
    if (raw === undefined || interval === 0) {
      return Outcome.nonCompliant(`monitoring_interval is ${shown(raw, "unset (default 0)")}, so Enhanced Monitoring is off; ${fix}.`);
    }
    if (interval === undefined || !MONITORING_INTERVALS.includes(interval)) {
      return Outcome.nonCompliant(`monitoring_interval is ${shown(raw)}; ${fix}.`);
    }
    if (!isSet(c.monitoring_role_arn)) {
      return Outcome.nonCompliant(`monitoring_interval is ${interval} but monitoring_role_arn is unset, so RDS cannot publish the metrics; set monitoring_role_arn to a role that monitoring.rds.amazonaws.com assumes, with AmazonRDSEnhancedMonitoringRole attached.`);
    }
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Performance Insights data, which includes SQL text, is encrypted under a key you control. */
export const RdsPerformanceInsightsEncrypted = {
  id: "RdsPerformanceInsightsEncrypted",
  description: "RDS DB instances with Performance Insights encrypt its data with a customer-managed KMS key (performance_insights_kms_key_id).",
  explanation:
    "Performance Insights keeps the text of the top SQL statements with their load, for up to two years: for the router, statements " +
    "that carry keys, user ids and logged request content. Without performance_insights_kms_key_id it is encrypted under the AWS " +
    "managed key aws/rds, whose use no key policy of yours restricts. The key can only be chosen when Performance Insights is first " +
    "turned on. Instances without Performance Insights are not evaluated.",
  // aws_rds_cluster_instance has the same performance_insights_* attributes.
  resourceTypes: [INSTANCE, CLUSTER_INSTANCE],
  checkov: ["CKV_AWS_354"],
  evaluate: ({ resource }): RuleOutcome => {
    const c = resource.config;
    const enabled = c.performance_insights_enabled;
    if (enabled === undefined || isFalse(enabled)) return Outcome.notApplicable();
    const key = c.performance_insights_kms_key_id;
    if (!isSet(key)) {
      return Outcome.nonCompliant(`performance_insights_enabled is ${shown(enabled)} and performance_insights_kms_key_id is unset, so SQL text is kept under the AWS managed key aws/rds; set performance_insights_kms_key_id to ${CMK_FIX} (it cannot be changed once set).`);
    }
    if (isAwsManagedKey(key)) {
      return Outcome.nonCompliant(`performance_insights_kms_key_id is ${shown(key)}, an AWS managed key whose policy you cannot restrict; set it to ${CMK_FIX}.`);
    }
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** Every RDS rule. */
/** Snapshots of a cluster carry its tags, so that tag-based access and data classification follow the data. */
export const RdsClusterCopyTagsToSnapshot = {
  id: "RdsClusterCopyTagsToSnapshot",
  description: "RDS DB clusters copy their tags to snapshots (copy_tags_to_snapshot = true).",
  explanation:
    "A snapshot holds the whole database. Without the cluster's tags (its data class, owner, environment) it escapes the tag-conditioned " +
    "IAM policies (aws:ResourceTag) and the retention and classification reviews that find data by tag, and nobody can tell whose data it is.",
  resourceTypes: [CLUSTER],
  // checkov@03d5fdad:checkov/terraform/checks/resource/aws/RDSClusterCopyTags.py (unset fails; the provider's default is false).
  checkov: ["CKV_AWS_313"],
  evaluate: ({ resource }): RuleOutcome => {
    const v = resource.config.copy_tags_to_snapshot;
    if (isTrue(v)) return Outcome.compliant();
    return Outcome.nonCompliant(`copy_tags_to_snapshot is ${shown(v, "unset (default false)")}, so the cluster's snapshots lose its tags; set copy_tags_to_snapshot = true.`);
  },
} as const satisfies ComplianceRule;

/** The RDS rules, in the order reports list them. */
export const RDS_RULES = [
  RdsStorageEncrypted,
  RdsNotPublic,
  RdsIamAuthentication,
  RdsMasterPasswordManaged,
  RdsBackupRetention,
  RdsDeletionProtection,
  RdsMultiAz,
  RdsLogExports,
  RdsTlsRequired,
  RdsAutoMinorVersionUpgrade,
  RdsEnhancedMonitoring,
  RdsPerformanceInsightsEncrypted,
] as const satisfies readonly ComplianceRule[];

/** Rules over Aurora and Multi-AZ DB clusters alone (the library creates none; users' clusters are judged). */
export const RDS_CLUSTER_RULES = [RdsClusterCopyTagsToSnapshot] as const satisfies readonly ComplianceRule[];
