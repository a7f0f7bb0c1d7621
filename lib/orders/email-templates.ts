/**
 * The store's transactional emails. Pure functions from order facts to subject, text and
 * HTML; every dynamic value is escaped for HTML.
 */
import { formatMoney } from "@/lib/money";
import type { TransferAddress, TransferInstructions } from "@/lib/payments/types";
import type { EmailKind } from "./state-machine";

export type EmailOrder = {
  id: string;
  currency: string;
  amountTotal: number;
  amountRefunded: number;
  items: ReadonlyArray<{ name: string; unitAmount: number; quantity: number }>;
  /** When an unpaid bank transfer or payment link lapses. */
  paymentDueAt?: Date | null;
  /** Received so far towards a bank transfer. */
  amountReceived?: number;
  transferInstructions?: TransferInstructions | null;
  paymentLinkUrl?: string | null;
  /** The admin's note to the customer, on an order they created. */
  note?: string | null;
};

export type EmailLinks = { status: string; retry: string };

export type RenderedEmail = { subject: string; text: string; html: string };

const STORE = "Fieldnote Goods";

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function reference(order: EmailOrder): string {
  return order.id.slice(0, 8).toUpperCase();
}

function summary(order: EmailOrder): { text: string; html: string } {
  const lines = order.items.map(
    (i) => `${i.quantity} × ${i.name} — ${formatMoney(i.unitAmount * i.quantity, order.currency)}`,
  );
  const total = `Total: ${formatMoney(order.amountTotal, order.currency)}`;
  return {
    text: [...lines, total].join("\n"),
    html: `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul><p><strong>${escapeHtml(total)}</strong></p>`,
  };
}

type Copy = {
  subject: string;
  intro: string;
  action: { label: string; href: string };
  /** Lines shown between the intro and the order (bank details, a note). */
  details?: string[];
};

/** A due date as customers read it anywhere: day, month, year and time in UTC, named. */
export function formatDeadline(date: Date): string {
  return `${date.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" })} UTC`;
}

function addressLines(address: TransferAddress): string[] {
  if (address.kind === "iban")
    return [`Account holder: ${address.accountHolderName}`, `IBAN: ${address.iban}`, `BIC: ${address.bic}`];
  return [
    `Account holder: ${address.accountHolderName}`,
    `Bank: ${address.bankName}`,
    `Account number: ${address.accountNumber}`,
    `${address.kind === "swift" ? "SWIFT code" : "Routing number"}: ${address.routingNumber}`,
  ];
}

/** What to send, where, and by when: the lines a bank transfer email shows. */
export function transferLines(order: EmailOrder): string[] {
  const instructions = order.transferInstructions;
  if (!instructions) return [];
  const received = order.amountReceived ?? 0;
  const lines = [
    `Amount to send: ${formatMoney(instructions.amountRemaining, instructions.currency)}` +
      (received > 0
        ? ` (${formatMoney(received, order.currency)} of ${formatMoney(order.amountTotal, order.currency)} received)`
        : ""),
    ...(instructions.addresses[0] ? addressLines(instructions.addresses[0]) : []),
    `Reference: ${instructions.reference}`,
  ];
  if (order.paymentDueAt) lines.push(`Pay by: ${formatDeadline(order.paymentDueAt)}`);
  return lines;
}

function noteLines(order: EmailOrder): string[] {
  return order.note ? [`A note from us: ${order.note}`] : [];
}

