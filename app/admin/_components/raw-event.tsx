"use client";

import { useId, useState } from "react";

/** Loads and shows a webhook event's JSON on request. */
export function RawEvent({ eventId }: { eventId: string }) {
  const [json, setJson] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const panel = useId();

  async function toggle() {
    if (open) return setOpen(false);
    setOpen(true);
    if (json) return;
    try {
      const response = await fetch(`/api/admin/events/${encodeURIComponent(eventId)}`);
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      setJson(JSON.stringify(await response.json(), null, 2));
    } catch (e) {
      setError(`Could not load the event: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panel}
        onClick={() => void toggle()}
        className="text-sm text-accent underline underline-offset-2"
      >
        {open ? "Hide raw JSON" : "Raw JSON"}
      </button>
      <div id={panel} hidden={!open}>
        {error ? (
          <p role="alert" className="text-sm text-red-800">
            {error}
          </p>
        ) : null}
        {json ? (
          <pre
            tabIndex={0}
            aria-label={`Raw JSON of ${eventId}`}
            className="mt-2 max-h-96 overflow-auto rounded-md bg-stone-900 p-3 text-xs text-stone-100"
          >
            {json}
          </pre>
        ) : open && !error ? (
          <p className="text-sm text-muted">Loading…</p>
        ) : null}
      </div>
    </div>
  );
}
