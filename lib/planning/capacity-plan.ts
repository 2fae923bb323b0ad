import * as fs from "fs";
import * as path from "path";
import { App, ISynthesisSession, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import type { ColdStart } from "./cold-start";
import { CapacityType, describePlacement, GpuPoolDescription, PoolJoinInstructions } from "./gpu-pool-description";
import { ValidationError } from "../errors";
import { providerRegion } from "../private/aws-context";
import { onStackSynthesis, reportSynthesisSummary, warn } from "../private/stack-synthesis";
import { GPU_ON_DEMAND_PRICES_USD_PER_HOUR, GPU_PRICE_REGION, GPU_PRICES_READ_ON } from "./gpu-prices";

/** File names of a stack's plan report, next to its Terraform in the cdktf output folder. */
export const PLAN_REPORT_FILES = { json: "plan-report.json", markdown: "plan-report.md" } as const;
/** Hours in a month for monthly costs (365 x 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** Pricing assumptions of a plan. */
export interface CapacityPlanOptions {
  /**
   * Region whose list prices apply. Only the catalog's price region is known; another region is refused
   * rather than priced wrongly.
   * @default "us-east-1"
   */
  readonly priceRegion?: string;
  /**
   * Discount of spot capacity from the on-demand price, in percent. Spot prices move hourly; this is a planning figure.
   * @default 60
   */
  readonly spotDiscountPercent?: number;
  /**
   * Prices pools in a region the catalog has no prices for (or whose region is a Terraform reference) at the
   * price region's list prices, as an estimate. Off, such pools are listed without a price and left out of the totals.
   * @default false
   */
  readonly estimateOtherRegions?: boolean;
}

/** An endpoint as the plan sees it (kept free of the endpoint module, which depends on this one). */
export interface PlannedEndpoint {
  /** Construct path. */
  readonly path: string;
  /** Namespace/name. */
  readonly name: string;
  /** Cluster name. */
  readonly clusterName: string;
  /** The pool it runs on. */
  readonly pool: GpuPoolDescription;
  /** GPUs per replica. */
  readonly gpusPerReplica: number;
  /** Replica bounds. */
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Replicas the declared load needs, when a load was declared. */
  readonly replicasForLoad?: number;
  /** GPU memory used vs available on one replica (0..1). */
  readonly fitUsedFraction: number;
  /** Weights and KV cache in GiB, and KV tokens. */
  readonly weightsGiB: number;
  readonly kvCacheGiB: number;
  readonly kvCacheTokens: number;
  /** Canary safety numbers. */
  readonly rollout: {
    readonly steps: number[];
    readonly detectionSeconds: number;
    readonly firstStepRollbackSeconds: number;
    readonly firstStepExposurePercentMinutes: number;
    readonly worstStepRollbackSeconds: number;
    readonly worstStepExposurePercentMinutes: number;
    readonly fullRolloutSeconds: number;
    /** The rollback budget, seconds. */
    readonly rollbackBudgetSeconds: number;
    /** True when the stable version is kept at full size through the rollout (Argo dynamicStableScale off) to meet the budget. */
    readonly warmStable: boolean;
    /** Worst-step rollback if the stable version shrank with the canary (cold start included). */
    readonly worstStepRollbackSecondsWithoutWarmStable: number;
    /** Replicas the warm stable holds beyond a shrinking one, at the last step (at minReplicas). */
    readonly warmStableExtraReplicas: number;
    /** Extra replica-seconds the warm stable holds over one full rollout (at minReplicas). */
    readonly warmStableExtraReplicaSecondsPerRollout: number;
  };
  /** A replica's cold start, part by part, under the bandwidths it states. */
  readonly coldStart: ColdStart;
}

/** An endpoint's line of a plan report: the planned endpoint and what keeping its stable version warm costs. */
export interface EndpointPlan extends PlannedEndpoint {
  /** Where its replicas run: its pool's placement, e.g. "region us-east-1", "local-zone us-west-2-lax-1a", "on-premises fra-dc1". */
  readonly placement: string;
  /** The GPUs a warm stable holds beyond a shrinking one, and their price per rollout (at minReplicas). */
  readonly warmStableCost: {
    readonly extraGpusAtPeak: number;
    readonly extraGpuHoursPerRollout: number;
    /** At the pool's node price, per GPU; absent when the pool has no price. */
    readonly usdPerRollout?: number;
  };
}

/** One pool's line of a plan report. */
export interface PoolPlan {
  readonly clusterName: string;
  readonly pool: string;
  /** Region of the cluster, when its stack's AWS provider names one literally. */
  readonly region?: string;
  readonly instanceType: string;
  readonly capacityType: CapacityType;
  readonly gpuModel: string;
  readonly gpusPerNode: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Nodes the endpoints' minimum replicas hold (at least minNodes, at most maxNodes): what the pool costs when idle. */
  readonly nodesAtMinReplicas: number;
  readonly usdPerNodeHour?: number;
  /** Why the pool has no price, or on what its price is an estimate. */
  readonly priceNote?: string;
  readonly hourlyUsd?: { readonly min: number; readonly max: number };
  readonly monthlyUsd?: { readonly min: number; readonly max: number };
  /** GPUs the endpoints placed on the pool hold at their minimum and maximum replicas. */
  readonly endpointGpus: { readonly min: number; readonly max: number };
  readonly endpoints: string[];
  /** False for a pool of another stack that this stack's endpoints use: its cost counts in that stack's totals. */
  readonly createdInThisStack?: boolean;
  /** Where the GPUs are: "region <region>", "local-zone <zone>" or "on-premises <location>". */
  readonly placement: string;
  /** For an on-premises pool: the labels, taints and nodeadm configuration its servers join with. */
  readonly join?: PoolJoinInstructions & { readonly labels: Record<string, string> };
}

/** A stack's plan report. */
export interface PlanReport {
  readonly stack: string;
  readonly priceRegion: string;
  readonly pricesReadOn: string;
  readonly spotDiscountPercent: number;
  readonly pools: PoolPlan[];
  readonly endpoints: EndpointPlan[];
  readonly totals: { readonly hourlyUsd: { readonly min: number; readonly max: number }; readonly monthlyUsd: { readonly min: number; readonly max: number } };
}

const PLAN = Symbol.for("secure-inference.capacity-plan");
type AppWithPlan = App & { [PLAN]?: CapacityPlan };

/**
 * The GPU plan of an app: every GPU pool and every endpoint placed on one, checked for capacity as
 * they are added and written, on every synth, as `plan-report.json` / `plan-report.md` next to each
 * stack's Terraform, with a one-line summary per stack on the console.
 */
export class CapacityPlan {
  /** The plan of the app that `scope` belongs to, created on first use. */
  static of(scope: Construct): CapacityPlan {
    const app = scope.node.root as AppWithPlan;
    if (!app[PLAN]) app[PLAN] = new CapacityPlan();
    return app[PLAN];
  }

  private options: Required<CapacityPlanOptions> = { priceRegion: GPU_PRICE_REGION, spotDiscountPercent: 60, estimateOtherRegions: false };
  private readonly pools: Array<{ stack: TerraformStack; clusterName: string; region?: string; pool: GpuPoolDescription }> = [];
  private readonly endpoints: Array<{ stack: TerraformStack; endpoint: PlannedEndpoint }> = [];
  private readonly hooked = new Set<TerraformStack>();

  private constructor() {}

  /** Sets the pricing assumptions; refuses a region without prices. */
  configure(options: CapacityPlanOptions): this {
    const problems: string[] = [];
    if (options.priceRegion !== undefined && options.priceRegion !== GPU_PRICE_REGION) {
      problems.push(`priceRegion: ${JSON.stringify(options.priceRegion)} has no GPU prices in the catalog (prices are list prices for ${GPU_PRICE_REGION}, read ${GPU_PRICES_READ_ON}); use "${GPU_PRICE_REGION}" as an estimate or leave it unset`);
    }
    const d = options.spotDiscountPercent;
    if (d !== undefined && !(d >= 0 && d < 100)) problems.push(`spotDiscountPercent: ${d} must be a percent from 0 to below 100, e.g. 60`);
    if (problems.length) throw new ValidationError("CapacityPlan", "CapacityPlanOptions", problems);
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Records the pools of a cluster (SecureInferenceCluster calls this). */
  addPools(scope: Construct, clusterName: string, pools: GpuPoolDescription[]): void {
    const stack = TerraformStack.of(scope);
    const region = providerRegion(scope);
    for (const pool of pools) this.pools.push({ stack, clusterName, region, pool });
    this.hook(stack);
  }

  /**
   * Problems with placing `e` next to the endpoints already on its pool: their minimum replicas must fit
   * the pool's largest size, and so must the replicas a declared load needs.
   */
  placementProblems(e: PlannedEndpoint): string[] {
    const problems: string[] = [];
    const others = this.endpointsOn(e.clusterName, e.pool.name);
    const perNode = (g: number) => Math.floor(e.pool.gpuCount / g);
    // Replicas of one endpoint never span nodes: count node slots, endpoint by endpoint.
    const nodesAtMin = nodesFor([...others, e], e.pool.gpuCount, (x) => x.minReplicas);
    if (nodesAtMin > e.pool.maxSize) {
      const list = [...others, e].map((x) => `${x.name} ${x.minReplicas} x ${x.gpusPerReplica} GPU`).join(", ");
      problems.push(
        `pool "${e.pool.name}" (at most ${e.pool.maxSize} x ${e.pool.instanceTypes[0]}, ${e.pool.gpuCount} GPU each) cannot hold the minimum replicas of the endpoints placed on it (${list}: ${nodesAtMin} nodes); ` +
          `raise the pool's maxSize, lower minReplicas, or move an endpoint to another pool`,
      );
    }
    if (e.rollout.warmStable) {
      const nodesWarm = nodesFor([...others, e], e.pool.gpuCount, (x) => (x === e ? rolloutPeakReplicas(x.minReplicas, x.rollout.steps, true) : x.minReplicas));
      if (nodesWarm > e.pool.maxSize) {
        problems.push(
          `rollout.rollbackBudget: a cold start of ${e.name}'s stable version would take its worst step's rollback to ${e.rollout.worstStepRollbackSecondsWithoutWarmStable} s, above the budget of ${e.rollout.rollbackBudgetSeconds} s, ` +
            `so its stable replicas must stay warm through the rollout (${rolloutPeakReplicas(e.minReplicas, e.rollout.steps, true)} replicas x ${e.gpusPerReplica} GPU at the last step), but pool "${e.pool.name}" holds at most ${e.pool.maxSize} node(s) and would need ${nodesWarm}; ` +
            `raise the pool's maxSize (more capacity), end the rollout with a smaller final canary step before 100 (a smaller step), or set a longer rollout.rollbackBudget (at least "${Math.ceil(e.rollout.worstStepRollbackSecondsWithoutWarmStable / 60)}m")`,
        );
      }
    }
    // Every endpoint caching weights on the pool's nodes holds its version there at once: together they must fit the bound.
    const cache = e.pool.weightCache;
    if (cache && e.coldStart.cacheHitSeconds !== undefined) {
      const cached = [...others, e].filter((x) => x.coldStart.cacheHitSeconds !== undefined);
      const needGiB = cached.reduce((n, x) => n + Math.ceil(x.weightsGiB), 0);
      if (cached.length > 1 && needGiB > cache.maxSizeGiB) {
        problems.push(
          `model: the endpoints that cache their weights on pool "${e.pool.name}" (${cached.map((x) => `${x.name} ${Math.ceil(x.weightsGiB)} GiB`).join(", ")}) need ${needGiB} GiB together, above its weightCache.maxSizeGiB ${cache.maxSizeGiB}, ` +
            `so some would never be cached; raise weightCache.maxSizeGiB to at least ${needGiB} (${2 * needGiB} keeps each endpoint's canary and stable) in the cluster, or move an endpoint to another pool`,
        );
      }
    }
    if (e.replicasForLoad !== undefined) {
      const nodesForLoad = nodesFor([...others, e], e.pool.gpuCount, (x) => (x === e ? (e.replicasForLoad as number) : x.minReplicas));
      if (nodesForLoad > e.pool.maxSize) {
        problems.push(
          `load: the declared load needs about ${e.replicasForLoad} replicas x ${e.gpusPerReplica} GPU = ${Math.ceil(e.replicasForLoad / perNode(e.gpusPerReplica))} node(s) of pool "${e.pool.name}" besides the other endpoints' minimum, but the pool has at most ${e.pool.maxSize}; ` +
            `raise the pool's maxSize, use a larger GPU, or lower the load`,
        );
      }
    }
    return problems;
  }

  /**
   * Risks that do not stop synth: no room for the canary when every endpoint on the pool runs at its
   * maximum, and a declared load above maxReplicas (the load estimate errs on the slow side).
   */
  placementWarnings(e: PlannedEndpoint): string[] {
    const warnings: string[] = [];
    const all = [...this.endpointsOn(e.clusterName, e.pool.name), e];
    const atMax = nodesFor(all, e.pool.gpuCount, (x) => x.maxReplicas);
    const withCanary = nodesFor(all, e.pool.gpuCount, (x) => (x === e ? rolloutPeakReplicas(x.maxReplicas, x.rollout.steps, x.rollout.warmStable) : x.maxReplicas));
    if (withCanary > e.pool.maxSize) {
      warnings.push(
        `pool "${e.pool.name}" has no room for the canary of ${e.name} while the endpoints on it run at their maximum replicas: ` +
          `${atMax} of ${e.pool.maxSize} node(s) hold them, and a rollout step holds up to ${rolloutPeakReplicas(e.maxReplicas, e.rollout.steps, e.rollout.warmStable)} replicas of ${e.name} (${e.rollout.warmStable ? "the stable version stays warm beside the canary" : "the canary scales up before the stable scales down"}), needing ${withCanary}; ` +
          `a rollout at peak waits for capacity and aborts at its progress deadline; raise the pool's maxSize or lower maxReplicas`,
      );
    }
    if (e.replicasForLoad !== undefined && e.replicasForLoad > e.maxReplicas) {
      warnings.push(`load: the declared load needs about ${e.replicasForLoad} replicas by the library's conservative estimate, but autoscaling.maxReplicas is ${e.maxReplicas}; raise maxReplicas (and the pool) or confirm the throughput with a load test`);
    }
    return warnings;
  }

  /** Records an endpoint (CanaryModelEndpoint calls this after placementProblems passed). */
  addEndpoint(scope: Construct, endpoint: PlannedEndpoint): void {
    const stack = TerraformStack.of(scope);
    this.endpoints.push({ stack, endpoint });
    this.hook(stack);
  }

  /** The report of one stack: the pools it creates and the endpoints it places, priced. */
  reportFor(stack: TerraformStack): PlanReport {
    const poolsHere = this.pools.filter((p) => p.stack === stack);
    const endpointsHere = this.endpoints.filter((e) => e.stack === stack).map((e) => e.endpoint);
    // Endpoints of another stack name their pool through the cluster connection: report those pools too.
    const poolKeys = new Map<string, { clusterName: string; region?: string; pool: GpuPoolDescription }>();
    for (const p of poolsHere) poolKeys.set(`${p.clusterName}/${p.pool.name}`, p);
    for (const e of endpointsHere) {
      const key = `${e.clusterName}/${e.pool.name}`;
      const declared = this.pools.find((p) => `${p.clusterName}/${p.pool.name}` === key);
      if (!poolKeys.has(key)) poolKeys.set(key, { clusterName: e.clusterName, region: declared?.region, pool: e.pool });
    }
    const owned = new Set(poolsHere.map((p) => `${p.clusterName}/${p.pool.name}`));
    const pools = [...poolKeys.entries()].map(([key, { clusterName, region, pool }]) => ({ ...this.poolPlan(clusterName, region, pool), createdInThisStack: owned.has(key) }));
    // A pool costs where it is created: the stacks that only place endpoints on it list it without adding it up again.
    const endpoints = endpointsHere.map((e): EndpointPlan => {
      const pool = pools.find((p) => p.clusterName === e.clusterName && p.pool === e.pool.name);
      const gpuHours = (e.rollout.warmStableExtraReplicaSecondsPerRollout * e.gpusPerReplica) / 3600;
      const perGpuHour = pool?.usdPerNodeHour === undefined ? undefined : pool.usdPerNodeHour / pool.gpusPerNode;
      return {
        ...e,
        placement: pool?.placement ?? describePlacement(e.pool.placement),
        warmStableCost: {
          extraGpusAtPeak: e.rollout.warmStableExtraReplicas * e.gpusPerReplica,
          extraGpuHoursPerRollout: round2(gpuHours),
          usdPerRollout: perGpuHour === undefined ? undefined : round2(gpuHours * perGpuHour),
        },
      };
    });
    const sum = (f: (p: PoolPlan) => number | undefined) => round2(pools.filter((p) => p.createdInThisStack).reduce((n, p) => n + (f(p) ?? 0), 0));
    return {
      stack: stack.node.id,
      priceRegion: this.options.priceRegion,
      pricesReadOn: GPU_PRICES_READ_ON,
      spotDiscountPercent: this.options.spotDiscountPercent,
      pools,
      endpoints,
      totals: {
        hourlyUsd: { min: sum((p) => p.hourlyUsd?.min), max: sum((p) => p.hourlyUsd?.max) },
        monthlyUsd: { min: sum((p) => p.monthlyUsd?.min), max: sum((p) => p.monthlyUsd?.max) },
      },
    };
  }

  private endpointsOn(clusterName: string, pool: string): PlannedEndpoint[] {
    return this.endpoints.map((e) => e.endpoint).filter((e) => e.clusterName === clusterName && e.pool.name === pool);
  }

  private poolPlan(clusterName: string, region: string | undefined, pool: GpuPoolDescription): PoolPlan {
    const instanceType = pool.instanceTypes[0];
    const onPremises = pool.placement?.kind === "on-premises";
    // Your own servers have no cloud list price: they are shown without one and left out of the totals.
    const catalogPrice = onPremises ? undefined : GPU_ON_DEMAND_PRICES_USD_PER_HOUR[instanceType]?.usdPerHour;
    // Prices differ by region (GovCloud and China by a lot): only the price region is priced, unless estimates are asked for.
    const inPriceRegion = region === this.options.priceRegion;
    const listed = inPriceRegion || this.options.estimateOtherRegions ? catalogPrice : undefined;
    const priceNote = onPremises
      ? "on-premises servers have no cloud price: their cost is yours, outside AWS, and left out of the totals"
      : catalogPrice === undefined
        ? `no list price for ${instanceType} in the catalog`
        : inPriceRegion
          ? undefined
          : this.options.estimateOtherRegions
            ? `estimated at ${this.options.priceRegion} list prices: ${region === undefined ? "the region is not known at synth time" : `the catalog has no prices for ${region}`}`
            : `${region === undefined ? "the region is not known at synth time" : `the catalog has no prices for ${region}`} (it has ${this.options.priceRegion}); CapacityPlan.of(app).configure({ estimateOtherRegions: true }) prices it at ${this.options.priceRegion} list prices as an estimate`;
    const price = listed === undefined ? undefined : round4(pool.capacityType === "SPOT" ? listed * (1 - this.options.spotDiscountPercent / 100) : listed);
    const on = this.endpointsOn(clusterName, pool.name);
    const idle = Math.min(pool.maxSize, Math.max(pool.minSize, nodesFor(on, pool.gpuCount, (e) => e.minReplicas)));
    return {
      clusterName,
      pool: pool.name,
      region,
      instanceType,
      capacityType: pool.capacityType,
      gpuModel: pool.gpuModel,
      gpusPerNode: pool.gpuCount,
      minNodes: pool.minSize,
      maxNodes: pool.maxSize,
      nodesAtMinReplicas: idle,
      usdPerNodeHour: price,
      priceNote,
      // "min" is what the pool costs with every endpoint at its minimum replicas; "max" is the autoscaler's ceiling.
      hourlyUsd: price === undefined ? undefined : { min: round2(price * idle), max: round2(price * pool.maxSize) },
      monthlyUsd: price === undefined ? undefined : { min: round2(price * idle * HOURS_PER_MONTH), max: round2(price * pool.maxSize * HOURS_PER_MONTH) },
      endpointGpus: { min: on.reduce((n, e) => n + e.minReplicas * e.gpusPerReplica, 0), max: on.reduce((n, e) => n + e.maxReplicas * e.gpusPerReplica, 0) },
      endpoints: on.map((e) => e.name),
      placement: !pool.placement || pool.placement.kind === "region" ? `region ${region ?? "(unknown at synth)"}` : describePlacement(pool.placement),
      join: pool.join ? { labels: { ...pool.labels }, ...pool.join } : undefined,
    };
  }

  private hook(stack: TerraformStack): void {
    if (this.hooked.has(stack)) return;
    this.hooked.add(stack);
    onStackSynthesis(stack, "capacity-plan", (session: ISynthesisSession) => {
        const report = this.reportFor(stack);
        const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, PLAN_REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
        fs.writeFileSync(path.join(dir, PLAN_REPORT_FILES.markdown), planMarkdown(report));
        const [head, ...details] = planSummary(report).trimEnd().split("\n");
        reportSynthesisSummary(stack, head.replace(`plan ${report.stack}: `, "GPU plan: "), details.map((d) => d.trim()), 1);
        for (const p of report.pools.filter((x) => x.usdPerNodeHour === undefined && x.createdInThisStack !== false && !x.join)) {
          warn(stack, `plan: pool ${p.pool} (${p.instanceType}) has no price: ${p.priceNote}; its cost is left out of the totals`);
        }
    });
  }
}

/** The console lines of a plan report: one per pool and per endpoint. */
export function planSummary(r: PlanReport): string {
  const ownPools = r.pools.filter((p) => p.createdInThisStack !== false).length;
  const cost = ownPools > 0 ? `; $${r.totals.hourlyUsd.min.toFixed(2)}-$${r.totals.hourlyUsd.max.toFixed(2)}/h (${r.priceRegion} list prices of ${r.pricesReadOn})` : "; pools and their cost belong to another stack";
  const lines = [`plan ${r.stack}: ${ownPools} GPU pool(s), ${r.endpoints.length} endpoint(s)${cost}`];
  for (const p of r.pools) {
    const cost = p.hourlyUsd ? `$${p.hourlyUsd.min.toFixed(2)}-$${p.hourlyUsd.max.toFixed(2)}/h${p.priceNote ? " (estimate)" : ""}` : `no price (${p.priceNote})`;
    if (p.createdInThisStack === false) continue;
    lines.push(`  pool ${p.pool}: ${p.minNodes}-${p.maxNodes} x ${p.instanceType} (${p.nodesAtMinReplicas} at min replicas) (${p.gpusPerNode} x ${p.gpuModel}, ${p.join ? p.placement : p.capacityType.toLowerCase()}), ${cost}; endpoints: ${p.endpoints.join(", ") || "none"}`);
  }
  for (const e of r.endpoints) {
    lines.push(
      `  endpoint ${e.name}: ${e.minReplicas}-${e.maxReplicas} x ${e.gpusPerReplica} GPU on ${e.pool.name}, GPU memory ${Math.round(e.fitUsedFraction * 100)}% used; ` +
        `bad canary rolled back in <= ${mins(e.rollout.firstStepRollbackSeconds)} at ${e.rollout.steps[0]}% (${e.rollout.firstStepExposurePercentMinutes} %-min)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The Markdown plan report. */
export function planMarkdown(r: PlanReport): string {
  const money = (v?: { min: number; max: number }) => (v ? `$${v.min.toFixed(2)} - $${v.max.toFixed(2)}` : "n/a");
  const out = [
    `# GPU plan: stack \`${r.stack}\``,
    "",
    `List prices: on-demand, ${r.priceRegion}, read ${r.pricesReadOn}; spot at ${r.spotDiscountPercent}% off. Monthly = ${HOURS_PER_MONTH} hours. Cost at "min" = nodes the endpoints' minimum replicas hold; at "max" = the pool's maxSize.`,
    "",
    "## Pools",
    "",
    "| Cluster | Pool | Instance type | Capacity | GPUs/node | Nodes (min-max; at min replicas) | $/node-hour | $/hour (min - max) | $/month (min - max) | Endpoint GPUs (min - max) | Endpoints |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...r.pools.map(
      (p) =>
        `| ${p.clusterName} | ${p.pool} | ${p.instanceType} | ${p.capacityType} | ${p.gpusPerNode} x ${p.gpuModel} | ${p.minNodes}-${p.maxNodes}; ${p.nodesAtMinReplicas} | ${p.usdPerNodeHour?.toFixed(4) ?? "n/a"} | ${money(p.hourlyUsd)} | ${money(p.monthlyUsd)} | ${p.endpointGpus.min} - ${p.endpointGpus.max} | ${p.endpoints.join(", ") || "-"} |`,
    ),
    "",
    `Total of the pools this stack creates: ${money(r.totals.hourlyUsd)} per hour, ${money(r.totals.monthlyUsd)} per month.` +
      (r.pools.some((p) => p.createdInThisStack === false) ? " Pools of another stack are listed for reference and counted there." : ""),
    "",
    ...r.pools.filter((p) => p.priceNote).map((p) => `- Pool ${p.pool}: ${p.priceNote}.`),
    ...(r.pools.some((p) => p.priceNote) ? [""] : []),
    ...placementSection(r),
  ];
  if (r.endpoints.length) {
    out.push(
      "## Endpoints",
      "",
      "| Endpoint | Pool | GPUs/replica | Replicas (min-max) | For declared load | GPU memory used | Weights | KV cache | Detection | Rollback at first step | Exposure at first step | Worst step rollback / exposure | Full rollout |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...r.endpoints.map(
        (e) =>
          `| ${e.name} | ${e.pool.name} | ${e.gpusPerReplica} | ${e.minReplicas}-${e.maxReplicas} | ${e.replicasForLoad ?? "-"} | ${Math.round(e.fitUsedFraction * 100)}% | ${e.weightsGiB.toFixed(1)} GiB | ${e.kvCacheGiB.toFixed(1)} GiB (${e.kvCacheTokens.toLocaleString("en-US")} tokens) | ` +
          `${mins(e.rollout.detectionSeconds)} | ${mins(e.rollout.firstStepRollbackSeconds)} | ${e.rollout.firstStepExposurePercentMinutes} %-min | ${mins(e.rollout.worstStepRollbackSeconds)} / ${e.rollout.worstStepExposurePercentMinutes} %-min | ${mins(e.rollout.fullRolloutSeconds)} |`,
      ),
      "",
      "Exposure is the share of requests a bad canary answers before all traffic is back on stable, in percent of traffic x minutes.",
      "",
      "## Cold start and rollback budget",
      "",
      "A replica's start, part by part (seconds). Warm node = a new replica on a node already up that holds the image; new node = the node, the image and the rest. " +
        "Bandwidths: the instance's network share (EC2 family pages), 85 MB/s per S3 connection (S3 user guide, performance guidelines), host-to-GPU at half the PCIe link (NVIDIA data sheets). " +
        "Image: a pull and unpack scaled from the one public measurement (a 9.5 GB image in 334 s; from a Fast Snapshot Restore snapshot in under 5 s: terraform-aws-eks-blueprints, ml-container-cache), or a pool's data-volume snapshot (`imageCache`). " +
        "Node ready and the servers' warm-up (process start, compilation, graph capture, profiling; lib/planning/cold-start.ts SERVER_WARMUP) are estimates, not measurements, except a warm-up an endpoint gives (`warmupSeconds`, marked given).",
      "",
      "| Endpoint | Weights | S3 connections | Node | Image | Weights | Load (copy + warm-up) | Warm node | New node | Rollback budget | Stable | Worst step rollback (shrinking stable / chosen) | Warm stable holds |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...r.endpoints.map((e) => {
        const c = e.coldStart;
        const w = e.warmStableCost;
        const held = e.rollout.warmStable ? `${w.extraGpusAtPeak} GPU at the last step, ${w.extraGpuHoursPerRollout} GPU-h per rollout${w.usdPerRollout === undefined ? "" : ` ($${w.usdPerRollout.toFixed(2)})`}` : "-";
        return (
          `| ${e.name} | ${c.weights === "stream" ? "streamed (Run:ai)" : "downloaded"}, ${e.weightsGiB.toFixed(1)} GiB at ${c.assumptions.weightsMBPerSecond} MB/s${c.cacheHitSeconds === undefined ? "" : `; node cache hit (restart, rollback, second replica): ${c.cacheHitSeconds} s to ready, read at ${c.cacheReadMiBps} MiB/s`} | ${c.s3Connections} | ${c.nodeSeconds} | ${c.imageSeconds} (${c.assumptions.imageGiB} GiB, ${c.image}) | ${c.weightsSeconds} | ${c.loadSeconds}${c.assumptions.warmupSource === "given" ? ` (warm-up ${c.assumptions.warmupSeconds} given)` : ""} | ${c.warmNodeSeconds} | ${c.newNodeSeconds} | ` +
          `${e.rollout.rollbackBudgetSeconds} s | ${e.rollout.warmStable ? "kept warm (dynamicStableScale off)" : "shrinks (dynamicStableScale)"} | ${e.rollout.worstStepRollbackSecondsWithoutWarmStable} s / ${e.rollout.worstStepRollbackSeconds} s | ${held} |`
        );
      }),
      "",
      ...r.endpoints.flatMap((e) => rolloutChart(e)),
    );
  }
  return out.join("\n");
}

