/** Counts `/v1` requests per endpoint (method + path with ids folded to `:id`). */

/** What `GET /_emulator/requests` returns. */
export interface RequestCounts {
  /** When counting started (emulator start or the last reset), ISO 8601. */
  since: string;
  /** Every `/v1` request received, whatever its answer (429s included). */
  total: number;
  /** The subset answered 429 by the rate limiter or by `inject429`. */
  totalRateLimited: number;
  requests: Record<string, number>;
  rateLimited: Record<string, number>;
}

// Prefixes of Stripe object ids; a path segment starting with one of them is an id.
const ID_SEGMENT =
  /^(acct|ba|card|ch|cn|cs|cus|dp|du|evt|ii|in|li|pi|pm|po|ppage|plink|price|prod|promo|py|pyr|re|seti|si|src|sub|tok|txn|we)_[^/]+$/;

/** Unknown paths are user input; past this many distinct keys they share one bucket. */
const MAX_KEYS = 500;
export const OTHER_ENDPOINTS = "(other endpoints)";
const MAX_KEY_LENGTH = 200;

/**
 * `GET /v1/checkout/sessions/cs_test_123` → `GET /v1/checkout/sessions/:id`. Known routes
 * pass their pattern (which folds any id, even a malformed one); others are folded by prefix.
 */
export function endpointKey(method: string, path: string, routePattern?: string): string {
  if (routePattern !== undefined) return `${method} ${routePattern}`;
  const folded = path
    .split("/")
    .map((segment) => (ID_SEGMENT.test(segment) ? ":id" : segment))
    .join("/");
  return `${method} ${folded}`.slice(0, MAX_KEY_LENGTH);
}

export class RequestCounters {
  private requests = new Map<string, number>();
  private rateLimited = new Map<string, number>();
  private since = new Date();

  countRequest(endpoint: string): void {
    bump(this.requests, endpoint);
  }

  countRateLimited(endpoint: string): void {
    bump(this.rateLimited, endpoint);
  }

  snapshot(): RequestCounts {
    return {
      since: this.since.toISOString(),
      total: sum(this.requests),
      totalRateLimited: sum(this.rateLimited),
      requests: sortedRecord(this.requests),
      rateLimited: sortedRecord(this.rateLimited),
    };
  }

  /** Returns the counts it cleared, so a bench can read and restart a window in one step. */
  reset(): RequestCounts {
    const cleared = this.snapshot();
    this.requests = new Map();
    this.rateLimited = new Map();
    this.since = new Date();
    return cleared;
  }
}

function bump(counts: Map<string, number>, key: string): void {
  const bucket = counts.has(key) || counts.size < MAX_KEYS ? key : OTHER_ENDPOINTS;
  counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}

function sortedRecord(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
