import Link from "next/link";
import { formatDuration, formatTimestamp } from "@/lib/admin/format";
import { LOG_OUTCOMES, listWebhookEvents, webhookLogFiltersSchema } from "@/lib/admin/webhook-log";
import { requireAdminPage } from "@/lib/auth/guard";
import { adminOrderPath } from "@/lib/orders/links";
import { replayEventAction } from "../_actions/orders";
import { ActionForm } from "../_components/action-form";
import { RawEvent } from "../_components/raw-event";

export const dynamic = "force-dynamic";
export const metadata = { title: "Webhooks" };

const OUTCOME_STYLE: Record<string, string> = {
  processed: "bg-emerald-100 text-emerald-900",
  ignored: "bg-stone-200 text-stone-800",
  failed: "bg-red-100 text-red-900",
  received: "bg-amber-100 text-amber-900",
};

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("/admin/webhooks");
  const raw = await searchParams;
  const parsed = webhookLogFiltersSchema.safeParse({
    type: typeof raw.type === "string" ? raw.type : undefined,
    outcome: typeof raw.outcome === "string" ? raw.outcome : undefined,
    cursor: typeof raw.cursor === "string" ? raw.cursor : undefined,
  });
  const filters = parsed.success ? parsed.data : {};
  const { rows, nextCursor, types } = await listWebhookEvents(filters);
  const query = (cursor?: string) =>
    new URLSearchParams(
      Object.entries({ type: filters.type, outcome: filters.outcome, cursor }).filter((e): e is [string, string] =>
        Boolean(e[1]),
      ),
    ).toString();

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Webhook log</h1>
      <form
        aria-label="Filter events"
        className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
      >
        <label className="flex flex-col gap-1 text-sm font-medium">
          Type
          <select
            name="type"
            defaultValue={filters.type ?? ""}
            className="rounded-md border border-stone-300 px-2 py-1.5 text-sm"
          >
            <option value="">Any</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Outcome
          <select
            name="outcome"
            defaultValue={filters.outcome ?? ""}
            className="rounded-md border border-stone-300 px-2 py-1.5 text-sm"
          >
            <option value="">Any</option>
            {LOG_OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded-md bg-accent px-4 py-1.5 text-sm font-semibold text-white">
          Apply
        </button>
        <Link href="/admin/webhooks" className="text-sm underline underline-offset-2">
          Clear
        </Link>
      </form>
      {!parsed.success ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          Some filters were not understood; showing all events.
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Webhook events received, newest first</caption>
          <thead className="border-b border-stone-200 bg-stone-50">
            <tr>
              <th scope="col" className="px-3 py-2">
                Received
              </th>
              <th scope="col" className="px-3 py-2">
                Event
              </th>
              <th scope="col" className="px-3 py-2">
                Outcome
              </th>
              <th scope="col" className="px-3 py-2">
                Latency
              </th>
              <th scope="col" className="px-3 py-2">
                Order
              </th>
              <th scope="col" className="px-3 py-2">
                Replay
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-muted">
                  No events match.
                </td>
              </tr>
            ) : null}
            {rows.map((e) => (
              <tr key={e.stripeEventId} className="border-b border-stone-100 align-top last:border-0">
                <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(e.receivedAt)}</td>
                <td className="px-3 py-2">
                  <span className="block font-medium">{e.type}</span>
                  <span className="block font-mono text-xs text-muted">{e.stripeEventId}</span>
                  <RawEvent eventId={e.stripeEventId} />
                </td>
                <td className="px-3 py-2">
                  <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${OUTCOME_STYLE[e.outcome] ?? ""}`}>
                    {e.outcome}
                  </span>
                  {e.duplicates ? (
                    <span className="ml-1 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-900">
                      duplicate ×{e.duplicates}
                    </span>
                  ) : null}
                  {e.error ? <span className="mt-1 block text-xs text-muted">{e.error}</span> : null}
                  {e.replays ? <span className="mt-1 block text-xs text-muted">replayed {e.replays}×</span> : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2">{formatDuration(e.latencyMs)}</td>
                <td className="px-3 py-2 font-mono">
                  {e.orderId ? (
                    <Link href={adminOrderPath(e.orderId)} className="underline underline-offset-2">
                      {e.orderId.slice(0, 8)}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-3 py-2">
                  <ActionForm
                    action={replayEventAction}
                    fields={{ eventId: e.stripeEventId }}
                    label="Replay"
                    confirm="Run this event through the pipeline again?"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextCursor ? (
        <Link
          href={`/admin/webhooks?${query(nextCursor)}`}
          className="self-end text-sm font-semibold underline underline-offset-2"
        >
          Older events
        </Link>
      ) : null}
    </div>
  );
}
