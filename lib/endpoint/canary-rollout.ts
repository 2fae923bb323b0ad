/*
 * The progressive-delivery policy of a CanaryModelEndpoint: traffic steps, the bake at each step,
 * the optional pre-traffic evaluation gate, the rollback conditions, and the worst-case time from
 * a bad canary to full rollback with the share of requests it reaches, computed from them.
 *
 * Argo Rollouts runs it: each step is `setWeight` followed by an inline analysis whose
 * measurements (one a minute, `stepDuration` long) are the bake; more than `failureLimit` failed
 * measurements fail the analysis and Argo aborts, sending all traffic back to the stable version.
 * When and over which window each check measures is defined once, in private/measurement.ts; the
 * detection time below is computed from the same functions the checks are rendered with.
 */
import { DEFAULT_SCRAPE_INTERVAL_SECONDS } from "../cluster/cluster-monitoring";
import { NODE_READY_SECONDS } from "../planning/cold-start";
import { isLiteral, Problems, show } from "../private/validation";
import { imageProblems } from "../private/images";
import { parseDuration } from "./private/duration";
import { errorDetectionSeconds, MEASUREMENT_INTERVAL_SECONDS } from "./private/measurement";
import { serverErrorCounter } from "./private/server-errors";
import type { LatencyServer } from "./private/server-latency";

export { ALB_METRIC_DELAY_SECONDS, MEASUREMENT_INTERVAL_SECONDS } from "./private/measurement";

/** The default traffic steps in percent: small first, each gated by analysis. */
export const DEFAULT_CANARY_STEPS: readonly number[] = Object.freeze([1, 5, 10, 25, 50, 100]);

/** A Kubernetes Job that evaluates the canary before it receives any user traffic. */
export interface PreTrafficEvaluation {
  /** Container image with a tag or digest, e.g. your golden-set evaluation harness. */
  readonly image: string;
  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments. The job also gets `ENDPOINT_URL` (the canary's base URL in-cluster: `/v1` for
   * OpenAI-compatible servers, `/v2` for Triton's KServe API), `ENDPOINT_API` ("openai" or
   * "kserve-v2") and `MODEL_NAME`; exit 0 passes the gate, anything else aborts the rollout.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Extra environment variables (no secrets: use a Secret-backed mechanism for those).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Longest the evaluation may run before it counts as failed, e.g. "30m".
   * @default "30m"
   */
  readonly timeout?: string;
}

/** Traffic steps and their bake. */
export interface CanaryRolloutOptions {
  /**
   * Percent of traffic sent to the canary at each step, strictly increasing, ending at 100.
   * @default [1, 5, 10, 25, 50, 100]
   */
  readonly steps?: number[];
  /**
   * How long each step bakes while its analysis measures, once a minute, e.g. "10m".
   * @default "10m"
   */
  readonly stepDuration?: string;
  /**
   * Allows a first step above 10 percent: more users meet a bad model before the first check.
   * @default false
   */
  readonly allowLargeFirstStep?: boolean;
  /**
   * A gate run against the canary before any traffic: failure aborts with zero user traffic exposed.
   * @default - no gate
   */
  readonly preTrafficEvaluation?: PreTrafficEvaluation;
  /**
   * Longest acceptable time from the first bad minute to all traffic back on the stable version, e.g.
   * "5m". When a step would need the stable version to cold-start replicas to get there (Argo's
   * `dynamicStableScale` shrank it), the stable version is kept at full size until the rollout
   * completes instead, which holds up to one extra replica set of GPUs (priced in the plan report);
   * synth fails when even that cannot meet the budget.
   * @default "5m"
   */
  readonly rollbackBudget?: string;
}

/**
 * When the canary is rolled back; one declaration feeds the Argo analysis and the alarms. Every check
 * judges one-minute periods, each minute once; a minute with fewer than `minRequestsPerMinute`
 * requests is inconclusive, not failed. The analysis aborts after more than `failureLimit` failed
 * minutes in a step, and the alarms (CloudWatch for ALB metrics, AMP alerting rules to the cluster's
 * alarm topic for server metrics) fire on the same count among the last `stepDuration` of minutes.
 */
