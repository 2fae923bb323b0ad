import type { IMetric } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric";
import { resolveCanaryRollout, ResolvedCanaryRollout } from "../../../lib/endpoint/canary-rollout";
import { ALB_METRIC_DELAY_SECONDS, CLOUDWATCH_JUDGED_MINUTE_AGE } from "../../../lib/endpoint/private/measurement";
import {
  alarmEvaluation,
  alarmMetricQueries,
  alertRule,
  analysisMetric,
  CloudWatchCheck,
  minuteQuery,
  NOT_JUDGED,
  POD_TEMPLATE_HASH_LABEL,
  prometheusAnalysisMetric,
  PrometheusCheck,
  rollbackCheckProblems,
  rollbackChecks,
  rollbackServerProblems,
  rulesFile,
} from "../../../lib/endpoint/private/rollback-checks";
import type { LatencyServer } from "../../../lib/endpoint/private/server-latency";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const VLLM: LatencyServer = { kind: "vllm" };
const SELECTOR = 'namespace="models",secure_inference_io_endpoint="chat"';

// ---------------------------------------------------------------------------------------------------
// A small model of what runs in AWS and in the Argo controller, driven by the rendered strings.
// ---------------------------------------------------------------------------------------------------

/** One minute of ALB traffic on a target group; ALB publishes a metric only for minutes that have some. */
interface Minute {
  readonly requests: number;
  readonly errors?: number;
}

/** Evaluates an Argo condition the way expr does for the operators these conditions use (len, index, &&, comparisons). */
function evalCondition(condition: string, result: unknown): boolean {
  return new Function("result", "len", `return (${condition});`)(result, (x: unknown[]) => x.length) as boolean;
}

/** Argo's EvaluateResult (utils/evaluate/evaluate.go@v1.8.3): failure first, then success, else inconclusive. */
function argoPhase(metric: IMetric, result: unknown): "Successful" | "Failed" | "Inconclusive" {
  if (evalCondition(metric.failureCondition!, result)) return "Failed";
  return evalCondition(metric.successCondition!, result) ? "Successful" : "Inconclusive";
}

/** Evaluates a CloudWatch metric-math expression for one period, per the documented FILL and IF semantics. */
function evalExpression(expression: string, vars: Record<string, number | undefined>): number | undefined {
  const FILL = (x: number | undefined, v: number) => x ?? v;
  const IF = (c: unknown, t: number | undefined, f: number | undefined) => (c ? t : f);
  const names = Object.keys(vars);
  return new Function(...names, "FILL", "IF", `return (${expression});`)(...names.map((n) => vars[n]), FILL, IF) as number | undefined;
}

/**
 * The judged series of an error-rate check for period `m` as CloudWatch would compute it at time
 * `now` (seconds): raw ALB metrics are visible only once published (`publishDelay(m)` after the minute closes).
 */
function seriesAt(check: CloudWatchCheck, minutes: Minute[], m: number, now: number, publishDelay: (m: number) => number): number | undefined {
  const published = m >= 0 && m < minutes.length && 60 * (m + 1) + publishDelay(m) <= now;
  const minute = published ? minutes[m] : undefined;
  const raw: Record<string, number | undefined> = {
    requests: minute && minute.requests > 0 ? minute.requests : undefined,
    errors: minute?.errors ? minute.errors : undefined,
    connerrors: undefined,
  };
  return evalExpression((check.queries[check.queries.length - 1] as { expression: string }).expression, raw);
}

/** GetMetricData for [now - interval, now) as Argo asks it: start rounded down to the minute, values newest first. */
function getMetricData(check: CloudWatchCheck, metric: IMetric, minutes: Minute[], now: number, publishDelay: (m: number) => number) {
  const interval = Number(/^(\d+)m$/.exec(metric.provider.cloudWatch!.interval!)![1]) * 60;
  const first = Math.floor((now - interval) / 60);
  const values: number[] = [];
  for (let m = Math.floor(now / 60); m >= first; m--) {
    if (60 * m >= now) continue;
    const v = seriesAt(check, minutes, m, now, publishDelay);
    if (v !== undefined) values.push(v);
  }
  return [{ Id: "rate", Values: values }];
}

