import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_RESERVED_UNITS_PER_CLIENT, MAX_UNITS_PER_ORDER, MAX_UNITS_PER_PRODUCT } from "@/lib/orders/limits";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import type { POST as CheckoutPost } from "./route";
import type { POST as RetryPost } from "../orders/[orderId]/checkout/route";

// What one request and one client can hold: the hoarding attack, and a shopper coming back
// from Checkout to the cart.
let harness: Harness;
let POST: typeof CheckoutPost;
let retry: typeof RetryPost;
const db = openTestDb(3);

beforeAll(async () => {
  harness = await startHarness();
  ({ POST } = await import("./route"));
  ({ POST: retry } = await import("../orders/[orderId]/checkout/route"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

type Line = { productId: string; quantity: number };
let clients = 0;
const newClient = () => `198.18.${Math.floor(++clients / 250)}.${clients % 250}`;

function checkout(items: Line[], client: string, cookie?: string, form = false) {
  const headers: Record<string, string> = { "x-forwarded-for": client, ...(cookie ? { cookie } : {}) };
  const body = form
    ? new URLSearchParams(
        items.flatMap((l, i) => [
          [`items[${i}][productId]`, l.productId],
          [`items[${i}][quantity]`, String(l.quantity)],
        ]),
      ).toString()
    : JSON.stringify({ items });
  headers["content-type"] = form ? "application/x-www-form-urlencoded" : "application/json";
  return POST(new Request("http://localhost/api/checkout", { method: "POST", headers, body }));
}

const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const reserved = async (id: string) => (await db.product.findUniqueOrThrow({ where: { id } })).stockReserved;

async function stripeRequests(): Promise<number> {
  const counts = (await (
    await fetch(`${harness.emulator.url}/_emulator/requests/reset`, { method: "POST" })
  ).json()) as {
    requests: Record<string, number>;
  };
  return Object.values(counts.requests).reduce((n, c) => n + c, 0);
}

describe("what one order and one client may hold", () => {
  test("one request with a line per product at full stock (the hoarding attack) reserves nothing", async () => {
    const products = await Promise.all([1, 2, 3].map(() => createTestProduct(db, { stockOnHand: 500 })));
    // 50 lines of 99, the most the request shape allows, all summed onto three products.
    const items = Array.from({ length: 50 }, (_, i) => ({ productId: products[i % 3]!.id, quantity: 99 }));
    const response = await checkout(items, newClient());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "bad_request", message: `An order may hold at most ${MAX_UNITS_PER_PRODUCT} of one product.` },
    });
    for (const p of products) expect(await reserved(p.id)).toBe(0);
  });

  test("duplicate lines are added up before the per-product cap", async () => {
    const product = await createTestProduct(db, { stockOnHand: 100 });
    const half = Math.ceil((MAX_UNITS_PER_PRODUCT + 1) / 2);
    const response = await checkout(
      [
        { productId: product.id, quantity: half },
        { productId: product.id, quantity: half },
      ],
      newClient(),
    );
    expect(response.status).toBe(400);
    expect(await reserved(product.id)).toBe(0);
    const ok = await checkout([{ productId: product.id, quantity: MAX_UNITS_PER_PRODUCT }], newClient());
    expect(ok.status).toBe(200);
    expect(await reserved(product.id)).toBe(MAX_UNITS_PER_PRODUCT);
  });

  test(`an order holds at most ${MAX_UNITS_PER_ORDER} units in all`, async () => {
    const count = Math.ceil((MAX_UNITS_PER_ORDER + 1) / MAX_UNITS_PER_PRODUCT);
    const products = await Promise.all(
      Array.from({ length: count }, () => createTestProduct(db, { stockOnHand: 100 })),
    );
    const response = await checkout(
      products.map((p) => ({ productId: p.id, quantity: MAX_UNITS_PER_PRODUCT })),
      newClient(),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { message: `An order may hold at most ${MAX_UNITS_PER_ORDER} items.` },
    });
  });

  test("one client's open checkouts together stay under the cap, and a shopper elsewhere still buys", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1_000 });
    const hoarder = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < MAX_RESERVED_UNITS_PER_CLIENT / MAX_UNITS_PER_PRODUCT + 2; i += 1)
      statuses.push((await checkout([{ productId: product.id, quantity: MAX_UNITS_PER_PRODUCT }], hoarder)).status);
    const allowed = MAX_RESERVED_UNITS_PER_CLIENT / MAX_UNITS_PER_PRODUCT;
    expect(statuses.slice(0, allowed).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true);
    expect(await reserved(product.id)).toBe(MAX_RESERVED_UNITS_PER_CLIENT);
    const refused = await checkout([{ productId: product.id, quantity: 1 }], hoarder);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/already hold 30 items/);
    expect((await checkout([{ productId: product.id, quantity: 2 }], newClient())).status).toBe(200);
  });

  test("parallel checkouts from one client cannot slip past the cap together", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1_000 });
    const client = newClient();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => checkout([{ productId: product.id, quantity: MAX_UNITS_PER_PRODUCT }], client)),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(MAX_RESERVED_UNITS_PER_CLIENT / MAX_UNITS_PER_PRODUCT);
    expect(await reserved(product.id)).toBe(MAX_RESERVED_UNITS_PER_CLIENT);
  });

  test("retrying expired checkouts does not get round the cap", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1_000 });
    const client = newClient();
    const placed: Array<{ orderId: string; statusUrl: string }> = [];
    for (let i = 0; i < 3; i += 1)
      placed.push(
        (await (await checkout([{ productId: product.id, quantity: 10 }], client)).json()) as (typeof placed)[0],
      );
    // Their sessions expire; the stock goes back.
    for (const p of placed) {
      const order = await db.order.findUniqueOrThrow({ where: { id: p.orderId } });
      await fetch(`${harness.emulator.url}/v1/checkout/sessions/${order.stripeCheckoutSessionId}/expire`, {
        method: "POST",
        headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
      });
    }
    await harness.emulator.flushDeliveries();
    await harness.drainInbox();
    expect(await reserved(product.id)).toBe(0);
    const again = async (p: (typeof placed)[0]) => {
      const token = new URL(p.statusUrl).searchParams.get("token") ?? "";
      return retry(
        new Request(`http://localhost/api/orders/${p.orderId}/checkout?token=${token}`, {
          method: "POST",
          headers: { "x-forwarded-for": client },
        }),
        { params: Promise.resolve({ orderId: p.orderId }) },
      );
    };
    expect((await again(placed[0]!)).status).toBe(303);
    expect((await again(placed[1]!)).status).toBe(303);
    expect((await again(placed[2]!)).status).toBe(303);
    expect((await checkout([{ productId: product.id, quantity: 1 }], client)).status).toBe(429);
    expect(await reserved(product.id)).toBe(30);
  });
});

