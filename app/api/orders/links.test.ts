import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import type { placeOrder as PlaceOrder } from "@/lib/orders/place-order";
import type { tokenAccess as TokenAccess } from "@/lib/orders/order-access";
import type { POST as LinkPost } from "./[orderId]/link/route";
import type { GET as OrderGet } from "./[orderId]/route";

// Order links: what goes to Stripe, how long links live, and a fresh link for a lapsed one.
let harness: Harness;
let placeOrder: typeof PlaceOrder;
let tokenAccess: typeof TokenAccess;
let requestLink: typeof LinkPost;
let getOrder: typeof OrderGet;
const db = openTestDb(3);

beforeAll(async () => {
  harness = await startHarness({ workers: false });
  ({ placeOrder } = await import("@/lib/orders/place-order"));
  ({ tokenAccess } = await import("@/lib/orders/order-access"));
  ({ POST: requestLink } = await import("./[orderId]/link/route"));
  ({ GET: getOrder } = await import("./[orderId]/route"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

async function place(email: string | null = "links@example.com") {
  const product = await createTestProduct(db, { stockOnHand: 10 });
  const placed = await placeOrder({ items: [{ productId: product.id, quantity: 1 }], email });
  const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });
  const session = (await (
    await fetch(`${harness.emulator.url}/v1/checkout/sessions/${order.stripeCheckoutSessionId}`, {
      headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
    })
  ).json()) as { success_url: string; cancel_url: string; expires_at: number };
  return { placed, session };
}

const tokenIn = (url: string) => new URL(url.replace("{CHECKOUT_SESSION_ID}", "cs")).searchParams.get("token") ?? "";
let client = 0;
const ask = (orderId: string, token: string) =>
  requestLink(
    new Request(`http://localhost/api/orders/${orderId}/link?token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "x-forwarded-for": `192.0.2.${++client}` },
    }),
    { params: Promise.resolve({ orderId }) },
  );

describe("order links", () => {
  test("Stripe's return URLs carry a return token of their own, which lapses a day after the checkout", async () => {
    const { placed, session } = await place();
    const returnToken = tokenIn(session.success_url);
    expect(tokenIn(session.cancel_url)).toBe(returnToken);
    expect(returnToken).not.toBe(placed.token);
    expect(session.success_url).not.toContain(placed.token);
    expect(await tokenAccess(placed.orderId, returnToken)).toBe("valid");
    const stored = await db.orderAccessToken.findFirstOrThrow({
      where: { orderId: placed.orderId, purpose: "stripe-return" },
    });
    expect(stored.expiresAt.getTime() / 1000 - session.expires_at).toBeCloseTo(24 * 3600, -1);
    await db.orderAccessToken.update({ where: { id: stored.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await tokenAccess(placed.orderId, returnToken)).toBe("expired");
    expect(await tokenAccess(placed.orderId, placed.token)).toBe("valid");
  });

  test("a lapsed checkout link opens nothing, and its page offers a fresh link by email", async () => {
    const { placed } = await place();
    await db.order.update({
      where: { id: placed.orderId },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1000) },
    });
    const api = await getOrder(new Request(`http://localhost/api/orders/${placed.orderId}?token=${placed.token}`), {
      params: Promise.resolve({ orderId: placed.orderId }),
    });
    expect(api.status).toBe(404);
    const { default: OrderPage } = await import("@/app/(shop)/orders/[orderId]/page");
    const html = renderToStaticMarkup(
      await OrderPage({
        params: Promise.resolve({ orderId: placed.orderId }),
        searchParams: Promise.resolve({ token: placed.token }),
      }),
    );
    expect(html).toContain("This link has expired");
    expect(html).toContain("Email me a fresh link");
    expect(html).not.toContain("links@example.com");
  });

  test("asking for a fresh link emails the order's address once an hour; a token that never opened it gets 404", async () => {
    const { placed } = await place("fresh@example.com");
    await db.order.update({
      where: { id: placed.orderId },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1000) },
    });
    const first = await ask(placed.orderId, placed.token);
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toMatch(/&link=sent$/);
    expect((await ask(placed.orderId, placed.token)).status).toBe(303);
    const emails = await db.emailOutbox.findMany({ where: { orderId: placed.orderId, kind: "ORDER_LINK" } });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: "fresh@example.com" });
    expect((await ask(placed.orderId, "A".repeat(43))).status).toBe(404);
    // No email on the order: the same answer, and nothing sent.
    const { placed: anonymous } = await place(null);
    expect((await ask(anonymous.orderId, anonymous.token)).status).toBe(303);
    expect(await db.emailOutbox.count({ where: { orderId: anonymous.orderId } })).toBe(0);
  });
});
