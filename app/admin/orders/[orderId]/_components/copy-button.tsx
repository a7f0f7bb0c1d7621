"use client";

import { useState } from "react";

/** Copies a value to the clipboard, and says so where everyone (screen readers too) can see it. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        aria-label={label}
        onClick={() => {
          navigator.clipboard.writeText(value).then(
            () => setState("copied"),
            () => setState("failed"),
          );
        }}
        className="rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-semibold hover:bg-stone-50"
      >
        Copy
      </button>
      <span role="status" aria-live="polite" className="text-sm text-emerald-800">
        {state === "copied" ? "Copied" : state === "failed" ? "Could not copy; select the link instead" : ""}
      </span>
    </span>
  );
}