describe("back from Checkout to the cart", () => {
  test("the same cart checking out again resumes the same order and session: stock held once, no Stripe call", async () => {
    const product = await createTestProduct(db, { stockOnHand: 12 });
    const client = newClient();
    const items = [{ productId: product.id, quantity: 1 }];
    const first = await checkout(items, client, undefined, true);
    expect(first.status).toBe(303);
    const cookie = cookieOf(first);
    expect(first.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
    await stripeRequests();
    for (let round = 0; round < 2; round += 1) {
      const again = await checkout(items, client, cookie, true);
      expect(again.status).toBe(303);
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
    }
    expect(await stripeRequests()).toBe(0);
    expect(await reserved(product.id)).toBe(1);
    expect(await db.order.count({ where: { items: { some: { productId: product.id } } } })).toBe(1);
  });

  test("a changed cart replaces the open checkout and releases its hold at once", async () => {
    const a = await createTestProduct(db, { stockOnHand: 12 });
    const b = await createTestProduct(db, { stockOnHand: 12 });
    const client = newClient();
    const first = await checkout([{ productId: a.id, quantity: 2 }], client);
    const { orderId: oldId } = (await first.json()) as { orderId: string };
    const second = await checkout(
      [
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 1 },
      ],
      client,
      cookieOf(first),
    );
    expect(second.status).toBe(200);
    const { orderId: newId } = (await second.json()) as { orderId: string };
    expect(newId).not.toBe(oldId);
    expect(await db.order.findUniqueOrThrow({ where: { id: oldId } })).toMatchObject({
      status: "EXPIRED",
      stockState: "RELEASED",
    });
    expect([await reserved(a.id), await reserved(b.id)]).toEqual([1, 1]);
  });

  test("a cookie for an order that was paid, or that is someone else's, starts a new checkout", async () => {
    const product = await createTestProduct(db, { stockOnHand: 12 });
    const client = newClient();
    const first = await checkout([{ productId: product.id, quantity: 1 }], client);
    const { orderId } = (await first.json()) as { orderId: string };
    const forged = `storefront_checkout=${orderId}.${"A".repeat(43)}`;
    const other = await checkout([{ productId: product.id, quantity: 1 }], client, forged);
    expect(((await other.json()) as { orderId: string }).orderId).not.toBe(orderId);
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: "PENDING" });
    expect(await reserved(product.id)).toBe(2);
  });
});
