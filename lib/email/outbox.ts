import "server-only";
import type { EmailKind, Prisma } from "@/lib/db/generated/client";

type Tx = Prisma.TransactionClient;

/** An email to queue: who gets it, what it says, and the key that makes queueing it twice a no-op. */
export type NewEmail = {
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  dedupeKey: string;
  /** The order the email is about, if any (shown with it in the mailbox and the admin). */
  orderId: string | null;
};

/** A queued email about to go out: enough for the sender's last touch to its body. */
export type DueEmail = { orderId: string | null; kind: string; text: string; html: string };

/**
 * The last touch to a queued email's body just before it is sent, inside the sending
 * transaction: what must not be stored with the email (a working link) goes in here.
 */
export type BeforeSend = (tx: Tx, email: DueEmail) => Promise<{ text: string; html: string }>;

/**
 * Writes an email into the outbox inside the caller's transaction, at most once per dedupe
 * key. It is sent after commit by the drainer, so a rolled-back change never emails anyone.
 */
export async function enqueueEmail(tx: Tx, email: NewEmail): Promise<boolean> {
  // Raw SQL: this runs inside every settling transaction that sends an email.
  const inserted = await tx.$executeRaw`
    insert into "EmailOutbox" (id, "dedupeKey", "orderId", kind, "to", subject, text, html)
    values (gen_random_uuid(), ${email.dedupeKey}, ${email.orderId}::uuid, ${email.kind}::"EmailKind", ${email.to},
            ${email.subject}, ${email.text}, ${email.html})
    on conflict ("dedupeKey") do nothing`;
  return inserted === 1;
}
