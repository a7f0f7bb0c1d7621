/**
 * The Checkout Session a payment link opens for each shopper who follows its url. It is the
 * session `POST /v1/checkout/sessions` would open for the link's settings, validated the same
 * way, and it names the link in `payment_link`.
 */
import type { Core } from "../../domain/core";
import type { CheckoutSession } from "../../domain/model/checkout";
import type { PaymentLinkRecord } from "../../domain/model/payment-links";
import type { FormObject } from "../form-parser";
import { parseWith } from "../params";
import { createSessionParams } from "./checkout-params";
import { openSession } from "./checkout-sessions";

export function openLinkSession(core: Core, record: PaymentLinkRecord): CheckoutSession {
  return openSession(core, parseWith(createSessionParams, sessionParams(record)), record.link.id);
}

/**
 * What Stripe copies from the link: line items, payment methods, submit type, customer creation,
 * the redirect (as success_url, `{CHECKOUT_SESSION_ID}` left for the redirect to fill in), the
 * link's metadata (onto the session) and its payment_intent_data (onto the session's intent).
 */
function sessionParams({ link, lineItems }: PaymentLinkRecord): FormObject {
  const params: FormObject = {
    mode: "payment",
    line_items: lineItems.map((item) => ({ price: item.price.id, quantity: String(item.quantity) })),
    submit_type: link.submit_type,
    customer_creation: link.customer_creation,
    metadata: { ...link.metadata },
  };
  if (link.after_completion.type === "redirect") params.success_url = link.after_completion.redirect.url;
  if (link.payment_method_types) params.payment_method_types = [...link.payment_method_types];
  const intentData = link.payment_intent_data;
  if (intentData) {
    params.payment_intent_data = {
      metadata: { ...intentData.metadata },
      ...(intentData.description === null ? {} : { description: intentData.description }),
    };
  }
  return params;
}
