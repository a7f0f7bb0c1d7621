/** Ports and helpers shared by the end-to-end specs and the Playwright config. */
import { spawnSync } from "node:child_process";
import type { Page } from "@playwright/test";

export const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
export const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 12112);
export const INSTANCE_A = `http://localhost:${APP_PORT}`;
export const INSTANCE_B = `http://localhost:${APP_PORT + 1}`;
export const EMULATOR = `http://127.0.0.1:${EMULATOR_PORT}`;

/** Adds a product to the cart from its page and checks out, landing on the Checkout page. */
export async function checkOut(page: Page, productName: string, email = "e2e@example.com"): Promise<void> {
  await page.goto("/");
  await page.getByRole("link", { name: new RegExp(productName) }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByRole("link", { name: /^Cart, \d+ items?$/ }).click();
  await page.getByLabel("Email for your receipt (optional)").fill(email);
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
}

/** Pays on the emulator's Checkout page by SEPA Direct Debit. */
export async function payBySepa(page: Page, iban: string): Promise<void> {
  await page.getByLabel("SEPA Direct Debit").check();
  await page.getByLabel("IBAN").fill(iban);
  await page.getByLabel("Account holder name").fill("Erika Mustermann");
  await page.getByRole("button", { name: /^Pay / }).click();
}

/** Pays on the emulator's Checkout page by card. */
export async function payByCard(page: Page, number: string): Promise<void> {
  await page.getByLabel("Card", { exact: true }).check();
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiration (MM / YY)").fill("12 / 34");
  await page.getByLabel("CVC").fill("123");
  await page.getByLabel("Name on card").fill("Erika Mustermann");
  await page.getByRole("button", { name: /^Pay / }).click();
}

export type SseReader = { next(timeoutMs?: number): Promise<{ status: string; paymentStatus: string }>; close(): void };

/** Opens a Server-Sent Events stream as a browser would and yields its `status` frames. */
export async function openSse(url: string): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: "text/event-stream" }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`SSE answered ${response.status}`);
  const frames: Array<{ status: string; paymentStatus: string }> = [];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data) frames.push(JSON.parse(data) as { status: string; paymentStatus: string });
      }
    }
  })();
  let seen = 0;
  return {
    async next(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length <= seen) {
        if (Date.now() > deadline) throw new Error(`no SSE frame within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return frames[seen++] as { status: string; paymentStatus: string };
    },
    close: () => controller.abort(),
  };
}

/** The end-to-end database on the embedded server the instances share. */
export const E2E_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54329}/storefront_e2e`;

/** Creates (or resets) an admin with the real `npm run admin:create` program, on the e2e database. */
export function createAdmin(admin: { email: string; password: string }): void {
  const launcher = ["tsx", "tooling/launcher/run.ts", "--database", "storefront_e2e", "--no-payments", "--"];
  const cli = spawnSync(
    "npx",
    [...launcher, "tsx", "tooling/cli/admin-create.ts", "--email", admin.email, "--password", admin.password],
    { encoding: "utf8", timeout: 110_000 },
  );
  if (cli.status !== 0 || !cli.stdout.includes(admin.email))
    throw new Error(`admin CLI failed (${cli.status}):\n${cli.stdout}\n${cli.stderr}`);
}
