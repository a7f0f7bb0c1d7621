import { formatTimestamp } from "@/lib/admin/format";
import { type AdminOrder } from "@/lib/admin/order-detail";
import { Panel } from "../../../_components/panel";
import { RawEvent } from "../../../_components/raw-event";

type Entry = AdminOrder["timeline"][number];

const KIND_LABEL: Record<Entry["kind"], string> = {
  order: "Order",
  checkout: "Checkout",
  event: "Webhook",
  ledger: "Ledger",
  email: "Email",
  audit: "Admin",
};

/** Everything that happened to the order, oldest first; webhook entries can show their raw JSON. */
export function OrderTimeline({ timeline }: { timeline: Entry[] }) {
  return (
    <Panel id="timeline" title="Timeline">
      <ol className="mt-3 flex flex-col gap-3" aria-label="Order timeline">
        {timeline.map((entry, i) => (
          <li
            key={i}
            className="grid grid-cols-[10rem_5rem_1fr] gap-3 border-b border-stone-100 pb-2 text-sm last:border-0"
          >
            <time dateTime={entry.at.toISOString()} className="text-muted">
              {formatTimestamp(entry.at)}
            </time>
            <span className="font-semibold text-muted">{KIND_LABEL[entry.kind]}</span>
            <div>
              <span className="block font-medium">{entry.title}</span>
              {entry.detail ? <span className="block text-muted">{entry.detail}</span> : null}
              {entry.stripeEventId ? <RawEvent eventId={entry.stripeEventId} /> : null}
            </div>
          </li>
        ))}
      </ol>
    </Panel>
  );
}
