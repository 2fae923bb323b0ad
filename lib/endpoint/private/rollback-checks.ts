/*
 * One definition of each rollback condition (`rollbackWhen`), rendered twice: as an Argo Rollouts
 * AnalysisTemplate metric, which aborts the canary, and as an alarm, which notifies the cluster's
 * topic: a CloudWatch alarm for checks on ALB metrics (errors, and latency for servers without a
 * latency histogram), an AMP alerting rule for checks on the server's own latency histograms (AMP's
 * alert manager sends it to the same topic). Both renderings read the same one-minute series, with
 * the same minimum request count, against the same threshold, and fire on the same count: more than
 * failureLimit failed minutes among a step's minutes, consecutive or not.
 *
 * Argo's semantics relied on (argoproj/argo-rollouts@v1.8.3): a measurement whose success and failure
 * conditions are both false is Inconclusive (utils/evaluate/evaluate.go, EvaluateResult); the metric
 * fails when the failed measurements exceed failureLimit, counted over the run, and is Inconclusive
 * when the inconclusive ones exceed inconclusiveLimit (analysis/analysis.go,
 * assessMetricFailureInconclusiveOrError); the next measurement runs once `interval` has passed since
 * the last one finished (analysis.go, generateMetricTasks), so measurements are a little more than a
 * period apart and never judge one minute twice. The Prometheus provider passes an instant vector as a
 * list of floats, empty when the query returns nothing (metricproviders/prometheus/prometheus.go,
 * processResponse); the CloudWatch provider passes the GetMetricData results (MetricDataResults, values
 * newest first) for [now - interval, now) (metricproviders/cloudwatch/cloudwatch.go).
 */
