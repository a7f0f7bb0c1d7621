/**
 * The end of a chaos run's traffic: delayed debits settle at the emulator, every delivery (the
 * emulator's and the chaos deliverer's) ends, and the store's workers empty their inbox.
 */
import pg from "pg";
import { ASYNC_DELAY_S, DATABASE_URL, log, sleep } from "./config";
import { DEADLINE_SCENARIOS, type PlannedOrder } from "./plan";
import type { Placed } from "./shoppers";
import type { StripeSide } from "./stripe-side";

export async function waitForSettling(
  orders: readonly PlannedOrder[],
  placed: ReadonlyArray<Placed | undefined>,
  failures: string[],
  { emulator, stripe, chaos }: StripeSide,
  setPhase: (phase: string) => void,
) {
  const asyncOrders = orders.filter((o) => o.scenario === "async_success" || o.scenario === "async_failure");
  await sleep(ASYNC_DELAY_S * 1000 + 500);
  for (const o of asyncOrders) {
    const pi = placed[o.index]?.paymentIntentId;
    if (!pi) continue;
    for (let tries = 0; ; tries++) {
      const intent = await stripe.paymentIntents.retrieve(pi);
      if (intent.status !== "processing") break;
      if (tries > 120) {
        failures.push(`order #${o.index}: payment intent ${pi} still processing`);
        break;
      }
      await sleep(500);
    }
  }
  // The deadlines the run moved into the past: the store's deadline job closes those orders
  // (cancelling their transfers at Stripe, whose events follow) on its next runs.
  setPhase("waiting for the deadline job");
  const overdue = orders.flatMap((o) => {
    const orderId = placed[o.index]?.orderId;
    return orderId && DEADLINE_SCENARIOS.has(o.scenario) ? [orderId] : [];
  });
  const open = await waitForOrders(DATABASE_URL, overdue, 3 * 60_000);
  if (open > 0) failures.push(`${open} orders past their deadline still pending after 3 min`);
  log(`deadline job closed ${overdue.length - open} of ${overdue.length} overdue orders`);

  setPhase("waiting for deliveries to finish");
  log(`all orders acted on; waiting for deliveries (chaos in flight: ${chaos.inFlight()})`);
  const deliveryDeadline = Date.now() + 15 * 60_000;
  let flush = await emulator.flushDeliveries(1);
  for (;;) {
    await chaos.drain();
    flush = await emulator.flushDeliveries(120_000);
    if (flush.idle && chaos.inFlight() === 0) break;
    if (Date.now() > deliveryDeadline) {
      failures.push(`deliveries did not finish within 15 min: ${JSON.stringify(flush)}`);
      break;
    }
  }
  log(`deliveries idle: ${JSON.stringify(flush)}`);

  // The store answers deliveries before it settles them: wait for its workers to empty the inbox.
  setPhase("waiting for the store to settle its inbox");
  const pending = await waitForInbox(DATABASE_URL, 5 * 60_000);
  if (pending > 0) failures.push(`${pending} events still unsettled in the inbox after 5 min`);
  log(`inbox settled (${pending} pending)`);
  return flush;
}

/** Waits until none of the orders is pending any more; returns how many still are at the deadline. */
async function waitForOrders(url: string, ids: string[], timeoutMs: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from "Order" where id = any($1::uuid[]) and status = 'PENDING'`,
        [ids],
      );
      const n = rows[0]?.n ?? 0;
      if (n === 0 || Date.now() > deadline) return n;
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}

/** Waits until no recorded event is left unsettled; returns how many still are at the deadline. */
async function waitForInbox(url: string, timeoutMs: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from "WebhookEvent" where "processedAt" is null and outcome = 'RECEIVED'`,
      );
      const n = rows[0]?.n ?? 0;
      if (n === 0 || Date.now() > deadline) return n;
      await sleep(250);
    }
  } finally {
    await client.end();
  }
}
