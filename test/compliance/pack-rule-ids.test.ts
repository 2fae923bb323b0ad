import { evaluateStack } from "../../lib/compliance/engine";
import { CompliancePack, PackRule, RuleId } from "../../lib/compliance/model";
import { ALL_RULES } from "../../lib/compliance/rules";

/*
 * Pack rule ids are typed from the rule registry. The @ts-expect-error lines are the proof: `npm test` runs
 * `tsc --noEmit` over this file, which fails if a misspelled id compiles (the directive is then unused).
 */

/** A pack as a user might build it, with a misspelled rule id (the rule is "KMSKeyRotationEnabled"). */
const TYPO_PACK: CompliancePack = {
  name: "TYPO",
  title: "A pack with a misspelled rule id",
  rules: [
    // @ts-expect-error "KmsKeyRotationEnabled" is not a RuleId.
    { ruleId: "KmsKeyRotationEnabled", level: "error", controls: [] },
  ],
};

describe("Pack rule ids", () => {
  it("compile for every rule of the registry, and not for a misspelled id or an arbitrary string", () => {
    const ids: readonly RuleId[] = ALL_RULES.map((r) => r.id);
    const entries: PackRule[] = ids.map((ruleId) => ({ ruleId, level: "warning", controls: [] }));
    expect(entries.map((e) => e.ruleId)).toEqual(ids);
    // @ts-expect-error a misspelled id.
    const typo: RuleId = "S3BucketVersioning";
    // @ts-expect-error any string: RuleId is the union of the registry's ids, not string.
    const wide: RuleId = String("S3BucketVersioningEnabled");
    expect([typo, wide]).toHaveLength(2);
  });

  it("are still checked at synth for packs built without the compiler's check (JavaScript, or a cast)", () => {
    expect(() => evaluateStack("s", {}, [TYPO_PACK], [])).toThrow(/compliance pack TYPO names rule "KmsKeyRotationEnabled", which the library does not have/);
  });
});
