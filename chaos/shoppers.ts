/**
 * The shoppers of a chaos run: every planned order goes through the real checkout (retrying
 * refusals and 5xx as a browser's user would), then is paid, declined, left to expire or
 * refunded as its scenario says. PostgreSQL and the first app instance are restarted once each
 * while orders are in flight.
 */
import { restartEmbeddedDatabase } from "@/test/database-restart";
import { CONCURRENCY, log, ORDERS, SEED, sleep } from "./config";
import { isLink, isTransfer, type PlannedOrder } from "./plan";
import { payByTransfer, payThroughLink } from "./pay-later";
import { type AppInstance, post, ROOT } from "./processes";
import type { Started } from "./run-state";
import type { StripeSide } from "./stripe-side";

/**
 * An order the run placed: its Checkout session (a link order's first paid session, none for
 * one never opened) and payment. `instructionsSeen` is false for a bank transfer whose
 * deadline passed before the store ever showed its instructions (their deliveries dropped).
 */
export type Placed = {
  orderId: string;
  sessionId: string | null;
  paymentIntentId: string | null;
  instructionsSeen?: boolean;
};

export type Shopping = {
  placed: Array<Placed | undefined>;
  failures: string[];
  checkoutRetries: number;
  dbRestarts: number;
  appRestarts: number;
};

export async function shop(
  started: Started,
  orders: readonly PlannedOrder[],
  productIds: readonly string[],
  stripeSide: StripeSide,
): Promise<Shopping> {
  const { emulator, stripe, events, paymentIntentOrder, appUrls } = stripeSide;
  const placed: Array<Placed | undefined> = Array.from({ length: ORDERS }, () => undefined);
  const failures: string[] = [];
  let checkoutRetries = 0;
  let done = 0;
  const disruptions: Array<Promise<void>> = [];
  let dbRestarts = 0;
  let appRestarts = 0;
  const restartDbAt = Math.max(1, Math.floor(ORDERS * 0.35));
  const restartAppAt = Math.max(2, Math.floor(ORDERS * 0.65));

  const checkout = async (order: PlannedOrder): Promise<Placed> => {
    const body = JSON.stringify({
      items: order.lines.map((l) => ({ productId: productIds[l.product], quantity: l.quantity })),
      email: order.email,
      ...(isTransfer(order.scenario) ? { method: "bank_transfer" } : {}),
    });
    for (let attempt = 0; ; attempt++) {
      const base = appUrls[(order.index + attempt) % appUrls.length] ?? appUrls[0];
      const ip = `10.${(order.index >> 16) & 255}.${(order.index >> 8) & 255}.${order.index & 255}`;
      const answer = await post(`${base}/api/checkout`, body, {
        "content-type": "application/json",
        "x-forwarded-for": ip,
      });
      const status = answer === "refused" ? "no connection" : answer.status;
      if (answer !== "refused") {
        let json: { orderId?: string; url?: string } | null = null;
        try {
          json = JSON.parse(answer.text) as { orderId?: string; url?: string };
        } catch {
          json = null;
        }
        if (answer.status === 200 && json?.orderId && json.url) {
          const sessionId = /cs_[A-Za-z0-9_]+/.exec(json.url)?.[0];
          if (!sessionId) throw new Error(`checkout URL without a session id: ${json.url}`);
          return { orderId: json.orderId, sessionId, paymentIntentId: null };
        }
        if (answer.status < 500 && answer.status !== 429)
          throw new Error(`checkout answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }
      if (attempt >= 40) throw new Error(`checkout kept failing (${status})`);
      checkoutRetries += 1;
      await sleep(Math.min(500 * (attempt + 1), 3000));
    }
  };

  const runOrder = async (order: PlannedOrder): Promise<void> => {
    if (isLink(order.scenario)) return payThroughLink(order, productIds, placed, stripeSide);
    const p = await checkout(order);
    placed[order.index] = p;
    await sleep(order.payDelayMs);
    const sessionId = p.sessionId ?? "";
    const pay = (scenario: "card_success" | "card_decline" | "async_success" | "async_failure") => {
      const session = emulator.pay(sessionId, scenario);
      const pi = session.payment_intent;
      p.paymentIntentId = typeof pi === "string" ? pi : ((pi as { id?: string } | null)?.id ?? null);
      if (p.paymentIntentId) paymentIntentOrder.set(p.paymentIntentId, p.orderId);
    };
    switch (order.scenario) {
      case "card_success":
      case "async_success":
      case "async_failure":
        pay(order.scenario);
        return;
      case "decline_then_expire":
        pay("card_decline");
        await sleep(order.followUpDelayMs);
        await stripe.checkout.sessions.expire(sessionId);
        return;
      case "expiry":
        await sleep(order.followUpDelayMs);
        await stripe.checkout.sessions.expire(sessionId);
        return;
      case "refund_partial":
      case "refund_full":
        pay("card_success");
        await sleep(order.followUpDelayMs);
        await stripe.refunds.create(
          {
            payment_intent: p.paymentIntentId ?? "",
            ...(order.scenario === "refund_partial" ? { amount: order.refundAmount } : {}),
          },
          { idempotencyKey: `chaos-refund-${SEED}-${order.index}` },
        );
        return;
      case "transfer_full":
      case "transfer_partial":
      case "transfer_overfund":
      case "transfer_expiry":
      case "transfer_partial_expiry":
        p.instructionsSeen = await payByTransfer(order, p, stripeSide);
        return;
      case "link_paid":
      case "link_double":
      case "link_expiry":
        throw new Error("link orders are placed by the admin, not through the checkout");
    }
  };

  const disrupt = (count: number) => {
    if (count === restartDbAt) {
      disruptions.push(
        (async () => {
          log(`restarting PostgreSQL (${count}/${ORDERS} orders done)`);
          const ms = await restartEmbeddedDatabase(ROOT);
          dbRestarts += 1;
          log(`PostgreSQL back after ${ms} ms`);
        })(),
      );
    }
    if (count === restartAppAt) {
      disruptions.push(
        (async () => {
          const app = started.apps[0] as AppInstance;
          log(`restarting the app on :${app.port} (${count}/${ORDERS} orders done)`);
          const t0 = Date.now();
          await app.stop();
          log(`app on :${app.port} stopped after ${Date.now() - t0} ms; starting it again`);
          await app.start();
          appRestarts += 1;
          log(`app on :${app.port} back after ${Date.now() - t0} ms`);
        })(),
      );
    }
  };

  let next = 0;
  const progressEvery = Math.max(100, Math.floor(ORDERS / 10));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ORDERS) {
        const order = orders[next++] as PlannedOrder;
        try {
          await runOrder(order);
        } catch (error) {
          failures.push(
            `order #${order.index} (${order.scenario}): ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        done += 1;
        disrupt(done);
        if (done % progressEvery === 0) log(`${done}/${ORDERS} orders placed and acted on; events ${events.size}`);
      }
    }),
  );
  for (const result of await Promise.allSettled(disruptions)) {
    if (result.status === "rejected") failures.push(`restart failed: ${String(result.reason)}`);
  }
  return { placed, failures, checkoutRetries, dbRestarts, appRestarts };
}
