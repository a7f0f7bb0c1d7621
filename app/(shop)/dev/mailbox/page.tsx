import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { env } from "@/lib/env";
import { listMailbox } from "@/lib/email/mailbox";
import { MailboxList } from "@/components/email/mailbox-list";

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
      <MailboxList emails={emails} />
    </section>
  );
}
