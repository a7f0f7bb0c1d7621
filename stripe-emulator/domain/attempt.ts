import { invalidRequest } from "../api/errors";
import { startBankTransfer } from "./bank-transfers";
import { createCharge, markSucceeded } from "./charges";
import type { RequestMeta } from "./context";
import type { Core } from "./core";
import { emitEvent } from "./events";
import type { PaymentMethodRecord } from "./model/catalog";
import type { Charge, PaymentError, PaymentIntent } from "./model/payments";

export type Attempt =
  | { kind: "succeeded" | "processing"; charge: Charge }
  | { kind: "declined"; charge: Charge; error: PaymentError }
  | { kind: "requires_action" };

/**
 * One confirmation of a PaymentIntent with a payment method, the same for Checkout and the
 * PaymentIntents API: a card succeeds or is declined at once, a debit starts processing and
 * settles after the delay (`sessionId` says which Checkout Session, if any, hears of it then).
 */
export function attemptPayment(
  core: Core,
  intent: PaymentIntent,
  method: PaymentMethodRecord,
  sessionId: string | null,
  meta: RequestMeta,
): Attempt {
  const pm = method.paymentMethod;
  intent.payment_method = pm.id;
  const behavior = method.behavior;
  switch (behavior.outcome) {
    case "succeed": {
      const charge = createCharge(core, intent, method, "succeeded");
      markSucceeded(intent);
      emitEvent(core, "payment_intent.succeeded", intent, meta);
      emitEvent(core, "charge.succeeded", charge, meta);
      return { kind: "succeeded", charge };
    }
    case "decline": {
      const error: PaymentError = {
        type: "card_error",
        code: behavior.code,
        ...(behavior.declineCode ? { decline_code: behavior.declineCode } : {}),
        message: behavior.message,
        payment_method: pm,
      };
      const charge = createCharge(core, intent, method, "failed", {
        code: behavior.code,
        message: behavior.message,
        declineCode: behavior.declineCode ?? undefined,
      });
      intent.status = "requires_payment_method";
      intent.last_payment_error = error;
      emitEvent(core, "charge.failed", charge, meta);
      emitEvent(core, "payment_intent.payment_failed", intent, meta);
      return { kind: "declined", charge, error };
    }
    case "async_succeed":
    case "async_fail": {
      const charge = createCharge(core, intent, method, "pending");
      intent.status = "processing";
      intent.last_payment_error = null;
      emitEvent(core, "payment_intent.processing", intent, meta);
      emitEvent(core, "charge.pending", charge, meta);
      core.store.settlements.push({
        paymentIntentId: intent.id,
        sessionId,
        outcome: behavior.outcome === "async_succeed" ? "succeeded" : "failed",
        dueAtMs: core.clock.nowMs() + core.settings.asyncDelaySeconds * 1000,
      });
      core.changed();
      return { kind: "processing", charge };
    }
    case "bank_transfer": {
      const options = intent.payment_method_options?.customer_balance;
      if (!options || intent.customer === null) {
        throw invalidRequest("A bank transfer needs a customer and payment_method_options[customer_balance].", {
          param: "payment_method_options[customer_balance]",
        });
      }
      startBankTransfer(core, intent, intent.customer, options, meta);
      return { kind: "requires_action" };
    }
  }
}