export interface RollbackConditions {
  /**
   * Roll back when more than this percent of the canary's requests fail (target 5xx plus
   * connection errors, over requests at the load balancer) in a one-minute period; on vLLM and TGI
   * also when the server's own error counters (in AMP) show it in a period of one scrape interval.
   * @default 1
   */
  readonly errorRatePercent?: number;
  /**
   * Roll back when the canary's p99 end-to-end latency in a one-minute period exceeds this many
   * milliseconds. Measured by the server, from a request's arrival to its last token, so a streamed
   * completion counts in full: vLLM and Triton's vLLM backend `vllm:e2e_request_latency_seconds`, TGI
   * `tgi_request_duration` (successful requests), read from the cluster's AMP workspace. The p99 is interpolated between
   * histogram buckets (exact when the threshold is a bucket boundary) and must lie within the
   * buckets. Custom servers and Triton's other backends export no latency histogram: for them the
   * ALB's p99 TargetResponseTime is used, which ends at the first response byte and so is the full
   * latency only for responses that are not streamed.
   * @default 30000
   */
  readonly p99LatencyMs?: number;
  /**
   * Roll back when the canary's p99 time to first token in a one-minute period exceeds this many
   * milliseconds (`vllm:time_to_first_token_seconds` from AMP). vLLM and Triton's vLLM backend only.
   * @default - not checked
   */
  readonly timeToFirstTokenP99Ms?: number;
  /**
   * Roll back when the canary's p99 gap between two output tokens in a one-minute period exceeds
   * this many milliseconds (vLLM `vllm:inter_token_latency_seconds`, Triton's vLLM backend
   * `vllm:time_per_output_token_seconds`, from AMP). vLLM and Triton's vLLM backend only.
   * @default - not checked
   */
  readonly interTokenLatencyP99Ms?: number;
  /**
   * Fewest requests a minute must carry to be judged, by every check (load balancer requests for the
   * error rate, completed requests for latencies); a quieter minute is inconclusive, never failed, as
   * one 5xx in a one-request minute would read 100%. More inconclusive minutes than half a step
   * pause the rollout for a human instead of promoting it.
   * @default 10
   */
  readonly minRequestsPerMinute?: number;
  /**
   * Failed one-minute measurements tolerated per step, consecutive or not; one more aborts the
   * rollout. The alarms fire on the same count among the last stepDuration of minutes.
   * @default 1
   */
  readonly failureLimit?: number;
}

/** What the rollout policy needs from the cluster beyond the props. */
export interface RollbackContext {
  /**
   * Seconds between two scrapes of the server metrics (the cluster's `monitoring.scrapeIntervalSeconds`);
   * sizes the windows of the checks read from AMP.
   * @default 30
   */
  readonly scrapeIntervalSeconds?: number;
}

/** The rollout policy with defaults applied, as the endpoint renders it. */
export interface ResolvedCanaryRollout {
  /** Traffic steps in percent. */
  readonly steps: number[];
  /** Bake per step in seconds. */
  readonly stepSeconds: number;
  /** Measurements per step (one a minute). */
  readonly measurementsPerStep: number;
  /** Failed measurements tolerated per step. */
  readonly failureLimit: number;
  /** Measurements without data tolerated per step before the rollout pauses for a human. */
  readonly inconclusiveLimit: number;
  /** Error-rate threshold in percent. */
  readonly errorRatePercent: number;
  /** p99 latency threshold in milliseconds. */
  readonly p99LatencyMs: number;
  /** p99 time-to-first-token threshold in milliseconds, when checked. */
  readonly timeToFirstTokenP99Ms?: number;
  /** p99 inter-token latency threshold in milliseconds, when checked. */
  readonly interTokenLatencyP99Ms?: number;
  /** Fewest requests in a minute for it to be judged. */
  readonly minRequestsPerMinute: number;
  /** Seconds between two scrapes of the server metrics. */
  readonly scrapeIntervalSeconds: number;
  /** The pre-traffic gate, when configured. */
  readonly preTrafficEvaluation?: PreTrafficEvaluation;
  /** Gate timeout in seconds. */
  readonly evaluationTimeoutSeconds: number;
  /** Longest acceptable rollback in seconds (from the first bad minute to all traffic on stable). */
  readonly rollbackBudgetSeconds: number;
}

/** Longest step: the alarms evaluate one step of one-minute periods, and CloudWatch evaluates at most one day of periods shorter than an hour (PutMetricAlarm, Period). */
const MAX_STEP_SECONDS = 86400;
/** The default rollback budget. */
export const DEFAULT_ROLLBACK_BUDGET = "5m";

