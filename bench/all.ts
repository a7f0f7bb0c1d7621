/**
 * Runs every benchmark one after another, each as its own `npm run` child (each starts and
 * stops its own database, emulator and servers), prints their output as it comes, then a
 * summary. Exits non-zero if any benchmark failed. Builds first when there is no build.
 *
 *   npm run bench
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

const BENCHES = [
  "bench:first-load-js",
  "bench:webhook",
  "bench:flash-sale",
  "bench:status",
  "bench:admin",
  "bench:ttfb",
  "bench:checkout",
  "bench:lighthouse",
];

const scripts = z
  .object({ scripts: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync("package.json", "utf8"))).scripts;

let current: ReturnType<typeof spawn> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    current?.kill(signal);
    process.exit(130);
  });
}

function npmRun(script: string): Promise<number> {
  return new Promise((resolve) => {
    current = spawn("npm", ["run", "--silent", script], { stdio: "inherit" });
    current.once("error", () => resolve(1));
    current.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results: Array<{ script: string; outcome: string; seconds: number }> = [];
if (!existsSync(".next/BUILD_ID")) {
  console.log("\n=== npm run build (no production build yet) ===");
  if ((await npmRun("build")) !== 0) {
    console.error("the build failed; no benchmark ran");
    process.exit(1);
  }
}
for (const script of BENCHES) {
  if (!scripts[script]) {
    // A checkout that predates a benchmark simply lacks its script.
    results.push({ script, outcome: "skipped (no such script)", seconds: 0 });
    continue;
  }
  console.log(`\n=== npm run ${script} ===`);
  const started = performance.now();
  const code = await npmRun(script);
  const seconds = (performance.now() - started) / 1000;
  results.push({ script, outcome: code === 0 ? "ok" : `FAILED (exit ${code})`, seconds });
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.script.padEnd(22)} ${r.outcome.padEnd(26)} ${r.seconds.toFixed(0)} s`);
process.exitCode = results.some((r) => r.outcome.startsWith("FAILED")) ? 1 : 0;