/**
 * Where each pool and endpoint runs, and for on-premises pools the instructions their servers join with:
 * only when a pool is placed outside the region (a region-only plan reads as before).
 */
function placementSection(r: PlanReport): string[] {
  if (r.pools.every((p) => p.placement.startsWith("region"))) return [];
  const out = [
    "## Placement",
    "",
    "| Pool | Placement | GPUs/node | Nodes (min-max) | Cloud price |",
    "| --- | --- | --- | --- | --- |",
    ...r.pools.map((p) => `| ${p.pool} | ${p.placement} | ${p.gpusPerNode} x ${p.gpuModel} | ${p.minNodes}-${p.maxNodes} | ${p.join ? "none (on-premises)" : p.usdPerNodeHour === undefined ? "n/a" : `$${p.usdPerNodeHour.toFixed(4)}/node-hour`} |`),
    "",
  ];
  if (r.endpoints.length) {
    out.push("| Endpoint | Pool | Placement |", "| --- | --- | --- |", ...r.endpoints.map((e) => `| ${e.name} | ${e.pool.name} | ${e.placement} |`), "");
  }
  for (const p of r.pools.filter((x) => x.join)) {
    const join = p.join!;
    out.push(
      `### Join instructions: pool ${p.pool} (${p.placement})`,
      "",
      `Each of the ${p.maxNodes} server(s) joins as an EKS hybrid node with these labels and taints (endpoints select the pool by its label and tolerate the taint):`,
      "",
      ...Object.entries(join.labels).map(([k, v]) => `- label \`${k}=${v}\``),
      ...join.taints.map((t) => `- taint \`${t}\``),
      "",
      "`nodeadm init -c file://nodeConfig.yaml` with:",
      "",
      "```yaml",
      ...join.nodeadmConfig.trimEnd().split("\n"),
      "```",
      "",
    );
  }
  return out;
}

