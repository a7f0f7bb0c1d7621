/**
 * A payment link's page at `/b/:id`. As on Stripe, each visit opens a Checkout Session for the
 * link's line items (through the same `POST /v1/checkout/sessions` handler the API serves) and
 * redirects the buyer to its hosted page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { NO_REQUEST } from "../domain/context";
import type { Core } from "../domain/core";
import { StripeApiError } from "../api/errors";
import type { FormObject } from "../api/form-parser";
import { sendHtml, sendRedirect } from "../api/http";
import type { ApiRouter } from "../api/types";
import type { PaymentLinkRecord } from "../domain/model/payment-links";
import { renderStatus } from "./render";

const openedSession = z.object({ id: z.string() });

export function handlePaymentLinkPage(
  core: Core,
  api: ApiRouter,
  req: IncomingMessage,
  res: ServerResponse,
  linkId: string,
): void {
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
  const create = api.match("POST", "/v1/checkout/sessions");
  if (create.kind === "not_found") throw new Error("The Checkout Sessions API is not registered.");
  try {
    const opened = create.handler({ core, params: sessionParams(record), path: {}, meta: NO_REQUEST });
    sendRedirect(res, core.pageUrl(openedSession.parse(opened).id));
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    sendHtml(res, error.status, renderStatus("Checkout not possible", error.message, null));
  }
}

/** The session Stripe opens for a link: its line items, payment methods, submit type and redirect. */
function sessionParams({ link, lineItems }: PaymentLinkRecord): FormObject {
  const params: FormObject = {
    mode: "payment",
    line_items: lineItems.map((item) => ({ price: item.price.id, quantity: String(item.quantity) })),
    submit_type: link.submit_type,
  };
  if (link.after_completion.type === "redirect") params.success_url = link.after_completion.redirect.url;
  if (link.payment_method_types) params.payment_method_types = [...link.payment_method_types];
  return params;
}
