import {
  ALB_METRIC_DELAY_SECONDS,
  canaryRolloutTiming,
  DEFAULT_CANARY_STEPS,
  resolveCanaryRollout,
  rollbackDetectionSeconds,
  validateCanaryRollout,
} from "../../lib/endpoint/canary-rollout";
import { cloudWatchDetectionSeconds, errorDetectionSeconds, prometheusDetectionSeconds, prometheusWindowSeconds, serverErrorDetectionSeconds, serverErrorIntervalSeconds } from "../../lib/endpoint/private/measurement";
import type { LatencyServer } from "../../lib/endpoint/private/server-latency";
import { imageProblems } from "../../lib/private/images";
import { Problems } from "../../lib/private/validation";

/**
 * The baseline the steps are compared with: one fixed canary share judged once after a bake (e.g. 10% for
 * 10 minutes), then switched to 100%. A canary bad from the start reaches `percent` of requests for the
 * whole bake plus the metric delay and the revert.
 */
function fixedBakeExposure(percent: number, bakeSeconds: number, revertSeconds = 0): { rollbackSeconds: number; exposurePercentMinutes: number } {
  const rollbackSeconds = bakeSeconds + ALB_METRIC_DELAY_SECONDS + revertSeconds;
  return { rollbackSeconds, exposurePercentMinutes: Math.round(((percent * rollbackSeconds) / 60) * 10) / 10 };
}

function problems(...args: Parameters<typeof validateCanaryRollout> extends [infer A, infer B, unknown] ? [A, B] : never): readonly string[] {
  const p = new Problems();
  validateCanaryRollout(args[0], args[1], p);
  return p.list;
}

