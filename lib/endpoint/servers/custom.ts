/* A server image this library does not know, run as its options describe. */
import { imageProblems } from "../../private/images";
import { isLiteral, show } from "../../private/validation";
import { isCount, meanGaugeQuery, UID } from "./common";
import { ServerContainer, ServerContext, ServerDefinition } from "./server-types";

/** A server image this library does not know; the endpoint runs it as described here. */
export interface CustomServerOptions {
  /** Container image, pinned by tag or digest. */
  readonly image: string;
  /**
   * Container command, replacing the image's entrypoint.
   * @default the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default []
   */
  readonly args?: string[];
  /** Port of the HTTP API the endpoint's Service targets. */
  readonly port: number;
  /** HTTP path that answers 200 while the server is alive (liveness probe). */
  readonly healthPath: string;
  /**
   * HTTP path that answers 200 once the model can serve (readiness probe).
   * @default healthPath
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the Prometheus metrics.
   * @default "/metrics"
   */
  readonly metricsPath?: string;
  /**
   * Port of the Prometheus metrics.
   * @default port
   */
  readonly metricsPort?: number;
  /**
   * Name of a Prometheus gauge of requests waiting in the server's queue; the autoscaler averages
   * it over ready replicas.
   * @default none: the endpoint cannot scale on queue depth and must set minReplicas = maxReplicas
   */
  readonly queueDepthMetric?: string;
  /**
   * Non-root uid the container runs as.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Mount the image's filesystem read-only; the server writes only to `writablePaths`.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Absolute directories mounted as empty writable volumes (caches, HOME, scratch).
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
  /**
   * Mount a memory-backed /dev/shm (needed by NCCL with tensor parallelism and by Python multiprocessing).
   * @default false
   */
  readonly sharedMemory?: boolean;
  /**
   * Environment variables of the container.
   * @default {}
   */
  readonly env?: Record<string, string>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function portProblems(prop: string, value: number | undefined): string[] {
  if (value === undefined || !isLiteral(value) || (Number.isInteger(value) && value >= 1 && value <= 65535)) return [];
  return [`server.${prop}: ${show(value)} is not a TCP port; use a whole number from 1 to 65535, e.g. 8080`];
}

function httpPathProblems(prop: string, value: string | undefined): string[] {
  if (value === undefined || !isLiteral(value) || value.startsWith("/")) return [];
  return [`server.${prop}: ${show(value)} must be an HTTP path starting with "/", e.g. "/${value}"`];
}

/** A custom server's options validated and rendered. */
export class CustomDefinition implements ServerDefinition {
  readonly kind = "custom" as const;

  constructor(private readonly options: CustomServerOptions) {}

  validate(_ctx: ServerContext): string[] {
    const o = this.options;
    const problems = [
      ...imageProblems("server.image", o.image, "registry.example.com/team/server:1.2.3"),
      ...portProblems("port", o.port),
      ...portProblems("metricsPort", o.metricsPort),
      ...httpPathProblems("healthPath", o.healthPath),
      ...httpPathProblems("readinessPath", o.readinessPath),
      ...httpPathProblems("metricsPath", o.metricsPath),
    ];
    if (o.queueDepthMetric !== undefined && !METRIC_NAME.test(o.queueDepthMetric)) {
      problems.push(`server.queueDepthMetric: ${show(o.queueDepthMetric)} is not a Prometheus metric name; use letters, digits, "_" and ":", e.g. "server_queue_size"`);
    }
    if (o.runAsUser !== undefined && isLiteral(o.runAsUser) && !isCount(o.runAsUser)) {
      problems.push(`server.runAsUser: ${show(o.runAsUser)} is not a non-root uid; restricted Pod Security refuses root, so use a positive whole number, e.g. 1000`);
    }
    const relative = (o.writablePaths ?? []).filter((p) => !p.startsWith("/"));
    if (relative.length > 0) {
      problems.push(`server.writablePaths: ${show(relative)} must be absolute directories, e.g. "/tmp"`);
    }
    return problems;
  }

  build(_ctx: ServerContext): ServerContainer {
    const o = this.options;
    return {
      kind: this.kind,
      image: o.image,
      command: o.command,
      args: [...(o.args ?? [])],
      env: { ...(o.env ?? {}) },
      port: o.port,
      // Assumed OpenAI-compatible under /v1, as the router and the evaluation job call it.
      api: "openai",
      metricsPort: o.metricsPort ?? o.port,
      metricsPath: o.metricsPath ?? "/metrics",
      livenessPath: o.healthPath,
      readinessPath: o.readinessPath ?? o.healthPath,
      runAsUser: o.runAsUser ?? UID,
      readOnlyRootFilesystem: o.readOnlyRootFilesystem ?? true,
      writablePaths: [...(o.writablePaths ?? ["/tmp"])],
      sharedMemory: o.sharedMemory ?? false,
      files: {},
      queueDepthQuery: o.queueDepthMetric === undefined ? "" : meanGaugeQuery(o.queueDepthMetric),
      batching: { batcher: "custom" },
    };
  }
}
