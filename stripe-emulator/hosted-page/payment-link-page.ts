/**
 * A payment link's page at `/b/:id`. As on Stripe, each visit opens a Checkout Session for the
 * link's line items and settings (as `POST /v1/checkout/sessions` would, naming the link in its
 * `payment_link`) and redirects the buyer to its hosted page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Core } from "../domain/core";
import { StripeApiError } from "../api/errors";
import { sendHtml, sendRedirect } from "../api/http";
import { openLinkSession } from "../api/resources/payment-link-sessions";
import { renderStatus } from "./render";

export function handlePaymentLinkPage(core: Core, req: IncomingMessage, res: ServerResponse, linkId: string): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendHtml(res, 405, renderStatus("Method not allowed", "Open this payment link with GET.", null));
    return;
  }
  core.scheduler.runDue();
  const record = core.store.paymentLinks.get(linkId);
  if (!record) {
    sendHtml(res, 404, renderStatus("Payment link not found", "This payment link is invalid.", null));
    return;
  }
  const { link, lineItems } = record;
  if (!link.active) {
    const message = link.inactive_message ?? "This link is no longer active. Contact the seller for a new one.";
    sendHtml(res, 410, renderStatus("This link is no longer active", message, null));
    return;
  }
  if (lineItems.some((item) => item.price.recurring !== null)) {
    sendHtml(
      res,
      501,
      renderStatus(
        "Subscriptions are not available",
        "This link sells a subscription; the emulator's checkout takes one-time payments only.",
        null,
      ),
    );
    return;
  }
  try {
    sendRedirect(res, core.pageUrl(openLinkSession(core, record).id));
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    sendHtml(res, error.status, renderStatus("Checkout not possible", error.message, null));
  }
}
