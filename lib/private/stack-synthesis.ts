import { Annotations, ISynthesisSession, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
// Public in cdktf but not re-exported from its index: the hook that runs during a stack's synthesis,
// before its files are written. cdktf allows one per construct, so this module shares it.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

const STATE = Symbol.for("secure-inference.stack-synthesis");

/**
 * A hook of a stack's synthesis: `terraform()` is the stack's Terraform JSON (stack.toTerraform()), computed once per
 * synthesis and shared by the hooks and the summary line, since building it is a large part of a synth.
 */
export type SynthesisHook = (session: ISynthesisSession, terraform: () => Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

interface SynthesisState {
  readonly hooks: Map<string, SynthesisHook>;
  /** Parts of the one-line summary the hooks of the current synthesis reported, with detail lines. */
  parts: Array<{ readonly text: string; readonly details: readonly string[]; readonly order: number }>;
}
type StackWithState = TerraformStack & { [STATE]?: SynthesisState };

/**
 * Runs `hook` when `stack` is synthesized. Hooks are keyed: adding one under a key that is already
 * there keeps the first. They run in the order they were added; afterwards the stack's summary line
 * (resources, and what the hooks reported with `reportSynthesisSummary`) is printed.
 */
export function onStackSynthesis(stack: TerraformStack, key: string, hook: SynthesisHook): void {
  const s = stack as StackWithState;
  if (!s[STATE]) {
    const state: SynthesisState = { hooks: new Map(), parts: [] };
    s[STATE] = state;
    addCustomSynthesis(stack, {
      onSynthesize: (session: ISynthesisSession) => {
        state.parts = [];
        // The hooks read the stack; none changes it, so its Terraform is built once for all of them.
        let json: Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
        const terraform = () => (json ??= stack.toTerraform());
        state.hooks.forEach((h) => h(session, terraform));
        if (state.parts.length > 0) process.stdout.write(summaryLines(stack, terraform(), state.parts));
        printWarnings(stack);
      },
    });
  }
  if (!s[STATE].hooks.has(key)) s[STATE].hooks.set(key, hook);
}

/** Adds a part to the stack's summary line of this synthesis (e.g. "compliance PASS ..."), and optional indented detail lines. */
export function reportSynthesisSummary(stack: TerraformStack, text: string, details: readonly string[] = [], order = 0): void {
  (stack as StackWithState)[STATE]?.parts.push({ text, details, order });
}

function summaryLines(stack: TerraformStack, json: Record<string, any>, parts: SynthesisState["parts"]): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const resources = Object.values((json.resource ?? {}) as Record<string, Record<string, unknown>>).reduce((n, byName) => n + Object.keys(byName).length, 0);
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
