import { afterAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { commitStock, InsufficientStockError, normaliseLines, releaseStock, reserveStock } from "./inventory";

const db = openTestDb(25);
afterAll(() => db.$disconnect());

describe("stock reservation on PostgreSQL", () => {
  test("20 parallel checkouts of a stock-1 item reserve it exactly once", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1 });
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        db.$transaction(async (tx) => {
          await reserveStock(tx, [{ productId: product.id, quantity: 1 }]);
          // Keep the transaction open a moment so the others really contend for the row.
          await tx.$executeRaw`select pg_sleep(0.01)`;
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const loss of lost) expect(loss.reason).toBeInstanceOf(InsufficientStockError);
    const after = await db.product.findUniqueOrThrow({ where: { id: product.id } });
    expect(after).toMatchObject({ stockOnHand: 1, stockReserved: 1 });
  });

  test("a failed line rolls back the lines reserved before it", async () => {
    const plenty = await createTestProduct(db, { stockOnHand: 10 });
    const scarce = await createTestProduct(db, { stockOnHand: 1 });
    await expect(
      db.$transaction((tx) =>
        reserveStock(tx, [
          { productId: plenty.id, quantity: 3 },
          { productId: scarce.id, quantity: 2 },
        ]),
      ),
    ).rejects.toBeInstanceOf(InsufficientStockError);
    expect((await db.product.findUniqueOrThrow({ where: { id: plenty.id } })).stockReserved).toBe(0);
  });

  test("inactive products cannot be reserved", async () => {
    const retired = await createTestProduct(db, { stockOnHand: 5, active: false });
    await expect(
      db.$transaction((tx) => reserveStock(tx, [{ productId: retired.id, quantity: 1 }])),
    ).rejects.toBeInstanceOf(InsufficientStockError);
  });

  test("commit takes units off the shelf; release puts them back", async () => {
    const product = await createTestProduct(db, { stockOnHand: 5 });
    const lines = [{ productId: product.id, quantity: 2 }];
    await db.$transaction((tx) => reserveStock(tx, lines));
    await db.$transaction((tx) => commitStock(tx, lines));
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      stockOnHand: 3,
      stockReserved: 0,
    });
    await db.$transaction((tx) => reserveStock(tx, lines));
    await db.$transaction((tx) => releaseStock(tx, lines));
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
      stockOnHand: 3,
      stockReserved: 0,
    });
  });

  test("lines for one product are merged and sorted by id", () => {
    expect(
      normaliseLines([
        { productId: "b", quantity: 1 },
        { productId: "a", quantity: 2 },
        { productId: "b", quantity: 3 },
      ]),
    ).toEqual([
      { productId: "a", quantity: 2 },
      { productId: "b", quantity: 4 },
    ]);
  });
});
