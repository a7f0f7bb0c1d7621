/**
 * The chaos run's final check: every order, its ledger, its emails and the stock in the
 * database against the oracle computed from the plan alone, and every recorded event handled.
 */
import type pg from "pg";
import { HANDLED_EVENT_TYPES } from "@/lib/orders/handled-events";
import { log } from "./config";
import { FORGED_EVENT_PREFIX } from "./deliveries";
import { EMAIL_KINDS, type EmailKind, expectedFor, expectedStock, type makePlan } from "./plan";
import type { Placed } from "./shoppers";
import type { EventLog } from "./stripe-side";

/** Events about a payment intent that tell the store something only when it is paid by bank transfer. */
const TRANSFER_ONLY_EVENTS = new Set([
  "payment_intent.requires_action",
  "payment_intent.partially_funded",
  "payment_intent.canceled",
]);

type OrderRow = {
  id: string;
  status: string;
  paymentStatus: string;
  stockState: string;
  amountRefunded: number;
  amountTotal: number;
  amountReceived: number;
  amountUnapplied: number;
  needsReview: boolean;
  reviewReason: string | null;
  charges: number;
  refunds: number;
  chargeRows: number;
};

/** Compares the database with the oracle; returns one line per mismatch. */
export async function compare(
  client: pg.Client,
  plan: ReturnType<typeof makePlan>,
  placed: Array<Placed | undefined>,
  productIds: string[],
  events: EventLog,
): Promise<{ mismatches: string[]; orphans: number }> {
  const mismatches: string[] = [];
  const ids = placed.filter((p): p is Placed => Boolean(p)).map((p) => p.orderId);
  const rows = await client.query<OrderRow>(
    `select o.id, o.status, o."paymentStatus", o."stockState", o."amountRefunded", o."amountTotal",
            o."amountReceived", o."amountUnapplied", o."needsReview", o."reviewReason",
            coalesce(sum(t.amount) filter (where t.kind = 'CHARGE'), 0)::int as charges,
            coalesce(sum(t.amount) filter (where t.kind = 'REFUND'), 0)::int as refunds,
            count(t.id) filter (where t.kind = 'CHARGE')::int as "chargeRows"
       from "Order" o left join "Transaction" t on t."orderId" = o.id
      where o.id = any($1::uuid[])
      group by o.id`,
    [ids],
  );
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  const emailRows = await client.query<{ orderId: string; kind: EmailKind; n: number }>(
    `select "orderId", kind, count(*)::int as n from "EmailOutbox" where "orderId" = any($1::uuid[]) group by 1, 2`,
    [ids],
  );
  const emails = new Map<string, Map<EmailKind, number>>();
  for (const r of emailRows.rows) {
    const m = emails.get(r.orderId) ?? new Map<EmailKind, number>();
    m.set(r.kind, r.n);
    emails.set(r.orderId, m);
  }
  let awaitingSkipped = 0;
  let instructionsSkipped = 0;
  let unseenInstructions = 0;
  for (const order of plan.orders) {
    const p = placed[order.index];
    const label = `order #${order.index} (${order.scenario})`;
    if (!p) {
      mismatches.push(`${label}: never placed`);
      continue;
    }
    const row = byId.get(p.orderId);
    if (!row) {
      mismatches.push(`${label} ${p.orderId}: not in the database`);
      continue;
    }
    const want = expectedFor(order);
    // The shopper never saw the instructions before the deadline (their deliveries dropped):
    // the order may have closed before it reached them.
    if (p.instructionsSeen === false) {
      want.emails.TRANSFER_INSTRUCTIONS = [0, 1];
      unseenInstructions += 1;
    }
    const got = {
      status: row.status,
      paymentStatus: row.paymentStatus,
      stockState: row.stockState,
      amountRefunded: row.amountRefunded,
      amountReceived: row.amountReceived,
      amountUnapplied: row.amountUnapplied,
      charges: row.charges,
      chargeRows: row.chargeRows,
      refunds: row.refunds,
      needsReview: row.needsReview,
    };
    const diffs: string[] = [];
    for (const key of Object.keys(got) as Array<keyof typeof got>) {
      if (got[key] !== want[key]) diffs.push(`${key} ${String(got[key])} (want ${String(want[key])})`);
    }
    if (row.amountTotal !== order.amountTotal) diffs.push(`amountTotal ${row.amountTotal} (want ${order.amountTotal})`);
    if (want.reviewMentions && !row.reviewReason?.includes(want.reviewMentions))
      diffs.push(`review reason ${JSON.stringify(row.reviewReason)} (want one mentioning "${want.reviewMentions}")`);
    if (row.needsReview && !want.needsReview) diffs.push(`review reason ${JSON.stringify(row.reviewReason)}`);
    const sent = emails.get(p.orderId);
    for (const kind of EMAIL_KINDS) {
      const n = sent?.get(kind) ?? 0;
      const [min, max] = want.emails[kind];
      if (n < min || n > max) diffs.push(`${kind} emails ${n} (want ${min === max ? min : `${min}–${max}`})`);
      if (kind === "AWAITING_PAYMENT" && max > 0 && n === 0) awaitingSkipped += 1;
      if (kind === "TRANSFER_INSTRUCTIONS" && max > 0 && n === 0) instructionsSkipped += 1;
    }
    if (diffs.length > 0) mismatches.push(`${label} ${p.orderId}: ${diffs.join(", ")}`);
  }
  if (awaitingSkipped > 0)
    log(
      `${awaitingSkipped} delayed-debit orders had settled before their checkout.session.completed was first applied (no "awaiting payment" email, as designed)`,
    );

  if (instructionsSkipped > 0)
    log(
      `${instructionsSkipped} bank-transfer orders were paid (or closed) before they first reached their instructions (no instructions email, as designed)`,
    );
  if (unseenInstructions > 0)
    log(
      `${unseenInstructions} transfer deadlines passed before the store showed the instructions (deliveries dropped)`,
    );

  // Orders for chaos products that no checkout returned (a checkout answered 5xx after storing
  // its order, e.g. while PostgreSQL restarted). The reconciler must have expired them and
  // released their stock; any other state is a mismatch, and the stock such an order still
  // holds is accounted to it below, so the per-product lines only report what it does not explain.
  const orphans = await client.query<{
    id: string;
    status: string;
    stockState: string;
    sessionId: string | null;
    productId: string;
    quantity: number;
  }>(
    `select o.id, o.status, o."stockState", o."stripeCheckoutSessionId" as "sessionId", i."productId", i.quantity
       from "Order" o join "OrderItem" i on i."orderId" = o.id
      where i."productId" = any($1::uuid[]) and not (o.id = any($2::uuid[]))`,
    [productIds, ids],
  );
  const orphanHeld = new Map<string, { reserved: number; sold: number }>();
  const orphanIds = new Set<string>();
  for (const o of orphans.rows) {
    const held = orphanHeld.get(o.productId) ?? { reserved: 0, sold: 0 };
    if (o.stockState === "RESERVED") held.reserved += o.quantity;
    if (o.stockState === "COMMITTED") held.sold += o.quantity;
    orphanHeld.set(o.productId, held);
    if (orphanIds.has(o.id)) continue;
    orphanIds.add(o.id);
    if (o.status === "EXPIRED" && o.stockState === "RELEASED" && o.sessionId === null) continue;
    mismatches.push(
      `orphan order ${o.id} (its checkout answered an error, no order id was returned): ${o.status} / ${o.stockState}, checkout session ${o.sessionId ?? "none"}`,
    );
  }

  // Stock, per product.
  const stock = expectedStock(plan);
  const products = await client.query<{ id: string; stockOnHand: number; stockReserved: number }>(
    `select id, "stockOnHand", "stockReserved" from "Product" where id = any($1::uuid[])`,
    [productIds],
  );
  const productById = new Map(products.rows.map((r) => [r.id, r]));
  plan.products.forEach((p, i) => {
    const row = productById.get(productIds[i] ?? "");
    const want = stock[i];
    if (!row || !want) return mismatches.push(`product ${p.slug}: missing`);
    const held = orphanHeld.get(row.id) ?? { reserved: 0, sold: 0 };
    const onHand = want.stockOnHand - held.sold;
    const reserved = want.stockReserved + held.reserved;
    if (row.stockOnHand !== onHand || row.stockReserved !== reserved)
      mismatches.push(
        `product ${p.slug}: onHand ${row.stockOnHand} reserved ${row.stockReserved} (want ${onHand} / ${reserved}${held.reserved + held.sold > 0 ? ", counting orphan orders" : ""})`,
      );
  });

  // The inbox: nothing forged stored, every handled event applied, nothing left failed.
  const forged = await client.query<{ n: number }>(
    `select count(*)::int as n from "WebhookEvent" where "stripeEventId" like $1`,
    [`${FORGED_EVENT_PREFIX}%`],
  );
  if ((forged.rows[0]?.n ?? 0) > 0) mismatches.push(`${forged.rows[0]?.n} forged or stale events were stored`);
  const inbox = await client.query<{ stripeEventId: string; type: string; processed: boolean; outcome: string | null }>(
    `select "stripeEventId", type, "processedAt" is not null as processed, outcome::text from "WebhookEvent"`,
  );
  const inboxById = new Map(inbox.rows.map((r) => [r.stripeEventId, r]));
  const handled = new Set(HANDLED_EVENT_TYPES);
  for (const [id, event] of events) {
    if (!handled.has(event.type) || !event.orderId) continue;
    const row = inboxById.get(id);
    // A payment intent's own progress only matters for a bank transfer; a card's (cancelled
    // with its expired session) is recorded and ignored.
    const ignorable = TRANSFER_ONLY_EVENTS.has(event.type) && !event.bankTransfer;
    if (!row) mismatches.push(`event ${id} (${event.type}) of order ${event.orderId} never reached the inbox`);
    else if (!row.processed || (row.outcome !== "PROCESSED" && !(ignorable && row.outcome === "IGNORED")))
      mismatches.push(`event ${id} (${event.type}) left ${row.outcome ?? "unprocessed"} in the inbox`);
  }
  return { mismatches, orphans: orphanIds.size };
}
