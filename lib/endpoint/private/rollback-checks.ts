/*
 * One definition of each rollback condition (`rollbackWhen`), rendered twice: as an Argo Rollouts
 * AnalysisTemplate metric (CloudWatch or Prometheus provider), which aborts the canary, and as the
 * queries of an `aws_cloudwatch_metric_alarm` (alarms.ts) on the same metric, statistic, period and
 * threshold. Tests compare the two renderings.
 */
import type { CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import type { IMetric } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric";
import { MEASUREMENT_INTERVAL_SECONDS, ResolvedCanaryRollout } from "../canary-rollout";

/** Argo analysis arguments the Rollout fills from its own status (Argo Rollouts >= 1.5: status.alb). */
export const ANALYSIS_ARGS = {
  loadBalancer: "load-balancer",
  targetGroup: "canary-target-group",
  canaryHash: "canary-hash",
} as const;

/** One CloudWatch GetMetricData query, in the provider-neutral shape both renderings start from: a math expression or an ALB metric. */
export type MetricQuery =
  | { readonly id: string; readonly expression: string; readonly returnData: boolean }
  | { readonly id: string; readonly metricName: string; readonly stat: string; readonly returnData: boolean };

/** A rollback condition on ALB metrics of one target group. */
export interface CloudWatchCheck {
  /** Metric name in the analysis, and alarm suffix. */
  readonly name: string;
  /** What it measures, for alarm descriptions. */
  readonly description: string;
  /** Threshold in the query's unit. */
  readonly threshold: number;
  /** Unit of the threshold, for messages. */
  readonly unit: string;
  /** Queries; exactly one returns data. */
  readonly queries: MetricQuery[];
}

/** ALB namespace in CloudWatch. */
export const ALB_NAMESPACE = "AWS/ApplicationELB";

/** The CloudWatch checks of a rollout policy. */
export function cloudWatchChecks(r: ResolvedCanaryRollout): CloudWatchCheck[] {
  return [
    {
      name: "error-rate",
      description: `more than ${r.errorRatePercent}% of requests fail (target 5xx + connection errors) in a minute`,
      threshold: r.errorRatePercent,
      unit: "%",
      queries: [
        { id: "requests", metricName: "RequestCount", stat: "Sum", returnData: false },
        { id: "errors", metricName: "HTTPCode_Target_5XX_Count", stat: "Sum", returnData: false },
        // A crashing canary answers nothing: the ALB counts failed connections, not target 5xx.
        { id: "connerrors", metricName: "TargetConnectionErrorCount", stat: "Sum", returnData: false },
        // ALB publishes an error metric only for minutes that had errors: FILL keeps the rate defined.
        { id: "rate", expression: "100 * (FILL(errors, 0) + FILL(connerrors, 0)) / requests", returnData: true },
      ],
    },
    {
      name: "p99-latency",
      description: `p99 target response time above ${r.p99LatencyMs} ms in a minute`,
      threshold: r.p99LatencyMs / 1000,
      unit: "s",
      queries: [{ id: "latency", metricName: "TargetResponseTime", stat: "p99", returnData: true }],
    },
  ];
}

/**
 * Condition text shared by every metric: no data is neither success nor failure (inconclusive), and
 * only the newest value is judged, so one bad minute counts once (as in the alarm), not once per
 * measurement whose window still holds it. GetMetricData returns values newest first by default.
 */
function conditions(values: string, threshold: number): { successCondition: string; failureCondition: string } {
  return {
    successCondition: `len(${values}) > 0 && ${values}[0] <= ${threshold}`,
    failureCondition: `len(${values}) > 0 && ${values}[0] > ${threshold}`,
  };
}

/** The Argo metric for a CloudWatch check of the canary target group (dimensions from analysis args). */
export function analysisMetric(check: CloudWatchCheck, r: ResolvedCanaryRollout): IMetric {
  return {
    name: check.name,
    // The first minute after a weight change has no datapoint yet: start measuring a minute in, so
    // `count` one-minute measurements make the step last stepDuration.
    initialDelay: `${MEASUREMENT_INTERVAL_SECONDS / 60}m`,
    interval: `${MEASUREMENT_INTERVAL_SECONDS / 60}m`,
    count: r.measurementsPerStep,
    failureLimit: r.failureLimit,
    inconclusiveLimit: r.inconclusiveLimit,
    consecutiveErrorLimit: 3,
    ...conditions("result[0].Values", check.threshold),
    provider: {
      cloudWatch: {
        // Each measurement reads the last 3 one-minute datapoints: a bad minute is seen even when publication lags.
        interval: "3m",
        metricDataQueries: check.queries.map((q) =>
          "expression" in q
            ? { id: q.id, expression: q.expression, returnData: q.returnData }
            : {
                id: q.id,
                metricStat: {
                  metric: {
                    namespace: ALB_NAMESPACE,
                    metricName: q.metricName,
                    // Argo's status.alb fullName values lack the type prefix CloudWatch dimensions carry
                    // ("app/", "targetgroup/"); argo-rollouts#2589 prepends them the same way.
                    dimensions: [
                      { name: "LoadBalancer", value: `app/{{args.${ANALYSIS_ARGS.loadBalancer}}}` },
                      { name: "TargetGroup", value: `targetgroup/{{args.${ANALYSIS_ARGS.targetGroup}}}` },
                    ],
                  },
                  period: MEASUREMENT_INTERVAL_SECONDS,
                  stat: q.stat,
                },
                returnData: q.returnData,
              },
        ),
      },
    },
  };
}

/** The alarm's rendering of a check: the same queries, statistics and period on one target group's dimensions. */
export function alarmMetricQueries(check: CloudWatchCheck, dimensions: { readonly LoadBalancer: string; readonly TargetGroup: string }): CloudwatchMetricAlarmMetricQuery[] {
  return check.queries.map((q) =>
    "expression" in q
      ? { id: q.id, expression: q.expression, returnData: q.returnData, label: check.name }
      : {
          id: q.id,
          returnData: q.returnData,
          metric: { namespace: ALB_NAMESPACE, metricName: q.metricName, period: MEASUREMENT_INTERVAL_SECONDS, stat: q.stat, dimensions: { ...dimensions } },
        },
  );
}

/** One-minute periods an alarm must breach: Argo aborts after failureLimit + 1 failed measurements, and the alarm waits as long. */
export function alarmPeriods(r: ResolvedCanaryRollout): number {
  return r.failureLimit + 1;
}

/** PromQL of the canary's p99 time to first token, in seconds. */
export function ttftQuery(histogram: string, selector: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(${histogram}_bucket{${selector},rollouts_pod_template_hash="{{args.${ANALYSIS_ARGS.canaryHash}}}"}[2m])))`;
}

/** The Argo metric for time to first token above `thresholdMs` (`rollbackWhen.timeToFirstTokenP99Ms`), read from AMP with SigV4. */
export function ttftMetric(r: ResolvedCanaryRollout, thresholdMs: number, query: string, prometheusAddress: string, region: string): IMetric {
  const threshold = thresholdMs / 1000;
  return {
    name: "ttft-p99",
    initialDelay: `${MEASUREMENT_INTERVAL_SECONDS / 60}m`,
    interval: `${MEASUREMENT_INTERVAL_SECONDS / 60}m`,
    count: r.measurementsPerStep,
    failureLimit: r.failureLimit,
    inconclusiveLimit: r.inconclusiveLimit,
    consecutiveErrorLimit: 3,
    // histogram_quantile gives NaN without requests; NaN passes neither condition, so it is inconclusive.
    ...conditions("result", threshold),
    provider: { prometheus: { address: prometheusAddress, query, authentication: { sigv4: { region } } } },
  };
}

/** The AnalysisTemplate Argo runs at every step. */
export function rollbackAnalysisTemplate(name: string, namespace: string, metrics: IMetric[], labels: Record<string, string>): IAnalysisTemplate {
  const args: Array<{ name: string }> = [{ name: ANALYSIS_ARGS.loadBalancer }, { name: ANALYSIS_ARGS.targetGroup }];
  if (metrics.some((m) => m.provider.prometheus)) args.push({ name: ANALYSIS_ARGS.canaryHash });
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name, namespace, labels },
    spec: { args, metrics },
  };
}
