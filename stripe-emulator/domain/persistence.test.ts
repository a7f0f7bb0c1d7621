import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../index";
import { sessionParams, stripeFor } from "../test-support/harness";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "stripe-emulator-state-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("state file", () => {
  it("keeps sessions, events, the clock and pending debits across restarts", async () => {
    const stateFile = path.join(dir, "nested", "state.json");
    const first = await startEmulator({ port: 0, stateFile, asyncDelaySeconds: 60 });
    const stripe = stripeFor(first);
    const open = await stripe.checkout.sessions.create(sessionParams());
    const debit = await stripe.checkout.sessions.create(sessionParams());
    first.pay(debit.id, "async_success");
    first.advanceClock(30);
    await first.stop();

    const saved: unknown = JSON.parse(await readFile(stateFile, "utf8"));
    expect(saved).toMatchObject({ version: 1, clockOffsetMs: 30_000 });

    const second = await startEmulator({ port: 0, stateFile, asyncDelaySeconds: 60 });
    try {
      const again = stripeFor(second);
      const restored = await again.checkout.sessions.retrieve(open.id);
      expect(restored).toMatchObject({ id: open.id, status: "open", url: `${second.url}/c/pay/${open.id}` });
      expect((await again.events.list({ limit: 100 })).data).toHaveLength(4);
      second.advanceClock(30);
      expect((await again.checkout.sessions.retrieve(debit.id)).payment_status).toBe("paid");
    } finally {
      await second.stop();
    }
  });

  it("loads sessions saved under the API's former ui_mode name as hosted_page", async () => {
    const stateFile = path.join(dir, "former-ui-mode.json");
    const first = await startEmulator({ port: 0, stateFile });
    const created = await stripeFor(first).checkout.sessions.create(sessionParams());
    await first.stop();
    const saved = await readFile(stateFile, "utf8");
    expect(saved).toContain('"ui_mode":"hosted_page"');
    await writeFile(stateFile, saved.replaceAll('"ui_mode":"hosted_page"', '"ui_mode":"hosted"'));
    const second = await startEmulator({ port: 0, stateFile });
    try {
      expect((await stripeFor(second).checkout.sessions.retrieve(created.id)).ui_mode).toBe("hosted_page");
    } finally {
      await second.stop();
    }
  });

  it("loads sessions saved before the API's newer session fields with the values Stripe gives them", async () => {
    const stateFile = path.join(dir, "older-session.json");
    const first = await startEmulator({ port: 0, stateFile });
    const created = await stripeFor(first).checkout.sessions.create(sessionParams());
    await first.stop();
    const saved = JSON.parse(await readFile(stateFile, "utf8")) as { sessions: { session: Record<string, unknown> }[] };
    for (const { session } of saved.sessions) {
      const fields = [
        "total_details",
        "automatic_tax",
        "custom_text",
        "invoice_creation",
        "client_secret",
        "payment_link",
      ];
      for (const field of fields) delete session[field];
    }
    await writeFile(stateFile, JSON.stringify(saved));
    const second = await startEmulator({ port: 0, stateFile });
    try {
      expect(await stripeFor(second).checkout.sessions.retrieve(created.id)).toMatchObject({
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
        automatic_tax: { enabled: false, status: null },
        custom_text: { submit: null },
        invoice_creation: { enabled: false },
        client_secret: null,
        payment_link: null,
      });
    } finally {
      await second.stop();
    }
  });

  it("refuses a corrupt state file instead of silently discarding it", async () => {
    const stateFile = path.join(dir, "corrupt.json");
    await writeFile(stateFile, JSON.stringify({ version: 1, sessions: "nope" }));
    await expect(startEmulator({ port: 0, stateFile })).rejects.toThrow(/state file .* is invalid/);
  });
});