import type { CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { IAnalysisTemplate } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate";
import type { IMetric } from "@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric";
import { resolveCanaryRollout, type ResolvedCanaryRollout, type RollbackConditions } from "../canary-rollout";
import { cloudWatchLookbackSeconds, durationString, MEASUREMENT_INTERVAL_SECONDS, prometheusWindowSeconds, serverErrorIntervalSeconds } from "./measurement";
import { serverErrorCounter, ServerErrorCounter } from "./server-errors";
import { bucketFit, LatencyMeasure, LatencyServer, latencySource, seconds, ServerHistogram } from "./server-latency";

/** Argo analysis arguments the Rollout fills from its own status (Argo Rollouts >= 1.5: status.alb). */
export const ANALYSIS_ARGS = {
  loadBalancer: "load-balancer",
  targetGroup: "canary-target-group",
  canaryHash: "canary-hash",
} as const;

/** The label the scraper gives each pod's ReplicaSet hash (pod label rollouts-pod-template-hash), which tells canary from stable. */
export const POD_TEMPLATE_HASH_LABEL = "rollouts_pod_template_hash";

/** The value a CloudWatch series carries for a minute with too few requests to judge: below any threshold, and not a measurement. */
export const NOT_JUDGED = -1;

/** One CloudWatch GetMetricData query, in the provider-neutral shape both renderings start from: a math expression or an ALB metric. */
export type MetricQuery =
  | { readonly id: string; readonly expression: string; readonly returnData: boolean }
  | { readonly id: string; readonly metricName: string; readonly stat: string; readonly returnData: boolean };

/** A rollback condition on ALB metrics of one target group, judged per minute. */
export interface CloudWatchCheck {
  readonly source: "cloudwatch";
  /** Metric name in the analysis, and alarm suffix. */
  readonly name: string;
  /** What it measures, for alarm descriptions. */
  readonly description: string;
  /** Threshold in the series' unit. */
  readonly threshold: number;
  /** Unit of the threshold, for messages. */
  readonly unit: string;
  /** Queries; exactly one (the last) returns data: the judged series, NOT_JUDGED for a minute below the minimum request count. */
  readonly queries: MetricQuery[];
}

/** A rollback condition on a latency histogram the server exports, read from AMP, judged per minute. */
export interface PrometheusCheck {
  readonly source: "prometheus";
  /** Metric name in the analysis, and alert label. */
  readonly name: string;
  /** What it measures, for alert descriptions. */
  readonly description: string;
  /** Threshold in seconds (the histogram's unit). */
  readonly threshold: number;
  readonly unit: "s";
  /** The histogram. */
  readonly histogram: ServerHistogram;
  /** Fewest completed requests in a minute for it to be judged. */
  readonly minRequestsPerMinute: number;
  /** Range of the rate() windows, in seconds. */
  readonly windowSeconds: number;
}

/**
 * A rollback condition on the server's own counters of requests and failed requests, read from AMP,
 * judged per period of one scrape interval (serverErrorIntervalSeconds): faster than the ALB's
 * error rate, which stays as the slower safety net (it also sees connection errors of a crashed pod).
 */
export interface ServerErrorCheck {
  readonly source: "prometheus-counter";
  /** Metric name in the analysis, and alert label. */
  readonly name: string;
  /** What it measures, for alert descriptions. */
  readonly description: string;
  /** Threshold in percent of requests, the ALB check's. */
  readonly threshold: number;
  readonly unit: "%";
  /** The counters. */
  readonly counter: ServerErrorCounter;
  /** Fewest requests per minute (counted over the period, scaled to a minute) for a period to be judged: the ALB check's. */
  readonly minRequestsPerMinute: number;
  /** Length of a judged period and the interval between measurements, seconds. */
  readonly intervalSeconds: number;
}

/** A rollback condition. */
export type RollbackCheck = CloudWatchCheck | PrometheusCheck | ServerErrorCheck;

/** ALB namespace in CloudWatch. */
export const ALB_NAMESPACE = "AWS/ApplicationELB";

/** The latency conditions of a policy: which rollbackWhen property, which measure, which check name. */
const LATENCY_CONDITIONS: ReadonlyArray<{ readonly prop: string; readonly measure: LatencyMeasure; readonly name: string; readonly what: string; readonly ms: (r: ResolvedCanaryRollout) => number | undefined }> = [
  { prop: "p99LatencyMs", measure: "e2e", name: "p99-latency", what: "p99 end-to-end latency", ms: (r) => r.p99LatencyMs },
  { prop: "timeToFirstTokenP99Ms", measure: "ttft", name: "ttft-p99", what: "p99 time to first token", ms: (r) => r.timeToFirstTokenP99Ms },
  { prop: "interTokenLatencyP99Ms", measure: "itl", name: "itl-p99", what: "p99 inter-token latency", ms: (r) => r.interTokenLatencyP99Ms },
];

/**
 * Conditions the server cannot measure: a latency it exports no histogram for, or a threshold outside
 * its histogram's buckets. Each "rollbackWhen.<prop>: message", [] when every condition is measurable.
 */
export function rollbackCheckProblems(r: ResolvedCanaryRollout, server: LatencyServer): string[] {
  const problems: string[] = [];
  const serverName = server.kind === "triton" ? `Triton (${server.tritonBackend ?? "unknown"} backend)` : server.kind;
  for (const c of LATENCY_CONDITIONS) {
    const ms = c.ms(r);
    // Missing, or not a positive number (validateCanaryRollout reports that, and a token is unknown until apply).
    if (ms === undefined || !Number.isFinite(ms) || ms <= 0) continue;
    const source = latencySource(server, c.measure);
    if (source.kind === "none") {
      problems.push(`rollbackWhen.${c.prop}: the ${serverName} server cannot measure it: ${source.why}; remove it, or serve with vLLM (or Triton's vLLM backend)`);
    } else if (source.kind === "histogram") {
      const h = source.histogram;
      const fit = bucketFit(ms / 1000, h.buckets);
      if (fit.fit === "above-range") {
        problems.push(`rollbackWhen.${c.prop}: ${ms} ms cannot be measured on ${serverName}: the largest finite bucket of ${h.name} is ${seconds(fit.largest)}, and histogram_quantile reports ${seconds(fit.largest)} for anything above it, so the check could never fail; use a threshold below ${fit.largest * 1000} ms`);
      } else if (fit.fit === "below-range") {
        problems.push(`rollbackWhen.${c.prop}: ${ms} ms cannot be measured on ${serverName}: the smallest bucket of ${h.name} is ${seconds(fit.smallest)}, and below it every latency interpolates from 0; use at least ${fit.smallest * 1000} ms`);
      }
    }
  }
  return problems;
}

/**
 * rollbackCheckProblems for the props as given, for the endpoint's resolver to collect with the other
 * props problems: `server` is the rendered server's identity (latencyServerOf(container)).
 */
export function rollbackServerProblems(rollback: RollbackConditions | undefined, server: LatencyServer): string[] {
  return rollbackCheckProblems(resolveCanaryRollout(undefined, rollback), server);
}

/** The checks of a rollout policy for a server, in the order the analysis lists them; call rollbackCheckProblems first (unmeasurable conditions are left out). */
export function rollbackChecks(r: ResolvedCanaryRollout, server: LatencyServer): RollbackCheck[] {
  const min = r.minRequestsPerMinute;
  const checks: RollbackCheck[] = [
    {
      source: "cloudwatch",
      name: "error-rate",
      description: `more than ${r.errorRatePercent}% of requests fail (target 5xx + connection errors) in a minute of at least ${min} requests`,
      threshold: r.errorRatePercent,
      unit: "%",
      queries: [
        { id: "requests", metricName: "RequestCount", stat: "Sum", returnData: false },
        { id: "errors", metricName: "HTTPCode_Target_5XX_Count", stat: "Sum", returnData: false },
        // A crashing canary answers nothing: the ALB counts failed connections, not target 5xx.
        { id: "connerrors", metricName: "TargetConnectionErrorCount", stat: "Sum", returnData: false },
        // ALB publishes a metric only for minutes that had some, and FILL fills every period of the
        // range (so the oldest value is the oldest minute); a quiet minute is NOT_JUDGED, not a rate.
        { id: "rate", expression: `IF(FILL(requests, 0) >= ${min}, 100 * (FILL(errors, 0) + FILL(connerrors, 0)) / FILL(requests, 0), ${NOT_JUDGED})`, returnData: true },
      ],
    },
  ];
  const counter = serverErrorCounter(server);
  if (counter) {
    const interval = serverErrorIntervalSeconds(r.scrapeIntervalSeconds);
    checks.push({
      source: "prometheus-counter",
      name: "server-error-rate",
      description: `more than ${r.errorRatePercent}% of requests fail (${counter.observes}) in a ${interval} s period of at least ${min} requests per minute`,
      threshold: r.errorRatePercent,
      unit: "%",
      counter,
      minRequestsPerMinute: min,
      intervalSeconds: interval,
    });
  }
  for (const c of LATENCY_CONDITIONS) {
    const ms = c.ms(r);
    if (ms === undefined) continue;
    const source = latencySource(server, c.measure);
    const threshold = ms / 1000;
    if (source.kind === "histogram") {
      const h = source.histogram;
      const fit = bucketFit(threshold, h.buckets);
      if (fit.fit === "above-range" || fit.fit === "below-range") continue;
      const how = fit.fit === "boundary" ? `${seconds(threshold)} is a bucket boundary: exact` : `interpolated by histogram_quantile between the ${seconds(fit.below)} and ${seconds(fit.above)} buckets`;
      checks.push({
        source: "prometheus",
        name: c.name,
        description: `${c.what} (${h.name}: ${h.observes}) above ${ms} ms in a minute of at least ${min} completed requests (${how})`,
        threshold,
        unit: "s",
        histogram: h,
        minRequestsPerMinute: min,
        windowSeconds: prometheusWindowSeconds(r.scrapeIntervalSeconds),
      });
    } else if (source.kind === "alb") {
      checks.push({
        source: "cloudwatch",
        name: c.name,
        description: `p99 target response time (to the first response byte: the full latency only for responses that are not streamed) above ${ms} ms in a minute of at least ${min} requests`,
        threshold,
        unit: "s",
        queries: [
          { id: "requests", metricName: "RequestCount", stat: "Sum", returnData: false },
          { id: "latency", metricName: "TargetResponseTime", stat: "p99", returnData: false },
          { id: "p99", expression: `IF(FILL(requests, 0) >= ${min}, FILL(latency, ${NOT_JUDGED}), ${NOT_JUDGED})`, returnData: true },
        ],
      });
    }
  }
  return checks;
}

/** Measurement schedule shared by every metric: one a minute for the step, starting a minute in. */
function schedule(r: ResolvedCanaryRollout): Pick<IMetric, "initialDelay" | "interval" | "count" | "failureLimit" | "inconclusiveLimit" | "consecutiveErrorLimit"> {
  const period = durationString(MEASUREMENT_INTERVAL_SECONDS);
  return {
    // The first minute after a weight change has no datapoint yet: start measuring a minute in, so
    // `count` one-minute measurements make the step last stepDuration.
    initialDelay: period,
    interval: period,
    count: r.measurementsPerStep,
    failureLimit: r.failureLimit,
    inconclusiveLimit: r.inconclusiveLimit,
    consecutiveErrorLimit: 3,
  };
}

/**
 * Conditions of a CloudWatch check: only the oldest value of the look-back is judged (the judged
 * minute, see measurement.ts), so each minute is judged by one measurement; no values, or
 * NOT_JUDGED, pass neither condition: inconclusive.
 */
export function cloudWatchConditions(threshold: number): { successCondition: string; failureCondition: string } {
  const values = "result[0].Values";
  const judged = `${values}[len(${values}) - 1]`;
  return {
    successCondition: `len(${values}) > 0 && ${judged} >= 0 && ${judged} <= ${threshold}`,
    failureCondition: `len(${values}) > 0 && ${judged} > ${threshold}`,
  };
}

/** Conditions of a Prometheus check: an empty result (too few requests, no canary pods scraped) passes neither: inconclusive. */
export function prometheusConditions(threshold: number): { successCondition: string; failureCondition: string } {
  return {
    successCondition: `len(result) > 0 && result[0] <= ${threshold}`,
    failureCondition: `len(result) > 0 && result[0] > ${threshold}`,
  };
}

/** The Argo metric for a CloudWatch check of the canary target group (dimensions from analysis args). */
export function analysisMetric(check: CloudWatchCheck, r: ResolvedCanaryRollout): IMetric {
  return {
    name: check.name,
    ...schedule(r),
    ...cloudWatchConditions(check.threshold),
    provider: {
      cloudWatch: {
        interval: durationString(cloudWatchLookbackSeconds()),
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

/** The alarm's rendering of a CloudWatch check: the same queries, statistics and period on one target group's dimensions. */
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

/**
 * How many one-minute periods an alarm looks at, and how many must breach: Argo aborts after more than
 * failureLimit failed measurements among a step's, consecutive or not, so the alarm fires when
 * failureLimit + 1 of the last measurementsPerStep minutes breach (an "M out of N" alarm). A quiet
 * minute is NOT_JUDGED (below every threshold), and missing data is not breaching: neither counts.
 */
export function alarmEvaluation(r: ResolvedCanaryRollout): { evaluationPeriods: number; datapointsToAlarm: number; treatMissingData: "notBreaching" } {
  return { evaluationPeriods: r.measurementsPerStep, datapointsToAlarm: r.failureLimit + 1, treatMissingData: "notBreaching" };
}

/**
 * PromQL of a Prometheus check's judged series for the minute ending at evaluation time: the p99 of
 * the histogram over the window, kept only when at least minRequestsPerMinute requests completed
 * (rate() per second times 60). `by` adds grouping labels (the alert judges each ReplicaSet apart).
 */
export function minuteQuery(check: PrometheusCheck, selector: string, by: readonly string[] = []): string {
  const w = durationString(check.windowSeconds);
  const h = check.histogram.name;
  const on = by.join(", ");
  const perMinute = `sum${by.length > 0 ? ` by (${on})` : ""} (rate(${h}_count{${selector}}[${w}])) * ${MEASUREMENT_INTERVAL_SECONDS}`;
  return `histogram_quantile(0.99, sum by (${["le", ...by].join(", ")}) (rate(${h}_bucket{${selector}}[${w}]))) and on (${on}) (${perMinute} >= ${check.minRequestsPerMinute})`;
}

/** The Argo metric for a Prometheus check of the canary's pods, read from AMP with SigV4. */
export function prometheusAnalysisMetric(check: PrometheusCheck, r: ResolvedCanaryRollout, selector: string, prometheusAddress: string, region: string): IMetric {
  const canary = `${selector},${POD_TEMPLATE_HASH_LABEL}="{{args.${ANALYSIS_ARGS.canaryHash}}}"`;
  return {
    name: check.name,
    ...schedule(r),
    ...prometheusConditions(check.threshold),
    provider: { prometheus: { address: prometheusAddress, query: minuteQuery(check, canary), authentication: { sigv4: { region } } } },
  };
}

/** Measurement schedule of a server error-rate check: one a period for the step, starting a period in. */
function counterSchedule(check: ServerErrorCheck, r: ResolvedCanaryRollout): Pick<IMetric, "initialDelay" | "interval" | "count" | "failureLimit" | "inconclusiveLimit" | "consecutiveErrorLimit"> {
  const period = durationString(check.intervalSeconds);
  const count = Math.max(1, Math.floor(r.stepSeconds / check.intervalSeconds));
  return {
    initialDelay: period,
    interval: period,
    count,
    failureLimit: r.failureLimit,
    inconclusiveLimit: Math.floor(count / 2),
    consecutiveErrorLimit: 3,
  };
}

/**
 * A counter's growth over the period ending at evaluation time, per series: its value now minus its
 * value a period ago (the latest samples at or before each time), so consecutive periods partition the
 * increments exactly. A series with no sample a period ago (it first appeared: counters start at 0) or
 * that went down (the process restarted) counts its whole value.
 */
function counterIncrease(metric: string, selector: string, periodSeconds: number): string {
  const series = `${metric}{${selector}}`;
  return `((${series} - ${series} offset ${durationString(periodSeconds)}) >= 0 or ${series})`;
}

/**
 * PromQL of a server error-rate check's judged series for the period ending at evaluation time: failed
 * requests in percent of requests, kept only when the requests come to at least minRequestsPerMinute
 * a minute. No failed-request series at all (no failure yet) is 0 %, not missing. `by` adds grouping
 * labels (the alert judges each ReplicaSet apart).
 */
export function counterPeriodQuery(check: ServerErrorCheck, selector: string, by: readonly string[] = []): string {
  const on = by.join(", ");
  const sum = by.length > 0 ? `sum by (${on})` : "sum";
  const join = (a: string, b: string) => [a, b].filter((x) => x.length > 0).join(",");
  const requests = `${sum} (${counterIncrease(check.counter.requests.metric, join(selector, check.counter.requests.matchers), check.intervalSeconds)})`;
  const errors = `${sum} (${counterIncrease(check.counter.errors.metric, join(selector, check.counter.errors.matchers), check.intervalSeconds)})`;
  const perMinute = `${requests} * ${MEASUREMENT_INTERVAL_SECONDS / check.intervalSeconds}`;
  return `(100 * (${errors} or ${requests} * 0) / ${requests}) and on (${on}) (${perMinute} >= ${check.minRequestsPerMinute})`;
}

/** The Argo metric for a server error-rate check of the canary's pods, read from AMP with SigV4. */
export function counterAnalysisMetric(check: ServerErrorCheck, r: ResolvedCanaryRollout, selector: string, prometheusAddress: string, region: string): IMetric {
  const canary = `${selector},${POD_TEMPLATE_HASH_LABEL}="{{args.${ANALYSIS_ARGS.canaryHash}}}"`;
  return {
    name: check.name,
    ...counterSchedule(check, r),
    ...prometheusConditions(check.threshold),
    provider: { prometheus: { address: prometheusAddress, query: counterPeriodQuery(check, canary), authentication: { sigv4: { region } } } },
  };
}

/** An AMP (Prometheus) alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * The alerting rule of a Prometheus check, for every ReplicaSet of the endpoint (canary and stable):
 * the judged series per minute (a subquery at the period's resolution, aligned so each minute is
 * evaluated once) over the last measurementsPerStep minutes, firing when more than failureLimit of
 * them breach: the analysis's count, on the same series and threshold.
 */
export function alertRule(check: PrometheusCheck, r: ResolvedCanaryRollout, selector: string, labels: Record<string, string>): AlertRule {
  // Parenthesized: PromQL's > binds tighter than `and`.
  const bad = `(${minuteQuery(check, selector, [POD_TEMPLATE_HASH_LABEL])}) > ${check.threshold}`;
  const range = `${durationString(r.measurementsPerStep * MEASUREMENT_INTERVAL_SECONDS)}:${durationString(MEASUREMENT_INTERVAL_SECONDS)}`;
  return {
    alert: `RollbackCheck_${check.name.replace(/-/g, "_")}`,
    expr: `count_over_time((${bad})[${range}]) > ${r.failureLimit}`,
    labels: { ...labels, check: check.name },
    annotations: {
      summary: `${check.name} failed in more than ${r.failureLimit} of the last ${r.measurementsPerStep} minutes`,
      description: `ReplicaSet {{ $labels.${POD_TEMPLATE_HASH_LABEL} }}: ${check.description}, in {{ $value }} of the last ${r.measurementsPerStep} minutes. The same series and threshold abort a canary rollout in Argo Rollouts.`,
    },
  };
}

/**
 * The alerting rule of a server error-rate check, for every ReplicaSet of the endpoint: the judged
 * series per period (a subquery at the period's resolution, so each period is evaluated once) over the
 * step's length, firing when more than failureLimit periods breach: the analysis's count.
 */
export function counterAlertRule(check: ServerErrorCheck, r: ResolvedCanaryRollout, selector: string, labels: Record<string, string>): AlertRule {
  const bad = `(${counterPeriodQuery(check, selector, [POD_TEMPLATE_HASH_LABEL])}) > ${check.threshold}`;
  const periods = counterSchedule(check, r).count as number;
  const range = `${durationString(periods * check.intervalSeconds)}:${durationString(check.intervalSeconds)}`;
  return {
    alert: `RollbackCheck_${check.name.replace(/-/g, "_")}`,
    expr: `count_over_time((${bad})[${range}]) > ${r.failureLimit}`,
    labels: { ...labels, check: check.name },
    annotations: {
      summary: `${check.name} failed in more than ${r.failureLimit} of the last ${periods} periods of ${check.intervalSeconds} s`,
      description: `ReplicaSet {{ $labels.${POD_TEMPLATE_HASH_LABEL} }}: ${check.description}, in {{ $value }} of the last ${periods} periods. The same series and threshold abort a canary rollout in Argo Rollouts.`,
    },
  };
}

/** An AMP rules file (Prometheus rule-file format) with one group, evaluated once a period; values JSON-quoted. */
export function rulesFile(group: string, rules: readonly AlertRule[]): string {
  const q = (v: string) => JSON.stringify(v);
  const lines = ["groups:", `  - name: ${q(group)}`, `    interval: ${durationString(MEASUREMENT_INTERVAL_SECONDS)}`, "    rules:"];
  for (const rule of rules) {
    lines.push(`      - alert: ${q(rule.alert)}`, `        expr: ${q(rule.expr)}`, "        labels:");
    for (const [k, v] of Object.entries(rule.labels)) lines.push(`          ${k}: ${q(v)}`);
    lines.push("        annotations:");
    for (const [k, v] of Object.entries(rule.annotations)) lines.push(`          ${k}: ${q(v)}`);
  }
  return `${lines.join("\n")}\n`;
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
