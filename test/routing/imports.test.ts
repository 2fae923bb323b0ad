/**
 * The routing folder's own import rules, beside the library-wide ones of test/architecture.test.ts
 * (layer order, no cycle): the builders and the resolver sit below the construct, and the router
 * depends on lib/endpoint through the CanaryModelEndpoint class only.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const LIB = path.join(__dirname, "..", "..", "lib");
const ROUTING = path.join(LIB, "routing");

/** Relative imports of a file (import, import type, export from, dynamic import), resolved to .ts files. */
function importsOf(file: string): string[] {
  return ts
    .preProcessFile(fs.readFileSync(file, "utf8"), true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.resolve(path.dirname(file), spec))
    .map((base) => [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f)) ?? base);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("lib/routing imports", () => {
  const routingFiles = filesUnder(ROUTING);

  it("keeps the builders and the resolver below the construct: nothing in routing/private imports inference-router.ts", () => {
    const construct = path.join(ROUTING, "inference-router.ts");
    const privateFiles = routingFiles.filter((f) => f.startsWith(path.join(ROUTING, "private") + path.sep));
    expect(privateFiles.length).toBeGreaterThan(5);
    expect(privateFiles.filter((f) => importsOf(f).includes(construct)).map((f) => path.relative(LIB, f))).toEqual([]);
  });

  it("takes from lib/endpoint only the CanaryModelEndpoint class", () => {
    const endpoint = path.join(LIB, "endpoint") + path.sep;
    const used = new Set(routingFiles.flatMap(importsOf).filter((f) => f.startsWith(endpoint)).map((f) => path.relative(LIB, f)));
    expect([...used]).toEqual([path.join("endpoint", "canary-model-endpoint.ts")]);
  });
});
