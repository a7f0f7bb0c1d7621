import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { parseOrderFilters, type OrderFilters } from "./order-filters";
import { listOrders } from "./orders-query";
import { describePayment } from "./format";

const db = openTestDb(3);
const tag = randomUUID().slice(0, 8);
const ids: Record<string, string> = {};

beforeAll(async () => {
  const rows = [
    {
      key: "a",
      status: "PAID",
      currency: "eur",
      amountTotal: 1000,
      createdAt: "2026-03-01T10:00:00Z",
      email: `ann.${tag}@example.com`,
    },
    {
      key: "b",
      status: "PAID",
      currency: "usd",
      amountTotal: 3000,
      createdAt: "2026-03-15T10:00:00Z",
      email: `bob.${tag}@example.com`,
    },
    {
      key: "c",
      status: "FAILED",
      currency: "eur",
      amountTotal: 2000,
      createdAt: "2026-04-02T10:00:00Z",
      email: `cy.${tag}@example.com`,
    },
    {
      key: "d",
      status: "PENDING",
      currency: "eur",
      amountTotal: 500,
      createdAt: "2026-05-01T10:00:00Z",
      email: `d%_\\.${tag}@example.com`,
    },
  ] as const;
  for (const r of rows) {
    const order = await db.order.create({
      data: {
        accessTokenHash: randomUUID(),
        status: r.status,
        currency: r.currency,
        amountSubtotal: r.amountTotal,
        amountTotal: r.amountTotal,
        createdAt: new Date(r.createdAt),
        email: r.email,
        stripeCheckoutSessionId: `cs_test_${tag}_${r.key}`,
        stripePaymentIntentId: `pi_test_${tag}_${r.key}`,
      },
    });
    ids[r.key] = order.id;
  }
  await db.checkoutSession.create({
    data: { id: `cs_test_${tag}_old`, orderId: ids.c!, attempt: 1, expiresAt: new Date() },
  });
});
afterAll(() => db.$disconnect());

function filters(query: Record<string, string>): OrderFilters {
  const parsed = parseOrderFilters(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filters;
}
const keysOf = async (query: Record<string, string>) => {
  const { rows } = await listOrders(filters(query));
  return rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]);
};

describe("admin orders list", () => {
  test.each([
    [{ q: tag }, ["d", "c", "b", "a"]],
    [{ q: `Ann.${tag}@Example.COM` }, ["a"]],
    [{ q: `cs_test_${tag}_b` }, ["b"]],
    [{ q: `cs_test_${tag}_old` }, ["c"]],
    [{ q: `pi_test_${tag}_c` }, ["c"]],
    [{ q: tag, status: "PAID" }, ["b", "a"]],
    [{ q: tag, currency: "EUR" }, ["d", "c", "a"]],
    [{ q: tag, from: "2026-03-10", to: "2026-04-02" }, ["c", "b"]],
    [{ q: tag, status: "PAID", currency: "eur", to: "2026-03-01" }, ["a"]],
    [{ q: tag, status: "FAILED" }, ["c"]],
    [{ q: tag, sort: "amount", dir: "asc" }, ["d", "a", "c", "b"]],
    [{ q: tag, sort: "created", dir: "asc" }, ["a", "b", "c", "d"]],
  ])("%j → %j", async (query, expected) => {
    expect(await keysOf(query)).toEqual(expected);
  });

  test.each(["%", "_", "\\", "%_", "d%"])("search text %j is matched literally, not as a LIKE pattern", async (q) => {
    const { rows } = await listOrders(filters({ q }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.email?.includes(q))).toBe(true);
    expect(await keysOf({ q: `${q}${q === "d%" ? "_" : ""}` })).toContain("d");
  });

  test("an order id finds exactly that order", async () => {
    expect(await keysOf({ q: ids.b!.toUpperCase() })).toEqual(["b"]);
  });

  test("pages follow each other through the cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOrders({ ...filters({ q: tag, sort: "amount", dir: "desc" }), cursor }, 1);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids.b, ids.c, ids.a, ids.d]);
  });

  test("bad filters are reported, and a forged cursor is ignored", async () => {
    expect(parseOrderFilters(new URLSearchParams({ status: "SHIPPED" }))).toMatchObject({ ok: false });
    expect(parseOrderFilters(new URLSearchParams({ from: "2026-13-45" }))).toMatchObject({ ok: false });
    expect(await keysOf({ q: tag, cursor: "not-a-cursor" })).toEqual(["d", "c", "b", "a"]);
  });
});

