import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { parseTrustedProxies } from "@/lib/env/trusted-proxies";
import { clientAddress } from "./client-address";

export type LimitResult = { allowed: true; count: number } | { allowed: false; count: number; retryAfterS: number };

/** Windows older than the longest limit are as good as absent; they are pruned now and then. */
const LONGEST_WINDOW_MS = 60 * 60_000;
const PRUNE_EVERY = 500;
let hitsSincePrune = 0;

/**
 * Counts one hit for `key` in a fixed window that every instance shares (one statement in
 * PostgreSQL), so N instances together allow the limit, not N times it. The table holds one
 * row per key seen in the last hour.
 */
export async function hitLimit(key: string, limit: number, windowMs: number, now = new Date()): Promise<LimitResult> {
  const [row] = await db.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    insert into "RateLimitWindow" (key, "windowStart", count) values (${key}, ${now}::timestamp, 1)
    on conflict (key) do update set
      count = case when "RateLimitWindow"."windowStart" <= ${now}::timestamp - ${windowMs} * interval '1 millisecond'
                   then 1 else "RateLimitWindow".count + 1 end,
      "windowStart" = case when "RateLimitWindow"."windowStart" <= ${now}::timestamp - ${windowMs} * interval '1 millisecond'
                   then ${now}::timestamp else "RateLimitWindow"."windowStart" end
    returning count, "windowStart"`;
  if ((hitsSincePrune += 1) >= PRUNE_EVERY) {
    hitsSincePrune = 0;
    await db.$executeRaw`delete from "RateLimitWindow" where "windowStart" < ${new Date(now.getTime() - LONGEST_WINDOW_MS)}::timestamp`;
  }
  return verdict(row, limit, windowMs, now);
}

/** Whether one more hit on `key` would stay within `limit`, without counting one. */
export async function peekLimit(key: string, limit: number, windowMs: number, now = new Date()): Promise<LimitResult> {
  const [row] = await db.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    select count, "windowStart" from "RateLimitWindow"
     where key = ${key} and "windowStart" > ${now}::timestamp - ${windowMs} * interval '1 millisecond'`;
  if (!row) return { allowed: true, count: 0 };
  return verdict({ ...row, count: row.count + 1 }, limit, windowMs, now, row.count);
}

/** Forgets `key`'s window (a successful sign-in clears that client's failures). */
export async function clearLimit(key: string): Promise<void> {
  await db.$executeRaw`delete from "RateLimitWindow" where key = ${key}`;
}

function verdict(
  row: { count: number; windowStart: Date } | undefined,
  limit: number,
  windowMs: number,
  now: Date,
  reported = row?.count ?? 0,
): LimitResult {
  if (!row || row.count <= limit) return { allowed: true, count: reported };
  const retryAfterS = Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: false, count: reported, retryAfterS };
}

const trusted = parseTrustedProxies(env.TRUSTED_PROXIES);

/**
 * The client's address: the rightmost X-Forwarded-For entry that is not one of the configured
 * TRUSTED_PROXIES. The store's server writes that header from the socket on arrival
 * (lib/http/client-address.ts), so a client cannot choose it.
 */
export function clientIp(headers: Headers): string {
  return clientAddress(headers, trusted);
}
