import { NO_REQUEST } from "./context";
import type { Core } from "./core";
import { invalidRequest, resourceMissing } from "../api/errors";
import { emitEvent } from "./events";
import { newId } from "./ids";
import { DISPUTE_RESPONSE_WINDOW_S, type Dispute, emptyEvidence } from "./model/payments";

/** Simulates a cardholder dispute; only reachable through the control API, as in Stripe test mode. */
export function openDispute(
  core: Core,
  chargeId: string,
  input: { amount?: number | undefined; reason?: string | undefined },
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
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    reason: input.reason ?? "fraudulent",
    status: "needs_response",
  };
  core.store.disputes.set(dispute.id, dispute);
  charge.disputed = true;
  emitEvent(core, "charge.dispute.created", dispute, NO_REQUEST);
  // The disputed amount leaves the balance as the dispute opens.
  emitEvent(core, "charge.dispute.funds_withdrawn", dispute, NO_REQUEST);
  return dispute;
}

export function closeDispute(core: Core, disputeId: string, status: "won" | "lost"): Dispute {
  const dispute = core.store.disputes.get(disputeId);
  if (!dispute) throw resourceMissing("dispute", disputeId, "dispute");
  if (dispute.status === "won" || dispute.status === "lost") {
    throw invalidRequest(`Dispute ${dispute.id} is already closed (${dispute.status}).`);
  }
  dispute.status = status;
  // A won dispute gives the funds back before it closes.
  if (status === "won") emitEvent(core, "charge.dispute.funds_reinstated", dispute, NO_REQUEST);
  emitEvent(core, "charge.dispute.closed", dispute, NO_REQUEST);
  return dispute;
}
