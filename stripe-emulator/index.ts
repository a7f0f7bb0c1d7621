/**
 * A Stripe-compatible HTTP emulator for local development and tests: Checkout Sessions, a
 * hosted payment page, PaymentIntents, refunds, events and signed webhook delivery.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { resolveOptions, type EmulatorOptions, type SettingsPatch } from "./config";
import { openPaymentLink, payWithScenario } from "./control/control-api";
import { Core } from "./domain/core";
import type { FlushResult } from "./delivery/delivery";
import type { CheckoutSession } from "./domain/model/checkout";
import { expireSession, settle } from "./domain/payments";
import { presentSession } from "./domain/present";
import type { RequestCounts } from "./pace/request-counters";
import type { Scenario } from "./control/scenarios";
import { createRequestListener } from "./server";

export type { EmulatorOptions, SettingsPatch } from "./config";
export type { FlushResult } from "./delivery/delivery";
export type { LatencyInput, LatencyProfile, RateLimitInput, RateLimitSettings } from "./pace/settings";
export type { RequestCounts } from "./pace/request-counters";
export type { StripeEvent } from "./domain/model/events";
export type { Scenario } from "./control/scenarios";
export { optionsFromEnv } from "./env";
export { API_VERSION } from "./constants";
export { TEST_CARDS, TEST_IBANS } from "./domain/test-instruments";

export interface RunningEmulator {
  /** Where the emulator listens, e.g. `http://127.0.0.1:12111`. */
  url: string;
  port: number;
  host: string;
  /** A key the emulator accepts (any `sk_test_…` key works). */
  apiKey: string;
  /** Options for `new Stripe(apiKey, { ...emulator.stripeClientOptions() })`. */
  stripeClientOptions(): { host: string; port: number; protocol: "http" };
  /** Same as `POST /_emulator/checkout/sessions/:id/pay`; returns the session afterwards. */
  pay(sessionId: string, scenario: Scenario, email?: string): CheckoutSession;
  /** Same as `POST /_emulator/payment_links/:id/open`: the session a shopper following the link gets. */
  openPaymentLink(linkId: string): CheckoutSession;
  /** Moves the virtual clock forward and fires whatever falls due. */
  advanceClock(seconds: number): void;
  /** Waits until no webhook delivery is queued, in flight or waiting to retry. */
  flushDeliveries(timeoutMs?: number): Promise<FlushResult>;
  configure(patch: SettingsPatch): void;
  /** Same as `GET /_emulator/requests`. */
  requestCounts(): RequestCounts;
  /** Same as `POST /_emulator/requests/reset`: returns the counts it cleared. */
  resetRequestCounts(): RequestCounts;
  reset(): void;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const core = new Core(resolved, { settle, expireSession });
  const server = http.createServer(createRequestListener(core));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host}:${port}`;
  core.setPublicUrl(resolved.publicUrl ?? url);
  try {
    if (resolved.stateFile) core.attachStateFile(resolved.stateFile);
  } catch (error) {
    server.close();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    url,
    port,
    host: resolved.host,
    apiKey: resolved.apiKey,
    stripeClientOptions: () => ({ host: resolved.host, port, protocol: "http" }),
    pay: (sessionId, scenario, email) =>
      presentSession(core, payWithScenario(core, sessionId, scenario, email).session),
    openPaymentLink: (linkId) => openPaymentLink(core, linkId),
    advanceClock: (seconds) => {
      core.clock.advance(seconds);
      core.scheduler.runDue();
      core.changed();
    },
    flushDeliveries: (timeoutMs = 30_000) => core.delivery.flush(timeoutMs),
    configure: (patch) => {
      core.configure(patch);
    },
    requestCounts: () => core.pace.counters.snapshot(),
    resetRequestCounts: () => core.pace.counters.reset(),
    reset: () => core.reset(),
    stop: () => {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await core.close();
        await closed;
      })();
      return stopping;
    },
  };
}
