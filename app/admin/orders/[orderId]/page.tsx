import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatTimestamp } from "@/lib/admin/format";
import { loadAdminOrder } from "@/lib/admin/order-detail";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatMoney, minorUnitsPerMajor } from "@/lib/money";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { refundOrderAction, resendEmailAction, resyncOrderAction } from "../../_actions/orders";
import { ActionForm } from "../../_components/action-form";
import { Badge } from "../../_components/badge";
import { LiveRefresh } from "../../_components/live-refresh";
import { Panel } from "../../_components/panel";
import { RawEvent } from "../../_components/raw-event";
import { isUuid } from "@/lib/orders/ids";
import { adminOrderPath } from "@/lib/orders/links";

export const dynamic = "force-dynamic";
export const metadata = { title: "Order" };

const KIND_LABEL = {
  order: "Order",
  checkout: "Checkout",
  event: "Webhook",
  ledger: "Ledger",
  email: "Email",
  audit: "Admin",
};

export default async function AdminOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  await requireAdminPage(adminOrderPath(orderId));
  const loaded = isUuid(orderId) ? await loadAdminOrder(orderId) : null;
  if (!loaded) notFound();
  const { order, timeline } = loaded;
  const remaining = order.amountTotal - order.amountRefunded;
  const refundable = (order.status === "PAID" || order.status === "REFUNDED") && remaining > 0;
  const step = 1 / minorUnitsPerMajor(order.currency);

  return (
    <div className="flex flex-col gap-6">
      <LiveRefresh orderId={order.id} />
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-bold tracking-tight">
          Order <span className="font-mono">{order.id.slice(0, 8)}</span>
        </h1>
        <span aria-live="polite" data-testid="admin-order-status">
          <OrderStatusBadge status={order.status} paymentStatus={order.paymentStatus} />
        </span>
        {order.paymentStatus === "PARTIALLY_REFUNDED" ? <Badge tone="violet">Partially refunded</Badge> : null}
        {order.needsReview ? <Badge tone="amber">Needs review: {order.reviewReason}</Badge> : null}
        {order.disputed ? <Badge tone="red">Disputed</Badge> : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Panel id="summary" title="Items and amounts" className="lg:col-span-2">
          <table className="mt-3 w-full text-left text-sm">
            <caption className="sr-only">Items</caption>
            <thead>
              <tr className="border-b border-stone-200">
                <th scope="col" className="py-1">
                  Item
                </th>
                <th scope="col" className="py-1">
                  Qty
                </th>
                <th scope="col" className="py-1 text-right">
                  Price
                </th>
                <th scope="col" className="py-1 text-right">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.items.map((i) => (
                <tr key={i.id} className="border-b border-stone-100">
                  <td className="py-1">{i.name}</td>
                  <td className="py-1">{i.quantity}</td>
                  <td className="py-1 text-right">{formatMoney(i.unitAmount, order.currency)}</td>
                  <td className="py-1 text-right">{formatMoney(i.unitAmount * i.quantity, order.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">Total</dt>
            <dd className="text-right font-semibold">{formatMoney(order.amountTotal, order.currency)}</dd>
            <dt className="text-muted">Refunded</dt>
            <dd className="text-right" data-testid="admin-order-refunded">
              {formatMoney(order.amountRefunded, order.currency)}
            </dd>
            <dt className="text-muted">Payment</dt>
            <dd className="text-right">{order.paymentStatus.toLowerCase().replaceAll("_", " ")}</dd>
          </dl>
        </Panel>
        <Panel id="customer" title="Customer and payment" className="text-sm">
          <dl className="mt-3 flex flex-col gap-1">
            <dt className="text-muted">Email</dt>
            <dd>{order.email ?? "—"}</dd>
            <dt className="text-muted">Placed</dt>
            <dd>{formatTimestamp(order.createdAt)}</dd>
            <dt className="text-muted">Paid</dt>
            <dd>{order.paidAt ? formatTimestamp(order.paidAt) : "—"}</dd>
            <dt className="text-muted">Checkout session</dt>
            <dd className="break-all font-mono">{order.stripeCheckoutSessionId ?? "—"}</dd>
            <dt className="text-muted">Payment intent</dt>
            <dd className="break-all font-mono">{order.stripePaymentIntentId ?? "—"}</dd>
          </dl>
        </Panel>
      </div>

      <Panel id="actions" title="Actions" className="grid gap-6 md:grid-cols-3" headingClassName="md:col-span-3">
        <div>
          <h3 className="font-semibold">Refund</h3>
          {refundable ? (
            <ActionForm
              action={refundOrderAction}
              fields={{ orderId: order.id, requestId: randomUUID() }}
              label="Refund…"
              confirm="Send this refund to Stripe?"
              tone="danger"
            >
              <label className="flex flex-col gap-1 text-sm font-medium">
                Amount ({order.currency.toUpperCase()}), at most {formatMoney(remaining, order.currency)}
                <input
                  name="amount"
                  inputMode="decimal"
                  required
                  defaultValue={(remaining * step).toFixed(step === 1 ? 0 : 2)}
                  className="w-40 rounded-md border border-stone-300 px-2 py-1.5"
                />
              </label>
            </ActionForm>
          ) : (
            <p className="text-sm text-muted">Only paid orders with money left to refund can be refunded.</p>
          )}
        </div>
        <div>
          <h3 className="font-semibold">Resync</h3>
          <p className="mb-2 text-sm text-muted">Read this order&apos;s payment from Stripe again and apply it.</p>
          <ActionForm
            action={resyncOrderAction}
            fields={{ orderId: order.id }}
            label="Resync from Stripe"
            confirm="Resync this order from Stripe?"
          />
        </div>
        <div>
          <h3 className="font-semibold">Emails</h3>
          {order.emails.length === 0 ? <p className="text-sm text-muted">No emails yet.</p> : null}
          <ul className="flex flex-col gap-3">
            {order.emails.map((m) => (
              <li key={m.id} className="text-sm">
                <span className="block">{m.subject}</span>
                <span className="block text-muted">
                  {m.status.toLowerCase()} · {formatTimestamp(m.sentAt ?? m.createdAt)}
                </span>
                <ActionForm
                  action={resendEmailAction}
                  fields={{ orderId: order.id, emailId: m.id, requestId: randomUUID() }}
                  label="Resend"
                  confirm={`Send “${m.subject}” to ${m.to} again?`}
                />
              </li>
            ))}
          </ul>
        </div>
      </Panel>

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
      <Link href="/admin/orders" className="text-sm underline underline-offset-2">
        ← All orders
      </Link>
    </div>
  );
}
