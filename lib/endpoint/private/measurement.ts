/*
 * When the rollback checks measure, and so how long detection takes: the one place that defines the
 * period, the lag of the judged CloudWatch minute, the Prometheus window and the detection time each
 * implies. rollback-checks.ts renders the checks from these numbers and canary-rollout.ts computes
 * the rollout's detection time from the same functions, so the two cannot drift apart.
 */

/** Seconds between two analysis measurements: the CloudWatch period, and the alarm and alert-rule evaluation interval. */
export const MEASUREMENT_INTERVAL_SECONDS = 60;

/**
 * Seconds after a minute closes before the ALB's metric for it can be read. ALB metrics are
 * published per 60 s; AWS does not document a bound, observed delays are about a minute.
 */
export const ALB_METRIC_DELAY_SECONDS = 60;

/**
 * How many periods before the current one the judged CloudWatch minute starts: the minute must have
 * closed (1) and been published (ALB_METRIC_DELAY_SECONDS). With 60 s each it is the minute that
 * started 2 minutes before the current one, which closed 60 to 120 s ago.
 */
export const CLOUDWATCH_JUDGED_MINUTE_AGE = 1 + Math.ceil(ALB_METRIC_DELAY_SECONDS / MEASUREMENT_INTERVAL_SECONDS);

/**
 * Look-back of the Argo CloudWatch provider (its `interval`). Argo asks GetMetricData for
 * [now - interval, now) (argoproj/argo-rollouts@v1.8.3:metricproviders/cloudwatch/cloudwatch.go,
 * CloudWatchClient.Query), and CloudWatch rounds a start time under 15 days old down to the whole
 * minute (GetMetricData API reference, StartTime): the oldest period returned is exactly the judged
 * minute, whatever the second the measurement runs at.
 */
export function cloudWatchLookbackSeconds(): number {
  return CLOUDWATCH_JUDGED_MINUTE_AGE * MEASUREMENT_INTERVAL_SECONDS;
}

/**
 * Worst-case seconds from the start of a bad minute to the abort on ALB metrics: the minute is judged
 * by the measurement that runs while the minute CLOUDWATCH_JUDGED_MINUTE_AGE periods later is
 * current (at most (age + 1) periods after it started), and failureLimit further failed minutes follow,
 * one per measurement.
 */
export function cloudWatchDetectionSeconds(failureLimit: number): number {
  return (CLOUDWATCH_JUDGED_MINUTE_AGE + 1 + failureLimit) * MEASUREMENT_INTERVAL_SECONDS;
}

/**
 * Range of the rate() windows of a Prometheus check: one period plus one scrape interval. Rule
 * evaluations exactly a period apart then share exactly one sample, so every increase between two
 * scrapes is counted in one minute: neither twice nor lost in a gap. Argo's measurements are a little
 * more than a period apart, so they share at most one sample: a scrape interval may occasionally go
 * unjudged, none is judged twice.
 */
export function prometheusWindowSeconds(scrapeIntervalSeconds: number): number {
  return MEASUREMENT_INTERVAL_SECONDS + scrapeIntervalSeconds;
}

/**
 * Worst-case seconds from a bad observation (the server records a request's latency when it
 * completes) to the abort on server metrics: the next scrape (scrape interval), the next measurement
 * (a period), then failureLimit further failed measurements. AMP's ingestion delay is not documented
 * and not included.
 */
export function prometheusDetectionSeconds(scrapeIntervalSeconds: number, failureLimit: number): number {
  return scrapeIntervalSeconds + (1 + failureLimit) * MEASUREMENT_INTERVAL_SECONDS;
}

/** A duration in seconds as Argo and Prometheus write it: "2m" for whole minutes, else "90s". */
export function durationString(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/**
 * Seconds between two measurements of the server error-rate check (counters in AMP): one scrape
 * interval, so each period holds about one new sample of each pod's counters. The check reads the
 * counters' growth since the previous period (value now minus value a period ago, see
 * rollback-checks.ts, counterPeriodQuery), so every increment between two scrapes is counted in exactly
 * one period, and a series that first appears (the first 5xx of a new canary pod) counts in full.
 */
export function serverErrorIntervalSeconds(scrapeIntervalSeconds: number): number {
  return scrapeIntervalSeconds;
}

/**
 * Worst-case seconds from a failed request (the server counts it when it answers) to the abort on the
 * server's error counter: the next scrape, the next measurement (a period), then failureLimit further
 * failed periods, for a canary whose failures fill each period past the minimum request count (a
 * slower trickle waits for it). AMP's ingestion delay is not documented and not included.
 * test/endpoint/private/server-errors.test.ts simulates the bound against the rendered semantics.
 */
export function serverErrorDetectionSeconds(scrapeIntervalSeconds: number, failureLimit: number): number {
  return scrapeIntervalSeconds + (1 + failureLimit) * serverErrorIntervalSeconds(scrapeIntervalSeconds);
}

/**
 * Worst-case seconds from the first request of a canary that fails every request to the abort: the
 * faster of the error-rate checks that can fail it, the ALB's (always) and the server's own error
 * counter (when it exports one). Latency checks are left out: a failing request may be fast.
 */
export function errorDetectionSeconds(failureLimit: number, scrapeIntervalSeconds: number, serverHasErrorCounter: boolean): number {
  const alb = cloudWatchDetectionSeconds(failureLimit);
  return serverHasErrorCounter ? Math.min(alb, serverErrorDetectionSeconds(scrapeIntervalSeconds, failureLimit)) : alb;
}
