"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { orderApiPath, orderCheckoutPath, orderEventsPath } from "@/lib/orders/links";
import * as z from "@/lib/validation/browser-zod";
import { formatMoney } from "@/lib/money";
import { describeOrderStatus, orderStatusKey } from "./order-status-badge";

const frameSchema = z.object({
  id: z.string(),
  status: z.string(),
  paymentStatus: z.string(),
  updatedAt: z.string(),
  paymentMethod: z.nullable(z.string()),
  channel: z.string(),
  amountReceived: z.int(),
  amountTotal: z.int(),
  currency: z.string(),
});
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

/** What a shopper paying by bank transfer (or through a payment link) does next, by the badge's key. */
const TRANSFER_STEP: Record<string, string> = {
  LINK_CLOSED:
    "This order was cancelled before it was paid, and its items released. Nothing is owed; contact us if you still want them.",
  AWAITING:
    "Send the amount below from your bank, quoting the reference. Transfers take a day or two to arrive; this page turns paid by itself, and we will email you.",
  PARTIAL:
    "Part of your transfer has arrived. Please send the rest, quoting the same reference; this page updates by itself as it arrives.",
  EXPIRED:
    "We did not receive the full transfer by the deadline, so the order was cancelled and the items released. Any money you sent is returned.",
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
  const lastStatus = useRef(initial.updatedAt);

  useEffect(() => {
    let stopped = false;
    let pollTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const apply = (raw: unknown) => {
      const parsed = frameSchema.safeParse(raw);
      if (!parsed.success) return;
      setOrder(parsed.data);
      // Any change (money arriving, bank details issued) re-renders the server parts.
      const key = parsed.data.updatedAt;
      if (key !== lastStatus.current) {
        lastStatus.current = key;
        // Re-render the server parts (timeline, totals, transfer details) for the new state.
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

  const { label, className } = describeOrderStatus(order);
  const { transfer, key: stepKey } = orderStatusKey(order);
  const partial = transfer && order.status === "PENDING" && order.amountReceived > 0;
  // A cancelled payment-link order is closed for good; the shop sends a new link if asked.
  const canRetry = (order.status === "FAILED" || order.status === "EXPIRED") && stepKey !== "LINK_CLOSED";

  return (
    <div className="flex flex-col gap-4">
      <div role="status" aria-live="polite" aria-atomic="true" className="flex flex-col gap-2">
        <span
          data-testid="order-status"
          className={`inline-block w-fit rounded-full px-3 py-1 text-sm font-semibold ${className}`}
        >
          {label}
        </span>
        {partial ? (
          <p data-testid="amount-received" className="font-semibold">
            {formatMoney(order.amountReceived, order.currency)} of {formatMoney(order.amountTotal, order.currency)}{" "}
            received
          </p>
        ) : null}
        <p>{transfer ? TRANSFER_STEP[stepKey] : NEXT_STEP[stepKey]}</p>
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
