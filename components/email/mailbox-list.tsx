import type { MailboxEntry } from "@/lib/email/mailbox";

/** The outbox as a list of emails that open to their text. */
export function MailboxList({ emails }: { emails: MailboxEntry[] }) {
  if (emails.length === 0) return <p>No emails yet. Place an order to see some.</p>;
  return (
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
  );
}
