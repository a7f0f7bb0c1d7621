import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import type { POST as CheckoutPost } from "./route";

let POST: typeof CheckoutPost;
const db = openTestDb(2);

beforeAll(async () => {
  // Nothing listens on port 9 of loopback: Stripe is unreachable.
  process.env.STRIPE_SECRET_KEY = "sk_test_unreachable";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_unreachable";
  process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
  ({ POST } = await import("./route"));
});
afterAll(() => db.$disconnect());

test("an unreachable Stripe gives a readable 502 and leaves no stock reserved", async () => {
  const product = await createTestProduct(db, { stockOnHand: 3 });
  const response = await POST(
    new Request("http://localhost/api/checkout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 2 }] }),
    }),
  );
  expect(response.status).toBe(502);
  expect(await response.json()).toMatchObject({
    error: { code: "payment_provider_unavailable", message: expect.stringMatching(/payment provider/) as unknown },
  });
  expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
    stockOnHand: 3,
    stockReserved: 0,
  });
  const order = await db.order.findFirstOrThrow({ where: { items: { some: { productId: product.id } } } });
  expect(order).toMatchObject({ status: "EXPIRED", stockState: "RELEASED", stripeCheckoutSessionId: null });
}, 60_000);
