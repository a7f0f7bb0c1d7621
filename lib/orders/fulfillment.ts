import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { publishOrderChange } from "@/lib/live/publish";
import { retrieveCheckoutSnapshot } from "@/lib/payments/checkout-sessions";
import type { CashBalanceNews, CheckoutSnapshot, TransferInstructions, TransferNews } from "@/lib/payments/types";
import { commitStock, commitStockFromShelf, releaseStock, type StockLine } from "./inventory";
import { lockUnhandledEvents, markIgnored, markProcessed } from "./inbox";
import {
  closeUnpaid,
  decide,
  type OrderState,
  type PaymentEmailKind,
  type PaymentFacts,
  secondPayment,
} from "./state-machine";
import { enqueuePaymentEmails, enqueueTransferInstructions } from "./notifications";
import { formatMoney } from "@/lib/money";
import { isUuid } from "./ids";
import { adoptLinkSessions, orderForPaymentLink } from "./payment-link-sessions";

type Tx = Prisma.TransactionClient;

export type FulfillmentResult =
  | { outcome: "applied"; orderId: string; changed: boolean; status: string }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" };

const COUNTED_REFUNDS = new Set(["succeeded", "pending"]);
const OPEN_OR_LOST_DISPUTES = new Set([
  "warning_needs_response",
  "warning_under_review",
  "needs_response",
  "under_review",
  "lost",
]);

/**
 * Brings an order in line with what Stripe says about one of its Checkout sessions, read now
 * (admin resync). Idempotent: applying the same truth twice changes nothing.
 */
export async function fulfillCheckout(sessionId: string): Promise<FulfillmentResult> {
  return applyCheckoutSnapshot(await retrieveCheckoutSnapshot(sessionId));
}

/** Applies one snapshot to the order it names, outside the webhook inbox (resync, reconciler, success page). */
export async function applyCheckoutSnapshot(snapshot: CheckoutSnapshot): Promise<FulfillmentResult> {
  const orderId = snapshot.paymentLinkId ? await orderForPaymentLink(snapshot.paymentLinkId) : snapshot.orderId;
  if (!orderId || !isUuid(orderId)) return { outcome: "ignored", reason: "the session carries no order of this store" };
  const result = await applySettlement(orderId, [{ snapshot }]);
  if (result.outcome !== "applied") return result;
  const ignored = result.ignored[0];
  if (ignored) return { outcome: "ignored", reason: ignored.reason };
  return { outcome: "applied", orderId, changed: result.changed, status: result.status };
}

/**
 * One piece of evidence about an order: what an event proves (or a read), and the event it
 * came from. A bank transfer's progress and a customer's unapplied cash balance come beside it;
 * with `close`, the store closes an order nobody paid (closeUnpaid).
 */
export type SettleItem = {
  eventId?: string;
  snapshot: CheckoutSnapshot | null;
  transfer?: TransferNews;
  cashBalance?: CashBalanceNews;
  close?: "unpaid";
};

export type SettlementResult =
  | {
      outcome: "applied";
      orderId: string;
      changed: boolean;
      status: string;
      applied: string[];
      ignored: Array<{ stripeEventId: string; reason: string }>;
    }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" };

/**
 * The only writer of payment state. Applies evidence about one order (a batch of its events,
 * oldest first, or one read) in ONE transaction: lock the events and the order, run each piece
 * through the state machine, move stock, record the ledger, queue emails, mark the events
 * handled, NOTIFY. An event already handled is skipped, so racing workers apply it once. A
 * null snapshot is an event that is only recorded on the order's timeline.
 */
