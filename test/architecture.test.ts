/**
 * The house rules ARCHITECTURE.md states, checked on the imports as written: what the store's
 * code may import, and that no folder's modules import one another in a circle.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE = /\.(ts|tsx|mjs|cjs)$/;
const SKIPPED = new Set(["node_modules", ".next", ".data", ".git", "generated", "test-results"]);
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?["']([^"']+)["']|(?:import|require)\(\s*["']([^"']+)["']\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    if (SKIPPED.has(name)) return [];
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return SOURCE.test(name) ? [rel] : [];
  });
}

/** The project files a module imports (relative and `@/` specifiers; packages are left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2];
    if (!specifier) continue;
    const base = specifier.startsWith("@/")
      ? specifier.slice(2)
      : specifier.startsWith(".")
        ? path.join(path.dirname(file), specifier)
        : null;
    if (base === null) continue;
    const candidates = [base, ...[".ts", ".tsx", ".mjs", ".cjs"].map((e) => base + e), path.join(base, "index.ts")];
    const target = candidates.find((c) => {
      try {
        return statSync(path.join(ROOT, c)).isFile();
      } catch {
        return false;
      }
    });
    if (target) found.push(path.normalize(target));
  }
  return found;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Every circle of imports among `files`, as lists of files. */
function circles(files: string[]): string[][] {
  const inside = new Set(files);
  return stronglyConnected(new Map(files.map((f) => [f, importsOf(f).filter((t) => inside.has(t))])));
}

/** The groups of nodes that reach one another through `edges` (Tarjan), circles only. */
function stronglyConnected(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
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
      if (component.length > 1 || edges.get(v)?.includes(v)) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the rooms of the house", () => {
  const lib = sourceFiles("lib").filter((f) => !isTest(f));

  it("lib/ is the running store: it imports nothing from the app, the seed, tooling or test support", () => {
    const upward = lib.flatMap((file) =>
      importsOf(file)
        .filter((target) => /^(app|prisma|tooling|test|bench|chaos|e2e|stripe-emulator)\//.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });

  it("configuration is read from the environment in lib/env only", () => {
    const product = [...lib, ...sourceFiles("app"), ...sourceFiles("components")].filter(
      (f) => !isTest(f) && !f.startsWith(path.join("lib", "env") + path.sep),
    );
    const readers = product.filter((file) => /process\.env\b/.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(readers).toEqual([]);
  });

  it("the emulator is a package of its own: no imports to or from the rest of the project", () => {
    const emulator = sourceFiles("stripe-emulator");
    const outward = emulator.flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith("stripe-emulator/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(outward).toEqual([]);
    const product = [...lib, ...sourceFiles("app"), ...sourceFiles("components")].filter((f) => !isTest(f));
    const inward = product.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith("stripe-emulator/"))
        .map((target) => `${file} -> ${target}`),
    );
    expect(inward).toEqual([]);
  });

  it("lib/'s folders depend on one another one way only", () => {
    const folderOf = (file: string) => file.split(path.sep).slice(0, 2).join("/");
    const ties = new Map<string, string[]>();
    for (const file of lib) {
      const targets = ties.get(folderOf(file)) ?? [];
      for (const target of importsOf(file))
        if (target.startsWith("lib/") && folderOf(target) !== folderOf(file)) targets.push(folderOf(target));
      ties.set(folderOf(file), targets);
    }
    expect(stronglyConnected(ties)).toEqual([]);
  });

  it.each(["lib", "components", "stripe-emulator"])("no import circles in %s/", (room) => {
    expect(circles(sourceFiles(room).filter((f) => !isTest(f)))).toEqual([]);
  });
});
