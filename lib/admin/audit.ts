import "server-only";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import type { AdminUser } from "@/lib/auth/guard";

export type AuditAction =
  | "refund"
  | "resync"
  | "resend_email"
  | "replay_event"
  | "create_link_order"
  | "resend_payment_link"
  | "cancel_link_order";

/** Records one admin action with who did it and how it ended. Rows are only ever inserted. */
export async function recordAudit(
  admin: AdminUser,
  entry: {
    action: AuditAction;
    orderId?: string | null;
    target?: string | null;
    outcome: "succeeded" | "failed";
    detail: Prisma.InputJsonValue;
  },
): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: admin.id,
      actorEmail: admin.email,
      action: entry.action,
      orderId: entry.orderId ?? null,
      target: entry.target ?? null,
      outcome: entry.outcome,
      detail: entry.detail,
    },
  });
}
