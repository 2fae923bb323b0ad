import { resolveCanaryRollout } from "../../../lib/endpoint/canary-rollout";
import { alarmMetricQueries, alarmPeriods, analysisMetric, cloudWatchChecks, ttftMetric } from "../../../lib/endpoint/private/rollback-checks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("rollback checks", () => {
  const r = resolveCanaryRollout(undefined, { errorRatePercent: 2, p99LatencyMs: 20000, failureLimit: 2 });
  const checks = cloudWatchChecks(r);

  it("takes each threshold from rollbackWhen, in the unit of its metric", () => {
    expect(checks.map((c) => [c.name, c.threshold, c.unit])).toEqual([
      ["error-rate", 2, "%"],
      ["p99-latency", 20, "s"],
    ]);
  });

  it("renders the same queries, statistics and period for the Argo analysis and the alarm", () => {
    for (const check of checks) {
      const analysis = analysisMetric(check, r).provider.cloudWatch!.metricDataQueries.map((q: Json) =>
        q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metricStat.metric.metricName, stat: q.metricStat.stat, period: q.metricStat.period, namespace: q.metricStat.metric.namespace },
      );
      const alarm = alarmMetricQueries(check, { LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" }).map((q) =>
        q.expression ? { id: q.id, expression: q.expression } : { id: q.id, metric: q.metric!.metricName, stat: q.metric!.stat, period: q.metric!.period, namespace: q.metric!.namespace },
      );
      expect(alarm).toEqual(analysis);
      expect(analysisMetric(check, r).successCondition).toMatch(new RegExp(`<= ${check.threshold}$`));
    }
  });

  it("puts the alarm on the given target group and returns exactly one series", () => {
    const queries = alarmMetricQueries(checks[0], { LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" });
    expect(queries.filter((q) => q.returnData)).toHaveLength(1);
    for (const q of queries.filter((x) => x.metric)) expect(q.metric!.dimensions).toEqual({ LoadBalancer: "app/lb/1", TargetGroup: "targetgroup/tg/2" });
  });

  it("makes the alarm wait as many failed minutes as abort a step", () => {
    expect(alarmPeriods(r)).toBe(3);
    expect(analysisMetric(checks[0], r).failureLimit).toBe(2);
  });

  it("checks time to first token in seconds against the threshold in milliseconds", () => {
    const m = ttftMetric(r, 1500, "q", "https://aps.example/ws", "us-east-1");
    expect(m.successCondition).toBe("len(result) > 0 && result[0] <= 1.5");
    expect(m.provider.prometheus).toEqual({ address: "https://aps.example/ws", query: "q", authentication: { sigv4: { region: "us-east-1" } } });
  });
});
