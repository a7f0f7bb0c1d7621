/**
 * The framework's own floor, for the Lighthouse bench: the smallest App Router page this
 * store's Next.js and React versions can serve (a root layout, a heading, a paragraph and one
 * `next/link`), built and started in production mode from a temporary directory with this
 * checkout's `node_modules`. Whatever main-thread work it shows on load is the runtime every
 * page of any Next.js store hydrates; the store's own pages are measured against it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startNext } from "./lib";

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "nextjs-baseline", private: true }),
  // node_modules is a link to this checkout's; Turbopack resolves through it only with a root above both.
  "next.config.mjs": `export default { turbopack: { root: "/" } };\n`,
  "tsconfig.json": JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      lib: ["dom", "dom.iterable", "esnext"],
      strict: true,
      noEmit: true,
      module: "esnext",
      moduleResolution: "bundler",
      jsx: "react-jsx",
      esModuleInterop: true,
      skipLibCheck: true,
      isolatedModules: true,
    },
    include: ["**/*.tsx"],
  }),
  "app/layout.tsx": `export const metadata = { title: "Baseline", description: "The smallest App Router page." };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  "app/page.tsx": `import Link from "next/link";

export default function Page() {
  return (
    <main>
      <h1>Baseline</h1>
      <p>The smallest App Router page: a heading, this paragraph and one link.</p>
      <Link href="/">Home</Link>
    </main>
  );
}
`,
};

export type BaselineApp = { url: string; stop(): Promise<void> };

/** Builds the baseline page (about 15 s) and serves it with `next start` on `port`. */
export async function startBaselineApp(port: number): Promise<BaselineApp> {
  const dir = mkdtempSync(path.join(tmpdir(), "storefront-baseline-"));
  try {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
    const next = path.resolve("node_modules/next/dist/bin/next");
    const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
    const build = spawnSync(process.execPath, [next, "build"], { cwd: dir, env, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`the baseline page did not build:\n${build.stdout}${build.stderr}`);
    const app = await startNext(port, { NODE_ENV: "production" }, { cwd: dir, readyPath: "/" });
    return {
      url: `http://localhost:${port}/`,
      stop: async () => {
        await app.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
