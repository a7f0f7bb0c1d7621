"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { orderApiPath, orderCheckoutPath, orderEventsPath } from "@/lib/orders/links";
import * as z from "@/lib/validation/browser-zod";
import { describeOrderStatus } from "./order-status-badge";

const frameSchema = z.object({ id: z.string(), status: z.string(), paymentStatus: z.string(), updatedAt: z.string() });
type Live = z.infer<typeof frameSchema>;

const NEXT_STEP: Record<string, string> = {
  PENDING: "We are waiting for Stripe to confirm the payment. This page updates by itself.",
  AWAITING_PAYMENT:
    "Your bank is debited by SEPA Direct Debit, which takes a few days to clear. This page turns paid by itself, and we will email you.",
  PAID: "Thank you! Your payment is confirmed and we are preparing your order.",
  FAILED: "The payment did not go through. Your items are waiting: try again below.",
  EXPIRED: "The checkout expired before it was paid. Start a new checkout for the same items below.",
  REFUNDED: "This order was refunded in full.",
};

const POLL_DELAYS_MS = [2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * The order's status, kept live: Server-Sent Events first (the browser reconnects on its
 * own), polling with backoff if the stream cannot be opened. Rendered on the server with the
 * current status, so it is correct without JavaScript.
 */
export function LiveOrderStatus({ initial, token }: { initial: Live; token: string }) {
  const [order, setOrder] = useState(initial);
  const [mode, setMode] = useState<"live" | "polling">("live");
  const router = useRouter();
  const lastStatus = useRef(`${initial.status}/${initial.paymentStatus}`);

  useEffect(() => {
    let stopped = false;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const apply = (raw: unknown) => {
      const parsed = frameSchema.safeParse(raw);
      if (!parsed.success) return;
      setOrder(parsed.data);
      const key = `${parsed.data.status}/${parsed.data.paymentStatus}`;
      if (key !== lastStatus.current) {
        lastStatus.current = key;
        // Re-render the server parts (timeline, totals) for the new state.
        router.refresh();
      }
    };
    const poll = async (attempt: number) => {
      if (stopped) return;
      try {
        const response = await fetch(orderApiPath(initial.id, token), { cache: "no-store" });
        if (response.ok) apply(await response.json());
      } catch {
        // offline for now; try again later
      }
      pollTimer = setTimeout(
        () => void poll(attempt + 1),
        POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)],
      );
    };
    const source = new EventSource(orderEventsPath(initial.id, token));
    source.addEventListener("status", (event) => {
      failures = 0;
      try {
        apply(JSON.parse((event as MessageEvent<string>).data));
      } catch {
        // ignore a malformed frame
      }
    });
    source.onerror = () => {
      failures += 1;
      // EventSource retries by itself; if the stream keeps failing, poll instead.
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        setMode("polling");
        void poll(0);
      }
    };
    return () => {
      stopped = true;
      source.close();
      clearTimeout(pollTimer);
    };
  }, [initial.id, token, router]);

  const { label, className } = describeOrderStatus(order.status, order.paymentStatus);
  const stepKey =
    order.status === "PENDING" && order.paymentStatus === "AWAITING_PAYMENT" ? "AWAITING_PAYMENT" : order.status;
  const canRetry = order.status === "FAILED" || order.status === "EXPIRED";

  return (
    <div className="flex flex-col gap-4">
      <div role="status" aria-live="polite" aria-atomic="true" className="flex flex-col gap-2">
        <span
          data-testid="order-status"
          className={`inline-block w-fit rounded-full px-3 py-1 text-sm font-semibold ${className}`}
        >
          {label}
        </span>
        <p>{NEXT_STEP[stepKey]}</p>
      </div>
      <p className="text-xs text-muted">
        {mode === "live" ? "Live: updates appear as they happen." : "Checking for updates every few seconds."}
      </p>
      {canRetry ? (
        <form
          id="try-again"
          method="post"
          action={orderCheckoutPath(order.id, token)}
          className="rounded-xl border border-stone-200 bg-white p-5"
        >
          <button
            type="submit"
            className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
          >
            Try again
          </button>
        </form>
      ) : null}
    </div>
  );
}
