import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPrismaClient, type PrismaClient } from "@/lib/db/create-client";
import { createDatabaseIfMissing, dropDatabase } from "@/tooling/launcher/database";
import { migrateDatabase } from "@/tooling/launcher/prepare";
import { orderFiltersSchema } from "@/lib/admin/order-filters";
import type { listOrders as ListOrders } from "@/lib/admin/orders-query";
import { seedCatalog } from "./seed-catalog";
import { seedOrders } from "./seed-orders";

// Exact counts need a database no other test file writes orders to: this file migrates its own,
// next to the run's test database, and points the app's client (used by listOrders) at it.
const COUNT = 2_000;
const DAYS = 180;
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "";
const testUrl = new URL(process.env.DATABASE_URL ?? "");
const name = `${testUrl.pathname.slice(1)}_orders`;
const ownUrl = new URL(testUrl);
ownUrl.pathname = `/${name}`;

let db: PrismaClient;
let appDb: PrismaClient;
let listOrders: typeof ListOrders;
const now = new Date();

beforeAll(async () => {
  if (!adminUrl) throw new Error("TEST_DATABASE_ADMIN_URL is not set: run tests with `npm test`");
  await createDatabaseIfMissing(adminUrl, name);
  await migrateDatabase(ownUrl.toString());
  process.env.DATABASE_URL = ownUrl.toString();
  db = createPrismaClient(ownUrl.toString(), 2);
  await seedCatalog(db);
  const result = await seedOrders(db, COUNT, { now, days: DAYS });
  expect(result).toMatchObject({ skipped: false, orders: COUNT });
  await db.$executeRawUnsafe("analyze");
  ({ listOrders } = await import("@/lib/admin/orders-query"));
  ({ db: appDb } = await import("@/lib/db"));
});

afterAll(async () => {
  await appDb?.$disconnect();
  await db?.$disconnect();
  if (adminUrl) await dropDatabase(adminUrl, name);
});

const ALLOWED: Record<string, { payment: string[]; stock: string }> = {
  PAID: { payment: ["PAID", "PARTIALLY_REFUNDED"], stock: "COMMITTED" },
  REFUNDED: { payment: ["REFUNDED"], stock: "COMMITTED" },
  PENDING: { payment: ["UNPAID", "AWAITING_PAYMENT"], stock: "RESERVED" },
  FAILED: { payment: ["FAILED"], stock: "RELEASED" },
  EXPIRED: { payment: ["UNPAID"], stock: "RELEASED" },
};

