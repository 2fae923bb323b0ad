/*
 * The progressive-delivery policy of a CanaryModelEndpoint: traffic steps, the bake at each step,
 * the optional pre-traffic evaluation gate, the rollback conditions, and the worst-case time from
 * a bad canary to full rollback with the share of requests it reaches, computed from them.
 *
 * Argo Rollouts runs it: each step is `setWeight` followed by an inline analysis whose
 * measurements (one a minute, `stepDuration` long) are the bake; a measurement past a threshold
 * fails the analysis and Argo aborts, sending all traffic back to the stable version.
 */
import { isLiteral, Problems, show } from "../private/validation";
import { imageProblems } from "../private/images";
import { parseDuration } from "./private/duration";

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
   * Arguments. The job also gets `ENDPOINT_URL` (the canary's OpenAI-compatible base URL, in-cluster)
   * and `MODEL_NAME`; exit 0 passes the gate, anything else aborts the rollout.
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
}

/** When the canary is rolled back; one declaration feeds the Argo analysis and the CloudWatch alarms. */
export interface RollbackConditions {
  /**
   * Roll back when more than this percent of the canary's requests fail (target 5xx plus
   * connection errors, over requests), in any one-minute period.
   * @default 1
   */
  readonly errorRatePercent?: number;
  /**
   * Roll back when the canary's p99 target response time, per minute, exceeds this many milliseconds.
   * Streaming responses count until the last byte at the ALB, so size it for full responses.
   * @default 30000
   */
  readonly p99LatencyMs?: number;
  /**
   * Roll back when the canary's p99 time to first token (vLLM's histogram in AMP, queried with SigV4)
   * exceeds this many milliseconds. vLLM only.
   * @default - not checked
   */
  readonly timeToFirstTokenP99Ms?: number;
  /**
   * Failed one-minute measurements tolerated per step; one more aborts the rollout.
   * @default 1
   */
  readonly failureLimit?: number;
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
  /** The pre-traffic gate, when configured. */
  readonly preTrafficEvaluation?: PreTrafficEvaluation;
  /** Gate timeout in seconds. */
  readonly evaluationTimeoutSeconds: number;
}

/** Seconds between two analysis measurements, and the CloudWatch period they read. */
export const MEASUREMENT_INTERVAL_SECONDS = 60;
/**
 * Seconds after a minute closes before the ALB's metric for it can be read. ALB metrics are
 * published per 60 s; AWS does not document a bound, observed delays are about a minute.
 */
export const ALB_METRIC_DELAY_SECONDS = 60;
/** Seconds to add a GPU node when none is free (EC2 launch, join, driver, image pull); an estimate. */
export const NODE_PROVISION_SECONDS = 300;

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
    }
  }
  const gate = rollout?.preTrafficEvaluation;
  if (gate) {
    p.addAll(imageProblems("rollout.preTrafficEvaluation.image", gate.image, "registry.example.com/evals:1.4.2"));
    if (gate.timeout !== undefined && parseDuration(gate.timeout) === undefined) p.add("rollout.preTrafficEvaluation.timeout", `${show(gate.timeout)} is not a duration; use e.g. "30m"`);
    for (const k of Object.keys(gate.env ?? {})) {
      if (k === "ENDPOINT_URL" || k === "MODEL_NAME") p.add("rollout.preTrafficEvaluation.env", `${show(k)} is set by the endpoint (the canary's URL and model name); remove it`);
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
  const fl = rollback?.failureLimit;
  if (fl !== undefined && (!Number.isInteger(fl) || fl < 0)) p.add("rollbackWhen.failureLimit", `${show(fl)} must be a whole number, 0 or more (0 aborts on the first failed measurement)`);
}

/** The rollout policy with defaults applied; validate first. */
export function resolveCanaryRollout(rollout: CanaryRolloutOptions | undefined, rollback: RollbackConditions | undefined): ResolvedCanaryRollout {
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
    preTrafficEvaluation: rollout?.preTrafficEvaluation,
    evaluationTimeoutSeconds: parseDuration(rollout?.preTrafficEvaluation?.timeout ?? "30m") as number,
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

/** The computed safety of a rollout policy: how fast a bad canary is rolled back and how many requests it reaches. */
export interface CanaryRolloutTiming {
  /** Traffic steps in percent. */
  readonly steps: number[];
  /** Bake per step in seconds. */
  readonly stepSeconds: number;
  /** Seconds a rollout takes when every check passes (the gate's timeout is its upper bound and not included). */
  readonly fullRolloutSeconds: number;
  /**
   * Worst-case seconds from the first bad minute to the abort: the minute must close (60 s), its ALB
   * metric must be published (ALB_METRIC_DELAY_SECONDS), the next measurement may be up to a minute
   * away, and failureLimit + 1 measurements must fail.
   */
  readonly detectionSeconds: number;
  /** Per step. */
  readonly perStep: StepRollbackTiming[];
  /** The step a canary that is bad from the start is caught at (the first). */
  readonly firstStep: StepRollbackTiming;
  /** The step with the longest rollback and largest exposure. */
  readonly worstStep: StepRollbackTiming;
}

/**
 * Computes detection time, time to full rollback and exposure per step for `replicas` serving
 * replicas (use the minimum: fewer replicas means the stable version shrinks sooner), and
 * `podStartSeconds` for a replica to download its weights and become ready.
 */
export function canaryRolloutTiming(resolved: ResolvedCanaryRollout, replicas: number, podStartSeconds: number): CanaryRolloutTiming {
  const detectionSeconds = MEASUREMENT_INTERVAL_SECONDS + ALB_METRIC_DELAY_SECONDS + MEASUREMENT_INTERVAL_SECONDS + resolved.failureLimit * MEASUREMENT_INTERVAL_SECONDS;
  const perStep = resolved.steps.map((w): StepRollbackTiming => {
    const stableReplicas = Math.ceil((replicas * (100 - w)) / 100);
    const revertSeconds = stableReplicas >= replicas ? 0 : podStartSeconds;
    const rollbackSeconds = detectionSeconds + revertSeconds;
    return {
      weightPercent: w,
      stableReplicas,
      revertSeconds,
      rollbackSeconds,
      rollbackSecondsWithNewNode: revertSeconds === 0 ? rollbackSeconds : rollbackSeconds + NODE_PROVISION_SECONDS,
      exposurePercentMinutes: round1((w * rollbackSeconds) / 60),
    };
  });
  const worstStep = perStep.reduce((a, b) => (b.exposurePercentMinutes > a.exposurePercentMinutes ? b : a));
  return {
    steps: [...resolved.steps],
    stepSeconds: resolved.stepSeconds,
    fullRolloutSeconds: resolved.steps.length * resolved.stepSeconds,
    detectionSeconds,
    perStep,
    firstStep: perStep[0],
    worstStep,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
