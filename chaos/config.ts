/** The chaos run's settings, from its command line, and the helpers every phase uses. */
import { parseArgs } from "node:util";

const { values: flags } = parseArgs({
  options: {
    orders: { type: "string", default: "2000" },
    seed: { type: "string", default: "20260101" },
    instances: { type: "string", default: "1" },
    concurrency: { type: "string", default: "8" },
    "timeout-min": { type: "string" },
    "async-delay": { type: "string", default: "3" },
    drop: { type: "string", default: "0.02" },
    port: { type: "string", default: "3600" },
    // Stripe's pace: realistic latency, Stripe's live-account limits, and 2 % of requests 429.
    "stripe-pace": { type: "boolean", default: false },
  },
  strict: true,
});
export const ORDERS = positive("orders");
export const SEED = Number(flags.seed);
export const INSTANCES = positive("instances");
export const CONCURRENCY = positive("concurrency");
export const ASYNC_DELAY_S = Number(flags["async-delay"]);
export const DROP = Number(flags.drop);
export const BASE_PORT = positive("port");
export const TIMEOUT_MIN = flags["timeout-min"] ? Number(flags["timeout-min"]) : Math.ceil(15 + ORDERS / 150);
export const RETRY_SCHEDULE = [1, 2, 4, 8, 15, 30];
export const WEBHOOK_SECRET = `whsec_chaos_${SEED}`;
export const DATABASE_URL = process.env.DATABASE_URL ?? "";
export const STRIPE_PACE = flags["stripe-pace"] === true;

function positive(name: "orders" | "instances" | "concurrency" | "port"): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

export const startedAt = Date.now();
export const log = (line: string) => console.log(`[chaos +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${line}`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
