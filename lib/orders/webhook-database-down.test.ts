import Stripe from "stripe";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { buy, orderOutcome, settle } from "@/test/pipeline";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";
import type { placeOrder as PlaceOrder } from "./place-order";

// The app reaches PostgreSQL through a proxy this test can cut, like a database failover.
let proxy: TcpProxy;
let harness: Harness;
let placeOrder: typeof PlaceOrder;
const db = openTestDb(2);

beforeAll(async () => {
  const real = new URL(process.env.DATABASE_URL ?? "");
  proxy = await startTcpProxy(real.hostname, Number(real.port || 5432));
  const viaProxy = new URL(real);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  process.env.DATABASE_URL = viaProxy.toString();
  harness = await startHarness({ retrySchedule: [0.3, 0.6, 1, 2] });
  ({ placeOrder } = await import("./place-order"));
});
afterAll(async () => {
  await harness.stop();
  await proxy.close();
  await db.$disconnect();
});

test("the database going down mid-delivery gives 500, nothing half-applied, and the retry succeeds", async () => {
  const { orderId, sessionId } = await buy(db, placeOrder, { stock: 4, quantity: 2 });
  proxy.cut();
  harness.emulator.pay(sessionId, "card_success");
  // Let the first attempts fail while the database is unreachable.
  await new Promise((r) => setTimeout(r, 700));
  expect(await orderOutcome(db, orderId)).toMatchObject({
    status: "PENDING",
    onHand: 4,
    reserved: 2,
    ledger: [],
    emails: [],
  });
  proxy.restore();
  await settle(harness);

  const log = (await (await fetch(`${harness.emulator.url}/_emulator/deliveries?limit=100`)).json()) as {
    data: Array<{ status_code: number | null }>;
  };
  // Stripe saw 500s while the database was away, so it kept retrying.
  expect(log.data.map((a) => a.status_code)).toContain(500);
  expect(await orderOutcome(db, orderId)).toMatchObject({
    status: "PAID",
    onHand: 2,
    reserved: 0,
    ledger: ["CHARGE:2500:succeeded"],
    emails: ["ORDER_CONFIRMATION"],
  });
});

/** The signed checkout.session.completed of a freshly paid order, with the emulator's own deliveries held. */
async function paidCompletion() {
  const { orderId, sessionId } = await buy(db, placeOrder, { stock: 4, quantity: 1 });
  harness.emulator.configure({ pause: true });
  harness.emulator.pay(sessionId, "card_success");
  const stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  const events = await stripe.events.list({ type: "checkout.session.completed", limit: 20 });
  const event = events.data.find((e) => (e.data.object as { id: string }).id === sessionId);
  if (!event) throw new Error(`no completion event for ${sessionId}`);
  const payload = JSON.stringify(event);
  const sign = () => stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return { orderId, eventId: event.id, send: () => harness.deliver(payload, sign()) };
}

const INSERT = 'insert into "WebhookEvent"';

test.each([
  ["before the insert reaches it", "before-request", 0],
  ["after it committed, before the app hears back", "before-reply", 1],
] as const)(
  "the database cut %s: the delivery is answered 500, never 2xx, and the redelivery settles it once",
  async (_label, point, rowsAfterCut) => {
    const { orderId, eventId, send } = await paidCompletion();
    try {
      const cut = proxy.cutAt(INSERT, point);
      const response = await send();
      await cut;
      expect(response.status).toBe(500);
      expect(await db.webhookEvent.count({ where: { stripeEventId: eventId } })).toBe(rowsAfterCut);
      proxy.restore();
      const retry = await send();
      expect(retry).toMatchObject({
        status: 200,
        body: { outcome: rowsAfterCut ? "duplicate" : "recorded" },
      });
      await harness.drainInbox();
      expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PAID", ledger: ["CHARGE:1250:succeeded"] });
      expect(await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: eventId } })).toMatchObject({
        outcome: "PROCESSED",
        attempts: rowsAfterCut + 1,
      });
    } finally {
      proxy.restore();
      harness.emulator.configure({ pause: false });
      await settle(harness);
    }
  },
);
