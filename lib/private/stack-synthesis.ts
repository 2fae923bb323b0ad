import { ISynthesisSession, TerraformStack } from "cdktf";
// Public in cdktf but not re-exported from its index: the hook that runs during a stack's synthesis,
// before its files are written. cdktf allows one per construct, so this module shares it.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

const HOOKS = Symbol.for("secure-inference.stack-synthesis-hooks");
type StackWithHooks = TerraformStack & { [HOOKS]?: Map<string, (session: ISynthesisSession) => void> };

/**
 * Runs `hook` when `stack` is synthesized. Hooks are keyed: adding one under a key that is already
 * there keeps the first. They run in the order they were added (compliance first when enforced first).
 */
export function onStackSynthesis(stack: TerraformStack, key: string, hook: (session: ISynthesisSession) => void): void {
  const s = stack as StackWithHooks;
  if (!s[HOOKS]) {
    const hooks = new Map<string, (session: ISynthesisSession) => void>();
    s[HOOKS] = hooks;
    addCustomSynthesis(stack, { onSynthesize: (session: ISynthesisSession) => hooks.forEach((h) => h(session)) });
  }
  if (!s[HOOKS].has(key)) s[HOOKS].set(key, hook);
}
