import { InferenceServer } from "../../../lib/endpoint/inference-server";
import { bucketFit, latencyServerOf, latencySource } from "../../../lib/endpoint/private/server-latency";

const ctx = { modelName: "llama", modelDir: "/models/chat", gpusPerReplica: 1, dtype: "bfloat16" };
const histogramOf = (source: ReturnType<typeof latencySource>) => (source.kind === "histogram" ? source.histogram.name : source.kind);

describe("server latency histograms", () => {
  it("maps each server and measure to the histogram it exports, the ALB, or nothing", () => {
    const servers = { vllm: { kind: "vllm" }, tritonVllm: { kind: "triton", tritonBackend: "vllm" }, tritonPython: { kind: "triton", tritonBackend: "python" }, tgi: { kind: "tgi" }, custom: { kind: "custom" } } as const;
    const table = Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, (["e2e", "ttft", "itl"] as const).map((m) => histogramOf(latencySource(s, m)))]));
    expect(table).toEqual({
      vllm: ["vllm:e2e_request_latency_seconds", "vllm:time_to_first_token_seconds", "vllm:inter_token_latency_seconds"],
      tritonVllm: ["vllm:e2e_request_latency_seconds", "vllm:time_to_first_token_seconds", "vllm:time_per_output_token_seconds"],
      tritonPython: ["alb", "none", "none"],
      tgi: ["tgi_request_duration", "none", "none"],
      custom: ["alb", "none", "none"],
    });
  });

  it("uses each server's own buckets: Triton's vLLM backend stops e2e at 60 s, vLLM at 7680 s, TGI at 0.0001 * 1.5^35 s", () => {
    const buckets = (s: Parameters<typeof latencySource>[0]) => {
      const src = latencySource(s, "e2e");
      return src.kind === "histogram" ? src.histogram.buckets : [];
    };
    expect(buckets({ kind: "triton", tritonBackend: "vllm" })).toEqual([1, 2.5, 5, 10, 15, 20, 30, 40, 50, 60]);
    expect(buckets({ kind: "vllm" }).slice(-1)).toEqual([7680]);
    const tgi = buckets({ kind: "tgi" });
    expect(tgi).toHaveLength(35);
    expect(tgi[0]).toBeCloseTo(0.00015, 12);
    expect(tgi[34]).toBeCloseTo(0.0001 * 1.5 ** 35, 6);
  });

  it("reads Triton's backend from the config.pbtxt the endpoint writes", () => {
    expect(latencyServerOf(InferenceServer.triton().render(ctx))).toEqual({ kind: "triton", tritonBackend: "vllm" });
    expect(latencyServerOf(InferenceServer.triton({ backend: "python" }).render(ctx))).toEqual({ kind: "triton", tritonBackend: "python" });
    expect(latencyServerOf(InferenceServer.vllm().render(ctx))).toEqual({ kind: "vllm" });
  });

  it("decides exactly on a bucket boundary, interpolates between, and refuses outside the finite buckets", () => {
    const b = [1, 2.5, 5, 60];
    expect(bucketFit(2.5, b)).toEqual({ fit: "boundary" });
    expect(bucketFit(2, b)).toEqual({ fit: "interpolated", below: 1, above: 2.5 });
    expect(bucketFit(0.5, b)).toEqual({ fit: "below-range", smallest: 1 });
    // At the largest finite bound histogram_quantile can report nothing higher: never "above".
    expect(bucketFit(60, b)).toEqual({ fit: "above-range", largest: 60 });
    expect(bucketFit(61, b)).toEqual({ fit: "above-range", largest: 60 });
  });
});
