import { describePayment, formatTimestamp } from "@/lib/admin/format";
import { type AdminOrder } from "@/lib/admin/order-detail";
import { formatMoney } from "@/lib/money";
import { Panel } from "../../../_components/panel";

type Order = AdminOrder["order"];

/** What was bought, the total, what was refunded and where the payment stands. */
export function ItemsAndAmounts({ order }: { order: Order }) {
  return (
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
        <dt className="text-muted">Paid by</dt>
        <dd className="text-right">{describePayment(order).method}</dd>
        <dt className="text-muted">Received</dt>
        <dd className="text-right" data-testid="admin-order-received">
          {formatMoney(order.amountReceived, order.currency)}
        </dd>
        {order.amountUnapplied > 0 ? (
          <>
            <dt className="text-muted">On the customer&apos;s cash balance</dt>
            <dd className="text-right font-semibold text-amber-900">
              {formatMoney(order.amountUnapplied, order.currency)}
            </dd>
          </>
        ) : null}
        {order.paymentDueAt && order.status === "PENDING" ? (
          <>
            <dt className="text-muted">Due by</dt>
            <dd className="text-right">{formatTimestamp(order.paymentDueAt)}</dd>
          </>
        ) : null}
      </dl>
    </Panel>
  );
}

/** Who placed the order, when, and its Stripe references. */
export function CustomerAndPayment({ order }: { order: Order }) {
  return (
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
        {order.stripeCustomerId ? (
          <>
            <dt className="text-muted">Stripe customer</dt>
            <dd className="break-all font-mono">{order.stripeCustomerId}</dd>
          </>
        ) : null}
      </dl>
    </Panel>
  );
}
