import { NO_REQUEST } from "./context";
import type { Core } from "./core";
import { invalidRequest, resourceMissing } from "../api/errors";
import { emitEvent } from "./events";
import { newId } from "./ids";
import type { PaymentMethodRecord } from "./model/catalog";
import { DISPUTE_RESPONSE_WINDOW_S, type Dispute, emptyEvidence } from "./model/payments";

/** Simulates a cardholder dispute: from the control API, or after a payment with a dispute test card. */
export function openDispute(
  core: Core,
  chargeId: string,
  input: { amount?: number | undefined; reason?: string | undefined; inquiry?: boolean | undefined },
): Dispute {
  const charge = core.store.charges.get(chargeId);
  if (!charge) throw resourceMissing("charge", chargeId, "charge");
  if (charge.status !== "succeeded")
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be disputed.`);
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`);
  const amount = input.amount ?? charge.amount - charge.amount_refunded;
  if (amount <= 0 || amount > charge.amount)
    throw invalidRequest("The dispute amount is out of range.", { param: "amount" });
  const dispute: Dispute = {
    id: newId("dp"),
    object: "dispute",
    amount,
    balance_transactions: [],
    charge: charge.id,
    created: core.clock.now(),
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: core.clock.now() + DISPUTE_RESPONSE_WINDOW_S,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: "not_submitted",
    },
    intended_submission_method: null,
    // An inquiry has taken no money yet, so the charge can still be refunded.
    is_charge_refundable: input.inquiry === true,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: input.reason ?? "fraudulent",
    status: input.inquiry ? "warning_needs_response" : "needs_response",
  };
  core.store.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  emitEvent(core, "charge.dispute.created", dispute, NO_REQUEST);
  // The disputed amount leaves the balance as a chargeback opens; an inquiry moves no money.
  if (!input.inquiry) emitEvent(core, "charge.dispute.funds_withdrawn", dispute, NO_REQUEST);
  return dispute;
}

/** The dispute tests cards such as `pm_card_createDispute` bring, once their payment has succeeded. */
export function openTestCardDispute(core: Core, method: PaymentMethodRecord, chargeId: string | null): void {
  const behavior = method.behavior;
  if (behavior.outcome !== "succeed" || !behavior.dispute || chargeId === null) return;
  openDispute(core, chargeId, behavior.dispute);
}

export function closeDispute(core: Core, disputeId: string, status: "won" | "lost"): Dispute {
  const dispute = core.store.disputes.get(disputeId);
  if (!dispute) throw resourceMissing("dispute", disputeId, "dispute");
  if (dispute.status === "won" || dispute.status === "lost" || dispute.status === "warning_closed") {
    throw invalidRequest(`Dispute ${dispute.id} is already closed (${dispute.status}).`);
  }
  if (dispute.status === "warning_needs_response") {
    // An inquiry either closes without a chargeback or escalates into one, which the emulator does not simulate.
    if (status === "lost") {
      throw invalidRequest(`Dispute ${dispute.id} is an inquiry: it can only close as won (warning_closed).`);
    }
    dispute.status = "warning_closed";
    emitEvent(core, "charge.dispute.closed", dispute, NO_REQUEST);
    return dispute;
  }
  dispute.status = status;
  // A won dispute gives the funds back before it closes.
  if (status === "won") emitEvent(core, "charge.dispute.funds_reinstated", dispute, NO_REQUEST);
  emitEvent(core, "charge.dispute.closed", dispute, NO_REQUEST);
  return dispute;
}