/** Validates rollout options and rollback conditions; every problem at once. @internal */
export function validateCanaryRollout(rollout: CanaryRolloutOptions | undefined, rollback: RollbackConditions | undefined, p: Problems): void {
  const steps = rollout?.steps;
  if (steps !== undefined) {
    if (steps.length === 0) p.add("rollout.steps", "is empty; give traffic percentages ending at 100, e.g. [1, 5, 10, 25, 50, 100]");
    else {
      for (const [i, s] of steps.entries()) {
        if (!isLiteral(s) || !Number.isInteger(s) || s < 1 || s > 100) p.add(`rollout.steps[${i}]`, `${show(s)} must be a whole percent from 1 to 100`);
      }
      for (let i = 1; i < steps.length; i++) {
        if (steps[i] <= steps[i - 1]) p.add("rollout.steps", `${show(steps)} must be strictly increasing (${steps[i - 1]} then ${steps[i]}); each step sends more traffic to the canary`);
      }
      if (steps[steps.length - 1] !== 100) p.add("rollout.steps", `${show(steps)} must end at 100 so the rollout completes; append 100`);
      if (steps[0] > 10 && !rollout?.allowLargeFirstStep) {
        p.add("rollout.steps", `first step ${steps[0]}% is above 10%: that many requests meet a bad model before the first check; start at 1-10% (e.g. [1, 5, 10, 25, 50, 100]) or set rollout.allowLargeFirstStep: true`);
      }
    }
  }
  const duration = rollout?.stepDuration;
  if (duration !== undefined) {
    const s = parseDuration(duration);
    if (s === undefined) p.add("rollout.stepDuration", `${show(duration)} is not a duration; use e.g. "10m", "600s" or "1h"`);
    else if (s < 2 * MEASUREMENT_INTERVAL_SECONDS || s % MEASUREMENT_INTERVAL_SECONDS !== 0) {
      p.add("rollout.stepDuration", `${show(duration)} must be whole minutes, at least "2m": the analysis measures once a minute and needs two measurements to judge a step`);
    } else if (s > MAX_STEP_SECONDS) {
      p.add("rollout.stepDuration", `${show(duration)} is longer than "24h": the alarms count failed minutes over one step, and CloudWatch evaluates one-minute periods over at most one day; use at most "24h"`);
    }
  }
  const budget = rollout?.rollbackBudget;
  if (budget !== undefined && (parseDuration(budget) === undefined || (parseDuration(budget) as number) < 1)) {
    p.add("rollout.rollbackBudget", `${show(budget)} is not a duration; use e.g. "5m" or "300s"`);
  }
  const gate = rollout?.preTrafficEvaluation;
  if (gate) {
    p.addAll(imageProblems("rollout.preTrafficEvaluation.image", gate.image, "registry.example.com/evals:1.4.2"));
    if (gate.timeout !== undefined && parseDuration(gate.timeout) === undefined) p.add("rollout.preTrafficEvaluation.timeout", `${show(gate.timeout)} is not a duration; use e.g. "30m"`);
    for (const k of Object.keys(gate.env ?? {})) {
      if (k === "ENDPOINT_URL" || k === "ENDPOINT_API" || k === "MODEL_NAME") p.add("rollout.preTrafficEvaluation.env", `${show(k)} is set by the endpoint (the canary's URL, its API and the model name); remove it`);
    }
  }
  const positive = (prop: string, v: number | undefined, unit: string, fix: string) => {
    if (v === undefined || !isLiteral(v)) return;
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) p.add(`rollbackWhen.${prop}`, `${show(v)} must be a positive number of ${unit}; ${fix}`);
  };
  positive("errorRatePercent", rollback?.errorRatePercent, "percent", "0 would roll back on any single error, e.g. use 1");
  if (rollback?.errorRatePercent !== undefined && rollback.errorRatePercent >= 100) p.add("rollbackWhen.errorRatePercent", `${rollback.errorRatePercent} can never be exceeded; use a percent below 100, e.g. 1`);
  positive("p99LatencyMs", rollback?.p99LatencyMs, "milliseconds", "e.g. 30000 for full LLM responses");
  positive("timeToFirstTokenP99Ms", rollback?.timeToFirstTokenP99Ms, "milliseconds", "e.g. 2000");
  positive("interTokenLatencyP99Ms", rollback?.interTokenLatencyP99Ms, "milliseconds", "e.g. 100");
  const min = rollback?.minRequestsPerMinute;
  if (min !== undefined && (!Number.isInteger(min) || min < 1)) p.add("rollbackWhen.minRequestsPerMinute", `${show(min)} must be a whole number of requests, at least 1, e.g. 10`);
  const fl = rollback?.failureLimit;
  if (fl !== undefined && (!Number.isInteger(fl) || fl < 0)) p.add("rollbackWhen.failureLimit", `${show(fl)} must be a whole number, 0 or more (0 aborts on the first failed measurement)`);
}

