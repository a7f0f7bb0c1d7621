import type { TimelineEntry } from "@/lib/orders/timeline";

export function OrderTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <section aria-labelledby="timeline-heading" className="rounded-xl border border-stone-200 bg-white p-5">
      <h2 id="timeline-heading" className="mb-3 text-lg font-semibold">
        What happened
      </h2>
      <ol className="flex flex-col gap-2">
        {entries.map((entry, i) => (
          <li key={`${entry.at}-${i}`} className="flex gap-3 text-sm">
            <time dateTime={entry.at} className="w-44 shrink-0 text-muted">
              {new Date(entry.at).toUTCString().replace(" GMT", " UTC")}
            </time>
            <span>{entry.label}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
