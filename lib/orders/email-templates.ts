/**
 * The store's transactional emails. Pure functions from order facts to subject, text and
 * HTML; every dynamic value is escaped for HTML.
 */
import { formatMoney } from "@/lib/money";
import type { EmailKind } from "./state-machine";

export type EmailOrder = {
  id: string;
  currency: string;
  amountTotal: number;
  amountRefunded: number;
  items: ReadonlyArray<{ name: string; unitAmount: number; quantity: number }>;
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

type Copy = { subject: string; intro: string; action: { label: string; href: string } };

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
  const text = `${copy.intro}\n\nOrder ${reference(order)}\n${items.text}\n\n${copy.action.label}: ${copy.action.href}\n\n— ${STORE}\n`;
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#1c1917;max-width:560px">
<h1 style="font-size:20px">${escapeHtml(copy.subject)}</h1>
<p>${escapeHtml(copy.intro)}</p>
<h2 style="font-size:16px">Order ${escapeHtml(reference(order))}</h2>
${items.html}
<p><a href="${escapeHtml(copy.action.href)}" style="background:#0f5e5a;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(copy.action.label)}</a></p>
<p style="color:#57534e">— ${STORE}</p></body></html>`;
  return { subject: copy.subject, text, html };
}
