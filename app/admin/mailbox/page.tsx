import { requireAdminPage } from "@/lib/auth/guard";
import { listMailbox } from "@/lib/email/mailbox";
import { MailboxList } from "@/components/email/mailbox-list";

export const dynamic = "force-dynamic";
export const metadata = { title: "Mailbox" };

// The stored outbox: every email the store wrote, sent or not.
export default async function AdminMailboxPage() {
  await requireAdminPage("/admin/mailbox");
  const emails = await listMailbox(100);
  return (
    <section aria-labelledby="mailbox-heading" className="flex flex-col gap-4">
      <h1 id="mailbox-heading" className="text-3xl font-bold tracking-tight">
        Mailbox
      </h1>
      <p className="text-muted">The latest {emails.length} emails in the outbox, newest first.</p>
      <MailboxList emails={emails} />
    </section>
  );
}