/**
 * An endpoint's rollout as a Mermaid `xychart-beta` (GitHub renders Mermaid in Markdown): the canary's
 * traffic weight minute by minute when every step passes, and when the canary turns bad at the start
 * of the worst step, where it keeps its weight through detection and the revert, then drops to 0.
 */
export function rolloutChart(e: PlannedEndpoint): string[] {
  const stepMinutes = e.rollout.fullRolloutSeconds / 60 / e.rollout.steps.length;
  // The worst step's weight, recovered from its exposure (weight x rollback minutes).
  const worstWeight = (e.rollout.worstStepExposurePercentMinutes * 60) / e.rollout.worstStepRollbackSeconds;
  const bad = e.rollout.steps.reduce((a, w, i) => (Math.abs(w - worstWeight) < Math.abs(e.rollout.steps[a] - worstWeight) ? i : a), 0);
  const start = bad * stepMinutes;
  const detectEnd = start + e.rollout.detectionSeconds / 60;
  const rollbackEnd = start + e.rollout.worstStepRollbackSeconds / 60;
  const minutes = Math.ceil(Math.max(e.rollout.fullRolloutSeconds / 60, rollbackEnd)) + 1;
  const xs = Array.from({ length: minutes + 1 }, (_, m) => m);
  const planned = xs.map((m) => (m >= e.rollout.steps.length * stepMinutes ? 100 : e.rollout.steps[Math.floor(m / stepMinutes)]));
  const failing = xs.map((m) => (m < start ? planned[m] : m < rollbackEnd ? e.rollout.steps[bad] : 0));
  return [
    `### Rollout of ${e.name}`,
    "",
    `Line 1: canary traffic when every step passes (${e.rollout.steps.join(", ")} %, ${stepMinutes} min each). Line 2: the canary turns bad as the worst step (${e.rollout.steps[bad]} %) starts at minute ${round2(start)}: ` +
      `detected by minute ${round2(detectEnd)} (detection ${e.rollout.detectionSeconds} s), all traffic back on stable by minute ${round2(rollbackEnd)} (rollback ${e.rollout.worstStepRollbackSeconds} s; budget ${e.rollout.rollbackBudgetSeconds} s).`,
    "",
    "```mermaid",
    "xychart-beta",
    `  title "${e.name}: canary traffic (%) over minutes"`,
    `  x-axis "minute" [${xs.join(", ")}]`,
    '  y-axis "canary weight (%)" 0 --> 100',
    `  line [${planned.join(", ")}]`,
    `  line [${failing.join(", ")}]`,
    "```",
    "",
  ];
}

/**
 * Most replicas an endpoint holds during a rollout from `replicas`: with dynamicStableScale the canary
 * is scaled up to its next weight before the stable scales down from the previous one; with a warm
 * stable the stable keeps all its replicas beside the canary.
 */
export function rolloutPeakReplicas(replicas: number, steps: readonly number[], warmStable = false): number {
  let peak = replicas;
  let previous = 0;
  for (const w of steps) {
    peak = Math.max(peak, Math.ceil((replicas * w) / 100) + (warmStable ? replicas : Math.ceil((replicas * (100 - previous)) / 100)));
    previous = w;
  }
  return peak;
}

/** Nodes a set of endpoints needs when each runs `replicas(e)` replicas; a replica never spans nodes. */
function nodesFor(endpoints: readonly PlannedEndpoint[], gpusPerNode: number, replicas: (e: PlannedEndpoint) => number): number {
  const n = endpoints.reduce((sum, e) => sum + replicas(e) / Math.floor(gpusPerNode / e.gpusPerReplica), 0);
  return Math.ceil(n - 1e-9);
}

function mins(seconds: number): string {
  const m = seconds / 60;
  return Number.isInteger(m) ? `${m} min` : `${m.toFixed(1)} min`;
}
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}
