/**
 * The chaos run's shoppers who pay later: a bank transfer sent in one or more parts (through
 * Stripe's test helper or the emulator's fund-by-reference control, alternately), and orders
 * an admin sends as payment links, created through the store's own library as the admin's
 * action does. For the deadline scenarios the run moves the order's deadline into the past,
 * as if the days had gone by, and the store's deadline job closes it.
 */
import pg from "pg";
import type * as LinkOrders from "@/lib/orders/link-orders";
import type * as PlaceOrder from "@/lib/orders/place-order";
import { DATABASE_URL, SEED, sleep } from "./config";
import { DEADLINE_SCENARIOS, type PlannedOrder } from "./plan";
import type { Placed } from "./shoppers";
import type { StripeSide } from "./stripe-side";

/** The run's own connections, for what a shopper's days or an admin's screen would show. */
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4, connectionTimeoutMillis: 5_000 });
pool.on("error", () => undefined);

/** Closes the run's connections. */
export async function closePayLater(): Promise<void> {
  await pool.end().catch(() => undefined);
}

/** A query retried while PostgreSQL restarts under the run. */
async function query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

type OrderView = { transferInstructions: unknown; amountReceived: number; stripePaymentLinkId: string | null };

async function readOrder(orderId: string): Promise<OrderView | undefined> {
  const rows = await query<OrderView>(
    `select "transferInstructions", "amountReceived", "stripePaymentLinkId" from "Order" where id = $1::uuid`,
    [orderId],
  );
  return rows[0];
}

/** Moves the order's deadline into the past: the next run of the store's deadline job closes it. */
async function passDeadline(orderId: string): Promise<void> {
  await query(`update "Order" set "paymentDueAt" = now() - interval '1 second' where id = $1::uuid`, [orderId]);
}

/**
 * Pays a bank transfer order as its scenario says: completes Checkout choosing a transfer,
 * reads the reference from the payment's instructions, sends each part after a pause, and for
 * a deadline scenario waits until the order page shows the instructions and what arrived
 * (as the shopper would see them) before the deadline passes. Returns false when the store
 * never showed them (their deliveries were dropped), which the oracle allows for.
 */
export async function payByTransfer(
  order: PlannedOrder,
  p: Placed,
  { emulator, stripe, paymentIntentOrder }: StripeSide,
): Promise<boolean> {
  const session = emulator.pay(p.sessionId ?? "", "bank_transfer");
  const pi = session.payment_intent;
  p.paymentIntentId = typeof pi === "string" ? pi : ((pi as { id?: string } | null)?.id ?? null);
  if (!p.paymentIntentId) throw new Error(`session ${p.sessionId} has no payment intent after choosing a transfer`);
  paymentIntentOrder.set(p.paymentIntentId, p.orderId);
  const intent = await stripe.paymentIntents.retrieve(p.paymentIntentId);
  const reference = intent.next_action?.display_bank_transfer_instructions?.reference;
  const customer = typeof intent.customer === "string" ? intent.customer : intent.customer?.id;
  if (!reference || !customer) throw new Error(`payment intent ${intent.id} shows no transfer instructions`);
  for (const [i, amount] of order.transferParts.entries()) {
    if (i > 0) await sleep(order.followUpDelayMs);
    if ((order.index + i) % 2 === 0) {
      await stripe.testHelpers.customers.fundCashBalance(
        customer,
        { amount, currency: intent.currency, reference },
        { idempotencyKey: `chaos-fund-${SEED}-${order.index}-${i}` },
      );
    } else {
      const answer = await fetch(`${emulator.url}/_emulator/bank_transfers/fund`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reference, amount }),
      });
      if (!answer.ok) throw new Error(`funding ${reference} answered ${answer.status}: ${await answer.text()}`);
    }
  }
  if (!DEADLINE_SCENARIOS.has(order.scenario)) return true;
  const sent = order.transferParts.reduce((sum, a) => sum + a, 0);
  const seen = await waitFor(p.orderId, (o) => o.transferInstructions !== null && o.amountReceived >= sent, 20_000);
  await sleep(order.followUpDelayMs);
  await passDeadline(p.orderId);
  return seen;
}

async function waitFor(orderId: string, ready: (order: OrderView) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await readOrder(orderId);
    if (row && ready(row)) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

let store: Promise<{ links: typeof LinkOrders; placing: typeof PlaceOrder }> | undefined;

/**
 * The store's library, loaded on first use: its configuration is read once, when it is
 * imported, so the run sets the apps' environment on this process before (see run.ts).
 */
function storeLibrary() {
  store ??= Promise.all([import("@/lib/orders/link-orders"), import("@/lib/orders/place-order")]).then(
    ([links, placing]) => ({ links, placing }),
  );
  return store;
}

/**
 * Creates the order as the admin's "Create order and send payment link" does, retrying what a
 * restart or Stripe's pace refuses (each refusal closes its order and releases its stock, so
 * it is an orphan the oracle accounts for), then acts as the customer.
 */
export async function payThroughLink(
  order: PlannedOrder,
  productIds: readonly string[],
  placed: Array<Placed | undefined>,
  { emulator, paymentIntentOrder }: StripeSide,
): Promise<void> {
  const { links, placing } = await storeLibrary();
  const input = {
    items: order.lines.map((l) => ({ productId: productIds[l.product] ?? "", quantity: l.quantity })),
    email: order.email,
    note: `Chaos order #${order.index}`,
  };
  let orderId: string | undefined;
  for (let attempt = 0; !orderId; attempt++) {
    try {
      orderId = (await links.placeLinkOrder(input)).orderId;
    } catch (error) {
      const retriable =
        !(error instanceof placing.CheckoutError) ||
        error.code === "payment_provider_unavailable" ||
        error.code === "payment_provider_busy";
      if (!retriable || attempt >= 40) throw error;
      await sleep(Math.min(500 * (attempt + 1), 3000));
    }
  }
  const p: Placed = { orderId, sessionId: null, paymentIntentId: null };
  placed[order.index] = p;
  const linkId = (await readOrder(orderId))?.stripePaymentLinkId;
  if (!linkId) throw new Error(`order ${orderId} has no payment link`);
  await sleep(order.payDelayMs);
  const pay = (sessionId: string) => {
    const session = emulator.pay(sessionId, "card_success");
    const pi = typeof session.payment_intent === "string" ? session.payment_intent : null;
    if (pi) paymentIntentOrder.set(pi, orderId);
    p.paymentIntentId ??= pi;
  };
  switch (order.scenario) {
    case "link_paid": {
      p.sessionId = emulator.openPaymentLink(linkId).id;
      pay(p.sessionId);
      return;
    }
    case "link_double": {
      // Two tabs (or two people) open the link before either pays: Stripe lets both complete.
      const first = emulator.openPaymentLink(linkId);
      const second = emulator.openPaymentLink(linkId);
      p.sessionId = first.id;
      pay(first.id);
      await sleep(order.followUpDelayMs % 300);
      pay(second.id);
      return;
    }
    case "link_expiry":
      await sleep(order.followUpDelayMs);
      await passDeadline(orderId);
      return;
    default:
      throw new Error(`${order.scenario} is not a payment link scenario`);
  }
}
