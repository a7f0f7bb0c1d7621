import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import type { Core } from "../../domain/core";
import { invalidRequest, paymentDeclined, resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { newestFirst, paginate } from "../list";
import type { PaymentMethodRecord } from "../../domain/model/catalog";
import type { PaymentIntent } from "../../domain/model/payments";
import { createdFilterParam, expandParam, listParams, matchesCreated, parseWith } from "../params";
import {
  assertAccepts,
  cancelPaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
} from "../../domain/payment-intents";
import { findPaymentMethod } from "../../domain/payment-methods";
import { shippingFrom } from "./checkout-params";
import { resolveMethodTypes } from "./method-types";
import { cancelIntentParams, confirmIntentParams, createIntentParams } from "./payment-intent-params";

const listDisputeParams = z.strictObject({
  ...listParams,
  payment_intent: z.string().optional(),
  charge: z.string().optional(),
});

const retrieveParams = z.strictObject({ expand: expandParam, client_secret: z.string().optional() });

const listIntentParams = z.strictObject({ ...listParams, created: createdFilterParam.optional() });

const listChargeParams = z.strictObject({
  ...listParams,
  payment_intent: z.string().optional(),
  created: createdFilterParam.optional(),
});

export function registerPaymentIntents(router: ApiRouter): void {
  router
    .add("POST", "/v1/payment_intents", createIntent)
    .add("GET", "/v1/payment_intents", listIntents)
    .add("GET", "/v1/payment_intents/:id", retrieveIntent)
    .add("POST", "/v1/payment_intents/:id/confirm", confirmIntent)
    .add("POST", "/v1/payment_intents/:id/cancel", cancelIntent)
    .add("GET", "/v1/charges", listCharges)
    .add("GET", "/v1/charges/:id", retrieveCharge)
    .add("GET", "/v1/disputes", listDisputes)
    .add("GET", "/v1/disputes/:id", retrieveDispute);
}

function createIntent(ctx: ApiContext): object {
  const p = parseWith(createIntentParams, ctx.params);
  const { core } = ctx;
  if (p.capture_method === "manual") {
    throw invalidRequest(
      "The emulator does not support capture_method=manual: payments are captured when they succeed (automatic or automatic_async).",
      { param: "capture_method" },
    );
  }
  if (p.payment_method_types !== undefined && p.automatic_payment_methods !== undefined) {
    throw invalidRequest(
      "You may only specify one of these parameters: automatic_payment_methods, payment_method_types.",
      { param: "automatic_payment_methods" },
    );
  }
  if (!p.confirm) {
    for (const param of ["return_url", "off_session"] as const) {
      if (p[param] !== undefined) {
        throw invalidRequest(`You can only pass ${param} when confirm is true.`, { param });
      }
    }
  }
  const types = resolveMethodTypes(p.currency, p);
  const method = p.payment_method === undefined ? null : methodOrThrow(core, p.payment_method);
  if (method) assertAccepts(types, method);
  if (p.confirm && !method) {
    throw invalidRequest("Missing required param: payment_method (confirm=true needs a payment method).", {
      param: "payment_method",
      code: "parameter_missing",
    });
  }
  const intent = createPaymentIntent(
    core,
    {
      customer: null,
      amount: p.amount,
      currency: p.currency,
      allowed_payment_method_types: p.allowed_payment_method_types ?? null,
      excluded_payment_method_types: p.excluded_payment_method_types ?? null,
      // This API version turns automatic payment methods on unless the types are listed.
      automatic_payment_methods:
        p.payment_method_types === undefined
          ? {
              allow_redirects: p.automatic_payment_methods?.allow_redirects ?? "always",
              enabled: p.automatic_payment_methods?.enabled ?? true,
            }
          : null,
      capture_method: p.capture_method ?? "automatic_async",
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      payment_method: method?.paymentMethod.id ?? null,
      payment_method_types: types,
      receipt_email: p.receipt_email ?? null,
      setup_future_usage: p.setup_future_usage ?? null,
      shipping: shippingFrom(p.shipping),
    },
    ctx.meta,
  );
  if (p.confirm) confirmOrDecline(ctx, intent, method);
  return applyExpand(core, intent, p.expand);
}

function confirmIntent(ctx: ApiContext): object {
  const p = parseWith(confirmIntentParams, ctx.params);
  const intent = intentOrThrow(ctx.core, pathParam(ctx, "id"));
  const method = p.payment_method === undefined ? null : methodOrThrow(ctx.core, p.payment_method);
  if (p.receipt_email !== undefined) intent.receipt_email = p.receipt_email;
  confirmOrDecline(ctx, intent, method);
  return applyExpand(ctx.core, intent, p.expand);
}

function cancelIntent(ctx: ApiContext): object {
  const p = parseWith(cancelIntentParams, ctx.params);
  const intent = intentOrThrow(ctx.core, pathParam(ctx, "id"));
  cancelPaymentIntent(ctx.core, intent, p.cancellation_reason, ctx.meta);
  return applyExpand(ctx.core, intent, p.expand);
}

/** A declined card answers 402 with the failed charge and the intent, as Stripe does. */
function confirmOrDecline(ctx: ApiContext, intent: PaymentIntent, method: PaymentMethodRecord | null): void {
  const attempt = confirmPaymentIntent(ctx.core, intent, method, ctx.meta);
  if (attempt.kind === "declined") throw paymentDeclined(attempt.error, attempt.charge.id, intent);
}

function intentOrThrow(core: Core, id: string): PaymentIntent {
  const intent = core.store.paymentIntents.get(id);
  if (!intent) throw resourceMissing("payment_intent", id, "intent");
  return intent;
}

function methodOrThrow(core: Core, id: string): PaymentMethodRecord {
  const method = findPaymentMethod(core, id);
  if (!method) throw resourceMissing("payment_method", id, "payment_method");
  return method;
}

function retrieveIntent(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  return applyExpand(ctx.core, intentOrThrow(ctx.core, pathParam(ctx, "id")), params.expand);
}

function listIntents(ctx: ApiContext): object {
  const params = parseWith(listIntentParams, ctx.params);
  const page = paginate(
    newestFirst(ctx.core.store.paymentIntents.values()),
    (pi) => matchesCreated(pi.created, params.created),
    params,
    "/v1/payment_intents",
    "payment_intent",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function listCharges(ctx: ApiContext): object {
  const params = parseWith(listChargeParams, ctx.params);
  const page = paginate(
    newestFirst(ctx.core.store.charges.values()),
    (ch) =>
      (params.payment_intent === undefined || ch.payment_intent === params.payment_intent) &&
      matchesCreated(ch.created, params.created),
    params,
    "/v1/charges",
    "charge",
  );
  return applyExpand(ctx.core, page, params.expand);
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
