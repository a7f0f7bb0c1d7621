/** Shared setup for integration tests: an emulator, a verifying receiver and an SDK client. */
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../index";
import { startReceiver, type Receiver, type ReceiverOptions } from "./receiver";

export interface Harness {
  emulator: RunningEmulator;
  receiver: Receiver;
  stripe: Stripe;
  close(): Promise<void>;
}

export const WEBHOOK_SECRET = "whsec_test_harness_secret";

export async function startHarness(
  options: Omit<EmulatorOptions, "port" | "webhookEndpoints"> = {},
  receiverOptions: ReceiverOptions = {},
): Promise<Harness> {
  const receiver = await startReceiver(WEBHOOK_SECRET, receiverOptions);
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: receiver.url, secret: WEBHOOK_SECRET }],
    retrySchedule: [0.05, 0.1],
    ...options,
  });
  const stripe = stripeFor(emulator);
  return {
    emulator,
    receiver,
    stripe,
    close: async () => {
      await emulator.stop();
      await receiver.close();
    },
  };
}

export function stripeFor(emulator: RunningEmulator, apiKey = emulator.apiKey): Stripe {
  return new Stripe(apiKey, { ...emulator.stripeClientOptions(), maxNetworkRetries: 0 });
}

export function sessionParams(
  overrides: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [
      {
        price_data: {
          currency: "eur",
          unit_amount: 1250,
          product_data: { name: "Notebook", description: "A5, dotted" },
        },
        quantity: 2,
      },
      { price_data: { currency: "eur", unit_amount: 500, product_data: { name: "Pen" } }, quantity: 1 },
    ],
    success_url: "http://127.0.0.1:3000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://127.0.0.1:3000/cart",
    allowed_payment_method_types: ["card", "sepa_debit"],
    ...overrides,
  };
}

/** Submits the hosted page's card form as a shopper would, with a card that succeeds. */
export function payOnHostedPage(pageUrl: string): Promise<Response> {
  return fetch(pageUrl, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      method: "card",
      email: "buyer@example.com",
      card_number: "4242424242424242",
      card_expiry: "12 / 34",
      card_cvc: "123",
      card_name: "Jenny Rosen",
    }).toString(),
  });
}

/** Calls the control API and returns the parsed JSON body with the status. */
export async function control(
  emulator: RunningEmulator,
  method: "GET" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  return { status: response.status, body: json };
}

/** Event types concerning one session and its PaymentIntent, in delivery order. */
export function typesFor(receiver: Receiver, ids: readonly (string | null | undefined)[]): string[] {
  const wanted = new Set(ids.filter((id): id is string => typeof id === "string"));
  return receiver.types((event) => {
    const object = event.data.object as unknown as Record<string, unknown>;
    return [object.id, object.payment_intent, object.charge].some((v) => typeof v === "string" && wanted.has(v));
  });
}

/**
 * One harness for the calling test file, reset before each test: no objects, events or
 * deliveries left over from the test before. Its fields are readable inside tests.
 */
export function setUpHarness(options: Parameters<typeof startHarness>[0] = {}): Omit<Harness, "close"> {
  let harness: Harness | undefined;
  const current = (): Harness => {
    if (!harness) throw new Error("The harness starts in beforeAll; use it inside tests.");
    return harness;
  };
  beforeAll(async () => {
    harness = await startHarness(options);
  });
  afterAll(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    await current().emulator.flushDeliveries();
    current().emulator.reset();
    current().receiver.clear();
  });
  return {
    get emulator() {
      return current().emulator;
    },
    get receiver() {
      return current().receiver;
    },
    get stripe() {
      return current().stripe;
    },
  };
}
