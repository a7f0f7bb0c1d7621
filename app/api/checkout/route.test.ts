import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import type { POST as CheckoutPost } from "./route";
import type { GET as OrderGet } from "../orders/[orderId]/route";

let harness: Harness;
let POST: typeof CheckoutPost;
let getOrder: typeof OrderGet;
const db = openTestDb(3);

beforeAll(async () => {
  harness = await startHarness();
  ({ POST } = await import("./route"));
  ({ GET: getOrder } = await import("../orders/[orderId]/route"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

let ip = 0;
function checkout(body: string, contentType = "application/json", clientIp = `10.0.0.${++ip % 250}`) {
  return POST(
    new Request("http://localhost/api/checkout", {
      method: "POST",
      headers: { "content-type": contentType, "x-forwarded-for": clientIp },
      body,
    }),
  );
}

describe("POST /api/checkout", () => {
  test("prices from the database, ignoring amounts sent by the client", async () => {
    const product = await createTestProduct(db, { unitAmount: 4200, stockOnHand: 5 });
    const response = await checkout(
      JSON.stringify({
        items: [{ productId: product.id, quantity: 2, unitAmount: 1 }],
        email: "a@example.com",
        amountTotal: 2,
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { orderId: string; url: string; statusUrl: string };
    expect(Object.keys(body).sort()).toEqual(["orderId", "statusUrl", "url"]);
    const order = await db.order.findUniqueOrThrow({ where: { id: body.orderId }, include: { items: true } });
    expect(order).toMatchObject({ amountTotal: 8400, currency: "eur", status: "PENDING", email: "a@example.com" });
    expect(order.items).toMatchObject([{ unitAmount: 4200, quantity: 2, name: product.name }]);
    const session = (await (
      await fetch(`${harness.emulator.url}/v1/checkout/sessions/${order.stripeCheckoutSessionId}`, {
        headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
      })
    ).json()) as { amount_total: number; metadata: { orderId: string }; client_reference_id: string };
    expect(session).toMatchObject({
      amount_total: 8400,
      metadata: { orderId: order.id },
      client_reference_id: order.id,
    });
  });

  test("an HTML form post is answered with a 303 to Stripe Checkout", async () => {
    const product = await createTestProduct(db);
    const form = new URLSearchParams({ "items[0][productId]": product.id, "items[0][quantity]": "1", email: "" });
    const response = await checkout(form.toString(), "application/x-www-form-urlencoded");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(new RegExp(`^${harness.emulator.url}/c/pay/cs_`));
  });

  test.each([
    ["an empty cart", { items: [] }],
    ["a zero quantity", { items: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 0 }] }],
    ["a negative quantity", { items: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: -3 }] }],
    ["a huge quantity", { items: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 1e12 }] }],
    ["a product id that is not an id", { items: [{ productId: "'; drop table", quantity: 1 }] }],
    ["a bad email", { items: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 1 }], email: "nope" }],
  ])("rejects %s with 400", async (_label, body) => {
    const response = await checkout(JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
  });

  test("rejects broken JSON with 400 and other content types with 415", async () => {
    expect((await checkout("{not json")).status).toBe(400);
    expect((await checkout("items=1", "text/plain")).status).toBe(415);
  });

  test("an unknown product is a 400 and more than the stock is a 409, reserving nothing", async () => {
    const unknown = await checkout(
      JSON.stringify({ items: [{ productId: "00000000-0000-4000-8000-000000000000", quantity: 1 }] }),
    );
    expect(unknown.status).toBe(400);
    const product = await createTestProduct(db, { stockOnHand: 2 });
    const tooMany = await checkout(JSON.stringify({ items: [{ productId: product.id, quantity: 3 }] }));
    expect(tooMany.status).toBe(409);
    expect(await tooMany.json()).toMatchObject({ error: { code: "insufficient_stock" } });
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stockReserved).toBe(0);
  });

  test("limits checkouts per client address", async () => {
    const product = await createTestProduct(db, { stockOnHand: 100 });
    const body = JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] });
    const statuses = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await checkout(body, "application/json", "192.0.2.77")).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe("GET /api/orders/{id}", () => {
  test("shows the order only with its token, and masks the email", async () => {
    const product = await createTestProduct(db);
    const placed = (await (
      await checkout(JSON.stringify({ items: [{ productId: product.id, quantity: 1 }], email: "jane.doe@example.com" }))
    ).json()) as {
      orderId: string;
      statusUrl: string;
    };
    const token = new URL(placed.statusUrl).searchParams.get("token") ?? "";
    const get = (query: string) =>
      getOrder(new Request(`http://localhost/api/orders/${placed.orderId}${query}`), {
        params: Promise.resolve({ orderId: placed.orderId }),
      });
    expect((await get("")).status).toBe(404);
    expect((await get(`?token=${"x".repeat(43)}`)).status).toBe(404);
    const ok = await get(`?token=${token}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      id: placed.orderId,
      status: "PENDING",
      paymentStatus: "UNPAID",
      amountTotal: 1500,
      currency: "eur",
      email: "j•••@example.com",
      items: [{ name: product.name, unitAmount: 1500, quantity: 1 }],
    });
  });
});
