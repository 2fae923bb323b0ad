/*
 * Which counters of failed requests each model server exports, so that a canary that fails its
 * requests is judged from AMP (one scrape behind) rather than only from the ALB's CloudWatch metrics
 * (a closed minute plus about a minute of publication delay behind). Kept beside the latency
 * histograms (server-latency.ts), read at the pinned versions of InferenceServerImages.
 *
 * - vLLM v0.11.0 (the v0.11.0 tag itself is not in the source index; the 0.10/0.11-line copy of
 *   vllm/v1/metrics/prometheus.py, mount_metrics, which the OpenAI api_server calls): it instruments
 *   the FastAPI app with prometheus_fastapi_instrumentator,
 *   `Instrumentator(excluded_handlers=["/metrics", "/health", "/load", "/ping", "/version",
 *   "/server_info"], registry=registry).add().instrument(app).expose(app)`. `.add()` with no
 *   instrumentation leaves the instrumentator's default metrics, among them the counter
 *   `http_requests_total{handler, method, status}` with status codes grouped ("2xx", "4xx", "5xx";
 *   should_group_status_codes defaults to true). A request is counted when its response ends,
 *   under the status its response started with (an unhandled exception counts as 500), so a streamed
 *   completion that fails after its 200 header is counted as 2xx: this check, like the ALB's target 5xx, sees requests that fail before they
 *   stream. `vllm:request_success_total{finished_reason}` counts finished requests by why they
 *   stopped (stop, length, abort), not errors, and is not used.
 * - TGI v3.3.6: huggingface/text-generation-inference@v3.3.6 counts every request at entry in
 *   `tgi_request_count` (router/src/server.rs:203, 296, 518, 727, 1180; router/src/vertex.rs:82) and
 *   failures in `tgi_request_failure{err}`: "generation" for each request of a batch a shard failed
 *   (backends/v3/src/backend.rs:544-545, answered 424 Failed Dependency: router/src/server.rs:2403,
 *   which the ALB does not count as target 5xx), "incomplete" when the stream ended without a final
 *   answer (router/src/infer/mod.rs:312-313, router/src/server.rs:671; 500). Not server faults, and
 *   left out: "validation" and "template" (422, the client's request), "overloaded" (429, the
 *   concurrency limit: router/src/infer/mod.rs:117), "dropped" (the client went away:
 *   backends/v3/src/backend.rs:436-439, 454).
 * - Triton: not read (its vLLM backend's metrics, vllm_backend@r25.11:src/utils/metrics.py, have no
 *   error counter; Triton core's per-model failure counter is not verified here): ALB only.
 */
import type { LatencyServer } from "./server-latency";

/** A server's counters of requests and of failed requests, as PromQL metric names and extra label matchers. */
export interface ServerErrorCounter {
  /** Counter of all requests the server answered (or started to). */
  readonly requests: { readonly metric: string; readonly matchers: string };
  /** Counter of the requests that failed on the server's side. */
  readonly errors: { readonly metric: string; readonly matchers: string };
  /** What counts as a failure, for descriptions. */
  readonly observes: string;
}

const VLLM_ERRORS: ServerErrorCounter = {
  requests: { metric: "http_requests_total", matchers: "" },
  errors: { metric: "http_requests_total", matchers: `status="5xx"` },
  observes: "HTTP requests answered 5xx by the vLLM API server (prometheus_fastapi_instrumentator)",
};

const TGI_ERRORS: ServerErrorCounter = {
  requests: { metric: "tgi_request_count", matchers: "" },
  errors: { metric: "tgi_request_failure", matchers: `err=~"generation|incomplete"` },
  observes: "requests TGI failed in generation (424) or left incomplete (500)",
};

/** The server's error counter, or undefined when it exports none this library trusts (then only the ALB judges errors). */
export function serverErrorCounter(server: LatencyServer): ServerErrorCounter | undefined {
  switch (server.kind) {
    case "vllm":
      return VLLM_ERRORS;
    case "tgi":
      return TGI_ERRORS;
    default:
      return undefined;
  }
}
