import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/db/generated/client";
import type { VerifiedEvent } from "@/lib/payments/types";
import { handlerFor } from "./handled-events";

/**
 * The webhook inbox, and the only module that writes `WebhookEvent`. A delivery is recorded
 * in one statement; the worker claims pending rows grouped by the Checkout session or payment
 * they are about, settles them, and marks them here.
 */

type Tx = Prisma.TransactionClient;

export type RecordOutcome = "recorded" | "duplicate" | "ignored";

/** A pending event as the worker sees it. */
export type ClaimedEvent = {
  stripeEventId: string;
  type: string;
  payload: unknown;
  tries: number;
  stripeCreatedAt: Date;
  settleKey: string;
  /** How long it has been due (ms): how far behind the workers are. */
  waitedMs: number;
};

/** How long a claim lasts; a worker that dies leaves its rows to another after this. */
const CLAIM_MS = 60_000;

/**
 * Delays before the next try after each failed one (seconds): quick at first (a busy pool or a
 * single 429 clears in a moment), then growing; about 5 hours over ten tries.
 */
const RETRY_DELAYS_S = [0.5, 1, 2, 5, 15, 60, 300, 900, 3600, 14_400];

/** What the worker settles together: the session the event is about, or its payment intent. */
function settleKeyOf(event: VerifiedEvent): { key: string } | { ignored: string } {
  const handler = handlerFor(event.type);
  if (!handler) return { ignored: `event type ${event.type} is not handled` };
  const target = handler.target(event.object);
  if (!target) return { ignored: "the event names no checkout session or payment" };
  if ("sessionId" in target) return { key: target.sessionId };
  return { key: "paymentIntentId" in target ? target.paymentIntentId : target.customerId };
}

/**
 * Records a verified event durably, in one statement: inserted as pending (or as ignored when
 * the store does not act on its type), or counted as a duplicate delivery. The first verified
 * body is kept; a later delivery of the same id with a different object (`data`; envelope
 * fields such as `pending_webhooks` change between Stripe's own retries) is counted and reported.
 * Takes no order lock and makes no Stripe call.
 */
export async function recordEvent(event: VerifiedEvent): Promise<{ outcome: RecordOutcome; mismatch: boolean }> {
  const target = settleKeyOf(event);
  const key = "key" in target ? target.key : null;
  const ignored = "ignored" in target ? target.ignored : null;
  const payload = event.payloadText ?? JSON.stringify(event.payload);
  const [row] = await db.$queryRaw<Array<{ inserted: boolean; differs: boolean }>>`
    insert into "WebhookEvent" (id, "stripeEventId", type, "apiVersion", livemode, payload, "stripeCreatedAt",
                                attempts, "settleKey", outcome, "processedAt", error)
    values (gen_random_uuid(), ${event.id}, ${event.type}, ${event.apiVersion}, ${event.livemode}, ${payload}::jsonb,
            ${event.created}::timestamp, 1, ${key},
            ${ignored ? "IGNORED" : "RECEIVED"}::"WebhookOutcome",
            ${ignored ? new Date() : null}::timestamp, ${ignored})
    on conflict ("stripeEventId") do update set
      attempts = "WebhookEvent".attempts + 1,
      duplicates = "WebhookEvent".duplicates + 1,
      "lastDuplicateAt" = now(),
      "payloadMismatches" = "WebhookEvent"."payloadMismatches"
        + ("WebhookEvent".payload -> 'data' is distinct from excluded.payload -> 'data')::int
    returning (xmax = 0) as inserted, payload -> 'data' is distinct from ${payload}::jsonb -> 'data' as differs`;
  if (!row) throw new Error(`recording event ${event.id} returned nothing`);
  if (!row.inserted) return { outcome: "duplicate", mismatch: row.differs };
  return { outcome: ignored ? "ignored" : "recorded", mismatch: false };
}

/**
 * Claims the oldest due pending event together with every other pending event about the same
 * session or payment, so they are settled in one go. Rows claimed by another worker are
 * skipped, so instances never settle the same row at once. Empty when nothing is due. With
 * `settleKey`, claims that group whether due or not (an admin replay).
 */
