import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { decodeCursor, encodeCursor } from "./order-filters";

export const LOG_OUTCOMES = ["processed", "duplicate", "ignored", "failed", "received"] as const;

const blank = (v: unknown) => (v === "" ? undefined : v);

export const webhookLogFiltersSchema = z.object({
  type: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z_.]+$/, "event types look like checkout.session.completed")
      .max(100)
      .optional(),
  ),
  outcome: z.preprocess(blank, z.enum(LOG_OUTCOMES).optional()),
  cursor: z.preprocess(blank, z.string().max(200).optional()),
});
export type WebhookLogFilters = z.infer<typeof webhookLogFiltersSchema>;

export type WebhookLogRow = {
  stripeEventId: string;
  type: string;
  outcome: string;
  duplicates: number;
  attempts: number;
  replays: number;
  error: string | null;
  orderId: string | null;
  stripeCreatedAt: Date;
  receivedAt: Date;
  processedAt: Date | null;
  /** From arrival to being applied (or set aside), in milliseconds. */
  latencyMs: number | null;
};

function outcomeWhere(outcome: WebhookLogFilters["outcome"]): Prisma.WebhookEventWhereInput {
  switch (outcome) {
    case "duplicate":
      return { duplicates: { gt: 0 } };
    case undefined:
      return {};
    default:
      return { outcome: outcome.toUpperCase() as "PROCESSED" | "IGNORED" | "FAILED" | "RECEIVED" };
  }
}

/** One page of the webhook inbox, newest first; the cursor continues after the last row shown. */
export async function listWebhookEvents(
  filters: WebhookLogFilters,
  pageSize = 50,
): Promise<{ rows: WebhookLogRow[]; nextCursor: string | null; types: string[] }> {
  const where: Prisma.WebhookEventWhereInput = {
    ...outcomeWhere(filters.outcome),
    ...(filters.type ? { type: filters.type } : {}),
  };
  const cursor = decodeCursor(filters.cursor);
  const after = cursor && new Date(cursor.v);
  if (cursor && after && !Number.isNaN(after.getTime()))
    where.OR = [{ receivedAt: { lt: after } }, { receivedAt: after, id: { lt: cursor.id } }];
  const [rows, types] = await Promise.all([
    db.webhookEvent.findMany({
      where,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: pageSize + 1,
      select: {
        stripeEventId: true,
        type: true,
        outcome: true,
        duplicates: true,
        attempts: true,
        replays: true,
        error: true,
        orderId: true,
        stripeCreatedAt: true,
        receivedAt: true,
        processedAt: true,
        id: true,
      },
    }),
    // GROUP BY in the database (Prisma's `distinct` would fetch every row and dedupe here).
    db.webhookEvent.groupBy({ by: ["type"], orderBy: { type: "asc" } }),
  ]);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    rows: page.map(({ id: _id, ...r }) => ({
      ...r,
      outcome: r.outcome.toLowerCase(),
      latencyMs: r.processedAt ? r.processedAt.getTime() - r.receivedAt.getTime() : null,
    })),
    nextCursor: rows.length > pageSize && last ? encodeCursor({ v: last.receivedAt.toISOString(), id: last.id }) : null,
    types: types.map((t) => t.type),
  };
}