export async function applySettlement(orderId: string, items: readonly SettleItem[]): Promise<SettlementResult> {
  return db.$transaction(async (tx) => {
    const eventIds = items.flatMap((i) => (i.eventId ? [i.eventId] : []));
    const open = eventIds.length > 0 ? await lockUnhandledEvents(tx, eventIds) : new Set<string>();
    const live = items.filter((i) => !i.eventId || open.has(i.eventId));
    if (live.length === 0) return { outcome: "duplicate" } as const;

    const order = await lockOrder(tx, orderId);
    if (!order) return { outcome: "ignored", reason: `no order ${orderId}` } as const;
    // Sessions opened by the order's own payment link are its attempts too.
    Object.assign(
      order,
      await adoptLinkSessions(
        tx,
        order,
        live.map((i) => i.snapshot),
      ),
    );
    const sessions = new Map<string, boolean>();
    const knows = async (sessionId: string) => {
      const cached = sessions.get(sessionId);
      if (cached !== undefined) return cached;
      const known =
        order.stripeCheckoutSessionId === sessionId ||
        (await tx.checkoutSession.count({ where: { id: sessionId, orderId } })) > 0;
      sessions.set(sessionId, known);
      return known;
    };

    const lines = order.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
    let state: OrderState = order;
    let email = order.email;
    let paymentIntentId = order.stripePaymentIntentId;
    const money: MoneyState = {
      method: order.paymentMethod,
      received: order.amountReceived,
      unapplied: order.amountUnapplied,
      customerId: order.stripeCustomerId,
      instructions: order.transferInstructions,
    };
    const emails: PaymentEmailKind[] = [];
    // Product rows are locked last, just before commit: every order of a best-seller takes
    // the same row, so the shorter it is held, the more orders settle per second.
    const stockMoves: Array<"commit" | "release"> = [];
    const applied: string[] = [];
    const ignored: Array<{ stripeEventId: string; reason: string }> = [];
    for (const item of live) {
      const snapshot = item.snapshot;
      if (snapshot && !(await knows(snapshot.sessionId))) {
        const reason = `session ${snapshot.sessionId} was not created for order ${orderId}`;
        if (item.eventId) ignored.push({ stripeEventId: item.eventId, reason });
        else return { outcome: "ignored", reason } as const;
        continue;
      }
      if (item.eventId) applied.push(item.eventId);
      if (item.transfer) {
        // The transfer's own events name its payment, so the deadline can cancel it even when
        // the session's events are late or lost.
        paymentIntentId = paymentIntentId ?? item.transfer.paymentIntentId;
        applyTransfer(money, item.transfer);
        if (item.transfer.state === "canceled") {
          const closed = closeUnpaid(state, { paymentCanceled: true });
          if (closed.stock === "release") stockMoves.push("release");
          state = closed.next;
          emails.push(...closed.emails);
        }
        const closedUnpaid = state.status === "EXPIRED" || state.status === "FAILED";
        if ((item.transfer.state === "canceled" || closedUnpaid) && money.received > 0) {
          // Stripe returns what the cancelled payment had received to the customer's balance,
          // also when the news of a part arrives only after the cancellation closed the order.
          money.unapplied = Math.max(money.unapplied, money.received);
          state = flagUnapplied(money, state, order.currency);
        }
      }
      if (item.cashBalance) state = applyCashBalance(money, item.cashBalance, state, order.currency);
      if (!snapshot && item.close !== "unpaid") continue;
      if (snapshot) money.method = money.method ?? snapshot.methodHint ?? null;
      // The session names the transfer's customer too, so money left on their cash balance
      // finds the order even when the payment's own events are late or lost.
      if (money.method === "BANK_TRANSFER") money.customerId = money.customerId ?? snapshot?.customerId ?? null;
      const twice = snapshot
        ? secondPayment(state, paymentIntentId, {
            paymentStatus: snapshot.paymentStatus,
            paymentIntentId: snapshot.paymentIntent?.id ?? null,
          })
        : null;
      if (snapshot && twice) {
        // Recorded in the ledger for the refund, never applied to the order a second time.
        await recordLedger(tx, orderId, snapshot);
        state = { ...state, needsReview: true, reviewReason: twice };
        continue;
      }
      const decision = snapshot
        ? decide(state, factsFrom(snapshot, order.stripeCheckoutSessionId === snapshot.sessionId, state))
        : closeUnpaid(state);
      const next = { ...decision.next };
      if (decision.stock === "commit" || decision.stock === "release") stockMoves.push(decision.stock);
      if (decision.stock === "commit-from-shelf") {
        // Its outcome decides the order's state, so it cannot wait; earlier moves go first.
        await moveStock(tx, lines, stockMoves.splice(0));
        if (!(await commitStockFromShelf(tx, lines))) {
          next.needsReview = true;
          next.reviewReason = "Paid after the reservation lapsed, and the stock is no longer available";
        }
      }
      if (snapshot) await recordLedger(tx, orderId, snapshot);
      state = next;
      emails.push(...decision.emails);
      email = email ?? snapshot?.email?.toLowerCase() ?? null;
      paymentIntentId = snapshot?.paymentIntent?.id ?? paymentIntentId;
      if (snapshot && (next.status === "PAID" || next.status === "REFUNDED" || next.paymentStatus === "PAID"))
        money.received = Math.max(money.received, snapshot.paymentIntent?.amountReceived ?? 0);
    }

    const changed =
      ORDER_STATE_KEYS.some((key) => state[key] !== order[key]) ||
      email !== order.email ||
      paymentIntentId !== order.stripePaymentIntentId ||
      money.method !== order.paymentMethod ||
      money.received !== order.amountReceived ||
      money.unapplied !== order.amountUnapplied ||
      money.customerId !== order.stripeCustomerId ||
      money.instructions !== order.transferInstructions;
    if (changed) {
      // Raw SQL on this path: the worker runs it for every order, and each query Prisma builds
      // costs several times the CPU of a raw one (measured: about 1.3–2 ms against 0.4 ms).
      await tx.$executeRaw`
        update "Order" set
          status = ${state.status}::"OrderStatus",
          "paymentStatus" = ${state.paymentStatus}::"PaymentStatus",
          "stockState" = ${state.stockState}::"StockState",
          "amountRefunded" = ${state.amountRefunded},
          "needsReview" = ${state.needsReview},
          "reviewReason" = ${state.reviewReason},
          disputed = ${state.disputed},
          email = ${email},
          "stripePaymentIntentId" = ${paymentIntentId},
          "paymentMethod" = ${money.method}::"PaymentMethod",
          "amountReceived" = ${money.received},
          "amountUnapplied" = ${money.unapplied},
          "stripeCustomerId" = ${money.customerId},
          "transferInstructions" = ${money.instructions === null ? null : JSON.stringify(money.instructions)}::jsonb,
          "paidAt" = case when ${state.status} = 'PAID' then coalesce("paidAt", now()) else "paidAt" end,
          "settleRequestedAt" = case when ${state.status} = 'PENDING' then "settleRequestedAt" end,
          "updatedAt" = now()
        where id = ${orderId}::uuid`;
      await publishOrderChange(tx, orderId);
    }
    // A batch that settles a delayed payment at once has nothing left to await; a bank transfer
    // is awaited with its own email, the instructions, once Stripe has issued them.
    const awaiting = state.status === "PENDING" && money.method !== "BANK_TRANSFER";
    const due = awaiting ? emails : emails.filter((kind) => kind !== "AWAITING_PAYMENT");
    if (email) {
      const emailOrder = {
        ...order,
        amountRefunded: state.amountRefunded,
        amountReceived: money.received,
        transferInstructions: money.instructions,
      };
      await enqueuePaymentEmails(tx, emailOrder, email, due);
      if (
        state.status === "PENDING" &&
        state.paymentStatus !== "PAID" &&
        money.instructions &&
        !order.transferInstructions
      )
        await enqueueTransferInstructions(tx, emailOrder, email);
    }
    await markProcessed(tx, applied, orderId);
    await markIgnored(tx, ignored);
    await moveStock(tx, lines, stockMoves);
    return { outcome: "applied", orderId, changed, status: state.status, applied, ignored } as const;
  });
}

