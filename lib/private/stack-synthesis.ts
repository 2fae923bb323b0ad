import { Annotations, ISynthesisSession, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
// Public in cdktf but not re-exported from its index: the hook that runs during a stack's synthesis,
// before its files are written. cdktf allows one per construct, so this module shares it.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

const STATE = Symbol.for("secure-inference.stack-synthesis");

interface SynthesisState {
  readonly hooks: Map<string, (session: ISynthesisSession) => void>;
  /** Parts of the one-line summary the hooks of the current synthesis reported, with detail lines. */
  parts: Array<{ readonly text: string; readonly details: readonly string[]; readonly order: number }>;
  /** The stack's Terraform JSON, resolved once per synthesis for every hook (see synthesizedJson). */
  json?: Record<string, unknown>;
  /** True while the hooks of a synthesis run. */
  synthesizing: boolean;
}
type StackWithState = TerraformStack & { [STATE]?: SynthesisState };

/**
 * Runs `hook` when `stack` is synthesized. Hooks are keyed: adding one under a key that is already
 * there keeps the first. They run in the order they were added; afterwards the stack's summary line
 * (resources, and what the hooks reported with `reportSynthesisSummary`) is printed.
 */
export function onStackSynthesis(stack: TerraformStack, key: string, hook: (session: ISynthesisSession) => void): void {
  const s = stack as StackWithState;
  if (!s[STATE]) {
    const state: SynthesisState = { hooks: new Map(), parts: [], synthesizing: false };
    s[STATE] = state;
    addCustomSynthesis(stack, {
      onSynthesize: (session: ISynthesisSession) => {
        state.parts = [];
        state.json = undefined;
        state.synthesizing = true;
        try {
          state.hooks.forEach((h) => h(session));
          if (state.parts.length > 0) process.stdout.write(summaryLines(stack, state.parts));
        } finally {
          state.synthesizing = false;
          state.json = undefined;
        }
        printWarnings(stack);
      },
    });
  }
  if (!s[STATE].hooks.has(key)) s[STATE].hooks.set(key, hook);
}

/**
 * The stack's Terraform JSON for a hook of the current synthesis: resolved once and shared by the
 * hooks (compliance, the summary line), since resolving every token of a stack is the largest part
 * of synth time (cdktf captures a stack trace per token). Hooks only read it and write other files, so
 * one resolution serves them all; outside a synthesis it resolves afresh.
 */
export function synthesizedJson(stack: TerraformStack): Record<string, unknown> {
  const state = (stack as StackWithState)[STATE];
  if (!state?.synthesizing) return stack.toTerraform() as Record<string, unknown>;
  state.json ??= stack.toTerraform() as Record<string, unknown>;
  return state.json;
}

/** Adds a part to the stack's summary line of this synthesis (e.g. "compliance PASS ..."), and optional indented detail lines. */
export function reportSynthesisSummary(stack: TerraformStack, text: string, details: readonly string[] = [], order = 0): void {
  (stack as StackWithState)[STATE]?.parts.push({ text, details, order });
}

function summaryLines(stack: TerraformStack, parts: SynthesisState["parts"]): string {
  const resources = Object.values((synthesizedJson(stack).resource ?? {}) as Record<string, Record<string, unknown>>).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const sorted = [...parts].sort((a, b) => a.order - b.order);
  const lines = [`${stack.node.id}: ${resources} resources | ${sorted.map((p) => p.text).join(" | ")}`];
  for (const p of sorted) for (const d of p.details) lines.push(`  ${d}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Records a synth-time warning on `scope` (a cdktf annotation, which the cdktf CLI prints) and makes
 * sure it is seen when the app runs without the CLI too (`npx ts-node main.ts`, jest): the stack's
 * warnings are then written to stderr when it is synthesized.
 */
export function warn(scope: IConstruct, message: string): void {
  Annotations.of(scope).addWarning(message);
  onStackSynthesis(TerraformStack.of(scope), "warnings", () => undefined);
}

/**
 * The cdktf CLI runs the app with CDKTF_OUTDIR set and prints annotations itself; jest tests read
 * annotations from the tree (and would drown in repeats).
 */
const printedElsewhere = () => process.env.CDKTF_OUTDIR !== undefined || process.env.JEST_WORKER_ID !== undefined;

function printWarnings(stack: TerraformStack): void {
  if (printedElsewhere()) return;
  const lines = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => `Warning: ${c.node.path}: ${String(m.data)}`));
  if (lines.length > 0) process.stderr.write(`${lines.join("\n")}\n`);
}
