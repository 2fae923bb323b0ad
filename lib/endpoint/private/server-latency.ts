/*
 * Which latency histogram each model server exports, keyed by server kind and (for Triton) backend,
 * with its bucket boundaries: the rollback checks judge latency from these rather than from the ALB,
 * whose TargetResponseTime stops at the first response byte and so reads about 0 s for a streamed
 * completion. Kept here, beside the checks, rather than in the server definitions.
 *
 * Sources (read at the pinned versions of InferenceServerImages):
 * - vLLM v0.11.0: vllm/v1/metrics/loggers.py, PrometheusStatLogger (the 0.11-line copy; the v0.11.0
 *   tag itself was not in the index): vllm:e2e_request_latency_seconds, vllm:time_to_first_token_seconds,
 *   vllm:inter_token_latency_seconds and their buckets; labels model_name, engine.
 * - Triton 25.11, vLLM backend: triton-inference-server/vllm_backend@r25.11:src/utils/metrics.py:51-142
 *   (vllm:time_to_first_token_seconds, vllm:time_per_output_token_seconds fed from
 *   inter_token_latencies_iter at :271, vllm:e2e_request_latency_seconds with buckets 1..60 s at :142);
 *   labels model, version (src/model.py:368-371); active with REPORT_CUSTOM_METRICS, which triton.ts sets.
 * - Triton 25.11 core: triton-inference-server/core@r25.11:src/metric_model_reporter.cc:309-323 creates
 *   its only latency histogram, nv_inference_first_response_histogram_ms, for decoupled models only
 *   (and only with --metrics-config histogram_latencies=true); the other latency metrics are cumulative
 *   counters or per-pod summaries, which give no aggregate p99.
 * - TGI v3.3.6: huggingface/text-generation-inference@v3.3.6:router/src/server.rs:1933-1943 (every
 *   histogram named *duration gets the buckets 0.0001 * 1.5^k, k = 1..35), :416 and :621
 *   (tgi_request_duration, recorded for successful requests), :420 and :625
 *   (tgi_request_mean_time_per_token_duration = inference time / generated tokens, prefill included);
 *   no time-to-first-token metric.
 */
import type { InferenceServerKind, ServerContainer } from "../servers/server-types";

/** The latencies a rollback check can judge. */
export type LatencyMeasure = "e2e" | "ttft" | "itl";

/** The server identity the latency mapping needs. */
export interface LatencyServer {
  /** Which server. */
  readonly kind: InferenceServerKind;
  /** Triton's backend, e.g. "vllm" or "python"; only for kind "triton". */
  readonly tritonBackend?: string;
}

/** A Prometheus histogram a server exports, in seconds. */
export interface ServerHistogram {
  /** Base name (without _bucket, _sum, _count). */
  readonly name: string;
  /** Finite bucket upper bounds in seconds, ascending. */
  readonly buckets: readonly number[];
  /** What one observation is, for descriptions. */
  readonly observes: string;
}

/** Where a latency is read from for one server. */
export type LatencySource =
  | { readonly kind: "histogram"; readonly histogram: ServerHistogram }
  /** The ALB's TargetResponseTime: time to the first response byte, the full latency only for responses that are not streamed. */
  | { readonly kind: "alb" }
  | { readonly kind: "none"; readonly why: string };

/** vLLM 0.11 request_latency_buckets (e2e, queue, prefill, decode, inference). */
const VLLM_REQUEST_BUCKETS = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
const VLLM_TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
const VLLM_ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
/** Triton's vLLM backend defines its own, shorter bucket lists. */
const TRITON_VLLM_E2E_BUCKETS = [1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0];
const TRITON_VLLM_TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
const TRITON_VLLM_TPOT_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];

/** TGI's duration buckets, computed as its router does (f64, repeated multiplication). */
const TGI_DURATION_BUCKETS: readonly number[] = (() => {
  const out: number[] = [];
  let value = 0.0001;
  for (let k = 0; k < 35; k++) {
    value *= 1.5;
    out.push(value);
  }
  return out;
})();