describe("canary rollout policy", () => {
  it("defaults to 1, 5, 10, 25, 50, 100 percent with 10-minute steps, 1% errors and 30 s p99", () => {
    const r = resolveCanaryRollout(undefined, undefined);
    expect(r.steps).toEqual([...DEFAULT_CANARY_STEPS]);
    expect(r.stepSeconds).toBe(600);
    expect(r.measurementsPerStep).toBe(10);
    expect(r.failureLimit).toBe(1);
    expect(r.inconclusiveLimit).toBe(5);
    expect(r.errorRatePercent).toBe(1);
    expect(r.p99LatencyMs).toBe(30000);
    expect(r.minRequestsPerMinute).toBe(10);
    expect(r.scrapeIntervalSeconds).toBe(30);
    expect(r.interTokenLatencyP99Ms).toBeUndefined();
  });

  it("takes the cluster's scrape interval, which sizes the windows of the checks read from AMP", () => {
    const r = resolveCanaryRollout(undefined, { minRequestsPerMinute: 25, interTokenLatencyP99Ms: 80 }, { scrapeIntervalSeconds: 60 });
    expect(r).toMatchObject({ scrapeIntervalSeconds: 60, minRequestsPerMinute: 25, interTokenLatencyP99Ms: 80 });
    expect(prometheusWindowSeconds(r.scrapeIntervalSeconds)).toBe(120);
  });

  it("accepts the defaults and a valid custom policy", () => {
    expect(problems(undefined, undefined)).toEqual([]);
    expect(problems({ steps: [2, 20, 100], stepDuration: "5m" }, { errorRatePercent: 0.5, p99LatencyMs: 1000, failureLimit: 0 })).toEqual([]);
  });

  it.each([
    [{ steps: [] }, /rollout\.steps: is empty/],
    [{ steps: [1, 10, 5, 100] }, /must be strictly increasing \(10 then 5\)/],
    [{ steps: [1, 50] }, /must end at 100/],
    [{ steps: [1.5, 100] }, /rollout\.steps\[0\]: 1\.5 must be a whole percent/],
    [{ steps: [0, 100] }, /rollout\.steps\[0\]: 0 must be a whole percent/],
    [{ steps: [25, 100] }, /first step 25% is above 10%/],
    [{ stepDuration: "ten minutes" }, /rollout\.stepDuration: "ten minutes" is not a duration/],
    [{ stepDuration: "1m" }, /must be whole minutes, at least "2m"/],
    [{ stepDuration: "25h" }, /rollout\.stepDuration: "25h" is longer than "24h": the alarms count failed minutes over one step/],
    [{ preTrafficEvaluation: { image: "evals" } }, /preTrafficEvaluation\.image: "evals" has no tag or digest/],
    [{ preTrafficEvaluation: { image: "evals:latest" } }, /preTrafficEvaluation\.image: "evals:latest" uses the moving tag "latest"/],
    [{ preTrafficEvaluation: { image: "evals:1", env: { ENDPOINT_URL: "x" } } }, /"ENDPOINT_URL" is set by the endpoint/],
  ])("refuses rollout %j", (rollout, message) => {
    expect(problems(rollout, undefined).join("\n")).toMatch(message);
  });

  it.each([
    [{ errorRatePercent: 0 }, /errorRatePercent: 0 must be a positive number of percent/],
    [{ errorRatePercent: 100 }, /errorRatePercent: 100 can never be exceeded/],
    [{ p99LatencyMs: -1 }, /p99LatencyMs: -1 must be a positive number of milliseconds/],
    [{ timeToFirstTokenP99Ms: 0 }, /timeToFirstTokenP99Ms: 0 must be a positive number/],
    [{ interTokenLatencyP99Ms: -3 }, /interTokenLatencyP99Ms: -3 must be a positive number of milliseconds/],
    [{ minRequestsPerMinute: 0 }, /minRequestsPerMinute: 0 must be a whole number of requests, at least 1/],
    [{ minRequestsPerMinute: 2.5 }, /minRequestsPerMinute: 2\.5 must be a whole number/],
    [{ failureLimit: -1 }, /failureLimit: -1 must be a whole number/],
  ])("refuses rollback conditions %j", (rollback, message) => {
    expect(problems(undefined, rollback).join("\n")).toMatch(message);
  });

  it("recognizes pinned images (one check for servers, evaluation jobs and the router)", () => {
    const pinned = (image: string) => imageProblems("image", image, "x:1").length === 0;
    expect(pinned("vllm/vllm-openai:v0.11.0")).toBe(true);
    expect(pinned(`repo/x@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(pinned("registry:5000/repo/x")).toBe(false);
    expect(pinned("repo/x:latest")).toBe(false);
  });

  describe("time to rollback and exposure", () => {
    const r = resolveCanaryRollout(undefined, undefined);

    it("detects a bad canary within 4 minutes: minute close + publication + next measurement + one more failure", () => {
      expect(canaryRolloutTiming(r, 2, 600).detectionSeconds).toBe(60 + 60 + 60 + 60);
    });

    it("derives detection from the definitions the checks are rendered with, the fastest error-rate check deciding", () => {
      // ALB metrics: the judged minute is 2 periods old, so up to 3 periods pass before it is judged, plus failureLimit.
      expect(cloudWatchDetectionSeconds(1)).toBe(240);
      // Server latency histograms: one scrape, one one-minute measurement, plus failureLimit (not used for
      // detection: a canary failing every request may fail fast).
      expect(prometheusDetectionSeconds(30, 1)).toBe(150);
      // Server error counters: one scrape, one measurement a scrape interval, plus failureLimit.
      expect(serverErrorIntervalSeconds(30)).toBe(30);
      expect(serverErrorDetectionSeconds(30, 1)).toBe(30 + 30 + 30);
      expect(canaryRolloutTiming(resolveCanaryRollout(undefined, { failureLimit: 3 }), 2, 600).detectionSeconds).toBe(cloudWatchDetectionSeconds(3));
      expect(canaryRolloutTiming(resolveCanaryRollout(undefined, { failureLimit: 3 }), 2, 600, undefined, { kind: "vllm" }).detectionSeconds).toBe(30 + 4 * 30);
      // A 300 s scrape interval makes the server counters slower than the ALB: the ALB decides.
      const slow = resolveCanaryRollout(undefined, undefined, { scrapeIntervalSeconds: 300 });
      expect(canaryRolloutTiming(slow, 2, 600, undefined, { kind: "vllm" }).detectionSeconds).toBe(240);
      expect(rollbackDetectionSeconds(slow, { kind: "tgi" })).toBe(errorDetectionSeconds(1, 300, true));
    });

    it("detects a canary that fails every request within 90 s on vLLM and TGI from their error counters in AMP, and in 240 s on Triton from the ALB", () => {
      const timing = (server: LatencyServer) => canaryRolloutTiming(r, 2, 600, undefined, server);
      expect(timing({ kind: "vllm" }).detectionSeconds).toBe(90);
      expect(timing({ kind: "tgi" }).detectionSeconds).toBe(90);
      expect(timing({ kind: "triton", tritonBackend: "vllm" }).detectionSeconds).toBe(240);
      expect(timing({ kind: "triton", tritonBackend: "python" }).detectionSeconds).toBe(240);
      // Detection feeds the rollback and the exposure: 90 s at 1% is 1.5 percent-minutes.
      expect(timing({ kind: "vllm" }).firstStep).toMatchObject({ rollbackSeconds: 90, exposurePercentMinutes: 1.5 });
    });

    it("reverts at once while the stable version still has all its replicas, and waits a pod start once dynamicStableScale shrank it", () => {
      // A budget long enough for a cold start: the stable version shrinks with the canary.
      const t = canaryRolloutTiming(resolveCanaryRollout({ rollbackBudget: "1h" }, undefined), 4, 600);
      expect(t.stablePolicy.warmStable).toBe(false);
      // 4 replicas: at 1-25% the stable keeps ceil(4 * 0.75) = 3+ ... at 1% it keeps 4.
      expect(t.perStep.map((s) => s.stableReplicas)).toEqual([4, 4, 4, 3, 2, 0]);
      expect(t.perStep.map((s) => s.revertSeconds)).toEqual([0, 0, 0, 600, 600, 600]);
      expect(t.firstStep).toMatchObject({ weightPercent: 1, rollbackSeconds: 240, exposurePercentMinutes: 4 });
      // At 100% a bad canary serves everything until the stable version is back: detection + pod start.
      expect(t.worstStep).toMatchObject({ weightPercent: 100, rollbackSeconds: 840, exposurePercentMinutes: 1400, rollbackSecondsWithNewNode: 1140 });
    });

    it("keeps the stable version warm when a cold start would exceed the 5-minute default budget, and counts the replicas it holds", () => {
      const t = canaryRolloutTiming(r, 4, 600);
      expect(t.stablePolicy).toMatchObject({
        warmStable: true,
        budgetSeconds: 300,
        worstStepRollbackSecondsWithoutWarmStable: 840,
        worstStepRollbackSecondsWithWarmStable: 240,
        // At 100% the whole stable set (4) runs beside the canary; over the steps 0+0+0+1+2+4 replicas x 10 min.
        extraReplicasAtPeak: 4,
        extraReplicaSecondsPerRollout: 7 * 600,
      });
      expect(t.stablePolicy.problem).toBeUndefined();
      expect(t.perStep.map((s) => s.revertSeconds)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(t.worstStep.rollbackSeconds).toBe(240);
    });

    it("lets the stable version shrink when even the cold start meets the budget", () => {
      const t = canaryRolloutTiming(r, 1, 60);
      expect(t.stablePolicy).toMatchObject({ warmStable: false, extraReplicasAtPeak: 0, extraReplicaSecondsPerRollout: 0 });
      expect(t.worstStep.rollbackSeconds).toBe(300);
    });

    it("refuses a budget that detection alone exceeds, naming the ways out", () => {
      const t = canaryRolloutTiming(resolveCanaryRollout({ rollbackBudget: "3m" }, undefined), 1, 600);
      expect(t.stablePolicy.problem).toMatch(/rollout\.rollbackBudget: detection alone takes 240 s .* above the budget of 180 s.*set a longer budget \(at least "4m"\).*failureLimit/);
    });

    it("refuses a rollback budget that is not a duration", () => {
      const p = new Problems();
      validateCanaryRollout({ rollbackBudget: "soon" }, undefined, p);
      expect(p.list.join("\n")).toMatch(/rollout\.rollbackBudget: "soon" is not a duration/);
    });

    it("exposes 25x fewer requests than a 10% canary judged after a 10-minute bake", () => {
      const ours = canaryRolloutTiming(r, 1, 500).firstStep.exposurePercentMinutes;
      const fixed = fixedBakeExposure(10, 600);
      expect(fixed).toEqual({ rollbackSeconds: 660, exposurePercentMinutes: 110 });
      expect(ours).toBe(4);
      expect(fixed.exposurePercentMinutes / ours).toBeCloseTo(27.5, 1);
    });
  });
});
