/**
 * The dependency rules of lib/ (ARCHITECTURE.md, "Verification"): one direction between folders,
 * private -> security -> planning -> cluster -> addons -> endpoint -> routing, compliance reading
 * only private and planning, and no import cycle between files, type-only imports included
 * (ESLint's import-x/no-cycle skips those, so this test is where they are caught).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const LIB = path.resolve(__dirname, "../lib");

/** Folders of lib/ from the bottom up: a file may import from its own folder or one below it. */
const LAYERS = ["private", "security", "planning", "cluster", "addons", "endpoint", "routing"] as const;
/** Folders compliance/ may read (plus lib/errors.ts). */
const COMPLIANCE_READS = ["private", "planning"];
/** Entry points that gather the public API from every folder. */
const ENTRY_POINTS = new Set(["index.ts", "testing.ts"]);

type Graph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports of every file under lib/ (import, import type, export from, dynamic import), as paths relative to lib/. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of sourceFiles(LIB)) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => {
        const base = path.resolve(path.dirname(file), spec);
        const hit = [`${base}.ts`, path.join(base, "index.ts")].find((c) => fs.existsSync(c));
        if (!hit) throw new Error(`${path.relative(LIB, file)} imports ${spec}, which resolves to no .ts file`);
        return path.relative(LIB, hit);
      });
    graph.set(path.relative(LIB, file), targets);
  }
  return graph;
}

/** Every cycle of the graph, as the files of each strongly connected component (Tarjan). */
function cyclesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The folder of a lib/ path: its first segment, or "" for a file directly in lib/. */
const folderOf = (file: string) => (file.includes(path.sep) ? file.split(path.sep)[0] : "");

/** Imports that break the layer order, as "from -> to" lines. */
function layerViolations(graph: Graph): string[] {
  const rank = (folder: string) => (LAYERS as readonly string[]).indexOf(folder);
  const out: string[] = [];
  for (const [from, targets] of graph) {
    if (ENTRY_POINTS.has(from)) continue;
    const a = folderOf(from);
    for (const to of targets) {
      const b = folderOf(to);
      if (a === b || b === "") continue; // own folder, or lib/errors.ts which everything may use
      let allowed: boolean;
      if (a === "") allowed = false; // errors.ts sits below every folder
      else if (a === "compliance") allowed = COMPLIANCE_READS.includes(b);
      else if (b === "compliance") allowed = rank(a) >= rank("security"); // constructs record suppressions
      else allowed = rank(a) >= 0 && rank(b) >= 0 && rank(b) <= rank(a);
      if (!allowed) out.push(`${from} -> ${to}`);
    }
  }
  return out.sort();
}

describe("dependencies in lib/", () => {
  const graph = importGraph();

  it("reads every file of lib/ and resolves every relative import", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(path.join("cluster", "secure-inference-cluster.ts"))).toContain(path.join("planning", "capacity-plan.ts"));
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("imports only from the same folder or one below it: private -> security -> planning -> cluster -> addons -> endpoint -> routing", () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it("lets compliance read only private and planning (and lib/errors.ts)", () => {
    const reads = new Set([...graph].filter(([f]) => folderOf(f) === "compliance").flatMap(([, ts]) => ts.map(folderOf)));
    for (const folder of reads) expect(["compliance", "", ...COMPLIANCE_READS]).toContain(folder);
  });

  it("keeps private/ folders private: only lib/index.ts exports, and it exports nothing from a private folder", () => {
    const index = graph.get("index.ts") ?? [];
    expect(index.filter((f) => f.split(path.sep).includes("private"))).toEqual([]);
  });
});

describe("the dependency checks themselves", () => {
  it("find a cycle through a type-only import and a self-import", () => {
    const g: Graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["d.ts"]],
      ["e.ts", ["a.ts"]],
    ]);
    expect(cyclesOf(g)).toEqual([["a.ts", "b.ts", "c.ts"], ["d.ts"]]);
  });

  it("find an import from a higher folder and compliance reading a construct", () => {
    const g: Graph = new Map([
      [path.join("planning", "capacity-plan.ts"), [path.join("cluster", "gpu-node-pool.ts"), path.join("private", "validation.ts")]],
      [path.join("compliance", "engine.ts"), [path.join("security", "secure-bucket.ts"), "errors.ts"]],
      [path.join("routing", "inference-router.ts"), [path.join("endpoint", "canary-model-endpoint.ts")]],
    ]);
    expect(layerViolations(g)).toEqual([
      `${path.join("compliance", "engine.ts")} -> ${path.join("security", "secure-bucket.ts")}`,
      `${path.join("planning", "capacity-plan.ts")} -> ${path.join("cluster", "gpu-node-pool.ts")}`,
    ]);
  });
});