/** One step's analysis run: `count` measurements, the first after initialDelay, then a little more than `interval` apart. */
function runAnalysis(check: CloudWatchCheck, r: ResolvedCanaryRollout, minutes: Minute[], stepStart: number, publishDelay: (m: number) => number = () => ALB_METRIC_DELAY_SECONDS) {
  const metric = analysisMetric(check, r);
  const phases: string[] = [];
  for (let k = 0; k < r.measurementsPerStep; k++) {
    const now = stepStart + 60 + k * 60.4;
    phases.push(argoPhase(metric, getMetricData(check, metric, minutes, now, publishDelay)));
  }
  const failed = phases.filter((p) => p === "Failed").length;
  const inconclusive = phases.filter((p) => p === "Inconclusive").length;
  const verdict = failed > r.failureLimit ? "Failed" : inconclusive > r.inconclusiveLimit ? "Inconclusive" : "Successful";
  return { phases, failed, inconclusive, verdict };
}

/** The alarm, evaluated once a minute over `until` seconds: ALARM when datapointsToAlarm of the last evaluationPeriods breach. */
function runAlarm(check: CloudWatchCheck, r: ResolvedCanaryRollout, minutes: Minute[], until: number) {
  const e = alarmEvaluation(r);
  let maxBreaching = 0;
  let alarmed = false;
  for (let now = 60; now <= until; now += 60) {
    const latest = Math.floor(now / 60) - 1;
    let breaching = 0;
    for (let m = latest - e.evaluationPeriods + 1; m <= latest; m++) {
      const v = seriesAt(check, minutes, m, now, () => ALB_METRIC_DELAY_SECONDS);
      // treatMissingData notBreaching: a missing value never breaches.
      if (v !== undefined && v > check.threshold) breaching++;
    }
    maxBreaching = Math.max(maxBreaching, breaching);
    if (breaching >= e.datapointsToAlarm) alarmed = true;
  }
  return { alarmed, maxBreaching };
}

const steady = (n: number, requests = 100): Minute[] => Array.from({ length: n }, () => ({ requests }));

