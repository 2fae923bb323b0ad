import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8"));

/** ts-node with swc (tsconfig.json "ts-node") only strips types, so the run paths the README shows type-check first. */
describe("the README's run paths type-check the app before running it", () => {
  it("cdktf synth runs tsc over the library and the examples, then the reference example", () => {
    expect(read("cdktf.json").app).toBe("npx tsc -p tsconfig.examples.json && npx ts-node examples/reference-platform/main.ts");
  });

  it("npm run example -- <main.ts> does the same for any example", () => {
    expect(read("package.json").scripts.example).toBe("tsc -p tsconfig.examples.json && ts-node");
  });

  it("tsconfig.examples.json covers lib and every example's main.ts, type-checking only", () => {
    const cfg = read("tsconfig.examples.json");
    expect(cfg.include).toEqual(["lib/**/*.ts", "examples/**/main.ts"]);
    expect(cfg.compilerOptions.noEmit).toBe(true);
    expect(read("tsconfig.json").compilerOptions.strict).toBe(true);
  });
});
