/**
 * First-load JavaScript per route, from the production build alone (no server): the scripts a
 * browser downloads before a page is interactive, raw and gzipped. Lazy `import()` chunks are
 * not counted, nor the `noModule` polyfills that modern browsers skip.
 *
 * The list per route is the build's root main files plus the entry chunks of the route's
 * layouts and page, read from the page's client reference manifest. Where the route was
 * prerendered, the `<script src>` tags of its HTML are the ground truth and are compared with it.
 *
 *   npm run bench:first-load-js -- [--all]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { z } from "zod";

const NEXT = path.resolve(".next");
const ALL = process.argv.includes("--all");

/** The routes a shopper and an admin land on, by their app-router page key. */
const ROUTES: Array<{ name: string; page: string }> = [
  { name: "home", page: "/(shop)/page" },
  { name: "product", page: "/(shop)/products/[slug]/page" },
  { name: "cart", page: "/(shop)/cart/page" },
  { name: "order", page: "/(shop)/orders/[orderId]/page" },
  { name: "sign-in", page: "/sign-in/page" },
  { name: "admin", page: "/admin/page" },
];

const buildManifestSchema = z.object({ rootMainFiles: z.array(z.string()) });
const routesSchema = z.record(z.string(), z.string());
const clientManifestSchema = z.object({ entryJSFiles: z.record(z.string(), z.array(z.string())).default({}) });

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(path.join(NEXT, file), "utf8"));
}

/** The manifest is a script assigning to globalThis.__RSC_MANIFEST; run it in a bare context. */
function entryChunks(page: string): Map<string, string[]> {
  const file = path.join(NEXT, "server/app", `${page}_client-reference-manifest.js`);
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, unknown> } = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox);
  const manifest = clientManifestSchema.parse(sandbox.__RSC_MANIFEST?.[page]);
  return new Map(Object.entries(manifest.entryJSFiles));
}

/** Layouts from the root down to the page, and the page itself; boundaries load only when used. */
function routeScripts(page: string, rootMain: string[]): string[] {
  const segments = page.split("/").slice(1, -1);
  const wanted = new Set([`[project]/app${page}`]);
  for (let i = 0; i <= segments.length; i += 1)
    wanted.add(`[project]/app/${segments.slice(0, i).join("/")}/layout`.replace("app//", "app/"));
  const files = new Set(rootMain);
  for (const [entry, chunks] of entryChunks(page)) if (wanted.has(entry)) for (const c of chunks) files.add(c);
  return [...files];
}

/** Scripts the prerendered HTML loads (module scripts only), when the route was prerendered. */
function htmlScripts(route: string): string[] | undefined {
  const base = route === "/" ? "index" : route.replace(/^\//, "");
  let file = path.join(NEXT, "server/app", `${base}.html`);
  if (base.includes("[")) {
    const dir = path.join(NEXT, "server/app", path.dirname(base));
    const html = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith(".html")) : undefined;
    if (!html) return undefined;
    file = path.join(dir, html);
  }
  if (!existsSync(file)) return undefined;
  const tags = readFileSync(file, "utf8").match(/<script[^>]*\ssrc="[^"]+"[^>]*>/g) ?? [];
  return tags.filter((t) => !/nomodule/i.test(t)).map((t) => (/src="\/_next\/([^"]+)"/.exec(t)?.[1] ?? "").trim());
}

const sizes = new Map<string, { raw: number; gzip: number }>();
function sizeOf(file: string): { raw: number; gzip: number } {
  let size = sizes.get(file);
  if (!size) {
    const bytes = readFileSync(path.join(NEXT, file));
    size = { raw: bytes.length, gzip: gzipSync(bytes).length };
    sizes.set(file, size);
  }
  return size;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`.padStart(9);

if (!existsSync(path.join(NEXT, "BUILD_ID"))) {
  console.error("no production build in .next; run `npm run build` first");
  process.exit(1);
}
const { rootMainFiles } = buildManifestSchema.parse(readJson("build-manifest.json"));
const routes = routesSchema.parse(readJson("app-path-routes-manifest.json"));
const selected = ALL
  ? Object.keys(routes)
      .filter((p) => p.endsWith("/page") && !p.startsWith("/_"))
      .map((page) => ({ name: routes[page] ?? page, page }))
  : ROUTES;

const shared = rootMainFiles.reduce((sum, f) => ({ raw: sum.raw + sizeOf(f).raw, gzip: sum.gzip + sizeOf(f).gzip }), {
  raw: 0,
  gzip: 0,
});
console.log(
  `first-load JS per route (gzip level 6 / raw), BUILD_ID ${readFileSync(path.join(NEXT, "BUILD_ID"), "utf8")}`,
);
console.log(`shared by all routes: ${rootMainFiles.length} files, ${kb(shared.gzip)} gzip, ${kb(shared.raw)} raw`);
for (const { name, page } of selected) {
  const route = routes[page] ?? "?";
  const files = routeScripts(page, rootMainFiles);
  const total = files.reduce((sum, f) => ({ raw: sum.raw + sizeOf(f).raw, gzip: sum.gzip + sizeOf(f).gzip }), {
    raw: 0,
    gzip: 0,
  });
  const html = htmlScripts(route);
  const check =
    html === undefined
      ? "dynamic, from the manifest"
      : new Set(html).size === files.length && html.every((f) => files.includes(f))
        ? "matches the prerendered HTML"
        : `differs from the prerendered HTML (${html.length} scripts there)`;
  console.log(
    `${name.padEnd(9)} ${route.padEnd(24)} ${kb(total.gzip)} gzip ${kb(total.raw)} raw, ${files.length} files (${check})`,
  );
}
