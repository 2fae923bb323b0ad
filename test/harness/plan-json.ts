/** Typed helpers over `terraform show -json` output. */

/** A resource in planned_values. */
export interface PlannedResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The parts of a plan the tests read. */
export interface PlanJson {
  readonly format_version: string;
  readonly planned_values: { root_module: PlanModule };
  readonly resource_changes: Array<{ address: string; type: string; change: { actions: string[]; after: Record<string, any>; after_unknown: Record<string, any> } }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

interface PlanModule {
  readonly resources?: PlannedResource[];
  readonly child_modules?: PlanModule[];
}

/** Every planned resource, child modules included. */
export function plannedResources(plan: PlanJson, type?: string): PlannedResource[] {
  const out: PlannedResource[] = [];
  const walk = (m: PlanModule) => {
    out.push(...(m.resources ?? []));
    (m.child_modules ?? []).forEach(walk);
  };
  walk(plan.planned_values.root_module);
  return type ? out.filter((r) => r.type === type) : out;
}

/** Resource changes with the given action (e.g. "create"). */
export function changesWithAction(plan: PlanJson, action: string): string[] {
  return plan.resource_changes.filter((c) => c.change.actions.includes(action)).map((c) => c.address);
}