const ORDER_STATE_KEYS = [
  "status",
  "paymentStatus",
  "stockState",
  "amountTotal",
  "currency",
  "amountRefunded",
  "needsReview",
  "reviewReason",
  "disputed",
] as const satisfies ReadonlyArray<keyof OrderState>;

/** What an order knows about how it is paid and what has arrived, as a settlement goes. */
type MoneyState = {
  method: PaymentMethod | null;
  received: number;
  unapplied: number;
  customerId: string | null;
  instructions: TransferInstructions | null;
};

type PaymentMethod = "CARD" | "DIRECT_DEBIT" | "BANK_TRANSFER";

/**
 * A bank transfer's progress: what has arrived (never less than before: a late event about an
 * earlier moment changes nothing) and its instructions (the latest, by what is still owed).
 * A cancellation closes a still-unpaid order through closeUnpaid, like the other deadlines.
 */
function applyTransfer(money: MoneyState, news: TransferNews): void {
  money.method = money.method ?? "BANK_TRANSFER";
  money.customerId = money.customerId ?? news.customerId;
  const received =
    news.state === "funded" ? news.amount : news.amountRemaining !== null ? news.amount - news.amountRemaining : 0;
  money.received = Math.max(money.received, received);
  if (news.instructions) {
    const owed = Math.max(0, news.amount - money.received);
    const latest = { ...news.instructions, amountRemaining: Math.min(news.instructions.amountRemaining, owed) };
    if (JSON.stringify(latest) !== JSON.stringify(money.instructions)) money.instructions = latest;
  } else if (money.instructions && money.instructions.amountRemaining > news.amount - money.received) {
    money.instructions = { ...money.instructions, amountRemaining: Math.max(0, news.amount - money.received) };
  }
}