function copyFor(kind: EmailKind, order: EmailOrder, links: EmailLinks): Copy {
  const ref = reference(order);
  switch (kind) {
    case "ORDER_CONFIRMATION":
      return {
        subject: `Your ${STORE} order ${ref} is confirmed`,
        intro: "Thank you! We have received your payment and are preparing your order.",
        action: { label: "View your order", href: links.status },
      };
    case "AWAITING_PAYMENT":
      return {
        subject: `Your direct debit for order ${ref} is on its way`,
        intro:
          "Your order is reserved. We are collecting the payment from your bank account by SEPA Direct Debit, which takes a few days to clear; we will email you as soon as it arrives.",
        action: { label: "Follow your order", href: links.status },
      };
    case "PAYMENT_FAILED":
      return {
        subject: `Payment for order ${ref} did not go through`,
        intro:
          "Your bank could not complete the payment, so the order is on hold. You can try again with the same items in one click.",
        action: { label: "Try the payment again", href: links.retry },
      };
    case "ORDER_LINK":
      return {
        subject: `Your link to ${STORE} order ${ref}`,
        intro: "You asked for a fresh link to your order. It works for 180 days; you can always ask for another.",
        action: { label: "View your order", href: links.status },
      };
    case "TRANSFER_INSTRUCTIONS":
      return {
        subject: `How to pay for order ${ref} by bank transfer`,
        intro:
          "Your items are reserved. Please send the amount below from your bank to this account, quoting the reference exactly, so we can match your payment. We will email you as soon as it arrives.",
        details: transferLines(order),
        action: { label: "See your order and these details", href: links.status },
      };
    case "PAYMENT_REMINDER":
      return {
        subject: `Reminder: order ${ref} is waiting for your payment`,
        intro: order.paymentLinkUrl
          ? `We have not received your payment yet. Your items stay reserved until ${order.paymentDueAt ? formatDeadline(order.paymentDueAt) : "the deadline"}; after that the order is cancelled.`
          : `We have not received your full bank transfer yet. Your items stay reserved until ${order.paymentDueAt ? formatDeadline(order.paymentDueAt) : "the deadline"}; after that the order is cancelled and anything you sent is returned.`,
        details: order.paymentLinkUrl ? [`Pay here: ${order.paymentLinkUrl}`] : transferLines(order),
        action: order.paymentLinkUrl
          ? { label: "Pay now", href: order.paymentLinkUrl }
          : { label: "See your order", href: links.status },
      };
    case "PAYMENT_EXPIRED":
      return {
        subject: `Order ${ref} was cancelled`,
        intro:
          "We did not receive your payment in time, so the order has been cancelled and the items released. Nothing more is owed. If you sent money, we will return it.",
        action: { label: "View your order", href: links.status },
      };
    case "PAYMENT_LINK":
      return {
        subject: `Your ${STORE} order ${ref} is ready to pay`,
        intro: `We have put together an order for you. You can pay it securely with the link below${order.paymentDueAt ? ` until ${formatDeadline(order.paymentDueAt)}` : ""}.`,
        details: [
          ...noteLines(order),
          ...(order.paymentLinkUrl ? [`Pay here: ${order.paymentLinkUrl}`] : []),
          `Follow your order: ${links.status}`,
        ],
        action: order.paymentLinkUrl
          ? { label: "Pay for your order", href: order.paymentLinkUrl }
          : { label: "View your order", href: links.status },
      };
    case "REFUND_NOTICE":
      return {
        subject: `Refund issued for order ${ref}`,
        intro: `We have refunded ${formatMoney(order.amountRefunded, order.currency)} to your original payment method. It may take a few days to appear.`,
        action: { label: "View your order", href: links.status },
      };
  }
}

/** Renders one email for an order. */
export function renderEmail(kind: EmailKind, order: EmailOrder, links: EmailLinks): RenderedEmail {
  const copy = copyFor(kind, order, links);
  const items = summary(order);
  const details = copy.details ?? [];
  const detailText = details.length ? `\n\n${details.join("\n")}` : "";
  const detailHtml = details.length
    ? `<p style="background:#f5f5f4;padding:12px;border-radius:6px;font-family:ui-monospace,monospace">${details.map(escapeHtml).join("<br>")}</p>`
    : "";
  const text = `${copy.intro}${detailText}\n\nOrder ${reference(order)}\n${items.text}\n\n${copy.action.label}: ${copy.action.href}\n\n— ${STORE}\n`;
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1c1917;max-width:560px">
<h1 style="font-size:20px">${escapeHtml(copy.subject)}</h1>
<p>${escapeHtml(copy.intro)}</p>
${detailHtml}
<h2 style="font-size:16px">Order ${escapeHtml(reference(order))}</h2>
${items.html}
<p><a href="${escapeHtml(copy.action.href)}" style="background:#0f5e5a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>
<p style="color:#57534e">— ${STORE}</p></body></html>`;
  return { subject: copy.subject, text, html };
}