/** The rollout policy with defaults applied; validate first. */
export function resolveCanaryRollout(rollout: CanaryRolloutOptions | undefined, rollback: RollbackConditions | undefined, context: RollbackContext = {}): ResolvedCanaryRollout {
  const stepSeconds = parseDuration(rollout?.stepDuration ?? "10m") as number;
  const measurementsPerStep = stepSeconds / MEASUREMENT_INTERVAL_SECONDS;
  return {
    steps: [...(rollout?.steps ?? DEFAULT_CANARY_STEPS)],
    stepSeconds,
    measurementsPerStep,
    failureLimit: rollback?.failureLimit ?? 1,
    // A step where most minutes carry no canary requests has not been judged: Argo marks the analysis
    // inconclusive and pauses the rollout for a human instead of promoting it.
    inconclusiveLimit: Math.floor(measurementsPerStep / 2),
    errorRatePercent: rollback?.errorRatePercent ?? 1,
    p99LatencyMs: rollback?.p99LatencyMs ?? 30000,
    timeToFirstTokenP99Ms: rollback?.timeToFirstTokenP99Ms,
    interTokenLatencyP99Ms: rollback?.interTokenLatencyP99Ms,
    minRequestsPerMinute: rollback?.minRequestsPerMinute ?? 10,
    scrapeIntervalSeconds: context.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS,
    preTrafficEvaluation: rollout?.preTrafficEvaluation,
    evaluationTimeoutSeconds: parseDuration(rollout?.preTrafficEvaluation?.timeout ?? "30m") as number,
    rollbackBudgetSeconds: parseDuration(rollout?.rollbackBudget ?? DEFAULT_ROLLBACK_BUDGET) as number,
  };
}

/** Exposure and time to rollback when the canary turns bad at one step. */
export interface StepRollbackTiming {
  /** Canary traffic at this step, percent. */
  readonly weightPercent: number;
  /** Stable replicas left running at this step (dynamicStableScale scales the stable down as the canary grows). */
  readonly stableReplicas: number;
  /** Seconds from the abort until the stable version carries all traffic again: 0 when enough stable replicas still run, else a pod start (plus a node when none is free). */
  readonly revertSeconds: number;
  /** Seconds from the first bad request to all traffic back on stable: detection plus revert. */
  readonly rollbackSeconds: number;
  /** Same, when the stable pods must wait for a new GPU node. */
  readonly rollbackSecondsWithNewNode: number;
  /** Share of all requests that reach the bad canary while it is being detected and reverted, in percent-minutes (percent of traffic times minutes). */
  readonly exposurePercentMinutes: number;
}

/** How the stable version is kept during a rollout, and why. */
export interface StablePolicy {
  /**
   * True: the stable ReplicaSet stays at full size until the rollout completes (Argo's
   * `dynamicStableScale` off), so an abort never waits for a cold start. False: the stable version
   * shrinks as the canary grows (`dynamicStableScale` on), and every step still meets the budget.
   */
  readonly warmStable: boolean;
  /** The budget, seconds. */
  readonly budgetSeconds: number;
  /** Worst-step rollback, seconds, if the stable version shrank with the canary (a cold start of the stable where it had shrunk). */
  readonly worstStepRollbackSecondsWithoutWarmStable: number;
  /** Worst-step rollback, seconds, with the stable version kept at full size: detection alone. */
  readonly worstStepRollbackSecondsWithWarmStable: number;
  /** Replicas held beyond what dynamicStableScale would run, at the worst step (the last), at the replica count timed. */
  readonly extraReplicasAtPeak: number;
  /** Sum over the steps of the extra replicas times the step's bake, replica-seconds per rollout: what the warm stable costs. */
  readonly extraReplicaSecondsPerRollout: number;
  /** Why the budget cannot be met, when it cannot (synth fails with it). */
  readonly problem?: string;
}

/** The computed safety of a rollout policy: how fast a bad canary is rolled back and how many requests it reaches. */
export interface CanaryRolloutTiming {
  /** Traffic steps in percent. */
  readonly steps: number[];
  /** Bake per step in seconds. */
  readonly stepSeconds: number;
  /** Seconds a rollout takes when every check passes (the gate's timeout is its upper bound and not included). */
  readonly fullRolloutSeconds: number;
  /**
   * Worst-case seconds from the first request of a canary that fails every request to the abort, by
   * the faster error-rate check. ALB metrics in CloudWatch: the minute must close (60 s) and be
   * published (ALB_METRIC_DELAY_SECONDS), the measurement judging it may be up to a minute later, and
   * failureLimit more minutes must fail. The server's error counter in AMP (vLLM, TGI): the next
   * scrape, the next measurement (one a scrape interval), and failureLimit more.
   */
  readonly detectionSeconds: number;
  /** Per step, under the chosen stable policy. */
  readonly perStep: StepRollbackTiming[];
  /** The step a canary that is bad from the start is caught at (the first). */
  readonly firstStep: StepRollbackTiming;
  /** The step with the longest rollback and largest exposure. */
  readonly worstStep: StepRollbackTiming;
  /** Whether the stable version is kept warm, and what that holds. */
  readonly stablePolicy: StablePolicy;
}

