import { randomUUID } from "node:crypto";
import { formatTimestamp } from "@/lib/admin/format";
import { type AdminOrder } from "@/lib/admin/order-detail";
import { formatMoney, minorUnitsPerMajor } from "@/lib/money";
import { refundOrderAction, resendEmailAction, resyncOrderAction } from "../../../_actions/orders";
import { ActionForm } from "../../../_components/action-form";
import { Panel } from "../../../_components/panel";

type Order = AdminOrder["order"];

/** What an admin can do to the order: refund it, resync it from Stripe, resend its emails. */
export function OrderActions({ order }: { order: Order }) {
  return (
    <Panel id="actions" title="Actions" className="grid gap-6 md:grid-cols-3" headingClassName="md:col-span-3">
      <RefundAction order={order} />
      <ResyncAction order={order} />
      <EmailActions order={order} />
    </Panel>
  );
}

/** A refund of up to what is left, offered only on paid orders with money left to refund. */
function RefundAction({ order }: { order: Order }) {
  const remaining = order.amountTotal - order.amountRefunded;
  const refundable = (order.status === "PAID" || order.status === "REFUNDED") && remaining > 0;
  const step = 1 / minorUnitsPerMajor(order.currency);
  return (
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
  );
}

function ResyncAction({ order }: { order: Order }) {
  return (
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
  );
}

/** The order's emails, each with a Resend button. */
function EmailActions({ order }: { order: Order }) {
  return (
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
  );
}
