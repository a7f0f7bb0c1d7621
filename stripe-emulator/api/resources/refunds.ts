import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import type { RequestMeta } from "../../domain/context";
import type { Core } from "../../domain/core";
import { invalidRequest, resourceMissing } from "../errors";
import { emitEvent } from "../../domain/events";
import { applyExpand } from "../expand";
import { newId } from "../../domain/ids";
import { newestFirst, paginate } from "../list";
import type { Charge, Refund } from "../../domain/model/payments";
import { expandParam, intParam, listParams, metadataParam, parseWith } from "../params";

const createParams = z.strictObject({
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
  amount: intParam().optional(),
  reason: z.enum(["duplicate", "fraudulent", "requested_by_customer"]).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

const listRefundParams = z.strictObject({
  ...listParams,
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
});

export function registerRefunds(router: ApiRouter): void {
  router.add("POST", "/v1/refunds", create).add("GET", "/v1/refunds", list).add("GET", "/v1/refunds/:id", retrieve);
}

function create(ctx: ApiContext): object {
  const params = parseWith(createParams, ctx.params);
  const charge = findCharge(ctx.core, params.payment_intent, params.charge);
  const refund = refundCharge(ctx.core, charge, params, ctx.meta);
  return applyExpand(ctx.core, refund, params.expand);
}

function findCharge(core: Core, paymentIntentId: string | undefined, chargeId: string | undefined): Charge {
  if (paymentIntentId === undefined && chargeId === undefined) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.");
  }
  let charge: Charge | undefined;
  if (chargeId !== undefined) {
    charge = core.store.charges.get(chargeId);
    if (!charge) throw resourceMissing("charge", chargeId, "charge");
  }
  if (paymentIntentId !== undefined) {
    const intent = core.store.paymentIntents.get(paymentIntentId);
    if (!intent) throw resourceMissing("payment_intent", paymentIntentId, "payment_intent");
    if (charge && charge.payment_intent !== intent.id) {
      throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${intent.id}.`, { param: "charge" });
    }
    charge ??= intent.latest_charge ? core.store.charges.get(intent.latest_charge) : undefined;
    if (!charge || charge.status !== "succeeded") {
      throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, {
        param: "payment_intent",
      });
    }
  }
  if (!charge) throw invalidRequest("No charge to refund.");
  if (charge.status !== "succeeded") {
    throw invalidRequest(`Charge ${charge.id} has not succeeded and cannot be refunded.`, { param: "charge" });
  }
  return charge;
}

/** Never refunds more than remains: Stripe's two distinct errors for "nothing left" and "too much". */
function refundCharge(
  core: Core,
  charge: Charge,
  params: {
    amount?: number | undefined;
    reason?: Refund["reason"] | undefined;
    metadata?: Record<string, string> | undefined;
  },
  meta: RequestMeta,
): Refund {
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  }
  const amount = params.amount ?? remaining;
  if (amount <= 0) throw invalidRequest("Refund amount must be a positive integer.", { param: "amount" });
  if (amount > remaining) {
    throw invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`, {
      param: "amount",
      code: "amount_too_large",
    });
  }
  const refund: Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: core.clock.now(),
    currency: charge.currency,
    customer: null,
    customer_account: null,
    metadata: params.metadata ?? {},
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: params.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
  core.store.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  emitEvent(core, "charge.refunded", charge, meta);
  emitEvent(core, "refund.created", refund, meta);
  return refund;
}

function list(ctx: ApiContext): object {
  const params = parseWith(listRefundParams, ctx.params);
  const page = paginate(
    newestFirst(ctx.core.store.refunds.values()),
    (r) =>
      (params.payment_intent === undefined || r.payment_intent === params.payment_intent) &&
      (params.charge === undefined || r.charge === params.charge),
    params,
    "/v1/refunds",
    "refund",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(z.strictObject({ expand: expandParam }), ctx.params);
  const id = pathParam(ctx, "id");
  const refund = ctx.core.store.refunds.get(id);
  if (!refund) throw resourceMissing("refund", id, "refund");
  return applyExpand(ctx.core, refund, params.expand);
}
