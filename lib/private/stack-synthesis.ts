import { ISynthesisSession, TerraformStack } from "cdktf";
// Public in cdktf but not re-exported from its index: the hook that runs during a stack's synthesis,
// before its files are written. cdktf allows one per construct, so this module shares it.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

const STATE = Symbol.for("secure-inference.stack-synthesis");

interface SynthesisState {
  readonly hooks: Map<string, (session: ISynthesisSession) => void>;
  /** Parts of the one-line summary the hooks of the current synthesis reported, with detail lines. */
  parts: Array<{ readonly text: string; readonly details: readonly string[]; readonly order: number }>;
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
    const state: SynthesisState = { hooks: new Map(), parts: [] };
    s[STATE] = state;
    addCustomSynthesis(stack, {
      onSynthesize: (session: ISynthesisSession) => {
        state.parts = [];
        state.hooks.forEach((h) => h(session));
        if (state.parts.length > 0) process.stdout.write(summaryLines(stack, state.parts));
      },
    });
  }
  if (!s[STATE].hooks.has(key)) s[STATE].hooks.set(key, hook);
}

/** Adds a part to the stack's summary line of this synthesis (e.g. "compliance PASS ..."), and optional indented detail lines. */
export function reportSynthesisSummary(stack: TerraformStack, text: string, details: readonly string[] = [], order = 0): void {
  (stack as StackWithState)[STATE]?.parts.push({ text, details, order });
}

function summaryLines(stack: TerraformStack, parts: SynthesisState["parts"]): string {
  const resources = Object.values((stack.toTerraform().resource ?? {}) as Record<string, Record<string, unknown>>).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const sorted = [...parts].sort((a, b) => a.order - b.order);
  const lines = [`${stack.node.id}: ${resources} resources | ${sorted.map((p) => p.text).join(" | ")}`];
  for (const p of sorted) for (const d of p.details) lines.push(`  ${d}`);
  return `${lines.join("\n")}\n`;
}
