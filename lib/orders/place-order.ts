import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { type Problem, ProblemError } from "@/lib/http/respond";
import { createCheckoutSession } from "@/lib/payments/checkout-sessions";
import {
  describeStripeError,
  PaymentProviderBusyError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from "@/lib/payments/errors";
import { sumLines } from "@/lib/money";
import { publishOrderChange } from "@/lib/live/publish";
import { createAccessToken } from "./access-token";
import { grantReturnToken, tokenOpensOrder } from "./order-access";
import { createHash } from "node:crypto";
import {
  InsufficientStockError,
  moveReservation,
  normaliseLines,
  releaseStock,
  reserveStock,
  type StockLine,
} from "./inventory";
import { MAX_RESERVED_UNITS_PER_CLIENT, MAX_UNITS_PER_ORDER, MAX_UNITS_PER_PRODUCT } from "./limits";
import { checkoutReturnUrls, orderStatusUrl } from "./links";
import { isUuid } from "./ids";

export type CheckoutErrorCode =
  | "unknown_product"
  | "mixed_currency"
  | "insufficient_stock"
  | "payment_provider_unavailable"
  | "payment_provider_busy"
  | "payment_rejected"
  | "not_retryable"
  | "not_found"
  | "order_too_large"
  | "too_much_reserved"
  | "method_unavailable";

/** How each reason a checkout cannot go ahead is reported to the shopper's client. */
const CHECKOUT_PROBLEM: Record<CheckoutErrorCode, Problem> = {
  unknown_product: "bad_request",
  mixed_currency: "bad_request",
  insufficient_stock: "insufficient_stock",
  payment_provider_unavailable: "payment_provider_unavailable",
  payment_provider_busy: "payment_provider_busy",
  payment_rejected: "payment_rejected",
  not_retryable: "conflict",
  not_found: "not_found",
  order_too_large: "bad_request",
  too_much_reserved: "rate_limited",
  method_unavailable: "bad_request",
};

/** A checkout that cannot go ahead, with a message fit for the shopper. */
export class CheckoutError extends ProblemError {
  constructor(
    readonly code: CheckoutErrorCode,
    message: string,
    /** Seconds the shopper should wait before trying again, when that is known. */
    retryAfterS?: number,
  ) {
    super(CHECKOUT_PROBLEM[code], message, retryAfterS);
    this.name = "CheckoutError";
  }
}

/** `token` opens the order; the checkout route keeps it for the shopper's next checkout (not in the JSON). */
export type PlacedOrder = { orderId: string; url: string; statusUrl: string; token: string; resumed: boolean };

/** The shopper's previous checkout from this browser, which a new one resumes or replaces. */
export type PreviousCheckout = { orderId: string; token: string };

export type CheckoutInput = {
  items: StockLine[];
  email: string | null;
  /** The client's address; caps what it holds reserved at once. Null for the store's own callers. */
  client?: string | null;
  previous?: PreviousCheckout | null;
  /** "bank_transfer": the shopper sends the money later; the stock waits BANK_TRANSFER_DAYS. */
  method?: CheckoutMethod;
};

/** How the shopper chose to pay in the store: at Checkout (card or debit), or by bank transfer. */
export type CheckoutMethod = "checkout" | "bank_transfer";

/** Currencies Stripe takes bank transfers in through Checkout (and the emulator too). */
const BANK_TRANSFER_CURRENCIES = new Set(["eur", "usd"]);

/** When an order paid by bank transfer placed now lapses, unpaid. */
function transferDueAt(): Date {
  return new Date(Date.now() + env.BANK_TRANSFER_DAYS * 24 * 60 * 60_000);
}

/**
 * Places an order: prices every line from the database, reserves stock and stores the order
 * PENDING in one transaction, then opens a Stripe Checkout session for it. If Stripe cannot
 * be reached the reservation is released and the order closed, so no stock stays locked.
 *
 * Holds are bounded (lib/orders/limits.ts): per product and per order, and per client over all
 * its unpaid checkouts. The same browser coming back with the same cart while its checkout is
 * open gets that checkout again (no new reservation, no Stripe call); with a changed cart, the
 * new order replaces the old one, whose reservation is released in the same transaction.
 */
export async function placeOrder(input: CheckoutInput): Promise<PlacedOrder> {
  const lines = normaliseLines(input.items);
  checkOrderSize(lines);
  const bankTransfer = input.method === "bank_transfer";
  if (bankTransfer && !env.BANK_TRANSFERS)
    throw new CheckoutError("method_unavailable", "This store does not take bank transfers. Please pay at checkout.");
  const previous = input.previous ? await previousCheckout(input.previous, lines, bankTransfer) : null;
  if (previous && "resume" in previous) return previous.resume;
  const replacing = previous?.replace ?? null;

  // Raw SQL on this path: every checkout runs it, and a query Prisma builds costs several times
  // the CPU of a raw one (about 1.3–2 ms against 0.4 ms here), which a sale multiplies.
  const products = await db.$queryRaw<
    Array<{ id: string; name: string; unitAmount: number; currency: string; image: string }>
  >`
    select id, name, "unitAmount", currency, image from "Product"
     where id = any(${lines.map((l) => l.productId)}::uuid[]) and active`;
  const byId = new Map(products.map((p) => [p.id, p]));
  const priced = lines.map((line) => {
    const product = byId.get(line.productId);
    if (!product) throw new CheckoutError("unknown_product", `Product ${line.productId} is not for sale.`);
    return { product, quantity: line.quantity };
  });
  const currencies = new Set(priced.map((l) => l.product.currency));
  if (currencies.size !== 1)
    throw new CheckoutError("mixed_currency", "Items in different currencies must be bought separately.");
  const currency = [...currencies][0] ?? "eur";
  if (bankTransfer && !BANK_TRANSFER_CURRENCIES.has(currency))
    throw new CheckoutError(
      "method_unavailable",
      `Bank transfers are taken in euros and US dollars only; please pay this ${currency.toUpperCase()} order at checkout.`,
    );
  const method = bankTransfer ? "BANK_TRANSFER" : null;
  const dueAt = bankTransfer ? transferDueAt() : null;
  const total = sumLines(priced.map((l) => ({ unitAmount: l.product.unitAmount, quantity: l.quantity })));
  const { token, hash } = createAccessToken();
  const clientKey = input.client ? clientKeyOf(input.client) : null;

  const order = await db
    .$transaction(async (tx) => {
      if (clientKey) await checkClientHold(tx, clientKey, lines, replacing?.id ?? null);
      // The order first, the stock last: a best-seller's row is locked only until commit.
      const [created] = await tx.$queryRaw<Array<{ id: string; checkoutAttempt: number }>>`
        insert into "Order" (id, "accessTokenHash", email, currency, "amountSubtotal", "amountTotal", "reservedBy",
                             "paymentMethod", "paymentDueAt", "updatedAt")
        values (gen_random_uuid(), ${hash}, ${input.email}, ${currency}, ${total}, ${total}, ${clientKey},
                ${method}::"PaymentMethod", ${dueAt}::timestamp, now())
        returning id, "checkoutAttempt"`;
      if (!created) throw new Error("the order was not stored");
      const items = priced.map((l) => ({
        productId: l.product.id,
        name: l.product.name,
        unitAmount: l.product.unitAmount,
        quantity: l.quantity,
        image: l.product.image,
      }));
      await tx.$executeRaw`
        insert into "OrderItem" (id, "orderId", "productId", name, "unitAmount", quantity)
        select gen_random_uuid(), ${created.id}::uuid, line."productId", line.name, line."unitAmount", line.quantity
          from unnest(${items.map((i) => i.productId)}::uuid[], ${items.map((i) => i.name)}::text[],
                      ${items.map((i) => i.unitAmount)}::int[], ${items.map((i) => i.quantity)}::int[])
               as line("productId", name, "unitAmount", quantity)`;
      const returnToken = await grantReturnToken(tx, created.id);
      const released = replacing ? await closeReplaced(tx, replacing.id) : false;
      await moveReservation(tx, released && replacing ? replacing.items : [], lines);
      return { ...created, currency, email: input.email, items, returnToken, paymentMethod: method };
    })
    .catch((error: unknown) => {
      if (error instanceof InsufficientStockError) {
        const name = byId.get(error.productId)?.name ?? "An item";
        throw new CheckoutError("insufficient_stock", `${name} does not have enough stock left for this order.`);
      }
      throw error;
    });

  const url = await openCheckoutSession(order);
  return { orderId: order.id, url, statusUrl: orderStatusUrl(env.APP_URL, order.id, token), token, resumed: false };
}

/** How an order records its client: a hash of the address, not the address. */
function clientKeyOf(client: string): string {
  return createHash("sha256").update(client).digest("hex").slice(0, 32);
}

/** Refuses an order above the per-product and per-order caps (lib/orders/limits.ts). */
export function checkOrderSize(lines: readonly StockLine[]): void {
  const tooMany = lines.find((l) => l.quantity > MAX_UNITS_PER_PRODUCT);
  if (tooMany)
    throw new CheckoutError("order_too_large", `An order may hold at most ${MAX_UNITS_PER_PRODUCT} of one product.`);
  if (lines.reduce((n, l) => n + l.quantity, 0) > MAX_UNITS_PER_ORDER)
    throw new CheckoutError("order_too_large", `An order may hold at most ${MAX_UNITS_PER_ORDER} items.`);
}

/**
 * Caps what one client holds reserved over all its unpaid checkouts (the order being replaced
 * does not count). Serialised per client, so parallel checkouts cannot both slip under it.
 */
async function checkClientHold(
  tx: Prisma.TransactionClient,
  clientKey: string,
  lines: readonly StockLine[],
  replacing: string | null,
): Promise<void> {
  await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`hold:${clientKey}`}, 0))`;
  const [row] = await tx.$queryRaw<Array<{ held: number; expires: Date | null }>>`
    select coalesce(sum(i.quantity), 0)::int as held, min(coalesce(o."paymentDueAt", o."checkoutExpiresAt")) as expires
      from "Order" o join "OrderItem" i on i."orderId" = o.id
     where o."reservedBy" = ${clientKey} and o."stockState" = 'RESERVED'
       and o.id is distinct from ${replacing}::uuid`;
  const wanted = lines.reduce((n, l) => n + l.quantity, 0);
  if ((row?.held ?? 0) + wanted <= MAX_RESERVED_UNITS_PER_CLIENT) return;
  const minutes = row?.expires ? Math.max(1, Math.ceil((row.expires.getTime() - Date.now()) / 60_000)) : null;
  throw new CheckoutError(
    "too_much_reserved",
    `Your other open checkouts already hold ${row?.held ?? 0} items, and one shopper may hold ${MAX_RESERVED_UNITS_PER_CLIENT} at a time. ` +
      `Finish or cancel one of them${minutes ? `, or wait about ${minutes} minutes until the oldest is released` : ""}.`,
    minutes ? minutes * 60 : undefined,
  );
}

type Previous = { resume: PlacedOrder } | { replace: { id: string; items: StockLine[] } };

/**
 * What to do with the browser's previous checkout: resume it when it is still open for the
 * same lines, replace it when it is open for other lines, or nothing (paid, expired, not ours).
 */
async function previousCheckout(
  previous: PreviousCheckout,
  lines: readonly StockLine[],
  bankTransfer: boolean,
): Promise<Previous | null> {
  if (!isUuid(previous.orderId)) return null;
  const order = await db.order.findUnique({
    where: { id: previous.orderId },
    include: { items: true, checkoutSessions: true },
  });
  if (!order || !(await tokenOpensOrder(order.id, previous.token))) return null;
  if (order.status !== "PENDING" || order.paymentStatus !== "UNPAID" || order.stockState !== "RESERVED") return null;
  const held = normaliseLines(order.items.map((i) => ({ productId: i.productId, quantity: i.quantity })));
  const open = order.checkoutSessions.find((s) => s.id === order.stripeCheckoutSessionId);
  // A minute's margin, so the shopper is not sent to a session about to expire.
  const stillOpen = open?.url && open.expiresAt.getTime() > Date.now() + 60_000;
  const same =
    (order.paymentMethod === "BANK_TRANSFER") === bankTransfer &&
    held.length === lines.length &&
    held.every((l, i) => l.productId === lines[i]?.productId && l.quantity === lines[i]?.quantity);
  if (stillOpen && same && open.url)
    return {
      resume: {
        orderId: order.id,
        url: open.url,
        statusUrl: orderStatusUrl(env.APP_URL, order.id, previous.token),
        token: previous.token,
        resumed: true,
      },
    };
  return { replace: { id: order.id, items: held } };
}

/** Ends the replaced checkout's hold, in the transaction that places its replacement; false if it moved on meanwhile. */
async function closeReplaced(tx: Prisma.TransactionClient, orderId: string): Promise<boolean> {
  const closed = await tx.$executeRaw`
    update "Order" set status = 'EXPIRED', "stockState" = 'RELEASED', "updatedAt" = now()
     where id = ${orderId}::uuid and status = 'PENDING' and "paymentStatus" = 'UNPAID' and "stockState" = 'RESERVED'`;
  if (closed === 1) await publishOrderChange(tx, orderId);
  return closed === 1;
}

type OrderForSession = {
  /** The token for the session's return URLs (grantReturnToken). */
  returnToken: string;
  id: string;
  currency: string;
  email: string | null;
  checkoutAttempt: number;
  paymentMethod: string | null;
  /** `image`: the product's picture as the catalog stores it (a path under APP_URL, or a URL). */
  items: Array<{ name: string; unitAmount: number; quantity: number; productId: string; image: string | null }>;
};

/** The product's picture as an absolute http(s) URL, which Stripe Checkout needs; null otherwise. */
function absoluteImageUrl(image: string | null): string | null {
  if (!image || !URL.canParse(image, env.APP_URL)) return null;
  const url = new URL(image, env.APP_URL);
  return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
}

/** Opens the Checkout session for the order's current attempt and records it; undoes the reservation on failure. */
async function openCheckoutSession(order: OrderForSession): Promise<string> {
  const expiresAt = new Date(Date.now() + env.CHECKOUT_EXPIRES_MINUTES * 60_000);
  try {
    const session = await createCheckoutSession(
      {
        orderId: order.id,
        attempt: order.checkoutAttempt,
        currency: order.currency,
        email: order.email,
        lines: order.items.map((item) => ({ ...item, imageUrl: absoluteImageUrl(item.image) })),
        ...checkoutReturnUrls(env.APP_URL, order.id, order.returnToken),
        expiresAt,
        allowDelayedMethods: env.CHECKOUT_DELAYED_PAYMENTS,
        bankTransfer: order.paymentMethod === "BANK_TRANSFER" ? { country: env.BANK_TRANSFER_COUNTRY } : null,
      },
      { rateLimitWaitMs: env.CHECKOUT_RATE_LIMIT_WAIT_MS },
    );
    await db.$transaction([
      db.$executeRaw`
        insert into "CheckoutSession" (id, "orderId", attempt, url, "expiresAt")
        values (${session.id}, ${order.id}::uuid, ${order.checkoutAttempt}, ${session.url}, ${session.expiresAt}::timestamp)`,
      db.$executeRaw`
        update "Order" set "stripeCheckoutSessionId" = ${session.id}, "checkoutExpiresAt" = ${session.expiresAt}::timestamp,
                           "updatedAt" = now()
         where id = ${order.id}::uuid`,
    ]);
    return session.url;
  } catch (error) {
    const fromStripe =
      error instanceof PaymentProviderUnavailableError ||
      error instanceof PaymentRequestRejectedError ||
      error instanceof PaymentProviderBusyError;
    if (!fromStripe) {
      // Recording the session failed (the database went away): give the stock back if the
      // database lets us; otherwise the reconciler releases it after UNOPENED_GRACE_MS.
      await closeUnopenedAttempt(order).catch(() => false);
      throw error;
    }
    console.error(`[checkout] order ${order.id} attempt ${order.checkoutAttempt}: ${describeStripeError(error)}`);
    await closeUnopenedAttempt(order);
    throw shopperFacing(error);
  }
}

/** What the shopper is told when Stripe did not open the Checkout session. */
function shopperFacing(error: Error): CheckoutError {
  if (error instanceof PaymentProviderBusyError)
    return new CheckoutError(
      "payment_provider_busy",
      "Our payment provider is very busy right now, so nothing was charged and your items were not reserved. Please try again in a moment.",
      error.retryAfterS,
    );
  if (error instanceof PaymentRequestRejectedError)
    return new CheckoutError(
      "payment_rejected",
      "Our payment provider could not start a checkout for this order, so nothing was charged and your items were not reserved. Please try again, or contact us if it keeps happening.",
    );
  return new CheckoutError(
    "payment_provider_unavailable",
    "We could not reach our payment provider, so nothing was charged and your items were not reserved. Please try again in a moment.",
  );
}

/**
 * Ends a checkout attempt that never got its Checkout session recorded (Stripe refused or
 * was unreachable, or the server stopped in between): the order expires and its stock is
 * released, once, whoever gets there first.
 */
export async function closeUnopenedAttempt(order: {
  id: string;
  items: ReadonlyArray<{ productId: string; quantity: number }>;
}): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.order.updateMany({
      where: { id: order.id, status: "PENDING", stockState: "RESERVED", stripeCheckoutSessionId: null },
      data: { status: "EXPIRED", stockState: "RELEASED" },
    });
    if (updated.count === 1) {
      await releaseStock(tx, order.items);
      await publishOrderChange(tx, order.id);
    }
    return updated.count === 1;
  });
}

/**
 * Starts a fresh Checkout session for an order whose payment failed or whose checkout
 * expired: the stock is reserved again and a new attempt begins. For an order still waiting
 * on an open session, returns that session's page instead.
 */
export async function retryCheckout(
  orderId: string,
  token: string,
  client: string | null = null,
): Promise<{ url: string }> {
  if (!isUuid(orderId)) throw new CheckoutError("not_found", "Order not found.");
  const order = await db.order.findUnique({ where: { id: orderId }, include: { items: true, checkoutSessions: true } });
  if (!order || !(await tokenOpensOrder(order.id, token))) throw new CheckoutError("not_found", "Order not found.");
  const open = order.checkoutSessions.find((s) => s.id === order.stripeCheckoutSessionId);
  if (order.status === "PENDING" && order.paymentStatus === "UNPAID" && open?.url && open.expiresAt > new Date()) {
    return { url: open.url };
  }
  if (order.status !== "FAILED" && order.status !== "EXPIRED") {
    throw new CheckoutError("not_retryable", "This order is not waiting for a payment.");
  }
  const lines = order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
  const reopened = await db
    .$transaction(async (tx) => {
      const clientKey = client ? clientKeyOf(client) : order.reservedBy;
      if (clientKey) await checkClientHold(tx, clientKey, lines, null);
      const moved = await tx.order.updateMany({
        where: { id: orderId, status: order.status, checkoutAttempt: order.checkoutAttempt },
        data: {
          status: "PENDING",
          paymentStatus: "UNPAID",
          stockState: "RESERVED",
          checkoutAttempt: { increment: 1 },
          stripeCheckoutSessionId: null,
          reservedBy: clientKey,
          // A bank transfer starts over with a new deadline; anything else is paid at Checkout again.
          ...(order.paymentMethod === "BANK_TRANSFER"
            ? { paymentDueAt: transferDueAt(), stripeCustomerId: null, transferInstructions: Prisma.DbNull }
            : { paymentMethod: null }),
          amountReceived: 0,
        },
      });
      if (moved.count !== 1) throw new CheckoutError("not_retryable", "This order changed meanwhile; reload the page.");
      await reserveStock(tx, lines);
      await publishOrderChange(tx, orderId);
      const returnToken = await grantReturnToken(tx, orderId);
      const fresh = await tx.order.findUniqueOrThrow({
        where: { id: orderId },
        include: { items: { include: { product: { select: { image: true } } } } },
      });
      return {
        ...fresh,
        items: fresh.items.map((item) => ({ ...item, image: item.product.image })),
        returnToken,
      };
    })
    .catch((error: unknown) => {
      if (error instanceof InsufficientStockError) {
        throw new CheckoutError("insufficient_stock", "Some items in this order are no longer in stock.");
      }
      throw error;
    });
  return { url: await openCheckoutSession(reopened) };
}
