import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "./browser-zod";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SOURCE = /\.(ts|tsx)$/;

/** Every module a "use client" file pulls into the browser bundle, through our own imports. */
function clientGraph(): Map<string, string[]> {
  const entries = ["app", "components", "lib"]
    .flatMap((dir) =>
      readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((f) => path.join(ROOT, dir, f)),
    )
    .filter((f) => SOURCE.test(f) && !/\.test\.tsx?$/.test(f))
    .filter((f) => /^\s*["']use client["']/.test(readFileSync(f, "utf8")));
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...[...text.matchAll(/^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!),
      // Modules loaded later with import() run in the browser too.
      ...[...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ];
    graph.set(file, specifiers);
    for (const spec of specifiers) {
      const base = spec.startsWith("@/")
        ? path.join(ROOT, spec.slice(2))
        : spec.startsWith(".")
          ? path.resolve(path.dirname(file), spec)
          : null;
      if (!base) continue;
      const resolved = [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((p) => existsSync(p));
      if (resolved) visit(resolved);
    }
  };
  entries.forEach(visit);
  return graph;
}

describe("zod in the browser", () => {
  it("client code takes zod only from browser-zod, so the CSP-safe setting always applies", () => {
    const graph = clientGraph();
    expect(graph.size).toBeGreaterThan(10);
    const direct = [...graph]
      .filter(([file]) => !file.endsWith(path.join("lib", "validation", "browser-zod.ts")))
      .filter(([, specs]) => specs.some((s) => s === "zod" || s.startsWith("zod/")))
      .map(([file]) => path.relative(ROOT, file));
    expect(direct).toEqual([]);
    // The cart and the live order status do validate with it.
    const users = [...graph].filter(([, specs]) => specs.includes("@/lib/validation/browser-zod"));
    expect(users.map(([file]) => path.basename(file)).sort()).toEqual(
      expect.arrayContaining(["schema.ts", "responses.ts", "live-order-status.tsx"]),
    );
  });

  it("parses without compiling code at run time", () => {
    const original = globalThis.Function;
    // Any `new Function(...)` is counted and then refused, as a browser under our CSP refuses it
    // (and reports the violation, which is what must not happen).
    let attempts = 0;
    globalThis.Function = new Proxy(original, {
      construct() {
        attempts += 1;
        throw new EvalError("Refused to evaluate a string as JavaScript");
      },
    });
    try {
      const schema = z.object({ id: z.string(), n: z.int(), tags: z.array(z.string()) });
      expect(schema.safeParse({ id: "a", n: 1, tags: ["x"] }).success).toBe(true);
      expect(schema.safeParse({ id: "a", n: 1.5, tags: [] }).success).toBe(false);
      expect(attempts).toBe(0);
    } finally {
      globalThis.Function = original;
    }
  });
});
