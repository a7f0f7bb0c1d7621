import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** The budget every instance's background Stripe reads draw from. */
export const BACKGROUND_BUDGET = "stripe-background";

/** Requests per second all instances together may spend on background reads. */
export function backgroundRate(): number {
  if (env.STRIPE_RATE_BUDGET) return env.STRIPE_RATE_BUDGET;
  return env.STRIPE_SECRET_KEY?.includes("_live_") ? 50 : 10;
}

export type Budget = { name: string; rate: number; burst: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes one request from a token bucket kept in PostgreSQL, waiting until one is free. The
 * bucket refills at `rate` per second up to `burst`; every instance takes from the same row,
 * so N instances together stay within the account's limit. One statement per try: the row
 * lock serialises takers for the moment of the update only.
 */
export async function takeFromBudget(
  budget: Budget,
  options: { maxWaitMs?: number; client?: Pick<typeof db, "$queryRaw"> } = {},
): Promise<number> {
  const client = options.client ?? db;
  const started = Date.now();
  for (;;) {
    const taken = await client.$queryRaw<Array<{ tokens: number }>>`
      insert into "RateBudget" (name, tokens, "refilledAt")
      values (${budget.name}, ${budget.burst - 1}, clock_timestamp()::timestamp)
      on conflict (name) do update set
        tokens = least(${budget.burst}::float8, "RateBudget".tokens
                 + extract(epoch from clock_timestamp()::timestamp - "RateBudget"."refilledAt") * ${budget.rate}::float8) - 1,
        "refilledAt" = clock_timestamp()::timestamp
      where least(${budget.burst}::float8, "RateBudget".tokens
            + extract(epoch from clock_timestamp()::timestamp - "RateBudget"."refilledAt") * ${budget.rate}::float8) >= 1
      returning tokens`;
    if (taken.length > 0) return Date.now() - started;
    const [state] = await client.$queryRaw<Array<{ available: number }>>`
      select least(${budget.burst}::float8, tokens
             + extract(epoch from clock_timestamp()::timestamp - "refilledAt") * ${budget.rate}::float8) as available
        from "RateBudget" where name = ${budget.name}`;
    const deficit = 1 - (state?.available ?? 0);
    // Jitter spreads waiters on several instances, so they do not all wake for one token.
    const wait = Math.max(5, (deficit / budget.rate) * 1000) * (1 + Math.random() * 0.5);
    if (options.maxWaitMs !== undefined && Date.now() - started + wait > options.maxWaitMs)
      throw new BudgetExhaustedError(budget.name);
    await sleep(wait);
  }
}

export class BudgetExhaustedError extends Error {
  constructor(name: string) {
    super(`The Stripe request budget "${name}" has no room right now`);
    this.name = "BudgetExhaustedError";
  }
}

/** Waits for room in the shared background budget (see takeFromBudget). */
export function takeBackgroundRequest(): Promise<number> {
  const rate = backgroundRate();
  return takeFromBudget({ name: BACKGROUND_BUDGET, rate, burst: Math.max(1, Math.ceil(rate)) });
}