export async function claimNextGroup(settleKey?: string): Promise<ClaimedEvent[]> {
  const head = settleKey
    ? Prisma.sql`select "settleKey" from "WebhookEvent"
       where "settleKey" = ${settleKey} and "processedAt" is null and outcome = 'RECEIVED'
         and ("claimedUntil" is null or "claimedUntil" < now())
       limit 1 for update skip locked`
    : Prisma.sql`select "settleKey" from "WebhookEvent"
       where "processedAt" is null and outcome = 'RECEIVED' and "availableAt" <= now()
         and ("claimedUntil" is null or "claimedUntil" < now())
       order by "availableAt"
       limit 1 for update skip locked`;
  return db.$queryRaw<ClaimedEvent[]>`
    with head as (${head})
    update "WebhookEvent" w
       set "claimedUntil" = now() + ${CLAIM_MS} * interval '1 millisecond', tries = w.tries + 1
      from head
     where w."settleKey" = head."settleKey" and w."processedAt" is null and w.outcome = 'RECEIVED'
       and (w."claimedUntil" is null or w."claimedUntil" < now())
    returning w."stripeEventId", w.type, w.payload, w.tries, w."stripeCreatedAt", w."settleKey",
              (extract(epoch from now() - w."availableAt") * 1000)::float8 as "waitedMs"`;
}

/** Locks the given events for the settling transaction; returns those not yet handled. */
export async function lockUnhandledEvents(tx: Tx, stripeEventIds: string[]): Promise<Set<string>> {
  const rows = await tx.$queryRaw<Array<{ stripeEventId: string }>>`
    select "stripeEventId" from "WebhookEvent"
     where "stripeEventId" = any(${stripeEventIds}) and "processedAt" is null
     order by "stripeEventId"
       for update`;
  return new Set(rows.map((r) => r.stripeEventId));
}

/** Marks events applied to an order, in the transaction that applied them. */
export async function markProcessed(tx: Tx, stripeEventIds: string[], orderId: string): Promise<void> {
  if (stripeEventIds.length === 0) return;
  await tx.$executeRaw`
    update "WebhookEvent" set "processedAt" = now(), outcome = 'PROCESSED', "orderId" = ${orderId}::uuid,
                              error = null, "claimedUntil" = null
     where "stripeEventId" = any(${stripeEventIds})`;
}

/** Marks events the store does not act on (not its session, no such order). */
export async function markIgnored(
  client: Tx | typeof db,
  events: ReadonlyArray<{ stripeEventId: string; reason: string }>,
): Promise<void> {
  for (const { stripeEventId, reason } of events) {
    await client.webhookEvent.updateMany({
      where: { stripeEventId, processedAt: null },
      data: { processedAt: new Date(), outcome: "IGNORED", error: reason.slice(0, 500), claimedUntil: null },
    });
  }
}

/**
 * Gives claimed events back after a failed try: due again after a growing, jittered delay, or
 * marked FAILED (shown in the admin webhook log, replayable there) after `maxTries`.
 */
export async function releaseAfterFailure(
  events: ReadonlyArray<Pick<ClaimedEvent, "stripeEventId" | "tries">>,
  error: string,
  maxTries: number,
): Promise<{ failed: number; retried: number }> {
  let failed = 0;
  for (const event of events) {
    const giveUp = event.tries >= maxTries;
    const base = RETRY_DELAYS_S[Math.min(event.tries - 1, RETRY_DELAYS_S.length - 1)] ?? 1;
    const delayMs = base * 1000 * (0.75 + Math.random() * 0.5);
    await db.webhookEvent.updateMany({
      where: { stripeEventId: event.stripeEventId, processedAt: null },
      data: {
        error: error.slice(0, 500),
        claimedUntil: null,
        ...(giveUp ? { outcome: "FAILED" } : { availableAt: new Date(Date.now() + delayMs) }),
      },
    });
    if (giveUp) failed += 1;
  }
  return { failed, retried: events.length - failed };
}

/**
 * Puts a stored event back in the queue, due now with a fresh count of tries (admin replay
 * of an event that failed or was never settled). False for unknown or already handled events.
 */
export async function requeueEvent(stripeEventId: string): Promise<boolean> {
  const moved = await db.webhookEvent.updateMany({
    where: { stripeEventId, processedAt: null },
    data: { outcome: "RECEIVED", availableAt: new Date(), claimedUntil: null, tries: 0, replays: { increment: 1 } },
  });
  return moved.count === 1;
}

/** Counts an admin replay of an event that was already handled. */
export async function countReplay(stripeEventId: string): Promise<void> {
  await db.webhookEvent.update({ where: { stripeEventId }, data: { replays: { increment: 1 } } });
}

/** Events recorded but not yet settled; with `dueOnly`, not those waiting to be tried again later. */
export async function pendingEventCount(options: { dueOnly?: boolean } = {}): Promise<number> {
  return db.webhookEvent.count({
    where: { processedAt: null, outcome: "RECEIVED", ...(options.dueOnly ? { availableAt: { lte: new Date() } } : {}) },
  });
}
