// The trainer's layers point one way. Walks every import (type-only ones too) of every non-test
// module under src/ and fails on a cycle, naming it: between two modules, and between two folders
// (each top-level folder of src/ is one node, each root file its own; index.ts barrels, which only
// re-export the package surface and are imported by nothing inside, are left out of the folder graph).
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = path.dirname(fileURLToPath(import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return modules(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const p of [base, `${base}.ts`, path.join(base, "index.ts")]) if (p.endsWith(".ts") && existsSync(p)) return p;
  throw new Error(`${path.relative(SRC, from)}: import '${spec}' resolves to no file`);
}

/** Module -> the modules it imports (inside src/). */
function importGraph(): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const file of modules(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t): t is string => t !== null);
    g.set(path.relative(SRC, file), new Set(targets.map((t) => path.relative(SRC, t))));
  }
  return g;
}

/** One cycle of the graph as a path a -> ... -> a, or null. */
export function findCycle(g: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, "open");
    stack.push(n);
    for (const m of g.get(n) ?? []) {
      if (state.get(m) === "open") return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return null;
  };
  for (const n of g.keys()) if (!state.has(n)) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

const folderOf = (file: string) => (file.includes(path.sep) ? file.split(path.sep)[0] + "/" : file);

function folderGraph(g: Map<string, Set<string>>): Map<string, Set<string>> {
  const f = new Map<string, Set<string>>();
  for (const [from, tos] of g) {
    if (path.basename(from) === "index.ts") continue;
    const a = folderOf(from);
    if (!f.has(a)) f.set(a, new Set());
    for (const to of tos) if (path.basename(to) !== "index.ts" && folderOf(to) !== a) f.get(a)!.add(folderOf(to));
  }
  return f;
}

describe("trainer import graph", () => {
  const g = importGraph();

  it("sees the package (the walk found modules and imports)", () => {
    expect(g.size).toBeGreaterThan(50);
    expect(g.get(path.join("train", "train-step.ts"))?.has(path.join("optim", "clip-grads.ts"))).toBe(true);
  });

  it("has no cycle between modules", () => {
    expect(findCycle(g)).toBeNull();
  });

  it("has no cycle between folders", () => {
    const cycle = findCycle(folderGraph(g));
    // Name the imports that make the first step of the cycle, to say where to cut.
    const why = cycle
      ? [...g].flatMap(([from, tos]) => [...tos].filter((to) => folderOf(from) === cycle[0] && folderOf(to) === cycle[1]).map((to) => `${from} -> ${to}`))
      : [];
    expect({ cycle, why }).toEqual({ cycle: null, why: [] });
  });

  it("only folders owned elsewhere still import train/types.ts (the shared types live in types.ts)", () => {
    const pending = new Set(["zoo/", "config/", "sweep/"]);
    const up = [...g].filter(([from, tos]) => tos.has(path.join("train", "types.ts")) && !pending.has(folderOf(from))).map(([from]) => from);
    expect(up).toEqual([]);
  });

  it("findCycle finds a cycle when there is one", () => {
    const c = findCycle(new Map([["a", new Set(["b"])], ["b", new Set(["c"])], ["c", new Set(["a"])]]));
    expect(c).toEqual(["a", "b", "c", "a"]);
  });
});
