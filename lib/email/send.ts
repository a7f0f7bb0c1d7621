import "server-only";
import nodemailer from "nodemailer";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { BeforeSend } from "./outbox";

export type OutgoingEmail = { to: string; subject: string; text: string; html: string };

/** Sends one email. Without SMTP_URL, emails stay in the outbox as the development mailbox. */
export type EmailTransport = { name: "smtp" | "mailbox"; send(email: OutgoingEmail): Promise<void> };

let transport: EmailTransport | undefined;

/** SMTP when SMTP_URL is set, else the mailbox (stored only, viewable at /dev/mailbox). */
export function emailTransport(): EmailTransport {
  if (transport) return transport;
  if (env.SMTP_URL) {
    const smtp = nodemailer.createTransport(env.SMTP_URL);
    transport = {
      name: "smtp",
      async send(email) {
        await smtp.sendMail({ from: env.EMAIL_FROM, ...email });
      },
    };
  } else {
    transport = { name: "mailbox", send: () => Promise.resolve() };
  }
  return transport;
}

const RETRY_DELAYS_S = [30, 120, 600, 3600];

/**
 * Sends due emails from the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of app instances can drain at once without sending an email twice; a failed send
 * is retried later with backoff, then given up and marked FAILED. `beforeSend` gives each
 * body its last touch inside the sending transaction (the order's fresh link, say).
 */
export async function drainOutbox(
  options: { limit?: number; transport?: EmailTransport; beforeSend?: BeforeSend } = {},
): Promise<{ sent: number; failed: number }> {
  const via = options.transport ?? emailTransport();
  return db.$transaction(
    async (tx) => {
      const due = await tx.$queryRaw<
        Array<{
          id: string;
          orderId: string | null;
          kind: string;
          to: string;
          subject: string;
          text: string;
          html: string;
          attempts: number;
        }>
      >`
        select id, "orderId", kind::text, "to", subject, text, html, attempts from "EmailOutbox"
         where status = 'PENDING' and "nextAttemptAt" <= now()
         order by "createdAt" limit ${options.limit ?? 20}
         for update skip locked`;
      let sent = 0;
      let failed = 0;
      for (const queued of due) {
        const email = options.beforeSend ? { ...queued, ...(await options.beforeSend(tx, queued)) } : queued;
        try {
          await via.send({ to: email.to, subject: email.subject, text: email.text, html: email.html });
          // The development mailbox is the outbox itself: there the body as sent is what the
          // recipient reads. Over SMTP the stored body keeps no working link.
          const stored = via.name === "mailbox" ? email : queued;
          await tx.$executeRaw`
            update "EmailOutbox" set status = 'SENT', "sentAt" = now(), attempts = attempts + 1, "lastError" = null,
                                     text = ${stored.text}, html = ${stored.html}
             where id = ${email.id}::uuid`;
          sent += 1;
        } catch (error) {
          const delay = RETRY_DELAYS_S[email.attempts];
          await tx.emailOutbox.update({
            where: { id: email.id },
            data: {
              attempts: email.attempts + 1,
              lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
              ...(delay === undefined ? { status: "FAILED" } : { nextAttemptAt: new Date(Date.now() + delay * 1000) }),
            },
          });
          failed += 1;
        }
      }
      return { sent, failed };
    },
    { timeout: 60_000 },
  );
}
