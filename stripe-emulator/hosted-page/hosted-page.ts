/**
 * The hosted checkout page at `/c/pay/:id`. Plain HTML forms posting back here, so it works
 * without JavaScript; payments go through the same `paySession` as the control API.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { NO_REQUEST } from "../domain/context";
import type { Core } from "../domain/core";
import { StripeApiError } from "../api/errors";
import { FormParseError, parseForm } from "../api/form-parser";
import { formSchema, validateForm } from "./form";
import { renderCheckout, renderStatus, type CheckoutView, type FormValues } from "./render";
import { readBody, sendHtml, sendRedirect } from "../api/http";
import type { CheckoutSession, SessionRecord } from "../domain/model/checkout";
import { createPaymentMethod, emptyBilling } from "../domain/payment-methods";
import { paySession } from "../domain/payments";
import type { PaymentIntent } from "../domain/model/payments";
import { renderInstructions } from "./bank-transfer-page";
import { EXPIRY_SCRIPT_SOURCE } from "./expiry-script";

export async function handleHostedPage(core: Core, req: IncomingMessage, res: ServerResponse, sessionId: string) {
  core.scheduler.runDue();
  const record = core.store.sessions.get(sessionId);
  if (!record) {
    sendHtml(res, 404, renderStatus("Checkout session not found", "This payment link is invalid.", null));
    return;
  }
  if (req.method === "POST") {
    await handlePost(core, req, res, record);
    return;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendHtml(res, 405, renderStatus("Method not allowed", "Use the payment form on this page.", null));
    return;
  }
  if (record.session.status !== "open") {
    const transfer = waitingTransfer(core, record.session);
    sendHtml(
      res,
      200,
      transfer ? renderInstructions(transfer, successUrl(record.session)) : statusPage(core, record.session),
    );
    return;
  }
  sendCheckout(res, 200, view(core, record, {}, {}, null));
}

async function handlePost(core: Core, req: IncomingMessage, res: ServerResponse, record: SessionRecord) {
  let values: FormValues;
  try {
    const parsed = formSchema.safeParse(parseForm(await readBody(req)));
    if (!parsed.success) throw new FormParseError("Malformed form submission.");
    values = parsed.data;
  } catch (error) {
    if (!(error instanceof FormParseError)) throw error;
    sendHtml(res, 400, renderStatus("Invalid request", error.message, null));
    return;
  }
  const { session } = record;
  if (session.status !== "open") {
    sendHtml(res, 409, statusPage(core, session));
    return;
  }
  const validation = validateForm(values, session, core.clock.now());
  if (!validation.ok) {
    sendCheckout(res, 400, view(core, record, values, validation.errors, null));
    return;
  }
  const { input, payer } = validation;
  try {
    const method = createPaymentMethod(core, input, emptyBilling(payer.email, payer.name));
    const result = paySession(core, session.id, method, payer, NO_REQUEST);
    if (result.kind === "declined") {
      sendCheckout(res, 402, view(core, record, values, {}, result.error.message));
      return;
    }
    const target = successUrl(result.session);
    const transfer = result.kind === "requires_action" ? waitingTransfer(core, result.session) : undefined;
    if (transfer) sendHtml(res, 200, renderInstructions(transfer, target));
    else if (target) sendRedirect(res, target);
    else sendHtml(res, 200, statusPage(core, result.session));
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    sendHtml(res, error.status, renderStatus("Payment not possible", error.message, null));
  }
}

/** The payment form, with the CSP allowing its expiry formatting script. */
function sendCheckout(res: ServerResponse, status: number, checkout: CheckoutView): void {
  sendHtml(res, status, renderCheckout(checkout), [EXPIRY_SCRIPT_SOURCE]);
}

function view(
  core: Core,
  record: SessionRecord,
  values: FormValues,
  fieldErrors: CheckoutView["fieldErrors"],
  alert: string | null,
): CheckoutView {
  return {
    businessName: core.options.businessName,
    session: record.session,
    lineItems: record.lineItems,
    products: core.store.products,
    values,
    fieldErrors,
    alert,
  };
}

/** The session's PaymentIntent while it waits for the shopper's bank transfer. */
function waitingTransfer(core: Core, session: CheckoutSession): PaymentIntent | undefined {
  const intent = session.payment_intent ? core.store.paymentIntents.get(session.payment_intent) : undefined;
  return intent?.next_action ? intent : undefined;
}

/** Stripe substitutes the template literally, leaving the rest of the URL untouched. */
export function successUrl(session: CheckoutSession): string | null {
  return session.success_url ? session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id) : null;
}

function statusPage(core: Core, session: CheckoutSession): string {
  const success = { href: successUrl(session), label: "Continue" };
  if (session.status === "expired") {
    return renderStatus("This checkout session has expired", "Return to the store and start checkout again.", {
      href: session.cancel_url,
      label: "Return to the store",
    });
  }
  if (session.payment_status === "unpaid") {
    return renderStatus(
      "Payment processing",
      "Your bank debit has been submitted. You will be notified once it completes.",
      success,
    );
  }
  return renderStatus(
    "Payment complete",
    confirmationMessage(core, session) ?? "Thank you! This checkout session has already been paid.",
    success,
  );
}

/** The custom message of the payment link's hosted confirmation, which Stripe shows after payment. */
function confirmationMessage(core: Core, session: CheckoutSession): string | null {
  const link = session.payment_link ? core.store.paymentLinks.get(session.payment_link)?.link : undefined;
  return link?.after_completion.type === "hosted_confirmation"
    ? link.after_completion.hosted_confirmation.custom_message
    : null;
}
