import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { decodeCursor, encodeCursor, type OrderFilters, PAGE_SIZE } from "./order-filters";
import { isUuid } from "@/lib/orders/ids";

export type AdminOrderRow = {
  id: string;
  createdAt: Date;
  email: string | null;
  status: string;
  paymentStatus: string;
  amountTotal: number;
  amountRefunded: number;
  currency: string;
  needsReview: boolean;
  disputed: boolean;
  stripeCheckoutSessionId: string | null;
  stripePaymentIntentId: string | null;
  channel: string;
  paymentMethod: string | null;
  amountReceived: number;
  paymentDueAt: Date | null;
  linkSentAt: Date | null;
};

const METHOD_WHERE: Record<NonNullable<OrderFilters["method"]>, Prisma.OrderWhereInput> = {
  card: { paymentMethod: "CARD" },
  direct_debit: { paymentMethod: "DIRECT_DEBIT" },
  bank_transfer: { paymentMethod: "BANK_TRANSFER" },
  payment_link: { channel: "PAYMENT_LINK" },
};

const unpaid: Prisma.OrderWhereInput = { status: "PENDING", paymentStatus: { not: "PAID" } };

const WAITING_WHERE: Record<NonNullable<OrderFilters["waiting"]>, Prisma.OrderWhereInput> = {
  awaiting_transfer: { ...unpaid, paymentMethod: "BANK_TRANSFER", amountReceived: 0 },
  partially_funded: { ...unpaid, paymentMethod: "BANK_TRANSFER", amountReceived: { gt: 0 } },
  link_sent: { ...unpaid, channel: "PAYMENT_LINK", linkSentAt: { not: null } },
};

/**
 * The search box: an order id, a Checkout session or payment intent id, a whole email (stored
 * lower-cased, so an index lookup), or part of an email (a scan; tens of ms at 50,000 orders).
 */
async function searchWhere(q: string): Promise<Prisma.OrderWhereInput> {
  if (isUuid(q)) return { id: q.toLowerCase() };
  if (q.startsWith("cs_")) {
    // Earlier attempts' sessions are in CheckoutSession; two index lookups beat one OR-subquery scan.
    const attempt = await db.checkoutSession.findUnique({ where: { id: q }, select: { orderId: true } });
    return { OR: [{ stripeCheckoutSessionId: q }, ...(attempt ? [{ id: attempt.orderId }] : [])] };
  }
  if (q.startsWith("pi_")) return { stripePaymentIntentId: q };
  if (/^[^\s@]+@[^\s@]+$/.test(q)) return { email: q.toLowerCase() };
  // Typed text, not a pattern: `%`, `_` and `\` match themselves (LIKE's escape is `\`).
  return { email: { contains: q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } };
}

/** Turns the filters into a Prisma where clause (without the cursor). */
export async function ordersWhere(filters: OrderFilters): Promise<Prisma.OrderWhereInput> {
  const and: Prisma.OrderWhereInput[] = [];
  if (filters.status) and.push({ status: filters.status });
  if (filters.currency) and.push({ currency: filters.currency });
  if (filters.review) and.push({ needsReview: true });
  if (filters.method) and.push(METHOD_WHERE[filters.method]);
  if (filters.waiting) and.push(WAITING_WHERE[filters.waiting]);
  if (filters.from) and.push({ createdAt: { gte: new Date(`${filters.from}T00:00:00Z`) } });
  if (filters.to) and.push({ createdAt: { lt: new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000) } });
  if (filters.q) and.push(await searchWhere(filters.q));
  return and.length ? { AND: and } : {};
}

const rowSelect = {
  id: true,
  createdAt: true,
  email: true,
  status: true,
  paymentStatus: true,
  amountTotal: true,
  amountRefunded: true,
  currency: true,
  needsReview: true,
  disputed: true,
  stripeCheckoutSessionId: true,
  stripePaymentIntentId: true,
  channel: true,
  paymentMethod: true,
  amountReceived: true,
  paymentDueAt: true,
  linkSentAt: true,
} as const;

/**
 * One page of orders, newest first by default, with keyset pagination: the cursor carries
 * the last row's sort value and id, so every page costs the same however deep it is.
 */
export async function listOrders(
  filters: OrderFilters,
  pageSize = PAGE_SIZE,
): Promise<{ rows: AdminOrderRow[]; nextCursor: string | null }> {
  const field = filters.sort === "amount" ? "amountTotal" : "createdAt";
  const cmp = filters.dir === "asc" ? "gt" : "lt";
  const cursor = decodeCursor(filters.cursor);
  const where: Prisma.OrderWhereInput[] = [await ordersWhere(filters)];
  const value = cursor && (field === "createdAt" ? new Date(cursor.v) : Number(cursor.v));
  if (cursor && value !== null && !Number.isNaN(Number(value))) {
    where.push({ OR: [{ [field]: { [cmp]: value } }, { [field]: value, id: { [cmp]: cursor.id } }] });
  }
  const rows = await db.order.findMany({
    where: { AND: where },
    orderBy: [{ [field]: filters.dir }, { id: filters.dir }],
    take: pageSize + 1,
    select: rowSelect,
  });
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  const nextCursor =
    rows.length > pageSize && last
      ? encodeCursor({ v: field === "createdAt" ? last.createdAt.toISOString() : last.amountTotal, id: last.id })
      : null;
  return { rows: page, nextCursor };
}

/** Every order matching the filters, in pages, for the CSV export. */
export async function* allOrders(filters: OrderFilters): AsyncGenerator<AdminOrderRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const { rows, nextCursor } = await listOrders({ ...filters, cursor }, 1_000);
    if (rows.length) yield rows;
    if (!nextCursor) return;
    cursor = nextCursor;
  }
}
