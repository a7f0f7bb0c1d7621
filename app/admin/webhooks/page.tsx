import Link from "next/link";
import { formatDuration, formatTimestamp } from "@/lib/admin/format";
import { LOG_OUTCOMES, listWebhookEvents, webhookLogFiltersSchema } from "@/lib/admin/webhook-log";
import { requireAdminPage } from "@/lib/auth/guard";
import { adminOrderPath } from "@/lib/orders/links";
import { replayEventAction } from "../_actions/orders";
import { ActionForm } from "../_components/action-form";
import { Badge, type BadgeTone } from "../_components/badge";
import { DataTable, HeaderCell } from "../_components/data-table";
import { FilterForm, FilterSelect, FiltersNotUnderstood } from "../_components/filter-form";
import { RawEvent } from "../_components/raw-event";

export const dynamic = "force-dynamic";
export const metadata = { title: "Webhooks" };

const OUTCOME_TONE: Record<string, BadgeTone> = {
  processed: "emerald",
  ignored: "stone",
  failed: "red",
  received: "amber",
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
      <FilterForm label="Filter events" clearHref="/admin/webhooks">
        <FilterSelect label="Type" name="type" defaultValue={filters.type ?? ""}>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </FilterSelect>
        <FilterSelect label="Outcome" name="outcome" defaultValue={filters.outcome ?? ""}>
          {LOG_OUTCOMES.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </FilterSelect>
      </FilterForm>
      {!parsed.success ? <FiltersNotUnderstood showing="all events" /> : null}
      <DataTable
        caption="Webhook events received, newest first"
        columns={6}
        empty={rows.length === 0}
        emptyText="No events match."
        head={
          <>
            <HeaderCell>Received</HeaderCell>
            <HeaderCell>Event</HeaderCell>
            <HeaderCell>Outcome</HeaderCell>
            <HeaderCell>Latency</HeaderCell>
            <HeaderCell>Order</HeaderCell>
            <HeaderCell>Replay</HeaderCell>
          </>
        }
      >
        {rows.map((e) => (
          <tr key={e.stripeEventId} className="border-b border-stone-100 align-top last:border-0">
            <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(e.receivedAt)}</td>
            <td className="px-3 py-2">
              <span className="block font-medium">{e.type}</span>
              <span className="block font-mono text-xs text-muted">{e.stripeEventId}</span>
              <RawEvent eventId={e.stripeEventId} />
            </td>
            <td className="px-3 py-2">
              <Badge tone={OUTCOME_TONE[e.outcome]} size="sm">
                {e.outcome}
              </Badge>
              {e.duplicates ? (
                <Badge tone="sky" size="sm" className="ml-1">
                  duplicate ×{e.duplicates}
                </Badge>
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
      </DataTable>
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
