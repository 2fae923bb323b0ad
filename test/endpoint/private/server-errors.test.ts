import { resolveCanaryRollout } from "../../../lib/endpoint/canary-rollout";
import { serverErrorDetectionSeconds, serverErrorIntervalSeconds } from "../../../lib/endpoint/private/measurement";
import { counterAlertRule, counterAnalysisMetric, counterPeriodQuery, rollbackChecks, ServerErrorCheck } from "../../../lib/endpoint/private/rollback-checks";
import { serverErrorCounter } from "../../../lib/endpoint/private/server-errors";

const SELECTOR = 'namespace="models",secure_inference_io_endpoint="chat"';

describe("the server error-rate check (error counters in AMP)", () => {
  const r = resolveCanaryRollout(undefined, undefined);
  const check = rollbackChecks(r, { kind: "vllm" }).find((c) => c.source === "prometheus-counter") as ServerErrorCheck;

  it("exists for the servers that count failed requests, with the ALB check's threshold and minimum", () => {
    expect(serverErrorCounter({ kind: "vllm" })).toMatchObject({ errors: { metric: "http_requests_total", matchers: 'status="5xx"' }, requests: { metric: "http_requests_total" } });
    expect(serverErrorCounter({ kind: "tgi" })).toMatchObject({ errors: { metric: "tgi_request_failure", matchers: 'err=~"generation|incomplete"' }, requests: { metric: "tgi_request_count" } });
    expect(serverErrorCounter({ kind: "triton", tritonBackend: "vllm" })).toBeUndefined();
    expect(rollbackChecks(r, { kind: "triton", tritonBackend: "vllm" }).map((c) => c.name)).not.toContain("server-error-rate");
    // The ALB check stays first: the slower safety net, which also sees a crashed pod's connection errors.
    expect(rollbackChecks(r, { kind: "tgi" }).map((c) => c.name).slice(0, 2)).toEqual(["error-rate", "server-error-rate"]);
    expect(check).toMatchObject({ threshold: r.errorRatePercent, minRequestsPerMinute: r.minRequestsPerMinute, intervalSeconds: 30 });
  });

  it("reads each counter's growth over the period, a new series in full, and counts no failure yet as 0 %", () => {
    const inc = (s: string) => `((${s} - ${s} offset 30s) >= 0 or ${s})`;
    const errors = `sum (${inc(`http_requests_total{${SELECTOR},status="5xx"}`)})`;
    const requests = `sum (${inc(`http_requests_total{${SELECTOR}}`)})`;
    expect(counterPeriodQuery(check, SELECTOR)).toBe(`(100 * (${errors} or ${requests} * 0) / ${requests}) and on () (${requests} * 2 >= 10)`);
  });

  it("measures once a period for the step, and alerts on the same count of failed periods", () => {
    const m = counterAnalysisMetric(check, r, SELECTOR, "https://aps.example/ws", "us-east-1");
    expect(m).toMatchObject({ name: "server-error-rate", initialDelay: "30s", interval: "30s", count: 20, failureLimit: 1, inconclusiveLimit: 10 });
    expect(m.provider.prometheus).toMatchObject({ address: "https://aps.example/ws", authentication: { sigv4: { region: "us-east-1" } } });
    expect(m.successCondition).toBe("len(result) > 0 && result[0] <= 1");
    expect(m.failureCondition).toBe("len(result) > 0 && result[0] > 1");
    expect(counterAlertRule(check, r, SELECTOR, {}).expr).toMatch(/\)\[10m:30s\]\) > 1$/);
  });

  it("follows the scrape interval, and never outruns it", () => {
    const slow = rollbackChecks(resolveCanaryRollout(undefined, undefined, { scrapeIntervalSeconds: 60 }), { kind: "vllm" }).find((c) => c.source === "prometheus-counter") as ServerErrorCheck;
    expect(slow.intervalSeconds).toBe(60);
    expect(counterPeriodQuery(slow, SELECTOR)).toContain("offset 1m)");
    expect(counterPeriodQuery(slow, SELECTOR)).toMatch(/\* 1 >= 10\)$/);
  });

  /**
   * A canary that fails every request from t0 (ten requests a second, so a period meets the minimum
   * request count within a second of its start), scraped every `scrape` s from
   * `scrapePhase`, measured by Argo every period (a little more, as Argo waits `interval` after a
   * measurement finishes) from `measurePhase`: each measurement reads the counters' growth as the
   * rendered query does (latest sample at or before now minus latest at or before now - period, a
   * series without an older sample in full), and the analysis aborts on failureLimit + 1 failures.
   */
  function abortSeconds(scrape: number, failureLimit: number, scrapePhase: number, measurePhase: number, t0: number): number {
    const period = serverErrorIntervalSeconds(scrape);
    const samples: Array<{ t: number; errors: number; requests: number }> = [];
    for (let t = scrapePhase; t < t0 + 3600; t += scrape) {
      const n = Math.max(0, Math.floor((t - t0) * 10));
      if (n > 0) samples.push({ t, errors: n, requests: n }); // the series appear with the first failure
    }
    const at = (t: number) => [...samples].reverse().find((s) => s.t <= t);
    let failed = 0;
    for (let m = measurePhase; m < t0 + 3600; m += period + 0.05) {
      const now = at(m);
      if (!now) continue;
      const before = at(m - period);
      const errors = before ? now.errors - before.errors : now.errors;
      const requests = before ? now.requests - before.requests : now.requests;
      if (requests * (60 / period) < 10) continue; // inconclusive
      if ((100 * errors) / requests > 1 && ++failed > failureLimit) return m - t0;
    }
    throw new Error("never aborted");
  }

  it.each([
    [30, 1],
    [30, 0],
    [30, 3],
    [60, 1],
  ])("aborts a canary failing every request within serverErrorDetectionSeconds (scrape %i s, failureLimit %i)", (scrape, failureLimit) => {
    let worst = 0;
    for (let scrapePhase = 0; scrapePhase < scrape; scrapePhase += 3.7) {
      for (let measurePhase = 0; measurePhase < scrape; measurePhase += 4.3) {
        worst = Math.max(worst, abortSeconds(scrape, failureLimit, scrapePhase, measurePhase, 100.5));
      }
    }
    // Within a second (the minimum's requests, Argo's lag after each measurement) of the formula.
    expect(worst).toBeLessThanOrEqual(serverErrorDetectionSeconds(scrape, failureLimit) + 1);
    expect(worst).toBeGreaterThan(serverErrorDetectionSeconds(scrape, failureLimit) - scrape / 2);
    expect(serverErrorDetectionSeconds(30, 1)).toBe(90);
  });
});