describe("filters by how an order is paid and what it waits for", () => {
  const mark = randomUUID().slice(0, 8);
  const made: Record<string, string> = {};
  beforeAll(async () => {
    const rows = [
      { key: "transfer", status: "PENDING", paymentStatus: "AWAITING_PAYMENT", paymentMethod: "BANK_TRANSFER" },
      {
        key: "partial",
        status: "PENDING",
        paymentStatus: "AWAITING_PAYMENT",
        paymentMethod: "BANK_TRANSFER",
        amountReceived: 400,
      },
      {
        key: "transferPaid",
        status: "PAID",
        paymentStatus: "PAID",
        paymentMethod: "BANK_TRANSFER",
        amountReceived: 1000,
      },
      { key: "link", status: "PENDING", paymentStatus: "UNPAID", channel: "PAYMENT_LINK", linkSentAt: new Date() },
      { key: "card", status: "PAID", paymentStatus: "PAID", paymentMethod: "CARD", amountReceived: 1000 },
      { key: "debit", status: "PENDING", paymentStatus: "AWAITING_PAYMENT", paymentMethod: "DIRECT_DEBIT" },
    ] as const;
    for (const [i, { key, ...r }] of rows.entries()) {
      const order = await db.order.create({
        data: {
          accessTokenHash: randomUUID(),
          currency: "eur",
          amountSubtotal: 1000,
          amountTotal: 1000,
          createdAt: new Date(Date.UTC(2026, 5, 1 + i)),
          email: `${key}.${mark}@example.com`,
          ...r,
        },
      });
      made[key] = order.id;
    }
  });
  const keys = async (query: Record<string, string>) => {
    const { rows } = await listOrders(filters({ q: mark, sort: "created", dir: "asc", ...query }));
    return rows.map((r) => Object.entries(made).find(([, id]) => id === r.id)?.[0]);
  };

  test.each([
    [{ method: "bank_transfer" }, ["transfer", "partial", "transferPaid"]],
    [{ method: "card" }, ["card"]],
    [{ method: "direct_debit" }, ["debit"]],
    [{ method: "payment_link" }, ["link"]],
    [{ waiting: "awaiting_transfer" }, ["transfer"]],
    [{ waiting: "partially_funded" }, ["partial"]],
    [{ waiting: "link_sent" }, ["link"]],
    [{ method: "bank_transfer", status: "PAID" }, ["transferPaid"]],
  ])("%j → %j", async (query, expected) => {
    expect(await keys(query)).toEqual(expected);
  });

  test("unknown methods and waits are reported", () => {
    expect(parseOrderFilters(new URLSearchParams({ method: "cash" }))).toMatchObject({ ok: false });
    expect(parseOrderFilters(new URLSearchParams({ waiting: "forever" }))).toMatchObject({ ok: false });
  });

  test("the list says what each unpaid order waits for, with its age", async () => {
    const { rows } = await listOrders(filters({ q: mark, sort: "created", dir: "asc" }));
    const now = new Date(Date.UTC(2026, 5, 10));
    expect(rows.map((r) => describePayment(r, now))).toEqual([
      { method: "Bank transfer", waiting: "Awaiting transfer, 9 d" },
      { method: "Bank transfer", waiting: "Partially funded: €4.00 of €10.00, 8 d" },
      { method: "Bank transfer", waiting: null },
      { method: "Payment link", waiting: expect.stringMatching(/^Link sent \d+ min ago$/) as unknown },
      { method: "Card", waiting: null },
      { method: "Direct debit", waiting: null },
    ]);
  });
});
