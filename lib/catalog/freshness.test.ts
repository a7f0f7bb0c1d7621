import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import {
  CATALOG_CHANNEL,
  type CatalogChange,
  CatalogWatcher,
  catalogRevalidateSecret,
  isOwnRevalidateRequest,
} from "./freshness";

const db = openTestDb(3);
const url = process.env.DATABASE_URL ?? "";
/** Every slug announced on the channel since the test started (other test files change products too). */
const heard: string[] = [];
const listener = new pg.Client({ connectionString: url });

beforeAll(async () => {
  await listener.connect();
  listener.on("notification", (m) => {
    if (m.channel === CATALOG_CHANNEL && m.payload) heard.push(m.payload);
  });
  await listener.query(`listen ${CATALOG_CHANNEL}`);
});
afterAll(async () => {
  await listener.end();
  await db.$disconnect();
});

/** Waits until `check` holds, or fails after `ms`. */
async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets notifications of already committed changes arrive, so an absence means something. */
async function quiet(): Promise<void> {
  const marker = await createTestProduct(db);
  await eventually(() => heard.includes(marker.slug));
}

describe("the catalog_changed trigger", () => {
  test("announces new products and changes shoppers can see, once each, on commit", async () => {
    const product = await createTestProduct(db, { stockOnHand: 10 });
    await eventually(() => heard.includes(product.slug));
    heard.length = 0;

    await db.product.update({ where: { id: product.id }, data: { stockReserved: { increment: 1 } } });
    await db.product.update({ where: { id: product.id }, data: { unitAmount: 1900 } });
    await db.product.update({ where: { id: product.id }, data: { active: false } });
    await quiet();
    expect(heard.filter((s) => s === product.slug)).toHaveLength(3);
  });

  test("stays silent for changes that show nothing new, and for rolled-back ones", async () => {
    const product = await createTestProduct(db, { stockOnHand: 500 });
    const small = await createTestProduct(db, { stockOnHand: 5 });
    await quiet();
    heard.length = 0;

    // A reserved unit, announced (5 → 4 available); the sale of it below is not.
    await db.product.update({ where: { id: small.id }, data: { stockReserved: 1 } });
    await quiet();
    heard.length = 0;

    // 500 → 499 available: above what a product page distinguishes.
    await db.product.update({ where: { id: product.id }, data: { stockReserved: 1 } });
    // The sale of the reserved unit: on hand and reserved both drop, availability is unchanged.
    await db.product.update({
      where: { id: small.id },
      data: { stockReserved: { decrement: 1 }, stockOnHand: { decrement: 1 } },
    });
    await db.product.update({ where: { id: small.id }, data: { updatedAt: new Date() } });
    await expect(
      db.$transaction(async (tx) => {
        await tx.product.update({ where: { id: small.id }, data: { stockReserved: 4 } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await quiet();
    expect(heard.filter((s) => s === product.slug || s === small.slug)).toEqual([]);
  });
});

describe("CatalogWatcher", () => {
  test("hands over changes coalesced, and refreshes everything after a lost connection", async () => {
    const refreshes: CatalogChange[] = [];
    const watcher = new CatalogWatcher(url, (change) => {
      refreshes.push(change);
      return Promise.resolve();
    });
    await watcher.start();
    try {
      const a = await createTestProduct(db);
      const b = await createTestProduct(db);
      await eventually(() => refreshes.some((r) => r.slugs.includes(b.slug)));
      await watcher.settled();
      const mine = refreshes.filter((r) => r.slugs.includes(a.slug) || r.slugs.includes(b.slug));
      // Both creations landed within the watcher's delay: one refresh names both.
      expect(mine).toHaveLength(1);
      expect(mine[0]?.slugs).toEqual(expect.arrayContaining([a.slug, b.slug]));

      refreshes.length = 0;
      await db.$executeRaw`select pg_terminate_backend(pid) from pg_stat_activity
        where query = ${`listen ${CATALOG_CHANNEL}`} and datname = current_database() and pid <> ${
          (listener as unknown as { processID: number }).processID
        }`;
      await eventually(() => refreshes.some((r) => r.all));
      // And it listens again.
      const c = await createTestProduct(db);
      await eventually(() => refreshes.some((r) => r.slugs.includes(c.slug)));
    } finally {
      await watcher.close();
    }
  });

  test("a failing refresh is logged and the next change is still handed over", async () => {
    let calls = 0;
    const seen: string[] = [];
    const watcher = new CatalogWatcher(url, (change) => {
      calls += 1;
      seen.push(...change.slugs);
      return calls === 1 ? Promise.reject(new Error("server busy")) : Promise.resolve();
    });
    await watcher.start();
    try {
      await createTestProduct(db);
      await eventually(() => calls >= 1);
      await watcher.settled();
      const later = await createTestProduct(db);
      await eventually(() => seen.includes(later.slug));
    } finally {
      await watcher.close();
    }
  });
});

describe("the revalidation secret", () => {
  test("only this process's secret is accepted", () => {
    const secret = catalogRevalidateSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(catalogRevalidateSecret()).toBe(secret);
    expect(isOwnRevalidateRequest(secret)).toBe(true);
    expect(isOwnRevalidateRequest(null)).toBe(false);
    expect(isOwnRevalidateRequest("")).toBe(false);
    expect(isOwnRevalidateRequest(`${secret.slice(0, -1)}x`)).toBe(false);
    expect(isOwnRevalidateRequest(`${secret}x`)).toBe(false);
  });
});
