import "server-only";
import { db } from "@/lib/db";

export type MailboxEntry = {
  id: string;
  to: string;
  subject: string;
  kind: string;
  status: string;
  text: string;
  html: string;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
};

/** The most recent emails in the outbox, newest first: the development mailbox. */
export async function listMailbox(limit = 50): Promise<MailboxEntry[]> {
  const rows = await db.emailOutbox.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  return rows.map((r) => ({
    id: r.id,
    to: r.to,
    subject: r.subject,
    kind: r.kind,
    status: r.status,
    text: r.text,
    html: r.html,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    lastError: r.lastError,
  }));
}
