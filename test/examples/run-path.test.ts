import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8"));

/**
 * ts-node with swc (tsconfig.json "ts-node") only strips types, so the run paths the README shows type-check first.
 * `cdktf synth` runs the compiled JavaScript: under ts-node, every token cdktf creates formats a stack trace
 * through source-map-support, which more than doubles synth time (bench/compare-revisions.ts measures it).
 */
describe("the README's run paths type-check the app before running it", () => {
  it("cdktf synth runs tsc over the library and the examples, then the compiled reference example under plain node", () => {
    // Build mode (-b) skips the whole program when no input changed since the last build (about 0.8 s against 3 s for
    // -p on this tree) and still type-checks whatever changed. It trusts its build info and does not look for the
    // emitted files, so the two live in one folder under node_modules/.cache: npm ci (or deleting the cache) removes
    // both, and the next synth checks and emits everything.
    expect(read("cdktf.json").app).toBe("npx tsc -b tsconfig.examples.json && node node_modules/.cache/examples-build/examples/reference-platform/main.js");
    const cfg = read("tsconfig.examples.json");
    // The emitted tree mirrors the checkout, so the app's path is the source's with .js; it is not committed.
    expect(cfg.compilerOptions).toMatchObject({
      noEmit: false,
      outDir: "node_modules/.cache/examples-build",
      rootDir: ".",
      tsBuildInfoFile: "node_modules/.cache/examples-build/tsconfig.examples.tsbuildinfo",
    });
    expect(fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n")).toContain("node_modules/");
  });

  it("npm run example -- <main.ts> does the same for any example", () => {
    expect(read("package.json").scripts.example).toBe("tsc -b tsconfig.examples.json && ts-node");
  });

  it("tsconfig.examples.json covers lib and every example's main.ts, strictly", () => {
    const cfg = read("tsconfig.examples.json");
    expect(cfg.include).toEqual(["lib/**/*.ts", "examples/**/main.ts"]);
    expect(read("tsconfig.json").compilerOptions.strict).toBe(true);
  });
});
