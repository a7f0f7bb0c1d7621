/**
 * Stock moves. A reservation is one conditional UPDATE per product that only succeeds while
 * enough unreserved stock remains, so parallel checkouts can never oversell: PostgreSQL
 * re-checks the condition on the row it locks, and the loser of a race updates nothing.
 * Every function takes the caller's transaction so the move commits or rolls back with the
 * order change it belongs to.
 */
import type { Prisma } from "@/lib/db/generated/client";

type Tx = Prisma.TransactionClient;
export type StockLine = { productId: string; quantity: number };

export class InsufficientStockError extends Error {
  constructor(readonly productId: string) {
    super(`Not enough stock for product ${productId}`);
    this.name = "InsufficientStockError";
  }
}

/** Merges lines for the same product and orders them by id, so concurrent reservations lock rows in one order. */
export function normaliseLines(lines: readonly StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([productId, quantity]) => ({ productId, quantity }));
}

/** Reserves stock for every line or throws InsufficientStockError (the caller's transaction then rolls back). */
export async function reserveStock(tx: Tx, lines: readonly StockLine[]): Promise<void> {
  for (const { productId, quantity } of normaliseLines(lines)) {
    const updated = await tx.$executeRaw`
      update "Product"
         set "stockReserved" = "stockReserved" + ${quantity}, "updatedAt" = now()
       where id = ${productId}::uuid and active and "stockOnHand" - "stockReserved" >= ${quantity}`;
    if (updated !== 1) throw new InsufficientStockError(productId);
  }
}

/**
 * Moves a reservation from one set of lines to another in one pass (a shopper's changed cart
 * replacing their open checkout): per product, only the difference is reserved or released,
 * in product order, so the old hold is never counted against the new one and rows lock in the
 * same order as every other reservation. Throws InsufficientStockError like reserveStock.
 */
export async function moveReservation(tx: Tx, from: readonly StockLine[], to: readonly StockLine[]): Promise<void> {
  const delta = new Map<string, number>();
  for (const { productId, quantity } of normaliseLines(from)) delta.set(productId, -quantity);
  for (const { productId, quantity } of normaliseLines(to))
    delta.set(productId, (delta.get(productId) ?? 0) + quantity);
  for (const [productId, change] of [...delta].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (change > 0) await reserveStock(tx, [{ productId, quantity: change }]);
    else if (change < 0) await releaseStock(tx, [{ productId, quantity: -change }]);
  }
}

/** Returns reserved stock to the shelf (checkout expired or payment failed). */
export async function releaseStock(tx: Tx, lines: readonly StockLine[]): Promise<void> {
  for (const { productId, quantity } of normaliseLines(lines)) {
    await tx.$executeRaw`
      update "Product"
         set "stockReserved" = greatest("stockReserved" - ${quantity}, 0), "updatedAt" = now()
       where id = ${productId}::uuid`;
  }
}

/** Turns a reservation into a sale: the units leave both reserved and on-hand stock. */
export async function commitStock(tx: Tx, lines: readonly StockLine[]): Promise<void> {
  for (const { productId, quantity } of normaliseLines(lines)) {
    await tx.$executeRaw`
      update "Product"
         set "stockReserved" = greatest("stockReserved" - ${quantity}, 0),
             "stockOnHand" = greatest("stockOnHand" - ${quantity}, 0),
             "updatedAt" = now()
       where id = ${productId}::uuid`;
  }
}

/**
 * Sells units that are no longer reserved (a payment that arrived after its checkout expired).
 * Returns false, changing nothing, when the shelf no longer has enough.
 */
export async function commitStockFromShelf(tx: Tx, lines: readonly StockLine[]): Promise<boolean> {
  const normalised = normaliseLines(lines);
  for (const { productId, quantity } of normalised) {
    const available = await tx.$queryRaw<Array<{ ok: boolean }>>`
      select "stockOnHand" - "stockReserved" >= ${quantity} as ok from "Product" where id = ${productId}::uuid for update`;
    if (!available[0]?.ok) return false;
  }
  for (const { productId, quantity } of normalised) {
    await tx.$executeRaw`
      update "Product" set "stockOnHand" = "stockOnHand" - ${quantity}, "updatedAt" = now() where id = ${productId}::uuid`;
  }
  return true;
}
