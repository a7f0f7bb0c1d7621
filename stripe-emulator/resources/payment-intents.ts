import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../api-types";
import { resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { expandParam, parseWith } from "../params";

const retrieveParams = z.strictObject({ expand: expandParam, client_secret: z.string().optional() });

export function registerPaymentIntents(router: ApiRouter): void {
  router
    .add("GET", "/v1/payment_intents/:id", retrieveIntent)
    .add("GET", "/v1/charges/:id", retrieveCharge)
    .add("GET", "/v1/disputes/:id", retrieveDispute);
}

function retrieveIntent(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const id = pathParam(ctx, "id");
  const intent = ctx.core.store.paymentIntents.get(id);
  if (!intent) throw resourceMissing("payment_intent", id, "intent");
  return applyExpand(ctx.core, intent, params.expand);
}

function retrieveCharge(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const id = pathParam(ctx, "id");
  const charge = ctx.core.store.charges.get(id);
  if (!charge) throw resourceMissing("charge", id, "charge");
  return applyExpand(ctx.core, charge, params.expand);
}

function retrieveDispute(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const id = pathParam(ctx, "id");
  const dispute = ctx.core.store.disputes.get(id);
  if (!dispute) throw resourceMissing("dispute", id, "dispute");
  return applyExpand(ctx.core, dispute, params.expand);
}
