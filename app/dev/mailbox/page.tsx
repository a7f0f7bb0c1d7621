import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { env } from "@/lib/env";
import { listMailbox } from "@/lib/email/mailbox";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Development mailbox", robots: { index: false } };

// Every email the store wrote, as the shopper would receive it. Development only: in
// production the same outbox is shown to admins in the dashboard.
export default async function MailboxPage() {
  if (env.NODE_ENV === "production") notFound();
  const emails = await listMailbox();
  return (
    <section aria-labelledby="mailbox-heading" className="flex flex-col gap-4">
      <h1 id="mailbox-heading" className="text-3xl font-bold tracking-tight">
        Development mailbox
      </h1>
      <p className="text-muted">
        The latest {emails.length} emails from the outbox. Links in them open the shopper&apos;s order page.
      </p>
      {emails.length === 0 ? <p>No emails yet. Place an order to see some.</p> : null}
      <ul className="flex flex-col gap-4">
        {emails.map((email) => (
          <li key={email.id} className="rounded-xl border border-stone-200 bg-white p-5">
            <details>
              <summary className="cursor-pointer">
                <span className="font-semibold">{email.subject}</span>
                <span className="block text-sm text-muted">
                  to {email.to} · {new Date(email.createdAt).toUTCString()} · {email.status.toLowerCase()}
                  {email.lastError ? ` · ${email.lastError}` : ""}
                </span>
              </summary>
              <pre className="mt-3 whitespace-pre-wrap font-sans text-sm">{email.text}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
