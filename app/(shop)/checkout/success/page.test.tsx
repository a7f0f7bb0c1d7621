import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "@/lib/orders/place-order";
import type SuccessPage from "./page";

let harness: Harness;
let placeOrder: typeof PlaceOrder;
let page: typeof SuccessPage;
const db = openTestDb(3);

beforeAll(async () => {
  harness = await startHarness();
  ({ placeOrder } = await import("@/lib/orders/place-order"));
  page = (await import("./page")).default;
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

type Counts = { requests: Record<string, number> };
async function stripeRequests(): Promise<Record<string, number>> {
  return ((await (await fetch(`${harness.emulator.url}/_emulator/requests`)).json()) as Counts).requests;
}
async function resetStripeRequests(): Promise<void> {
  await fetch(`${harness.emulator.url}/_emulator/requests/reset`, { method: "POST" });
}

async function visit(query: { session_id: string; order: string; token: string }): Promise<string> {
  return renderToStaticMarkup(await page({ searchParams: Promise.resolve(query) }));
}

function tokenOf(statusUrl: string): string {
  return new URL(statusUrl, "http://localhost").searchParams.get("token") ?? "";
}

test("the success page shows the stored status and never makes the store call Stripe for another order's session", async () => {
  const mine = await buy(db, placeOrder);
  const theirs = await buy(db, placeOrder);
  const token = tokenOf(mine.placed.statusUrl);
  await resetStripeRequests();

  // 300 visits of my order's page naming someone else's session.
  for (let i = 0; i < 300; i++) {
    expect(await visit({ session_id: theirs.sessionId, order: mine.orderId, token })).toContain(
      "Processing your payment",
    );
  }
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await stripeRequests()).toEqual({});
  expect((await db.order.findUniqueOrThrow({ where: { id: mine.orderId } })).settleRequestedAt).toBeNull();
});

test("back before the webhook: many visits ask Stripe about the order's own session once, and the order settles", async () => {
  const { orderId, sessionId, placed } = await buy(db, placeOrder);
  const token = tokenOf(placed.statusUrl);
  // The payment happened, but Stripe's webhook is late.
  harness.emulator.configure({ pause: true });
  try {
    harness.emulator.pay(sessionId, "card_success");
    await resetStripeRequests();
    await Promise.all(Array.from({ length: 50 }, () => visit({ session_id: sessionId, order: orderId, token })));
    const deadline = Date.now() + 10_000;
    while ((await db.order.findUniqueOrThrow({ where: { id: orderId } })).status !== "PAID") {
      if (Date.now() > deadline) throw new Error("the order was not settled from the success page's request");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stripeRequests()).toEqual({ "GET /v1/checkout/sessions/:id": 1 });
    expect(await visit({ session_id: sessionId, order: orderId, token })).toContain("Payment received");
  } finally {
    harness.emulator.configure({ pause: false });
  }
});

test("a shopper back a moment before the webhook sees the payment received, with no Stripe call", async () => {
  const { orderId, sessionId, placed } = await buy(db, placeOrder);
  harness.emulator.configure({ pause: true });
  await resetStripeRequests();
  try {
    harness.emulator.pay(sessionId, "card_success");
    const page = visit({ session_id: sessionId, order: orderId, token: tokenOf(placed.statusUrl) });
    await new Promise((r) => setTimeout(r, 300));
    harness.emulator.configure({ pause: false });
    expect(await page).toContain("Payment received");
  } finally {
    harness.emulator.configure({ pause: false });
  }
  expect(await stripeRequests()).toEqual({});
});

test("a wrong token is a 404 and asks nothing", async () => {
  const { orderId, sessionId } = await buy(db, placeOrder);
  await resetStripeRequests();
  await expect(visit({ session_id: sessionId, order: orderId, token: "wrong" })).rejects.toThrow(
    /NEXT_HTTP_ERROR_FALLBACK;404/,
  );
  expect(await stripeRequests()).toEqual({});
});
