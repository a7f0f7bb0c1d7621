import { randomUUID } from "node:crypto";
import { formatTimestamp } from "@/lib/admin/format";
import { type AdminOrder } from "@/lib/admin/order-detail";
import { cancelLinkOrderAction, resendPaymentLinkAction } from "../../../_actions/link-orders";
import { ActionForm } from "../../../_components/action-form";
import { Panel } from "../../../_components/panel";
import { CopyButton } from "./copy-button";

type Order = AdminOrder["order"];

/** An order sent as a payment link: the link, when it went out, its deadline, and what to do with it. */
export function PaymentLinkPanel({ order }: { order: Order }) {
  if (order.channel !== "PAYMENT_LINK") return null;
  const open = order.status === "PENDING" && order.paymentStatus === "UNPAID";
  return (
    <Panel id="payment-link" title="Payment link" className="flex flex-col gap-3 text-sm">
      {order.paymentLinkUrl ? (
        <div className="flex flex-wrap items-center gap-3">
          <a
            href={order.paymentLinkUrl}
            data-testid="admin-payment-link"
            className="break-all font-mono underline underline-offset-2"
          >
            {order.paymentLinkUrl}
          </a>
          <CopyButton value={order.paymentLinkUrl} label="Copy the payment link" />
        </div>
      ) : (
        <p className="text-muted">No link was created for this order.</p>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-muted">Link sent on</dt>
        <dd>{order.linkSentAt ? formatTimestamp(order.linkSentAt) : "—"}</dd>
        <dt className="text-muted">Payment due by</dt>
        <dd>{order.paymentDueAt ? formatTimestamp(order.paymentDueAt) : "—"}</dd>
        <dt className="text-muted">Link</dt>
        <dd>{order.paymentLinkActive ? "takes payments" : "deactivated"}</dd>
        {order.note ? (
          <>
            <dt className="text-muted">Note</dt>
            <dd>{order.note}</dd>
          </>
        ) : null}
      </dl>
      {open ? (
        <div className="flex flex-wrap gap-6">
          <ActionForm
            action={resendPaymentLinkAction}
            fields={{ orderId: order.id, requestId: randomUUID() }}
            label="Resend link"
            confirm={`Email the payment link to ${order.email ?? "the customer"} again?`}
          />
          <ActionForm
            action={cancelLinkOrderAction}
            fields={{ orderId: order.id }}
            label="Cancel order"
            confirm="Deactivate the link, cancel the order and release its stock?"
            tone="danger"
          />
        </div>
      ) : (
        <p className="text-muted">
          {order.status === "PAID" || order.status === "REFUNDED"
            ? "Paid: the link can no longer be resent or cancelled."
            : "This order no longer waits for a payment through its link."}
        </p>
      )}
    </Panel>
  );
}