describe("rollback checks", () => {
  const r = resolveCanaryRollout(undefined, { errorRatePercent: 2, p99LatencyMs: 20000, failureLimit: 2 });
  const checks = rollbackChecks(r, VLLM);
  const errorRate = checks[0] as CloudWatchCheck;
  const latency = checks.find((c) => c.source === "prometheus") as PrometheusCheck;

  it("takes each threshold from rollbackWhen, in the unit of its series, and judges vLLM latency from its own histogram", () => {
    expect(checks.map((c) => [c.name, c.source, c.threshold, c.unit])).toEqual([
      ["error-rate", "cloudwatch", 2, "%"],
      ["server-error-rate", "prometheus-counter", 2, "%"],
      ["p99-latency", "prometheus", 20, "s"],
    ]);
    expect(latency.histogram.name).toBe("vllm:e2e_request_latency_seconds");
    expect(latency.description).toMatch(/20 s is a bucket boundary: exact/);
  });

  it("renders the same queries, statistics and period for the Argo analysis and the alarm", () => {
    const analysis = analysisMetric(errorRate, r).provider.cloudWatch!.metricDataQueries.map((q: Json) =>
      q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metricStat.metric.metricName, stat: q.metricStat.stat, period: q.metricStat.period, namespace: q.metricStat.metric.namespace },
    );
    const alarm = alarmMetricQueries(errorRate, { LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" }).map((q) =>
      q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metric!.metricName, stat: q.metric!.stat, period: q.metric!.period, namespace: q.metric!.namespace },
    );
    expect(alarm).toEqual(analysis);
    expect(analysisMetric(errorRate, r).successCondition).toMatch(new RegExp(`<= ${errorRate.threshold}$`));
  });

  it("gates the error rate on the request count: a minute below minRequestsPerMinute is NOT_JUDGED, not a rate", () => {
    const rate = errorRate.queries.find((q) => q.returnData)!;
    expect(rate).toEqual({ id: "rate", expression: `IF(FILL(requests, 0) >= 10, 100 * (FILL(errors, 0) + FILL(connerrors, 0)) / FILL(requests, 0), ${NOT_JUDGED})`, returnData: true });
    expect(evalExpression((rate as Json).expression, { requests: 1, errors: 1, connerrors: undefined })).toBe(NOT_JUDGED);
    expect(evalExpression((rate as Json).expression, { requests: 200, errors: 3, connerrors: 1 })).toBe(2);
    expect(evalExpression((rate as Json).expression, { requests: undefined, errors: undefined, connerrors: undefined })).toBe(NOT_JUDGED);
  });

  it("puts the alarm on the given target group and returns exactly one series", () => {
    const queries = alarmMetricQueries(errorRate, { LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" });
    expect(queries.filter((q) => q.returnData)).toHaveLength(1);
    for (const q of queries.filter((x) => x.metric)) expect(q.metric!.dimensions).toEqual({ LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" });
  });

  it("judges only the oldest minute of a look-back that reaches exactly the published minute", () => {
    const m = analysisMetric(errorRate, r);
    expect(m.provider.cloudWatch!.interval).toBe(`${CLOUDWATCH_JUDGED_MINUTE_AGE}m`);
    expect(m.successCondition).toBe("len(result[0].Values) > 0 && result[0].Values[len(result[0].Values) - 1] >= 0 && result[0].Values[len(result[0].Values) - 1] <= 2");
    expect(m.failureCondition).toBe("len(result[0].Values) > 0 && result[0].Values[len(result[0].Values) - 1] > 2");
    expect(argoPhase(m, [{ Values: [] }])).toBe("Inconclusive");
    expect(argoPhase(m, [{ Values: [NOT_JUDGED, 50, NOT_JUDGED] }])).toBe("Inconclusive");
    expect(argoPhase(m, [{ Values: [NOT_JUDGED, 0, 50] }])).toBe("Failed");
    expect(argoPhase(m, [{ Values: [50, 50, 1] }])).toBe("Successful");
  });

  describe("one minute, one measurement (simulated against the rendered expression and conditions)", () => {
    const one = resolveCanaryRollout(undefined, { errorRatePercent: 1, failureLimit: 1 });
    const check = rollbackChecks(one, VLLM)[0] as CloudWatchCheck;
    const stepStart = 600;

    it("counts one bad minute once: one failed measurement, no abort, no alarm", () => {
      const minutes = steady(40);
      minutes[15] = { requests: 100, errors: 50 };
      const run = runAnalysis(check, one, minutes, stepStart);
      expect(run.failed).toBe(1);
      expect(run.verdict).toBe("Successful");
      const alarm = runAlarm(check, one, minutes, 40 * 60);
      expect(alarm).toEqual({ alarmed: false, maxBreaching: 1 });
    });

    it("never judges a minute twice, however late ALB publishes it", () => {
      for (const bad of [11, 12, 13, 14, 15, 16]) {
        const minutes = steady(40);
        minutes[bad] = { requests: 100, errors: 50 };
        // Publication anywhere between 5 s and 115 s after the minute closes, for the bad minute or the one
        // after it (judging the newest value counted a bad minute again while its successor was late):
        // a late minute is lost (inconclusive), never counted twice.
        for (const delay of [5, 30, 59, 60, 90, 115]) {
          for (const late of [bad, bad + 1]) {
            const run = runAnalysis(check, one, minutes, stepStart, (m) => (m === late ? delay : 30));
            expect(run.failed).toBeLessThanOrEqual(1);
          }
        }
      }
    });

    it("reads a minute with fewer requests than the minimum as inconclusive, not failed, and the alarm stays quiet", () => {
      // One request a minute, every one a 5xx: 100% errors, but never enough requests to judge.
      const minutes = Array.from({ length: 40 }, () => ({ requests: 1, errors: 1 }));
      const run = runAnalysis(check, one, minutes, stepStart);
      expect(run.failed).toBe(0);
      expect(run.inconclusive).toBe(one.measurementsPerStep);
      // More inconclusive minutes than half a step: Argo pauses the rollout for a human instead of promoting.
      expect(run.verdict).toBe("Inconclusive");
      expect(runAlarm(check, one, minutes, 40 * 60).alarmed).toBe(false);
    });

    it("aborts and alarms alike on two bad minutes of a step that are not consecutive", () => {
      const minutes = steady(40);
      minutes[11] = { requests: 100, errors: 5 };
      minutes[16] = { requests: 100, errors: 5 };
      expect(runAnalysis(check, one, minutes, stepStart).verdict).toBe("Failed");
      expect(runAlarm(check, one, minutes, 40 * 60).alarmed).toBe(true);
    });

    it("neither aborts a step nor alarms on two bad minutes further apart than a step", () => {
      const minutes = steady(60);
      minutes[11] = { requests: 100, errors: 5 };
      minutes[23] = { requests: 100, errors: 5 };
      expect(runAnalysis(check, one, minutes, stepStart).verdict).toBe("Successful");
      expect(runAnalysis(check, one, minutes, stepStart + one.stepSeconds).verdict).toBe("Successful");
      expect(runAlarm(check, one, minutes, 60 * 60).alarmed).toBe(false);
    });

    it("alarms on failureLimit + 1 of a step's minutes, consecutive or not", () => {
      expect(alarmEvaluation(one)).toEqual({ evaluationPeriods: 10, datapointsToAlarm: 2, treatMissingData: "notBreaching" });
      expect(alarmEvaluation(r)).toEqual({ evaluationPeriods: 10, datapointsToAlarm: 3, treatMissingData: "notBreaching" });
      expect(analysisMetric(check, one)).toMatchObject({ failureLimit: 1, count: 10, interval: "1m" });
    });
  });

  describe("latency from the server's histogram in AMP", () => {
    const analysis = prometheusAnalysisMetric(latency, r, SELECTOR, "https://aps.example/ws", "us-east-1");
    const rule = alertRule(latency, r, SELECTOR, { namespace: "models", endpoint: "chat" });

    it("reads the canary's p99 per minute with SigV4, kept only when enough requests completed", () => {
      const canary = `${SELECTOR},${POD_TEMPLATE_HASH_LABEL}="{{args.canary-hash}}"`;
      expect(analysis.provider.prometheus).toEqual({
        address: "https://aps.example/ws",
        query:
          `histogram_quantile(0.99, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{${canary}}[90s]))) and on () ` +
          `(sum (rate(vllm:e2e_request_latency_seconds_count{${canary}}[90s])) * 60 >= 10)`,
        authentication: { sigv4: { region: "us-east-1" } },
      });
      expect(analysis.successCondition).toBe("len(result) > 0 && result[0] <= 20");
      expect(analysis.failureCondition).toBe("len(result) > 0 && result[0] > 20");
      // No canary pods scraped, or too few requests: an empty vector, inconclusive.
      expect(argoPhase(analysis, [])).toBe("Inconclusive");
      expect(argoPhase(analysis, [NaN])).toBe("Inconclusive");
      expect(argoPhase(analysis, [25])).toBe("Failed");
    });

    it("builds the alert from the same per-minute series and threshold, per ReplicaSet, counting failed minutes as the analysis does", () => {
      const inner = minuteQuery(latency, SELECTOR, [POD_TEMPLATE_HASH_LABEL]);
      // More than failureLimit (2) of the step's 10 one-minute evaluations breach.
      expect(rule.expr).toBe(`count_over_time(((${inner}) > 20)[10m:1m]) > 2`);
      expect(inner).toBe(minuteQuery(latency, SELECTOR).replace("sum by (le)", `sum by (le, ${POD_TEMPLATE_HASH_LABEL})`).replace("and on ()", `and on (${POD_TEMPLATE_HASH_LABEL})`).replace("(sum (rate", `(sum by (${POD_TEMPLATE_HASH_LABEL}) (rate`));
      const threshold = Number(/> ([0-9.]+)\)\[/.exec(rule.expr)![1]);
      expect(threshold).toBe(Number(/<= ([0-9.]+)$/.exec(analysis.successCondition!)![1]));
      expect(rule.labels).toEqual({ namespace: "models", endpoint: "chat", check: "p99-latency" });
      expect(rule.alert).toBe("RollbackCheck_p99_latency");
    });

    it("writes the rules as a Prometheus rules file evaluated once a minute", () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yaml = require("js-yaml") as { load(s: string): Json };
      const file = yaml.load(rulesFile("ml-prod-models-chat-rollback-checks", [rule]));
      expect(file).toEqual({ groups: [{ name: "ml-prod-models-chat-rollback-checks", interval: "1m", rules: [rule] }] });
    });
  });

  describe("what each server can measure", () => {
    it("refuses thresholds outside the histogram's buckets", () => {
      const far = resolveCanaryRollout(undefined, { p99LatencyMs: 60000, timeToFirstTokenP99Ms: 0.5 });
      expect(rollbackCheckProblems(far, { kind: "triton", tritonBackend: "vllm" })).toEqual([
        "rollbackWhen.p99LatencyMs: 60000 ms cannot be measured on Triton (vllm backend): the largest finite bucket of vllm:e2e_request_latency_seconds is 60 s, and histogram_quantile reports 60 s for anything above it, so the check could never fail; use a threshold below 60000 ms",
        "rollbackWhen.timeToFirstTokenP99Ms: 0.5 ms cannot be measured on Triton (vllm backend): the smallest bucket of vllm:time_to_first_token_seconds is 0.001 s, and below it every latency interpolates from 0; use at least 1 ms",
      ]);
      // vLLM's own e2e buckets reach 7680 s: 60 s is fine there.
      expect(rollbackCheckProblems(far, VLLM)).toEqual([expect.stringMatching(/^rollbackWhen\.timeToFirstTokenP99Ms: 0\.5 ms/)]);
    });

    it("refuses latencies a server does not export, naming why", () => {
      const all = resolveCanaryRollout(undefined, { timeToFirstTokenP99Ms: 2000, interTokenLatencyP99Ms: 100 });
      expect(rollbackCheckProblems(all, { kind: "tgi" })).toEqual([
        "rollbackWhen.timeToFirstTokenP99Ms: the tgi server cannot measure it: TGI 3.3.6 exports no time-to-first-token metric; remove it, or serve with vLLM (or Triton's vLLM backend)",
        "rollbackWhen.interTokenLatencyP99Ms: the tgi server cannot measure it: TGI 3.3.6 exports only tgi_request_mean_time_per_token_duration, a per-request mean that includes the prefill, not the gap between tokens; remove it, or serve with vLLM (or Triton's vLLM backend)",
      ]);
      expect(rollbackCheckProblems(all, { kind: "custom" })).toHaveLength(2);
      expect(rollbackCheckProblems(all, { kind: "triton", tritonBackend: "python" })[0]).toMatch(/Triton \(python backend\) server cannot measure it: .*decoupled models only/);
      expect(rollbackCheckProblems(all, { kind: "triton", tritonBackend: "vllm" })).toEqual([]);
      expect(rollbackCheckProblems(all, VLLM)).toEqual([]);
    });

    it("checks the props as given for the resolver, leaving non-positive values to validateCanaryRollout", () => {
      expect(rollbackServerProblems({ timeToFirstTokenP99Ms: 500 }, { kind: "tgi" })).toEqual([expect.stringMatching(/^rollbackWhen\.timeToFirstTokenP99Ms: the tgi server cannot measure it/)]);
      expect(rollbackServerProblems({ p99LatencyMs: -5 }, VLLM)).toEqual([]);
      expect(rollbackServerProblems(undefined, { kind: "triton", tritonBackend: "vllm" })).toEqual([]);
    });

    it("says when a threshold between two buckets is interpolated", () => {
      const c = rollbackChecks(resolveCanaryRollout(undefined, { p99LatencyMs: 2000 }), { kind: "tgi" }).find((x) => x.name === "p99-latency") as PrometheusCheck;
      expect(c.histogram.name).toBe("tgi_request_duration");
      expect(c.description).toMatch(/interpolated by histogram_quantile between the 1\.6834 s and 2\.5251 s buckets/);
    });

    it("falls back to the ALB's time to first byte, gated the same way, for servers without a latency histogram", () => {
      const [, alb] = rollbackChecks(r, { kind: "custom" }) as CloudWatchCheck[];
      expect(alb.source).toBe("cloudwatch");
      expect(alb.queries.map((q) => ("expression" in q ? q.expression : `${q.metricName}:${q.stat}`))).toEqual([
        "RequestCount:Sum",
        "TargetResponseTime:p99",
        `IF(FILL(requests, 0) >= 10, FILL(latency, ${NOT_JUDGED}), ${NOT_JUDGED})`,
      ]);
      expect(alb.description).toMatch(/the full latency only for responses that are not streamed/);
    });
  });
});
