import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { newestFirst, paginate } from "../list";
import { expandParam, listParams, parseWith } from "../params";

const listDisputeParams = z.strictObject({
  ...listParams,
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
});

const retrieveParams = z.strictObject({ expand: expandParam, client_secret: z.string().optional() });

export function registerPaymentIntents(router: ApiRouter): void {
  router
    .add("GET", "/v1/payment_intents/:id", retrieveIntent)
    .add("GET", "/v1/charges/:id", retrieveCharge)
    .add("GET", "/v1/disputes", listDisputes)
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

function listDisputes(ctx: ApiContext): object {
  const params = parseWith(listDisputeParams, ctx.params);
  const page = paginate(
    newestFirst(ctx.core.store.disputes.values()),
    (d) =>
      (params.payment_intent === undefined || d.payment_intent === params.payment_intent) &&
      (params.charge === undefined || d.charge === params.charge),
    params,
    "/v1/disputes",
    "dispute",
  );
  return applyExpand(ctx.core, page, params.expand);
}
