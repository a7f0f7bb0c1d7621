import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import type { POST as CheckoutPost } from "./route";

let harness: Harness;
let POST: typeof CheckoutPost;
const db = openTestDb(2);

beforeAll(async () => {
  process.env.CHECKOUT_RATE_LIMIT_WAIT_MS = "3000";
  harness = await startHarness();
  ({ POST } = await import("./route"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

function checkout(productId: string, quantity: number) {
  return POST(
    new Request("http://localhost/api/checkout", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": `10.0.0.${quantity}` },
      body: JSON.stringify({ items: [{ productId, quantity }] }),
    }),
  );
}

async function counts() {
  return (await (await fetch(`${harness.emulator.url}/_emulator/requests/reset`, { method: "POST" })).json()) as {
    requests: Record<string, number>;
    rateLimited: Record<string, number>;
  };
}

test("Stripe answering 429 past the wait: 503 with Retry-After, stock given back, the error logged", async () => {
  const product = await createTestProduct(db, { stockOnHand: 3 });
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  harness.emulator.configure({ rateLimit: { inject429: 1 } });
  await counts();
  try {
    const started = Date.now();
    const response = await checkout(product.id, 2);
    const waited = Date.now() - started;
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({
      error: { code: "payment_provider_busy", message: expect.stringMatching(/very busy/) as unknown },
    });
    // It retried with backoff within the bound, not once and not forever.
    const seen = await counts();
    expect(seen.rateLimited["POST /v1/checkout/sessions"]).toBeGreaterThanOrEqual(3);
    expect(waited).toBeLessThan(3000 + 1000);
    expect(logged.mock.calls.flat().join(" ")).toMatch(/rate_limit request=req_/);
  } finally {
    harness.emulator.configure({ rateLimit: { inject429: 0 } });
    logged.mockRestore();
  }
  expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
    stockOnHand: 3,
    stockReserved: 0,
  });
  const order = await db.order.findFirstOrThrow({ where: { items: { some: { productId: product.id } } } });
  expect(order).toMatchObject({ status: "EXPIRED", stockState: "RELEASED", stripeCheckoutSessionId: null });
});

test("a 429 that clears within the wait is absorbed: the shopper gets their Checkout URL", async () => {
  const product = await createTestProduct(db, { stockOnHand: 3 });
  // One request per second for this endpoint; the first checkout takes it, the second must wait.
  harness.emulator.configure({ rateLimit: { endpointPerSecond: 1 } });
  await counts();
  try {
    const [first, second] = await Promise.all([checkout(product.id, 1), checkout(product.id, 1)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const seen = await counts();
    expect(seen.requests["POST /v1/checkout/sessions"]).toBeGreaterThanOrEqual(3);
    expect(seen.rateLimited["POST /v1/checkout/sessions"]).toBeGreaterThanOrEqual(1);
  } finally {
    harness.emulator.configure({ rateLimit: "off" });
  }
});

test("a request Stripe rejects is not reported as Stripe being unreachable", async () => {
  // A currency the emulator (like Stripe) refuses for Checkout.
  const product = await createTestProduct(db, { stockOnHand: 3, currency: "xxx" });
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
  try {
    const response = await checkout(product.id, 1);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("payment_rejected");
    expect(body.error.message).not.toMatch(/could not reach/);
    expect(logged.mock.calls.flat().join(" ")).toMatch(/rejected code=\S+ request=req_\w+: Invalid currency/);
  } finally {
    logged.mockRestore();
  }
});
