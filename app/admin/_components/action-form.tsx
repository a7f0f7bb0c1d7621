"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/auth/guard";

type Props = {
  action: (previous: ActionResult | null, form: FormData) => Promise<ActionResult>;
  /** Hidden fields sent with the action. */
  fields: Record<string, string>;
  /** The button that starts the action. */
  label: string;
  /** What the confirmation step asks, e.g. "Resync this order from Stripe?". */
  confirm: string;
  /** Extra inputs shown before the button (the refund amount). */
  children?: React.ReactNode;
  tone?: "normal" | "danger";
};

/**
 * A server action behind a confirmation step: the first button asks, "Confirm" sends. The
 * result is announced to screen readers. Keyboard-only use works throughout.
 */
export function ActionForm({ action, fields, label, confirm, children, tone = "normal" }: Props) {
  const [result, run, pending] = useActionState(action, null);
  const [confirming, setConfirming] = useState(false);
  const button =
    tone === "danger" ? "bg-red-700 text-white hover:bg-red-800" : "bg-accent text-white hover:bg-accent-strong";
  return (
    <form
      action={(form) => {
        setConfirming(false);
        run(form);
      }}
      className="flex flex-col gap-2"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      {confirming ? (
        <div role="group" aria-label={confirm} className="flex flex-wrap items-center gap-2">
          <span className="text-sm font-medium">{confirm}</span>
          <button
            type="submit"
            autoFocus
            disabled={pending}
            className={`rounded-md px-3 py-1.5 text-sm font-semibold ${button}`}
          >
            Confirm
          </button>
          <button
            type="button"
            onClick={() => setConfirming(false)}
            className="rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-semibold"
          >
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          disabled={pending}
          onClick={() => setConfirming(true)}
          className="self-start rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-stone-50 disabled:opacity-60"
        >
          {pending ? "Working…" : label}
        </button>
      )}
      <p
        role="status"
        aria-live="polite"
        className={`text-sm ${result?.ok === false ? "text-red-800" : "text-emerald-800"}`}
      >
        {result?.message ?? ""}
      </p>
    </form>
  );
}