const VLLM: Record<LatencyMeasure, ServerHistogram> = {
  e2e: { name: "vllm:e2e_request_latency_seconds", buckets: VLLM_REQUEST_BUCKETS, observes: "a request's end-to-end latency in the engine, to its last token" },
  ttft: { name: "vllm:time_to_first_token_seconds", buckets: VLLM_TTFT_BUCKETS, observes: "a request's time to first token" },
  itl: { name: "vllm:inter_token_latency_seconds", buckets: VLLM_ITL_BUCKETS, observes: "the gap between two output tokens" },
};
const TRITON_VLLM: Record<LatencyMeasure, ServerHistogram> = {
  e2e: { name: "vllm:e2e_request_latency_seconds", buckets: TRITON_VLLM_E2E_BUCKETS, observes: "a request's end-to-end latency in the engine, to its last token" },
  ttft: { name: "vllm:time_to_first_token_seconds", buckets: TRITON_VLLM_TTFT_BUCKETS, observes: "a request's time to first token" },
  itl: { name: "vllm:time_per_output_token_seconds", buckets: TRITON_VLLM_TPOT_BUCKETS, observes: "the gap between two output tokens" },
};
const TGI_E2E: ServerHistogram = { name: "tgi_request_duration", buckets: TGI_DURATION_BUCKETS, observes: "a successful request's duration in the router, to its last token" };

/** Where `measure` is read from for `server`. */
export function latencySource(server: LatencyServer, measure: LatencyMeasure): LatencySource {
  switch (server.kind) {
    case "vllm":
      return { kind: "histogram", histogram: VLLM[measure] };
    case "triton":
      if (server.tritonBackend === "vllm") return { kind: "histogram", histogram: TRITON_VLLM[measure] };
      // Other backends run models this endpoint does not make decoupled: their responses are not
      // streamed, so the ALB's time to first byte is the full latency.
      if (measure === "e2e") return { kind: "alb" };
      return {
        kind: "none",
        why: `Triton's ${server.tritonBackend ?? "non-vLLM"} backend exports no such histogram (Triton's only latency histogram, nv_inference_first_response_histogram_ms, exists for decoupled models only, and this endpoint's models are not decoupled)`,
      };
    case "tgi":
      if (measure === "e2e") return { kind: "histogram", histogram: TGI_E2E };
      return {
        kind: "none",
        why:
          measure === "ttft"
            ? "TGI 3.3.6 exports no time-to-first-token metric"
            : "TGI 3.3.6 exports only tgi_request_mean_time_per_token_duration, a per-request mean that includes the prefill, not the gap between tokens",
      };
    case "custom":
      if (measure === "e2e") return { kind: "alb" };
      return { kind: "none", why: "a custom server declares no latency histogram" };
  }
}

/** The server identity of a rendered container. Triton's backend is read from the config.pbtxt the endpoint writes. */
export function latencyServerOf(container: Pick<ServerContainer, "kind" | "files">): LatencyServer {
  if (container.kind !== "triton") return { kind: container.kind };
  const config = Object.entries(container.files).find(([path]) => path.endsWith("/config.pbtxt"))?.[1] ?? "";
  const backend = /^backend:\s*"([^"]+)"/m.exec(config)?.[1];
  return { kind: "triton", tritonBackend: backend };
}

/** How a threshold relates to a histogram's buckets. */
export type BucketFit =
  | { readonly fit: "boundary" }
  | { readonly fit: "interpolated"; readonly below: number; readonly above: number }
  | { readonly fit: "below-range"; readonly smallest: number }
  | { readonly fit: "above-range"; readonly largest: number };

/**
 * Whether `p99 > threshold` is decided exactly (threshold on a bucket boundary: the quantile lies
 * above it exactly when fewer than 99% of observations fall in the buckets up to it), estimated by
 * histogram_quantile's linear interpolation inside a bucket, or not measurable: below the smallest
 * bucket everything interpolates from 0, and at or above the largest finite bucket histogram_quantile
 * reports that bucket's bound, so the check could never fail.
 */
export function bucketFit(thresholdSeconds: number, buckets: readonly number[]): BucketFit {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const largest = buckets[buckets.length - 1];
  if (thresholdSeconds > largest || close(thresholdSeconds, largest)) return { fit: "above-range", largest };
  if (buckets.some((b) => close(b, thresholdSeconds))) return { fit: "boundary" };
  if (thresholdSeconds < buckets[0]) return { fit: "below-range", smallest: buckets[0] };
  const i = buckets.findIndex((b) => b > thresholdSeconds);
  return { fit: "interpolated", below: buckets[i - 1], above: buckets[i] };
}

/** A number of seconds for messages: "0.5 s", "1.6834 s". */
export function seconds(s: number): string {
  return `${Number(s.toPrecision(5))} s`;
}
