// The rules import rule-model.ts, never this file, so this import closes no cycle.
import type { RuleId } from "./rules";
import type { RuleParams } from "./rule-model";

export type { RuleId };

/** Level of a pack rule: errors fail synth, warnings are reported. */
export type ComplianceLevel = "error" | "warning";

/** A rule as a pack applies it: level, the controls it evidences, parameters. */
export interface PackRule {
  /** Id of a rule in the library's rule registry; a misspelled id does not compile. */
  readonly ruleId: RuleId;
  /** Error (fails synth) or warning. */
  readonly level: ComplianceLevel;
  /** Control citations of the framework, e.g. ["164.312(a)(2)(iv)"]. */
  readonly controls: readonly string[];
  /**
   * Parameters for this framework (e.g. retention days).
   * @default - the rule's defaults
   */
  readonly params?: RuleParams;
}

/** A framework's rule set. */
export interface CompliancePack {
  /** Short name used in findings and report file names, e.g. "HIPAA". */
  readonly name: string;
  /** Full title, e.g. "HIPAA Security Rule (45 CFR Part 164, Subpart C)". */
  readonly title: string;
  /** Rules with their citations. */
  readonly rules: readonly PackRule[];
}
