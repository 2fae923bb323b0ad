import * as fs from "fs";
import * as path from "path";
import { ALL_RULES } from "../../lib/compliance/rules";

/** docs/checkov-coverage.md must say what the rules claim: the doc cannot go stale without this test failing. */
const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "checkov-coverage.md"), "utf8");

/** The cells of the table rows of a section (between its heading and the next one). */
function rows(section: string): string[][] {
  const start = doc.indexOf(`## ${section}`);
  if (start < 0) throw new Error(`docs/checkov-coverage.md has no section "${section}"`);
  const end = doc.indexOf("\n## ", start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .filter((l) => /^\| (\*\*Total\*\*|CKV2?_AWS_\d+) \|/.test(l))
    .map((l) => l.slice(1, -1).split("|").map((c) => c.trim()));
}

const byRule = rows("Checks by rule");
const claimedInDoc = byRule.filter((r) => r[2] === "claimed").flatMap(([id, , , rules]) => rules.split(", ").map((rule) => `${id} ${rule}`));
const claimedByRules = ALL_RULES.flatMap((r) => (r.checkov ?? []).map((id) => `${id} ${r.id}`));

describe("docs/checkov-coverage.md", () => {
  it("lists as claimed exactly the (checkov id, rule) pairs of the rules' checkov fields", () => {
    expect([...new Set(claimedInDoc)].sort()).toEqual([...new Set(claimedByRules)].sort());
    expect(claimedInDoc.length).toBe(new Set(claimedInDoc).size);
  });

  it("has one row per checkov id, each claimed, covered by another rule, or out of scope with a reason", () => {
    const ids = byRule.map((r) => r[0]);
    expect(ids.length).toBe(new Set(ids).size);
    for (const [id, , status, , notes] of byRule) {
      expect([id, ["claimed", "covered by another rule", "out of scope"].includes(status)]).toEqual([id, true]);
      if (status !== "claimed") expect([id, notes.length > 10]).toEqual([id, true]);
    }
  });

  it("states the number of claimed ids the rules make", () => {
    const claimed = new Set(claimedByRules.map((p) => p.split(" ")[0]));
    expect(doc).toContain(`**${claimed.size} checkov ids claimed**`);
  });

  it("measures only claimed ids, with totals that add up and agree with the summary", () => {
    const measured = rows("Measured on checkov's fixtures");
    const total = measured.find((r) => r[0] === "**Total**")!;
    const lines = measured.filter((r) => r[0] !== "**Total**");
    const claimed = new Set(claimedByRules.map((p) => p.split(" ")[0]));
    expect(lines.map((r) => r[0]).filter((id) => !claimed.has(id))).toEqual([]);
    const sum = (i: number, part: 0 | 1) => lines.reduce((n, r) => n + Number(r[i].split("/")[part]), 0);
    const [failing, failingTotal, passing, passingTotal] = [sum(2, 0), sum(2, 1), sum(3, 0), sum(3, 1)];
    expect(total[2]).toContain(`**${failing}/${failingTotal} (`);
    expect(total[3]).toBe(`**${passing}/${passingTotal}**`);
    expect(doc).toContain(`Failing fixtures detected: ${failing} of ${failingTotal}`);
    expect(doc).toContain(`Passing fixtures flagged: ${passing} of ${passingTotal}`);
    for (const r of lines) expect([r[0], Number(r[2].split("/")[0]) <= Number(r[2].split("/")[1])]).toEqual([r[0], true]);
  });
});
