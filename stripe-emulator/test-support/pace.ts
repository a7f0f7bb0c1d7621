/** Helpers for the pace tests: raw API requests, pace settings and request counters. */
import type { RequestCounts, RunningEmulator } from "../index";
import { control } from "./harness";

export const RATE_LIMIT_MESSAGE =
  "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.";

/** A minimal Checkout Session, form-encoded as the SDK would send it. */
export const SESSION_FORM = new URLSearchParams({
  mode: "payment",
  success_url: "http://127.0.0.1:3000/ok",
  "line_items[0][price_data][currency]": "eur",
  "line_items[0][price_data][unit_amount]": "100",
  "line_items[0][price_data][product_data][name]": "Paced",
  "line_items[0][quantity]": "1",
}).toString();

/** One raw API request, so status, headers and body can be checked as sent. */
export function rawApi(
  emulator: RunningEmulator,
  method: "GET" | "POST",
  path: string,
  options: { apiKey?: string; body?: string; idempotencyKey?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.apiKey ?? emulator.apiKey}` };
  if (options.body !== undefined) headers["Content-Type"] = "application/x-www-form-urlencoded";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  return fetch(`${emulator.url}${path}`, { method, headers, body: options.body });
}

/** `POST /_emulator/config`, failing loudly so a typo in a test's patch cannot pass silently. */
export async function configurePace(emulator: RunningEmulator, patch: object): Promise<void> {
  const result = await control(emulator, "POST", "/_emulator/config", patch);
  if (result.status !== 200) throw new Error(`config ${JSON.stringify(patch)}: ${JSON.stringify(result.body)}`);
}

export async function fetchRequestCounts(emulator: RunningEmulator): Promise<RequestCounts> {
  const result = await control(emulator, "GET", "/_emulator/requests");
  if (result.status !== 200) throw new Error(`GET /_emulator/requests: ${result.status}`);
  return result.body as RequestCounts;
}
