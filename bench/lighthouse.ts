/**
 * Lighthouse on a production server (`next start`): the home page, a product page, the cart and
 * a real order's status page (placed through POST /api/checkout, so it carries its token).
 * Each page runs `--runs` times (default 5, the median Lighthouse recommends) with the default mobile config and with the desktop
 * config; the median score per category, the median LCP/TBT/CLS and the audits that failed are
 * printed. Targets: performance ≥ 95, accessibility 100, best practices ≥ 95 (SEO for info).
 *
 *   npm run bench:lighthouse -- [--runs 5] [--strict] [--form-factor mobile|desktop] [--page home]
 *
 * Each form factor ends with the same measurement of a baseline: the smallest App Router page
 * of the same Next.js and React (bench/lighthouse-baseline.ts), the floor any Next.js page
 * stands on; `--no-baseline` skips it. The baseline is reported, never held to the targets.
 *
 * `--strict` exits non-zero when a page misses a target. BENCH_CHROME_PORT pins Chromium's
 * debugging port (random otherwise); CHROMIUM_PATH overrides /usr/bin/chromium, as for the end-to-end tests.
 */
import { accessSync, constants, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Config, type Flags, type Result } from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { z } from "zod";
import { arg, benchAppPort } from "./lib";
import { type BaselineApp, startBaselineApp } from "./lighthouse-baseline";
import { CATEGORIES, formatSummary, meetsTargets, summarise } from "./lighthouse-summary";
import { startBenchStore } from "./store";

const RUNS = arg("runs", 5);
const STRICT = process.argv.includes("--strict");
/** `--form-factor` and `--page` narrow the run, e.g. while working on one page's mobile score. */
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
};
const ONLY_FORM_FACTOR = option("form-factor");
const ONLY_PAGE = option("page");
const BASELINE = !process.argv.includes("--no-baseline") && (ONLY_PAGE === undefined || ONLY_PAGE === "baseline");
/** The last report of each page, to open in a Lighthouse viewer when a number needs explaining. */
const REPORTS = path.join(tmpdir(), "storefront-lighthouse");
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const productsSchema = z.object({
  products: z.array(z.object({ id: z.string(), slug: z.string(), stock: z.number() })),
});
const placedSchema = z.object({ orderId: z.string(), statusUrl: z.url() });

/** A real, unpaid order: its status page is what a shopper sees after leaving Checkout. */
async function placeOrder(app: string, productId: string): Promise<string> {
  const response = await fetch(`${app}/api/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
  });
  if (!response.ok) throw new Error(`checkout answered ${response.status}: ${await response.text()}`);
  const placed = placedSchema.parse(await response.json());
  // The status URL is built from APP_URL; keep its path and token, on the origin under test.
  const status = new URL(placed.statusUrl);
  return `${app}${status.pathname}${status.search}`;
}

/** One Lighthouse run; a run that fails to record (e.g. NO_NAVSTART on a busy machine) is retried twice. */
async function audit(url: string, port: number, config: Config | undefined): Promise<Result> {
  const flags: Flags = { port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES] };
  for (let attempt = 1; ; attempt += 1) {
    const result = await lighthouse(url, flags, config);
    const error = result ? result.lhr.runtimeError : { code: "NO_RESULT", message: "no result" };
    if (result && !error) return result.lhr;
    if (attempt === 3) throw new Error(`Lighthouse failed on ${url}: ${error?.message}`);
    console.log(`    (run failed with ${error?.code}, retrying)`);
  }
}

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
try {
  accessSync(CHROMIUM_PATH, constants.X_OK);
} catch {
  console.error(
    `Chromium was not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.`,
  );
  process.exit(1);
}

const store = await startBenchStore(1);
let chrome: chromeLauncher.LaunchedChrome | undefined;
let baseline: BaselineApp | undefined;
let missed = 0;
try {
  // APP_URL is http://localhost:<port>; audit that origin so cookies and links match it.
  const app = (store.apps[0] as string).replace("127.0.0.1", "localhost");
  const { products } = productsSchema.parse(await (await fetch(`${app}/api/products`)).json());
  // An in-stock seed product: its page is prerendered and shows the add-to-cart controls.
  const product = products.find((p) => p.stock > 1 && !p.slug.startsWith("bench-"));
  if (!product) throw new Error("no product in stock to audit");
  const pages = {
    home: `${app}/`,
    product: `${app}/products/${product.slug}`,
    cart: `${app}/cart`,
    order: await placeOrder(app, product.id),
  };
  if (BASELINE) baseline = await startBaselineApp(benchAppPort() + 50);
  // Warm each route once so the first measured run does not pay for lazy compilation or ISR.
  for (const url of [...Object.values(pages), ...(baseline ? [baseline.url] : [])]) await (await fetch(url)).text();

  const chromePort = Number(process.env.BENCH_CHROME_PORT) || undefined;
  mkdirSync(REPORTS, { recursive: true });
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: CHROME_FLAGS,
    ...(chromePort ? { port: chromePort } : {}),
    logLevel: "silent",
  });
  console.log(`Lighthouse, ${RUNS} runs per page and form factor, median shown; ✓/✗ against the targets`);
  for (const [formFactor, config] of [
    ["mobile", undefined],
    ["desktop", desktopConfig],
  ] as const) {
    if (ONLY_FORM_FACTOR && ONLY_FORM_FACTOR !== formFactor) continue;
    console.log(`\n${formFactor}:`);
    const runPage = async (name: string, url: string) => {
      const results: Result[] = [];
      for (let i = 0; i < RUNS; i += 1) results.push(await audit(url, chrome!.port, config));
      writeFileSync(path.join(REPORTS, `${formFactor}-${name}.json`), JSON.stringify(results.at(-1)));
      return summarise(results);
    };
    for (const [name, url] of Object.entries(pages)) {
      if (ONLY_PAGE && ONLY_PAGE !== name) continue;
      const summary = await runPage(name, url);
      if (!meetsTargets(summary)) missed += 1;
      for (const line of formatSummary(name.padEnd(8), summary)) console.log(line);
    }
    if (baseline) {
      console.log("  the smallest App Router page of the same Next.js and React, for reference (not a store page):");
      for (const line of formatSummary("baseline", await runPage("baseline", baseline.url), { targets: false }))
        console.log(line);
    }
  }
  console.log(`\nlast report per page: ${REPORTS}/<form factor>-<page>.json`);
  console.log(missed === 0 ? "\nall pages meet the targets" : `\n${missed} page/form-factor pairs miss a target`);
} finally {
  chrome?.kill();
  await baseline?.stop();
  await store.stop();
}
if (STRICT && missed > 0) process.exitCode = 1;