describe("seedOrders", () => {
  test("writes the requested number of orders, each session and a consistent status mix", async () => {
    const orders = await db.order.findMany({ include: { checkoutSessions: true } });
    expect(orders).toHaveLength(COUNT);

    const byStatus = new Map<string, number>();
    for (const o of orders) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual(["EXPIRED", "FAILED", "PAID", "PENDING", "REFUNDED"]);
    const share = (status: string) => (byStatus.get(status) ?? 0) / COUNT;
    expect(share("PAID")).toBeGreaterThan(0.6);
    expect(share("PAID")).toBeLessThan(0.8);
    for (const status of ["PENDING", "FAILED", "EXPIRED"]) expect(share(status)).toBeGreaterThan(0.04);
    expect(share("REFUNDED")).toBeGreaterThan(0.015);

    const payment = new Set(orders.map((o) => o.paymentStatus));
    expect(payment).toContain("AWAITING_PAYMENT");
    expect(payment).toContain("PARTIALLY_REFUNDED");
    expect(new Set(orders.map((o) => o.currency))).toEqual(new Set(["eur", "usd"]));
    expect(orders.some((o) => o.needsReview && o.reviewReason)).toBe(true);

    const oldest = now.getTime() - DAYS * 86_400_000 - 1_000;
    const emails = new Map<string, number>();
    for (const o of orders) {
      const allowed = ALLOWED[o.status];
      expect(allowed?.payment, `${o.status}/${o.paymentStatus}`).toContain(o.paymentStatus);
      expect(o.stockState).toBe(allowed?.stock);
      expect(o.createdAt.getTime()).toBeGreaterThanOrEqual(oldest);
      expect(o.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(o.updatedAt.getTime()).toBeGreaterThanOrEqual(o.createdAt.getTime());
      const paid = o.status === "PAID" || o.status === "REFUNDED";
      expect(o.paidAt !== null).toBe(paid);
      if (o.paidAt) expect(o.paidAt.getTime()).toBeGreaterThanOrEqual(o.createdAt.getTime());
      if (paid) expect(o.stripePaymentIntentId).toMatch(/^pi_seed_\d+$/);
      if (o.email) {
        expect(o.email).toMatch(/^customer\d+@example\.com$/);
        emails.set(o.email, (emails.get(o.email) ?? 0) + 1);
      }
      if (o.stripeCheckoutSessionId) {
        expect(o.stripeCheckoutSessionId).toMatch(/^cs_seed_\d+$/);
        expect(o.checkoutSessions).toHaveLength(1);
        const session = o.checkoutSessions[0];
        expect(session).toMatchObject({ id: o.stripeCheckoutSessionId, attempt: 1 });
        expect(session?.expiresAt.getTime()).toBe(o.createdAt.getTime() + 30 * 60_000);
        expect(o.checkoutExpiresAt?.getTime()).toBe(o.createdAt.getTime() + 30 * 60_000);
      } else {
        expect(o.checkoutSessions).toHaveLength(0);
        expect(o.status).toBe("EXPIRED");
      }
    }
    // Some customers come back.
    expect([...emails.values()].some((n) => n > 2)).toBe(true);
    expect(emails.size).toBeLessThan(orders.filter((o) => o.email).length);
  });

  test("totals are the sum of lines copied from catalog products", async () => {
    const [check] = await db.$queryRaw<
      Array<{ mismatched: bigint; outOfRange: bigint; subtotalDiffers: bigint; lineDiffers: bigint; items: bigint }>
    >`
      with sums as (
        select o.id, o."amountTotal", o."amountSubtotal", count(i.id) as lines,
               coalesce(sum(i."unitAmount" * i.quantity), 0) as total
        from "Order" o left join "OrderItem" i on i."orderId" = o.id group by o.id
      )
      select count(*) filter (where total <> "amountTotal") as mismatched,
             count(*) filter (where lines not between 1 and 3) as "outOfRange",
             count(*) filter (where "amountSubtotal" <> "amountTotal") as "subtotalDiffers",
             (select count(*) from "OrderItem" i join "Product" p on p.id = i."productId"
               where i.name <> p.name or i."unitAmount" <> p."unitAmount" or i.quantity < 1) as "lineDiffers",
             (select count(*) from "OrderItem") as items
      from sums`;
    expect(check).toMatchObject({ mismatched: 0n, outOfRange: 0n, subtotalDiffers: 0n, lineDiffers: 0n });
    expect(Number(check?.items)).toBeGreaterThan(COUNT);
  });

  test("unique columns hold distinct values", async () => {
    const [row] = await db.$queryRaw<
      Array<{ tokens: bigint; sessions: bigint; withSession: bigint; intents: bigint; withIntent: bigint }>
    >`
      select count(distinct "accessTokenHash") as tokens,
             count(distinct "stripeCheckoutSessionId") as sessions, count("stripeCheckoutSessionId") as "withSession",
             count(distinct "stripePaymentIntentId") as intents, count("stripePaymentIntentId") as "withIntent"
      from "Order"`;
    expect(Number(row?.tokens)).toBe(COUNT);
    expect(row?.sessions).toBe(row?.withSession);
    expect(row?.intents).toBe(row?.withIntent);
    expect(Number(row?.withSession)).toBeGreaterThan(COUNT * 0.95);
    expect(await db.checkoutSession.count()).toBe(Number(row?.withSession));
  });

  test("refunded amounts match the status, and the ledger matches the order", async () => {
    const orders = await db.order.findMany({ include: { transactions: true } });
    for (const o of orders) {
      if (o.status === "REFUNDED") expect(o.amountRefunded).toBe(o.amountTotal);
      else if (o.paymentStatus === "PARTIALLY_REFUNDED") {
        expect(o.amountRefunded).toBeGreaterThan(0);
        expect(o.amountRefunded).toBeLessThan(o.amountTotal);
      } else expect(o.amountRefunded).toBe(0);

      const charges = o.transactions.filter((t) => t.kind === "CHARGE");
      const refunds = o.transactions.filter((t) => t.kind === "REFUND");
      expect(charges.map((t) => t.amount)).toEqual(o.paidAt ? [o.amountTotal] : []);
      expect(refunds.reduce((sum, t) => sum + t.amount, 0)).toBe(o.amountRefunded);
      for (const t of o.transactions) expect(t.currency).toBe(o.currency);
    }
  });

  test("does not seed on top of an earlier seed", async () => {
    await expect(seedOrders(db, 10)).resolves.toEqual({ skipped: true, existing: expect.any(Number) as number });
    expect(await db.order.count()).toBe(COUNT);
  });

  test("rejects a count out of range", async () => {
    await expect(seedOrders(db, 0)).rejects.toThrow(/integer from 1/);
    await expect(seedOrders(db, 1.5)).rejects.toThrow(/integer from 1/);
  });
});

describe("the admin list over seeded orders", () => {
  async function pageThrough(raw: Record<string, string>) {
    const ids: string[] = [];
    const rows: Array<{ id: string; createdAt: Date; amountTotal: number }> = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1_000; pages += 1) {
      const page = await listOrders(orderFiltersSchema.parse({ ...raw, cursor }));
      expect(page.rows.length).toBeLessThanOrEqual(50);
      rows.push(...page.rows);
      ids.push(...page.rows.map((r) => r.id));
      if (!page.nextCursor) return { ids, rows, pages: pages + 1 };
      expect(page.rows).toHaveLength(50);
      cursor = page.nextCursor;
    }
    throw new Error("the cursor never ended");
  }

  test("pages through every order newest first without duplicates or gaps", async () => {
    const { ids, rows, pages } = await pageThrough({});
    expect(pages).toBe(COUNT / 50);
    expect(new Set(ids).size).toBe(COUNT);
    const all = await db.order.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(ids).toEqual(all.map((o) => o.id));
    for (let i = 1; i < rows.length; i += 1)
      expect(rows[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(rows[i]!.createdAt.getTime());
  });

  test("pages through every order by amount ascending without duplicates or gaps", async () => {
    const { ids, rows } = await pageThrough({ sort: "amount", dir: "asc" });
    expect(new Set(ids).size).toBe(COUNT);
    const all = await db.order.findMany({ orderBy: [{ amountTotal: "asc" }, { id: "asc" }], select: { id: true } });
    expect(ids).toEqual(all.map((o) => o.id));
    for (let i = 1; i < rows.length; i += 1) expect(rows[i - 1]!.amountTotal).toBeLessThanOrEqual(rows[i]!.amountTotal);
    // Equal amounts are common (same products), so the id tie-break is exercised.
    expect(new Set(rows.map((r) => r.amountTotal)).size).toBeLessThan(COUNT);
  });

  test("pages through a filtered list completely", async () => {
    const { ids } = await pageThrough({ status: "PAID", currency: "usd", sort: "amount", dir: "desc" });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await db.order.count({ where: { status: "PAID", currency: "usd" } }));
    expect(ids.length).toBeGreaterThan(50);
  });

  test("finds orders by session, payment intent and email fragment", async () => {
    const order = await db.order.findFirstOrThrow({ where: { status: "PAID" }, orderBy: { createdAt: "asc" } });
    for (const q of [order.stripeCheckoutSessionId ?? "", order.stripePaymentIntentId ?? "", order.id]) {
      const { rows } = await listOrders(orderFiltersSchema.parse({ q }));
      expect(rows.map((r) => r.id)).toEqual([order.id]);
    }
    const { rows } = await listOrders(orderFiltersSchema.parse({ q: "customer12" }));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.email).toContain("customer12");
  });
});
