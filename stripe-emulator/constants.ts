/** The API version this emulator speaks; matches the bundled `stripe` SDK so payloads type-check. */
export const API_VERSION = "2026-10-28.endive";

export const DEFAULT_PORT = 12111;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_WEBHOOK_URL = "http://127.0.0.1:3000/api/webhook";
export const DEFAULT_WEBHOOK_SECRET = "whsec_emulator_local_secret";
export const DEFAULT_API_KEY = "sk_test_emulator_0123456789";
export const DEFAULT_BUSINESS_NAME = "Stripe Emulator";
export const DEFAULT_ASYNC_DELAY_SECONDS = 10;
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = [1, 5, 30, 120];
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
export const DEFAULT_SHUFFLE_WINDOW_MS = 200;

/** Stripe's own bounds for Checkout Session lifetimes. */
export const MIN_SESSION_LIFETIME_S = 30 * 60;
export const MAX_SESSION_LIFETIME_S = 24 * 60 * 60;
