/**
 * The Stripe side of a chaos run: the emulator in-process, delivering through a counting proxy
 * to the first app instance, and the chaos deliverer that adds duplicate, forged, stale and
 * burst deliveries to any instance. Records every event the emulator emits and which order it
 * is about.
 */
import Stripe from "stripe";
import { type StripeEvent, startEmulator } from "@/stripe-emulator";
import { ASYNC_DELAY_S, BASE_PORT, DROP, INSTANCES, RETRY_SCHEDULE, SEED, STRIPE_PACE, WEBHOOK_SECRET } from "./config";
import { ChaosDeliverer } from "./deliveries";
import { prng } from "./plan";
import { countingProxy, emptyCounts } from "./processes";
import type { Started } from "./run-state";

/**
 * Every event the emulator emitted: its type, the order it is about (if any) and whether its
 * object is a payment by bank transfer (Stripe's `customer_balance`).
 */
export type EventLog = Map<string, { type: string; orderId: string | null; bankTransfer: boolean }>;

export async function startStripeSide(started: Started) {
  const emulatorCounts = emptyCounts();
  const proxy = await countingProxy(BASE_PORT, emulatorCounts);
  started.proxy = proxy;
  const appUrls = Array.from({ length: INSTANCES }, (_, i) => `http://127.0.0.1:${BASE_PORT + i}`);
  const chaosRandom = prng(SEED ^ 0x5bd1e995);
  const chaos = new ChaosDeliverer(
    WEBHOOK_SECRET,
    () => `${appUrls[Math.floor(chaosRandom() * appUrls.length)] ?? appUrls[0]}/api/webhook`,
    chaosRandom,
  );
  const events: EventLog = new Map();
  const paymentIntentOrder = new Map<string, string>();
  // A bank transfer's customer is created for its order: their cash balance is about that order.
  const customerOrder = new Map<string, string>();
  const orderOfObject = (object: Record<string, unknown>): string | null => {
    const metadata = object.metadata as Record<string, string> | undefined;
    const pi = typeof object.payment_intent === "string" ? object.payment_intent : null;
    const customer = typeof object.customer === "string" ? object.customer : null;
    const direct = metadata?.orderId ?? (object.client_reference_id as string | undefined) ?? null;
    if (direct && pi) paymentIntentOrder.set(pi, direct);
    if (direct && String(object.id).startsWith("pi_")) paymentIntentOrder.set(String(object.id), direct);
    if (direct && customer) customerOrder.set(customer, direct);
    return (
      direct ??
      (pi ? (paymentIntentOrder.get(pi) ?? null) : null) ??
      (object.object === "cash_balance" && customer ? (customerOrder.get(customer) ?? null) : null)
    );
  };
  const onEvent = (event: StripeEvent) => {
    const object = event.data.object;
    const methods = object.payment_method_types;
    const bankTransfer = Array.isArray(methods) && methods.includes("customer_balance");
    events.set(event.id, { type: event.type, orderId: orderOfObject(object), bankTransfer });
    const payload = JSON.stringify({ ...event, pending_webhooks: 1 }, null, 2);
    setImmediate(() => chaos.onEvent(payload));
  };
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: proxy.url, secret: WEBHOOK_SECRET }],
    asyncDelaySeconds: ASYNC_DELAY_S,
    retrySchedule: RETRY_SCHEDULE,
    onEvent,
    ...(STRIPE_PACE ? { latency: "realistic" as const, rateLimit: { preset: "live" as const, inject429: 0.02 } } : {}),
  });
  started.emulator = emulator;
  emulator.configure({ shuffle: true, drop: DROP });
  // The run's own calls (paying, refunding, polling) ride out Stripe's 429s like any client would.
  const stripe = new Stripe(emulator.apiKey, {
    ...emulator.stripeClientOptions(),
    maxNetworkRetries: STRIPE_PACE ? 10 : 2,
  });
  return { emulator, stripe, chaos, events, paymentIntentOrder, emulatorCounts, appUrls };
}

export type StripeSide = Awaited<ReturnType<typeof startStripeSide>>;