/**
 * Money on the customer's cash balance that no payment took: more than the order asked for, or
 * funds that arrived after it was cancelled. Never dropped: the order is flagged for the admin.
 */
function applyCashBalance(money: MoneyState, news: CashBalanceNews, state: OrderState, currency: string): OrderState {
  money.customerId = money.customerId ?? news.customerId;
  const available = news.available[currency.toLowerCase()] ?? 0;
  money.unapplied = Math.max(money.unapplied, available);
  return flagUnapplied(money, state, currency);
}

const CASH_BALANCE_WORDS = "the customer's Stripe cash balance";

/** Flags the order for review while money sits unapplied on its customer's balance. */
function flagUnapplied(money: MoneyState, state: OrderState, currency: string): OrderState {
  if (money.unapplied <= 0) return state;
  const amount = formatMoney(money.unapplied, currency);
  const why =
    state.status === "PAID" || state.status === "REFUNDED"
      ? `Overpaid: ${amount} is left on the customer's Stripe cash balance; refund it to them`
      : state.status === "PENDING"
        ? `${amount} on the customer's Stripe cash balance was not applied to the order`
        : `${amount} arrived after the order was closed and is on the customer's Stripe cash balance; refund it to them`;
  if (state.reviewReason?.includes(why)) return state;
  // The balance's latest figure replaces an earlier one; other reasons stay.
  const others = (state.reviewReason ?? "").split(". ").filter((r) => r && !r.includes(CASH_BALANCE_WORDS));
  return { ...state, needsReview: true, reviewReason: [...others, why].join(". ") };
}

type LockedOrder = OrderState & {
  id: string;
  email: string | null;
  paymentMethod: PaymentMethod | null;
  amountReceived: number;
  amountUnapplied: number;
  stripeCustomerId: string | null;
  transferInstructions: TransferInstructions | null;
  paymentDueAt: Date | null;
  stripeCheckoutSessionId: string | null;
  stripePaymentIntentId: string | null;
  stripePaymentLinkId: string | null;
  checkoutAttempt: number;
  items: Array<{ productId: string; name: string; unitAmount: number; quantity: number }>;
};

