/*
 * The router's pods: a Deployment of the LiteLLM proxy whose init container reads the master key
 * (and, when needed, builds the trust bundle) into memory volumes, with the HorizontalPodAutoscaler
 * and PodDisruptionBudget around it.
 */
import { createHash } from "crypto";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { MODEL_FETCH_IMAGE } from "../../private/images";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../../private/pod-security";
import { ROUTER_PORT } from "../router-props";
import { CACHE_HOST_ENV, MASTER_KEY_ENV } from "./litellm-config";
import { DATABASE_NAME, DATABASE_PORT, DATABASE_USER } from "./router-database";
import { fetchRdsCaBundle, RDS_CA_BUNDLE_URL_ENV, rdsCaBundleUrl } from "./router-jobs";
import { datastoreClientLabels, RouterObjects } from "./router-labels";

/** uid of `nobody` in LiteLLM's non_root image. */
const ROUTER_UID = 65534;
const CONFIG_DIR = "/etc/litellm";
/** Memory-backed volume the master key is written to; it never touches a disk or the Kubernetes API. */
const SECRET_DIR = "/run/secrets/litellm";
const MASTER_KEY_FILE = `${SECRET_DIR}/master-key`;
/** Where the private CA bundle for calls to the endpoints is mounted. */
const CA_DIR = "/etc/ssl/upstream-ca";
/**
 * Memory volume holding the trust bundle the router uses with a private CA: the public CAs of the
 * init container's image (Amazon Linux) plus the private CA. SSL_CERT_FILE replaces the default
 * trust of every TLS client in the process (the model calls, and the response cache's connections
 * to ElastiCache, whose certificates chain to Amazon's public roots), so it must keep the public CAs.
 */
const TRUST_DIR = "/run/trust";
const TRUST_BUNDLE = `${TRUST_DIR}/ca-bundle.pem`;
/** RDS's CA bundle, fetched by the init container when the router has a database. */
const RDS_CA_FILE = `${TRUST_DIR}/rds-ca.pem`;
/** The public CA bundle of the aws-cli image (Amazon Linux 2, ca-certificates). */
const SYSTEM_CA_BUNDLE = "/etc/pki/tls/certs/ca-bundle.crt";
/** Seconds a terminating router pod keeps serving while the ALB deregisters it. */
const ROUTER_PRE_STOP_SECONDS = 20;

/** What the router's pods run with. */
export interface RouterDeploymentProps {
  /** The mounted config.yaml; its hash rolls the pods when it changes. */
  readonly configYaml: string;
  /** Name of the ConfigMap holding config.yaml. */
  readonly configMapName: string;
  /** Name of the ConfigMap holding the private CA bundle (`ca.pem`), when the endpoints use one. */
  readonly upstreamCaConfigMapName?: string;
  readonly image: string;
  /** Seconds one call may take: a terminating pod lets its calls finish. */
  readonly timeoutSeconds: number;
  /** Region of the Secrets Manager and RDS calls (AWS_REGION). */
  readonly region: string;
  readonly masterKeySecretArn: string;
  /** Version of the master key; a new one rolls the pods so they read it. */
  readonly masterKeyVersion: number;
  /** Primary endpoint of the response cache, when on. */
  readonly cacheHost?: string;
  /** Host name of LiteLLM's database, when the router has teams. */
  readonly databaseHost?: string;
  readonly dependsOn: ITerraformDependable[];
}

