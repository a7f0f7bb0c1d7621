import { csvRow } from "@/lib/admin/csv";
import { parseOrderFilters } from "@/lib/admin/order-filters";
import { allOrders } from "@/lib/admin/orders-query";
import { requireAdminRoute } from "@/lib/auth/guard";
import { errorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const HEADER = [
  "order_id",
  "created_at",
  "email",
  "status",
  "payment_status",
  "currency",
  "amount_total_minor",
  "amount_refunded_minor",
  "channel",
  "payment_method",
  "amount_received_minor",
  "payment_due_at",
  "needs_review",
  "disputed",
  "stripe_checkout_session_id",
  "stripe_payment_intent_id",
];

// CSV of every order matching the list's current filters, streamed page by page.
export async function GET(request: Request) {
  const admin = await requireAdminRoute();
  if (admin instanceof Response) return admin;
  const parsed = parseOrderFilters(new URL(request.url).searchParams);
  if (!parsed.ok) return errorResponse("bad_request", parsed.message);
  const { cursor: _ignored, ...filters } = parsed.filters;
  const encoder = new TextEncoder();
  const pages = allOrders(filters);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    async pull(controller) {
      const next = await pages.next();
      if (next.done) return controller.close();
      const text = next.value
        .map((o) =>
          csvRow([
            o.id,
            o.createdAt.toISOString(),
            o.email,
            o.status,
            o.paymentStatus,
            o.currency,
            o.amountTotal,
            o.amountRefunded,
            o.channel,
            o.paymentMethod,
            o.amountReceived,
            o.paymentDueAt?.toISOString() ?? null,
            o.needsReview,
            o.disputed,
            o.stripeCheckoutSessionId,
            o.stripePaymentIntentId,
          ]),
        )
        .join("");
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="orders-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
