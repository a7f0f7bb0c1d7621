/**
 * Idempotency-Key handling as on Stripe: the first response for a key (per API key) is stored
 * and replayed for identical retries; reusing the key with different parameters is an error.
 */
import { createHash } from "node:crypto";
import type { Core } from "../domain/core";
import { idempotencyMismatch, invalidRequest, StripeApiError } from "./errors";
import type { IdempotencyEntry } from "../domain/model/events";

const KEY_TTL_MS = 24 * 60 * 60 * 1000;

export type IdempotencyLookup = { kind: "miss" } | { kind: "replay"; entry: IdempotencyEntry };

export function fingerprint(method: string, path: string, params: unknown): string {
  return createHash("sha256")
    .update(`${method} ${path}\n${stableJson(params)}`)
    .digest("hex");
}

const inFlight = new WeakMap<Core, Set<string>>();

/** Marks a key as in progress; returns the release function. */
export function claimIdempotencyKey(core: Core, apiKey: string, key: string): () => void {
  const scoped = scopedKey(apiKey, key);
  const claimed = inFlight.get(core) ?? new Set<string>();
  inFlight.set(core, claimed);
  if (claimed.has(scoped)) {
    throw new StripeApiError(
      409,
      {
        type: "idempotency_error",
        message: `There is currently another in-progress request using this Idempotency-Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      },
      { "Stripe-Should-Retry": "true" },
    );
  }
  claimed.add(scoped);
  return () => claimed.delete(scoped);
}

export function lookupIdempotent(core: Core, apiKey: string, key: string, print: string): IdempotencyLookup {
  if (key.length > 255) throw invalidRequest("Idempotency keys can be at most 255 characters long.");
  const entry = core.store.idempotency.get(scopedKey(apiKey, key));
  if (!entry || Date.now() - entry.createdAtMs > KEY_TTL_MS) return { kind: "miss" };
  if (entry.fingerprint !== print) throw idempotencyMismatch(key);
  return { kind: "replay", entry };
}

/** Only executed requests are stored; validation failures may be retried with the same key. */
export function shouldStore(status: number): boolean {
  return (status >= 200 && status < 300) || status === 402;
}

export function storeIdempotent(
  core: Core,
  apiKey: string,
  key: string,
  print: string,
  response: { status: number; body: string; requestId: string },
): void {
  core.store.addIdempotencyEntry({
    key: scopedKey(apiKey, key),
    fingerprint: print,
    createdAtMs: Date.now(),
    ...response,
  });
  core.changed();
}

function scopedKey(apiKey: string, key: string): string {
  return `${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}:${key}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
