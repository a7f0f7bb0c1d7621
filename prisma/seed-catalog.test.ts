import { afterAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { SEED_PRODUCTS, seedCatalog, seedProductId } from "./seed-catalog";

const db = openTestDb(2);
afterAll(() => db.$disconnect());

describe("seed catalog", () => {
  test("is idempotent and never resets stock of a running store", async () => {
    await seedCatalog(db);
    await db.product.update({ where: { slug: "stoneware-mug" }, data: { stockOnHand: 7 } });
    await seedCatalog(db);
    const seeded = await db.product.findMany({ where: { slug: { in: SEED_PRODUCTS.map((p) => p.slug) } } });
    expect(seeded).toHaveLength(12);
    expect(seeded.find((p) => p.slug === "stoneware-mug")?.stockOnHand).toBe(7);
  });

  test("gives each product the same id in every database", async () => {
    const mug = await db.product.findUniqueOrThrow({ where: { slug: "stoneware-mug" } });
    expect(mug.id).toBe(seedProductId("stoneware-mug"));
    expect(seedProductId("stoneware-mug")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test("has one currency, a stock-1 item and a sold-out item", () => {
    expect(new Set(SEED_PRODUCTS.map((p) => p.slug)).size).toBe(SEED_PRODUCTS.length);
    expect(SEED_PRODUCTS.filter((p) => p.stock === 1)).toHaveLength(1);
    expect(SEED_PRODUCTS.filter((p) => p.stock === 0)).toHaveLength(1);
    for (const p of SEED_PRODUCTS) expect(Number.isInteger(p.unitAmount)).toBe(true);
  });
});