/**
 * Computes detection time, time to full rollback and exposure per step for `replicas` serving
 * replicas (use the minimum: fewer replicas means the stable version shrinks sooner), and
 * `podStartSeconds` for a replica to become ready on a node already up. The stable version is kept
 * warm when a step's rollback with a shrunk stable would exceed the policy's rollback budget.
 * `newNodeExtraSeconds` is what a replica needing a new node adds (node, image). `server` (the rendered
 * server, latencyServerOf) lets detection use its error counter; without it, the ALB's error rate.
 */
export function canaryRolloutTiming(
  resolved: ResolvedCanaryRollout,
  replicas: number,
  podStartSeconds: number,
  newNodeExtraSeconds: number = NODE_READY_SECONDS,
  server?: LatencyServer,
): CanaryRolloutTiming {
  const detectionSeconds = rollbackDetectionSeconds(resolved, server);
  const stepsFor = (warm: boolean) =>
    resolved.steps.map((w): StepRollbackTiming => {
      const stableReplicas = warm ? replicas : Math.ceil((replicas * (100 - w)) / 100);
      const revertSeconds = stableReplicas >= replicas ? 0 : podStartSeconds;
      const rollbackSeconds = detectionSeconds + revertSeconds;
      return {
        weightPercent: w,
        stableReplicas,
        revertSeconds,
        rollbackSeconds,
        rollbackSecondsWithNewNode: revertSeconds === 0 ? rollbackSeconds : rollbackSeconds + newNodeExtraSeconds,
        exposurePercentMinutes: round1((w * rollbackSeconds) / 60),
      };
    });
  const worstOf = (steps: StepRollbackTiming[]) => steps.reduce((a, b) => (b.exposurePercentMinutes > a.exposurePercentMinutes ? b : a));
  const shrinking = stepsFor(false);
  const budget = resolved.rollbackBudgetSeconds;
  const warmStable = Math.max(...shrinking.map((s) => s.rollbackSeconds)) > budget;
  const perStep = warmStable ? stepsFor(true) : shrinking;
  const worstStep = worstOf(perStep);
  const extra = resolved.steps.map((w) => (warmStable ? replicas - Math.ceil((replicas * (100 - w)) / 100) : 0));
  const problem =
    detectionSeconds > budget
      ? `rollout.rollbackBudget: detection alone takes ${detectionSeconds} s (${resolved.failureLimit + 1} failed error-rate measurement(s) after the metric delay), above the budget of ${budget} s, so no rollback can meet it even with the stable version kept warm; ` +
        `set a longer budget (at least "${Math.ceil(detectionSeconds / 60)}m"), or lower rollbackWhen.failureLimit (fewer failed minutes before the abort)`
      : undefined;
  return {
    steps: [...resolved.steps],
    stepSeconds: resolved.stepSeconds,
    fullRolloutSeconds: resolved.steps.length * resolved.stepSeconds,
    detectionSeconds,
    perStep,
    firstStep: perStep[0],
    worstStep,
    stablePolicy: {
      warmStable,
      budgetSeconds: budget,
      worstStepRollbackSecondsWithoutWarmStable: Math.max(...shrinking.map((s) => s.rollbackSeconds)),
      worstStepRollbackSecondsWithWarmStable: detectionSeconds,
      extraReplicasAtPeak: Math.max(0, ...extra),
      extraReplicaSecondsPerRollout: extra.reduce((n, x) => n + x * resolved.stepSeconds, 0),
      problem,
    },
  };
}

/**
 * Worst-case seconds from the first request of a canary that fails every request to the abort: the
 * faster of the ALB error-rate check (CloudWatch) and, when the server exports an error counter, the
 * server error-rate check (AMP), from the definitions the checks are rendered with
 * (measurement.ts, errorDetectionSeconds). Without `server`, the ALB check alone.
 */
export function rollbackDetectionSeconds(resolved: Pick<ResolvedCanaryRollout, "failureLimit" | "scrapeIntervalSeconds">, server?: LatencyServer): number {
  return errorDetectionSeconds(resolved.failureLimit, resolved.scrapeIntervalSeconds, server !== undefined && serverErrorCounter(server) !== undefined);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