/** Locks the order for the settling transaction and reads it with its items, in one query. */
async function lockOrder(tx: Tx, orderId: string): Promise<LockedOrder | null> {
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    select o.id, o.status::text, o."paymentStatus"::text, o."stockState"::text, o."amountTotal", o.currency,
           o."amountRefunded", o."needsReview", o."reviewReason", o.disputed, o.email,
           o."stripeCheckoutSessionId", o."stripePaymentIntentId", o."stripePaymentLinkId", o."checkoutAttempt",
           o."paymentMethod"::text, o."amountReceived", o."amountUnapplied", o."stripeCustomerId",
           o."transferInstructions", o."paymentDueAt",
           coalesce((select json_agg(json_build_object('productId', i."productId", 'name', i.name,
                                                       'unitAmount', i."unitAmount", 'quantity', i.quantity)
                                     order by i.name)
                       from "OrderItem" i where i."orderId" = o.id), '[]'::json) as items
      from "Order" o where o.id = ${orderId}::uuid
       for update of o`;
  return order ?? null;
}

async function moveStock(tx: Tx, lines: StockLine[], moves: ReadonlyArray<"commit" | "release">): Promise<void> {
  for (const move of moves) await (move === "commit" ? commitStock(tx, lines) : releaseStock(tx, lines));
}

/** What Stripe's refunds take back from a payment: succeeded ones and those still pending. */
export function refundedAmount(refunds: ReadonlyArray<{ status: string; amount: number }>): number {
  return refunds.filter((r) => COUNTED_REFUNDS.has(r.status)).reduce((sum, r) => sum + r.amount, 0);
}

/** The state machine's facts from a snapshot; what it does not know (null) is what the order has. */
function factsFrom(snapshot: CheckoutSnapshot, currentSession: boolean, order: OrderState): PaymentFacts {
  return {
    currentSession,
    sessionStatus: snapshot.status,
    paymentStatus: snapshot.paymentStatus,
    amountTotal: snapshot.amountTotal,
    currency: snapshot.currency,
    paymentIntentStatus: snapshot.paymentIntent?.status ?? null,
    amountRefunded: snapshot.refunds ? refundedAmount(snapshot.refunds) : order.amountRefunded,
    disputed: snapshot.disputes ? snapshot.disputes.some((d) => OPEN_OR_LOST_DISPUTES.has(d.status)) : order.disputed,
  };
}

/** Upserts one ledger row per Stripe charge, refund and dispute; unique keys make repeats no-ops. */
async function recordLedger(tx: Tx, orderId: string, snapshot: CheckoutSnapshot): Promise<void> {
  const pi = snapshot.paymentIntent;
  const rows: Array<{
    kind: "CHARGE" | "REFUND" | "DISPUTE";
    id: string;
    amount: number;
    currency: string;
    status: string;
    chargeId: string | null;
  }> = [];
  if (pi && (pi.status === "succeeded" || pi.amountReceived > 0)) {
    rows.push({
      kind: "CHARGE",
      id: pi.id,
      amount: pi.amountReceived,
      currency: pi.currency,
      status: pi.status,
      chargeId: pi.chargeId,
    });
  }
  for (const r of snapshot.refunds ?? [])
    rows.push({
      kind: "REFUND",
      id: r.id,
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      chargeId: r.chargeId,
    });
  for (const d of snapshot.disputes ?? [])
    rows.push({
      kind: "DISPUTE",
      id: d.id,
      amount: d.amount,
      currency: d.currency,
      status: d.status,
      chargeId: d.chargeId,
    });
  for (const row of rows) {
    await tx.$executeRaw`
      insert into "Transaction" (id, "orderId", kind, "stripeObjectId", amount, currency, status,
                                 "stripePaymentIntentId", "stripeChargeId", "updatedAt")
      values (gen_random_uuid(), ${orderId}::uuid, ${row.kind}::"TransactionKind", ${row.id}, ${row.amount},
              ${row.currency}, ${row.status}, ${pi?.id ?? null}, ${row.chargeId}, now())
      on conflict (kind, "stripeObjectId") do update set
        status = excluded.status, amount = excluded.amount,
        "stripeChargeId" = coalesce(excluded."stripeChargeId", "Transaction"."stripeChargeId"),
        "updatedAt" = now()`;
  }
}
