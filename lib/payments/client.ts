import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";

export type PaymentsMode = "emulator" | "test" | "live" | "unconfigured";

/** Where payments go: the bundled emulator, Stripe test mode, live mode, or nowhere yet. */
export function paymentsMode(): PaymentsMode {
  if (!env.STRIPE_SECRET_KEY) return "unconfigured";
  if (env.STRIPE_API_BASE) return "emulator";
  return env.STRIPE_SECRET_KEY.includes("_live_") ? "live" : "test";
}

export class PaymentsNotConfiguredError extends Error {
  constructor() {
    super(
      "Payments are not configured: set STRIPE_SECRET_KEY, or start the store with `npm run dev` to use the emulator.",
    );
    this.name = "PaymentsNotConfiguredError";
  }
}

const cache = globalThis as unknown as { storefrontStripe?: Stripe };

/** The one Stripe client. Honours STRIPE_API_BASE so the same calls reach the emulator. */
export function stripe(): Stripe {
  if (cache.storefrontStripe) return cache.storefrontStripe;
  if (!env.STRIPE_SECRET_KEY) throw new PaymentsNotConfiguredError();
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : undefined;
  const client = new Stripe(env.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    appInfo: { name: "fieldnote-goods" },
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol.replace(":", "") as "http" | "https",
    }),
  });
  cache.storefrontStripe = client;
  return client;
}

/** The signing secret of our webhook endpoint. */
export function webhookSecretOrThrow(): string {
  if (!env.STRIPE_WEBHOOK_SECRET) throw new PaymentsNotConfiguredError();
  return env.STRIPE_WEBHOOK_SECRET;
}
