/*
 * The two one-off Kubernetes Jobs of an InferenceRouter with teams. Terraform runs each when what
 * it does changes (the hash in its name) and waits for it to complete:
 *
 * - `<router>-db-setup-<hash>`: creates the `litellm` login in the router's database, lets it
 *   authenticate with IAM tokens (`GRANT rds_iam`) and makes it the database's owner. It is the
 *   only reader of the admin password (an init container fetches it into a memory volume).
 * - `<router>-teams-<hash>`: after the router has rolled out, creates or updates each team with its
 *   limits through LiteLLM's admin API (`/team/new`, else `/team/update`), (re)binds each team's
 *   key, generated in AWS and held in its own secret, to the team (`/key/delete` by alias, then
 *   `/key/generate` with that value), and deletes the teams LiteLLM has that the list no longer
 *   names (`/team/delete`, which deletes their keys). Keys and bodies are passed to curl from
 *   memory-backed files, never on a command line.
 *
 * Both run restricted (non-root, read-only root filesystem, no capabilities, no service account
 * token) and reach AWS with their own EKS Pod Identity roles.
 */
import { createHash } from "crypto";
import { Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { awsContext } from "../../private/aws-context";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../private/pod-security";
import { DATABASE_ADMIN_USER, DATABASE_NAME, DATABASE_PORT, DATABASE_USER } from "./router-database";

/** psql for the setup Job: the official PostgreSQL image (Alpine), from ECR Public's Docker official-images mirror. */
export const POSTGRES_CLIENT_IMAGE = "public.ecr.aws/docker/library/postgres:17.6-alpine";
/** curl for the teams Job: the curl project's own image. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";
/** uid of `postgres` in the Alpine PostgreSQL image. */
const POSTGRES_UID = 70;
/** uid of `curl_user` in the curl image. */
const CURL_UID = 100;
const JOB_SECRET_DIR = "/run/secrets/job";
/**
 * Amazon RDS's certificate bundle of every region of a partition, from its trust store; fetched over
 * HTTPS, verified by public CAs. Sources: the RDS User Guide, "Using SSL/TLS to encrypt a connection to a
 * DB instance or cluster", "Certificate bundles for all AWS Regions" (commercial) and the AWS GovCloud (US)
 * bundle on the same page (one host serves both GovCloud regions). The China regions' trust store is not
 * listed: no URL was confirmed from AWS's own pages, so a router database in aws-cn fails the plan on
 * this lookup instead of fetching from a guessed address.
 */
export const RDS_CA_BUNDLE_URLS: Readonly<Record<string, string>> = Object.freeze({
  aws: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
  "aws-us-gov": "https://truststore.pki.us-gov-west-1.rds.amazonaws.com/global/global-bundle.pem",
});

/** Environment variable that carries the bundle's URL into the init containers. */
export const RDS_CA_BUNDLE_URL_ENV = "RDS_CA_BUNDLE_URL";

/** The RDS CA bundle URL of the partition `scope`'s stack deploys to (a Terraform lookup on aws_partition). */
export function rdsCaBundleUrl(scope: Construct): string {
  return Fn.lookup(RDS_CA_BUNDLE_URLS, awsContext(scope).partition);
}

/** Shell lines that fetch the RDS CA bundle ($RDS_CA_BUNDLE_URL) to `path` and fail unless it holds certificates. */
export function fetchRdsCaBundle(path: string): string[] {
  return [
    `curl -fsS --retry 3 --max-time 30 -o ${path} "$${RDS_CA_BUNDLE_URL_ENV}"`,
    `grep -q 'BEGIN CERTIFICATE' ${path} || { echo "$${RDS_CA_BUNDLE_URL_ENV} returned no certificate" >&2; exit 1; }`,
  ];
}

/** The SQL of the setup Job; idempotent. */
export const DATABASE_SETUP_SQL = [
  `SELECT 'CREATE ROLE ${DATABASE_USER} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DATABASE_USER}')\\gexec`,
  `GRANT rds_iam TO ${DATABASE_USER};`,
  // The admin must be able to SET ROLE to the new owner (PostgreSQL 16+ grants its creator ADMIN only).
  `GRANT ${DATABASE_USER} TO CURRENT_USER;`,
  `ALTER DATABASE ${DATABASE_NAME} OWNER TO ${DATABASE_USER};`,
  `ALTER SCHEMA public OWNER TO ${DATABASE_USER};`,
].join("\n");

/** A team as the teams Job registers it. */
export interface JobTeam {
  readonly name: string;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  /** Secret holding the team's key. */
  readonly keySecretArn: string;
  /** Version of the team's key: a new one re-binds the key. */
  readonly keyVersion: number;
}

interface CommonJobProps {
  readonly provider: KubernetesProvider;
  readonly namespace: string;
  readonly routerName: string;
  readonly labels: Record<string, string>;
  readonly region: string;
  /** aws-cli image for the init containers. */
  readonly fetchImage: string;
  readonly dependsOn: ITerraformDependable[];
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function job(scope: Construct, id: string, props: CommonJobProps & {
  name: string;
  serviceAccount: string;
  podLabels: Record<string, string>;
  uid: number;
  fetchScript: string;
  fetchEnv: Array<{ name: string; value: string }>;
  image: string;
  script: string;
  env: Array<{ name: string; value: string }>;
}): JobV1 {
  new ServiceAccountV1(scope, `${id}-service-account`, {
    provider: props.provider,
    metadata: { name: props.serviceAccount, namespace: props.namespace, labels: props.labels },
    automountServiceAccountToken: false,
  });
  return new JobV1(scope, id, {
    provider: props.provider,
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      backoffLimit: 4,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: { ...props.labels, ...props.podLabels } },
        spec: {
          serviceAccountName: props.serviceAccount,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: "Never",
          securityContext: restrictedPodSecurity(props.uid),
          initContainer: [
            {
              name: "fetch-secrets",
              image: props.fetchImage,
              command: ["/bin/sh", "-c", props.fetchScript],
              env: [...props.fetchEnv, { name: "AWS_REGION", value: props.region }, { name: "HOME", value: "/tmp" }],
              securityContext: restrictedContainerSecurity(),
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              volumeMount: [
                { name: "secrets", mountPath: JOB_SECRET_DIR },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          container: [
            {
              name: "run",
              image: props.image,
              command: ["/bin/sh", "-c", props.script],
              env: [...props.env, { name: "HOME", value: "/tmp" }],
              securityContext: restrictedContainerSecurity(),
              resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              volumeMount: [
                { name: "secrets", mountPath: JOB_SECRET_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volume: [
            // tmpfs: passwords and keys live in the pod's memory only.
            { name: "secrets", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
            { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          ],
        },
      },
    },
    waitForCompletion: true,
    timeouts: { create: "20m", update: "20m" },
    dependsOn: props.dependsOn,
  });
}

/** The Job creating the IAM-authenticated `litellm` login; the router's Deployment must depend on it. */
export function databaseSetupJob(scope: Construct, props: CommonJobProps & {
  databaseHost: string;
  adminSecretArn: string;
  /** Label that the database egress policy selects. */
  podLabels: Record<string, string>;
}): JobV1 {
  const name = `${props.routerName}-db-setup-${shortHash(DATABASE_SETUP_SQL)}`;
  return job(scope, "database-setup", {
    ...props,
    name,
    serviceAccount: `${props.routerName}-db-setup`,
    uid: POSTGRES_UID,
    fetchScript: [
      "set -eu",
      "umask 077",
      `aws secretsmanager get-secret-value --secret-id "$ADMIN_SECRET_ARN" --query SecretString --output text > ${JOB_SECRET_DIR}/admin-password`,
      ...fetchRdsCaBundle(`${JOB_SECRET_DIR}/rds-ca.pem`),
    ].join("\n"),
    fetchEnv: [
      { name: "ADMIN_SECRET_ARN", value: props.adminSecretArn },
      { name: RDS_CA_BUNDLE_URL_ENV, value: rdsCaBundleUrl(scope) },
    ],
    image: POSTGRES_CLIENT_IMAGE,
    script: [
      "set -eu",
      // PGPASSWORD is read from memory into the environment, never put on a command line; verify-full
      // checks the server's certificate and name before the password is sent.
      `PGPASSWORD="$(cat ${JOB_SECRET_DIR}/admin-password)"`,
      "export PGPASSWORD",
      `psql "host=$DATABASE_HOST port=${DATABASE_PORT} dbname=${DATABASE_NAME} user=${DATABASE_ADMIN_USER} sslmode=verify-full sslrootcert=${JOB_SECRET_DIR}/rds-ca.pem connect_timeout=10" -v ON_ERROR_STOP=1 <<'SQL'`,
      DATABASE_SETUP_SQL,
      "SQL",
    ].join("\n"),
    env: [{ name: "DATABASE_HOST", value: props.databaseHost }],
  });
}

/** JSON of a team for /team/new and /team/update. */
function teamBody(team: JobTeam, models: readonly string[]): string {
  return JSON.stringify({
    team_id: team.name,
    team_alias: team.name,
    models,
    // Always sent: /team/update keeps a field that is left out, so a removed limit must be null.
    rpm_limit: team.requestsPerMinute ?? null,
    tpm_limit: team.tokensPerMinute ?? null,
    metadata: { managed_by: "cdktf-secure-inference" },
  });
}

/** Alias of a team's key in LiteLLM. */
export function teamKeyAlias(team: string): string {
  return `team-${team}`;
}

/** The Job registering the teams and their keys with the running router. */
export function teamsJob(scope: Construct, props: CommonJobProps & {
  masterKeySecretArn: string;
  teams: readonly JobTeam[];
  /** Model names every team may call (aliases and "auto"). */
  models: readonly string[];
  /** In-cluster URL of the router's Service. */
  routerUrl: string;
  podLabels: Record<string, string>;
  /** The database's resource id: a replaced database (empty) re-runs the Job. */
  databaseId: string;
}): JobV1 {
  const fetch = [
    "set -eu",
    "umask 077",
    `key="$(aws secretsmanager get-secret-value --secret-id "$MASTER_KEY_SECRET_ARN" --query SecretString --output text)"`,
    `printf 'Authorization: Bearer %s\\n' "$key" > ${JOB_SECRET_DIR}/auth-header`,
    "unset key",
  ];
  const env: Array<{ name: string; value: string }> = [{ name: "MASTER_KEY_SECRET_ARN", value: props.masterKeySecretArn }];
  props.teams.forEach((t, i) => {
    env.push({ name: `TEAM_KEY_SECRET_ARN_${i}`, value: t.keySecretArn });
    fetch.push(
      `k="$(aws secretsmanager get-secret-value --secret-id "$TEAM_KEY_SECRET_ARN_${i}" --query SecretString --output text)"`,
      `printf '{"key":"%s","key_alias":"${teamKeyAlias(t.name)}","team_id":"${t.name}","metadata":{"managed_by":"cdktf-secure-inference"}}' "$k" > ${JOB_SECRET_DIR}/key-${i}.json`,
      `printf '{"key":"%s","key_alias":"${teamKeyAlias(t.name)}","team_id":"${t.name}"}' "$k" > ${JOB_SECRET_DIR}/key-update-${i}.json`,
      "unset k",
    );
  });
  const script = [
    "set -eu",
    `H=${JOB_SECRET_DIR}/auth-header`,
    // POST <path> <body file>; prints the HTTP status, the response body goes to /tmp/response.
    `call() { curl -sS -o /tmp/response -w '%%{http_code}' -X POST "$ROUTER_URL$1" -H @"$H" -H 'Content-Type: application/json' --data @"$2"; }`,
    // The Deployment has rolled out, but give its readiness a minute in case of a restart.
    `i=0; until curl -fsS -o /dev/null "$ROUTER_URL/health/readiness"; do i=$((i+1)); [ "$i" -lt 30 ] || { echo "the router at $ROUTER_URL is not ready" >&2; exit 1; }; sleep 2; done`,
  ];
  props.teams.forEach((t, i) => {
    const body = teamBody(t, props.models);
    script.push(
      `cat > /tmp/team-${i}.json <<'JSON'`,
      body,
      "JSON",
      `code="$(call /team/new /tmp/team-${i}.json)"`,
      `if [ "$code" != 200 ] && grep -q 'already exists' /tmp/response; then code="$(call /team/update /tmp/team-${i}.json)"; fi`,
      `[ "$code" = 200 ] || { echo "team ${t.name}: HTTP $code: $(cat /tmp/response)" >&2; exit 1; }`,
      // A key LiteLLM already has is only re-bound (no gap for its callers); a new value (first run,
      // rotation, a new database) replaces the key with the team's alias.
      `code="$(call /key/update ${JOB_SECRET_DIR}/key-update-${i}.json)"`,
      `if [ "$code" != 200 ]; then`,
      `  printf '{"key_aliases":["${teamKeyAlias(t.name)}"]}' > /tmp/delete-${i}.json`,
      // No key with that alias yet is fine; the generate below fails on anything else.
      `  call /key/delete /tmp/delete-${i}.json > /dev/null || true`,
      `  code="$(call /key/generate ${JOB_SECRET_DIR}/key-${i}.json)"`,
      `  [ "$code" = 200 ] || { echo "key of team ${t.name}: HTTP $code: $(cat /tmp/response)" >&2; exit 1; }`,
      `fi`,
      `echo "team ${t.name}: limits and key in place"`,
    );
  });
  // Teams are declared in code only: a team LiteLLM has that the list no longer names is deleted,
  // and LiteLLM deletes its keys with it, so a removed team's key stops working.
  const declared = props.teams.map((t) => t.name).join(" ");
  script.push(
    `code="$(curl -sS -o /tmp/teams -w '%%{http_code}' "$ROUTER_URL/team/list" -H @"$H")"`,
    `[ "$code" = 200 ] || { echo "listing teams: HTTP $code: $(cat /tmp/teams)" >&2; exit 1; }`,
    `for t in $(grep -o '"team_id": *"[^"]*"' /tmp/teams | sed 's/.*"\\([^"]*\\)"$/\\1/' | sort -u); do`,
    `  case " ${declared} " in *" $t "*) continue ;; esac`,
    `  printf '{"team_ids":["%s"]}' "$t" > /tmp/remove.json`,
    `  code="$(call /team/delete /tmp/remove.json)"`,
    `  [ "$code" = 200 ] || { echo "removing team $t: HTTP $code: $(cat /tmp/response)" >&2; exit 1; }`,
    `  echo "team $t: removed with its keys"`,
    "done",
  );
  const signature = JSON.stringify({ teams: props.teams.map((t) => ({ body: teamBody(t, props.models), version: t.keyVersion })), script });
  return job(scope, "teams", {
    ...props,
    name: `${props.routerName}-teams-${shortHash(signature)}`,
    serviceAccount: `${props.routerName}-teams`,
    uid: CURL_UID,
    fetchScript: fetch.join("\n"),
    fetchEnv: env,
    image: CURL_IMAGE,
    script: script.join("\n"),
    env: [{ name: "ROUTER_URL", value: props.routerUrl }, { name: "DATABASE_ID", value: props.databaseId }],
  });
}