/** The router's Deployment (construct id "deployment"); the autoscaler owns its replica count. */
export function routerDeployment(scope: Construct, r: RouterObjects, props: RouterDeploymentProps): DeploymentV1 {
  const { name, selector, labels } = r;
  const upstreamCa = props.upstreamCaConfigMapName !== undefined;
  const database = props.databaseHost !== undefined;
  // The key is read into the process environment (LiteLLM reads master_key from os.environ) and
  // never printed; the check makes an unreadable or empty key fail the start instead of starting open.
  const startScript = [
    "set -eu",
    `key="$(cat ${MASTER_KEY_FILE})"`,
    `[ -n "$key" ] || { echo "the master key file ${MASTER_KEY_FILE} is empty" >&2; exit 1; }`,
    `export ${MASTER_KEY_ENV}="$key"`,
    "unset key",
    `exec litellm --config ${CONFIG_DIR}/config.yaml --host 0.0.0.0 --port ${ROUTER_PORT}`,
  ].join("\n");
  const fetchScript = [
    "set -eu",
    "umask 077",
    `aws secretsmanager get-secret-value --secret-id "$MASTER_KEY_SECRET_ARN" --query SecretString --output text > ${MASTER_KEY_FILE}`,
    ...(upstreamCa
      ? [
          "umask 022",
          `[ -s ${SYSTEM_CA_BUNDLE} ] || { echo "the image has no public CA bundle at ${SYSTEM_CA_BUNDLE}" >&2; exit 1; }`,
          `cat ${SYSTEM_CA_BUNDLE} ${CA_DIR}/ca.pem > ${TRUST_BUNDLE}`,
        ]
      : []),
    // RDS's CA bundle for DATABASE_SSLROOTCERT (see the database env below for what LiteLLM does with it).
    ...(database ? ["umask 022", ...fetchRdsCaBundle(RDS_CA_FILE)] : []),
  ].join("\n");
  const trustVolume = upstreamCa || database;

  return new DeploymentV1(scope, "deployment", {
    provider: r.provider,
    metadata: { name, namespace: r.namespace, labels },
    spec: {
      // No `replicas`: the HorizontalPodAutoscaler owns the count and Terraform leaves it alone.
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "0", maxSurge: "1" } },
      template: {
        metadata: {
          labels: { ...labels, ...(database ? datastoreClientLabels(name) : {}) },
          annotations: {
            // A config change or a new master key rolls the pods.
            "secure-inference.io/config-sha256": createHash("sha256").update(props.configYaml).digest("hex"),
            "secure-inference.io/master-key-version": String(props.masterKeyVersion),
          },
        },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurity(ROUTER_UID),
          // No toleration of the GPU taint: the router runs on the system nodes, never on a GPU.
          topologySpreadConstraint: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: [{ matchLabels: selector }] },
          ],
          // preStop pause, then a call may run as long as its timeout.
          terminationGracePeriodSeconds: ROUTER_PRE_STOP_SECONDS + props.timeoutSeconds + 10,
          initContainer: [
            {
              name: "fetch-master-key",
              image: MODEL_FETCH_IMAGE,
              command: ["/bin/sh", "-c", fetchScript],
              env: [
                { name: "MASTER_KEY_SECRET_ARN", value: props.masterKeySecretArn },
                ...(database ? [{ name: RDS_CA_BUNDLE_URL_ENV, value: rdsCaBundleUrl(scope) }] : []),
                { name: "AWS_REGION", value: props.region },
                { name: "HOME", value: "/tmp" },
              ],
              securityContext: restrictedContainerSecurity(),
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              volumeMount: [
                { name: "master-key", mountPath: SECRET_DIR },
                { name: "fetch-tmp", mountPath: "/tmp" },
                ...(upstreamCa ? [{ name: "upstream-ca", mountPath: CA_DIR, readOnly: true }] : []),
                ...(trustVolume ? [{ name: "trust", mountPath: TRUST_DIR }] : []),
              ],
            },
          ],
          container: [
            {
              name: "litellm",
              image: props.image,
              command: ["/bin/sh", "-c", startScript],
              env: [
                // No admin UI: teams and keys are declared in code and registered by the teams Job (with
                // teams the router has LiteLLM's database, but nothing there is meant to be edited by hand).
                { name: "DISABLE_ADMIN_UI", value: "True" },
                { name: "HOME", value: "/tmp" },
                { name: "XDG_CACHE_HOME", value: "/tmp/.cache" },
                { name: "AWS_REGION", value: props.region },
                // The model cost map ships in the image; do not fetch it from GitHub at start.
                { name: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True" },
                // The cache's primary endpoint: a replaced cache changes it, which rolls the pods.
                ...(props.cacheHost !== undefined ? [{ name: CACHE_HOST_ENV, value: props.cacheHost }] : []),
                // LiteLLM's database: IAM token authentication (a fresh SigV4 token before each expires), no password.
                ...(props.databaseHost !== undefined
                  ? [
                      { name: "IAM_TOKEN_DB_AUTH", value: "True" },
                      { name: "DATABASE_HOST", value: props.databaseHost },
                      { name: "DATABASE_PORT", value: String(DATABASE_PORT) },
                      { name: "DATABASE_USER", value: DATABASE_USER },
                      { name: "DATABASE_USERNAME", value: DATABASE_USER },
                      { name: "DATABASE_NAME", value: DATABASE_NAME },
                      { name: "AWS_REGION_NAME", value: props.region },
                      // Encryption is enforced by the server (rds.force_ssl = 1). Certificate verification is up to LiteLLM:
                      // with IAM auth it builds the URL itself from DATABASE_HOST/USER/NAME (a DATABASE_URL's parameters are
                      // dropped) and its Prisma client honours only sslmode=require|prefer|disable, sslcert and sslaccept=strict
                      // (prisma/prisma-engines quaint postgres URL parsing). LiteLLM translates these libpq settings into
                      // sslmode=require&sslcert=<root>&sslaccept=strict from 1.101.0 (BerriAI/litellm#40272), read in its
                      // newest source; the source of the pinned release could not be read here, so this is unverified at the pin.
                      // Without that translation the connection is TLS without certificate verification.
                      { name: "DATABASE_SSLMODE", value: "verify-full" },
                      { name: "DATABASE_SSLROOTCERT", value: RDS_CA_FILE },
                      // Prisma's migrations at start need a writable directory (read-only root filesystem).
                      { name: "LITELLM_MIGRATION_DIR", value: "/tmp/litellm-migrations" },
                    ]
                  : []),
                ...(upstreamCa ? [{ name: "SSL_CERT_FILE", value: TRUST_BUNDLE }, { name: "REQUESTS_CA_BUNDLE", value: TRUST_BUNDLE }] : []),
              ],
              port: [{ name: "http", containerPort: ROUTER_PORT, protocol: "TCP" }],
              // The router runs on the system nodes beside the controllers: keep its request modest.
              resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
              // Keep serving while the ALB deregisters the pod.
              lifecycle: { preStop: [{ exec: { command: ["/bin/sh", "-c", `sleep ${ROUTER_PRE_STOP_SECONDS}`] } }] },
              securityContext: restrictedContainerSecurity(),
              // LiteLLM's health routes, as its Helm chart probes them; neither calls a model.
              startupProbe: { httpGet: { path: "/health/readiness", port: "http" }, periodSeconds: 5, failureThreshold: 60 },
              readinessProbe: { httpGet: { path: "/health/readiness", port: "http" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
              livenessProbe: { httpGet: { path: "/health/liveliness", port: "http" }, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 5 },
              volumeMount: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "master-key", mountPath: SECRET_DIR, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
                ...(trustVolume ? [{ name: "trust", mountPath: TRUST_DIR, readOnly: true }] : []),
              ],
            },
          ],
          volume: [
            { name: "config", configMap: { name: props.configMapName } },
            ...(props.upstreamCaConfigMapName !== undefined ? [{ name: "upstream-ca", configMap: { name: props.upstreamCaConfigMapName } }] : []),
            ...(trustVolume ? [{ name: "trust", emptyDir: { medium: "Memory", sizeLimit: "2Mi" } }] : []),
            // tmpfs: the key lives in the pod's memory only.
            { name: "master-key", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
            { name: "fetch-tmp", emptyDir: { sizeLimit: "64Mi" } },
            { name: "tmp", emptyDir: { sizeLimit: "512Mi" } },
          ],
        },
      },
    },
    dependsOn: props.dependsOn,
  });
}

/** A HorizontalPodAutoscaler on CPU (70% of requests) and a PodDisruptionBudget keeping one pod available. */
export function routerScaling(scope: Construct, r: RouterObjects, minReplicas: number, maxReplicas: number): void {
  new HorizontalPodAutoscalerV2(scope, "autoscaler", {
    provider: r.provider,
    metadata: { name: r.name, namespace: r.namespace, labels: r.labels },
    spec: {
      minReplicas,
      maxReplicas,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: r.name },
      metric: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
  });
  new PodDisruptionBudgetV1(scope, "pdb", {
    provider: r.provider,
    metadata: { name: r.name, namespace: r.namespace, labels: r.labels },
    spec: { minAvailable: "1", selector: { matchLabels: r.selector } },
  });
}
