import { ComplianceRule, Outcome, ResourceView, RuleOutcome, StackView } from "../rule-model";
import { Block, blocks, isLiteralString, isOne, isSet, shown } from "../private/attributes";

/*
 * RDS rules beyond rds.ts: the CA certificate, TLS for MySQL and MariaDB, and PostgreSQL statement logging. Sources:
 * bridgecrewio/checkov@03d5fdad checkov/terraform/checks/resource/aws/RDSCACertIsRecent.py (CKV_AWS_211),
 * checkov/terraform/checks/graph_checks/aws/RDSEncryptionInTransit.yaml (CKV2_AWS_69, whose mysql/mariadb branch asks for
 * require_secure_transport = 1), checkov/terraform/checks/graph_checks/aws/PostgresDBHasQueryLoggingEnabled.yaml (CKV2_AWS_30:
 * a connected parameter group that names log_statement and log_min_duration_statement).
 */

const INSTANCE = "aws_db_instance";
const PARAMETER_GROUP = "aws_db_parameter_group";

/** The literal engine, or undefined (Aurora instances are the cluster's business and are left out by the callers). */
const engineOf = (r: ResourceView): string | undefined => (isLiteralString(r.config.engine) ? r.config.engine : undefined);

/** The aws_db_parameter_group of the stack that `parameter_group_name` names. */
function parameterGroupOf(stack: StackView, name: unknown): ResourceView | undefined {
  return stack.ofType(PARAMETER_GROUP).find((g) => stack.refersTo(name, g) || (typeof g.config.name === "string" && g.config.name === name));
}

const parameter = (group: ResourceView, name: string): Block | undefined => blocks(group.config.parameter).find((p) => p.name === name);

/** The CA certificates checkov accepts (the 2021 CAs, valid to 2061 and later). */
export const CURRENT_RDS_CAS: readonly string[] = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

/** RDS instances present a current CA's certificate. */
export const RdsCaCertificate = {
  id: "RdsCaCertificate",
  description: `RDS DB instances that set ca_cert_identifier set a current CA (${CURRENT_RDS_CAS.join(", ")}).`,
  explanation:
    "Clients verify the server's certificate against the CA; rds-ca-2019 expired in August 2024, so clients that verify (sslmode=verify-full) " +
    "fail, and clients that do not are open to impersonation. Unset, RDS uses its current default CA (rds-ca-rsa2048-g1), which checkov passes.",
  resourceTypes: [INSTANCE],
  checkov: ["CKV_AWS_211"],
  evaluate: ({ resource }): RuleOutcome => {
    const ca = resource.config.ca_cert_identifier;
    if (ca === undefined || ca === null) return Outcome.compliant();
    if (isLiteralString(ca) && CURRENT_RDS_CAS.includes(ca)) return Outcome.compliant();
    return Outcome.nonCompliant(`ca_cert_identifier is ${shown(ca)}; set it to "rds-ca-rsa2048-g1" (or rds-ca-rsa4096-g1, rds-ca-ecc384-g1) and update clients' CA bundle.`);
  },
} as const satisfies ComplianceRule;

/** Clients connect to MySQL and MariaDB over TLS only. */
export const RdsMysqlTlsRequired = {
  id: "RdsMysqlTlsRequired",
  description: "RDS for MySQL and MariaDB instances use a parameter group that sets require_secure_transport = 1.",
  explanation:
    "MySQL and MariaDB on RDS accept unencrypted connections by default (require_secure_transport = 0), and most client libraries fall " +
    "back to them; passwords and query results then cross the network in clear text. RdsTlsRequired covers PostgreSQL.",
  resourceTypes: [INSTANCE],
  checkov: ["CKV2_AWS_69"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    const engine = engineOf(resource);
    if (engine !== "mysql" && engine !== "mariadb") return Outcome.notApplicable();
    const fix = `set parameter_group_name to an ${PARAMETER_GROUP} of this stack whose parameter list has { name = "require_secure_transport", value = "1" }`;
    const name = resource.config.parameter_group_name;
    if (!isSet(name) || (typeof name === "string" && name.startsWith("default."))) {
      return Outcome.nonCompliant(`parameter_group_name is ${shown(name, "unset (the default group)")}, whose require_secure_transport is 0; ${fix}.`);
    }
    const group = parameterGroupOf(stack, name);
    if (!group) return Outcome.nonCompliant(`parameter_group_name is ${shown(name)}, which is no ${PARAMETER_GROUP} of this stack, so require_secure_transport cannot be checked; ${fix}.`);
    const p = parameter(group, "require_secure_transport");
    if (p && (isOne(p.value) || String(p.value).toUpperCase() === "ON")) return Outcome.compliant();
    return Outcome.nonCompliant(`parameter group ${group.address} sets require_secure_transport to ${shown(p?.value, "unset (default 0)")}; ${fix}.`);
  },
} as const satisfies ComplianceRule;

/** PostgreSQL logs statements. */
export const RdsPostgresQueryLogging = {
  id: "RdsPostgresQueryLogging",
  description: "RDS for PostgreSQL instances use a parameter group that sets log_statement and log_min_duration_statement.",
  explanation:
    "Without statement logging the postgresql log records connections and errors but not what was run: who read or changed which " +
    "table (keys, users, spend) is lost. log_statement (\"ddl\" or \"mod\" at least) records changes, log_min_duration_statement slow " +
    "and, at 0, every statement. Statement text can hold personal data: the logs go to an encrypted, retained log group (RdsLogExports).",
  resourceTypes: [INSTANCE],
  checkov: ["CKV2_AWS_30"],
  evaluate: ({ resource, stack }): RuleOutcome => {
    if (engineOf(resource) !== "postgres") return Outcome.notApplicable();
    const fix = `set parameter_group_name to an ${PARAMETER_GROUP} of this stack that sets log_statement (e.g. "ddl") and log_min_duration_statement (e.g. "1000" ms)`;
    const group = parameterGroupOf(stack, resource.config.parameter_group_name);
    if (!group) return Outcome.nonCompliant(`parameter_group_name is ${shown(resource.config.parameter_group_name, "unset (the default group)")}, which is no ${PARAMETER_GROUP} of this stack; ${fix}.`);
    const missing = ["log_statement", "log_min_duration_statement"].filter((n) => !parameter(group, n));
    if (missing.length) return Outcome.nonCompliant(`parameter group ${group.address} does not set ${missing.join(" or ")}; ${fix}.`);
    const statement = parameter(group, "log_statement")?.value;
    if (isLiteralString(statement) && statement === "none") return Outcome.nonCompliant(`parameter group ${group.address} sets log_statement to "none"; ${fix}.`);
    return Outcome.compliant();
  },
} as const satisfies ComplianceRule;

/** RDS rules over CA, MySQL/MariaDB TLS and PostgreSQL statement logging. */
export const RDS_ENGINE_RULES = [RdsCaCertificate, RdsMysqlTlsRequired, RdsPostgresQueryLogging] as const satisfies readonly ComplianceRule[];
