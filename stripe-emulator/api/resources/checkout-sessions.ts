import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import type { Core } from "../../domain/core";
import { MAX_SESSION_LIFETIME_S, MIN_SESSION_LIFETIME_S } from "../../constants";
import { invalidRequest } from "../errors";
import { applyExpand } from "../expand";
import { newId } from "../../domain/ids";
import { newestFirst, paginate } from "../list";
import type { CheckoutSession, IntentData } from "../../domain/model/checkout";
import { featuresNotRun, sessionStatusSchema } from "../../domain/model/checkout";
import {
  createdFilterParam,
  exclusiveParams,
  expandParam,
  listParams,
  matchesCreated,
  missingParam,
  parseWith,
} from "../params";
import { requireCustomer } from "../../domain/customers";
import { resolveCustomerBalanceOptions } from "./bank-transfer-options";
import { expireSession } from "../../domain/payments";
import { presentSession, requireSession } from "../../domain/present";
import { createSessionParams, shippingFrom, type CreateSessionParams } from "./checkout-params";
import { updateSession } from "./checkout-session-update";
import { buildLineItems } from "./line-items";
import { resolveMethodTypes } from "./method-types";

const EXPIRY_GRACE_S = 60;

const retrieveParams = z.strictObject({ expand: expandParam });

const listSessionParams = z.strictObject({
  ...listParams,
  payment_intent: z.string().optional(),
  payment_link: z.string().optional(),
  status: sessionStatusSchema.optional(),
  created: createdFilterParam.optional(),
});

const lineItemListParams = z.strictObject(listParams);

export function registerCheckoutSessions(router: ApiRouter): void {
  router
    .add("POST", "/v1/checkout/sessions", create)
    .add("GET", "/v1/checkout/sessions", list)
    .add("GET", "/v1/checkout/sessions/:id", retrieve)
    .add("POST", "/v1/checkout/sessions/:id", updateSession)
    .add("GET", "/v1/checkout/sessions/:id/line_items", lineItems)
    .add("POST", "/v1/checkout/sessions/:id/expire", expire);
}

function create(ctx: ApiContext): object {
  const params = parseWith(createSessionParams, ctx.params);
  return applyExpand(ctx.core, openSession(ctx.core, params, null), params.expand);
}

/** Opens a session as `POST /v1/checkout/sessions` does; a payment link's sessions name their link. */
export function openSession(core: Core, params: CreateSessionParams, paymentLink: string | null): CheckoutSession {
  const now = core.clock.now();
  // Stripe checks expires_at against its own clock, which is real time: the client computed it
  // from real time too. Advancing the virtual clock must not make a valid request invalid.
  const realNow = Math.floor(Date.now() / 1000);
  const expiresAt = params.expires_at ?? realNow + MAX_SESSION_LIFETIME_S;
  // A minute of grace: clients compute "now + 30 min" on their own clock, a moment earlier.
  if (expiresAt < realNow + MIN_SESSION_LIFETIME_S - EXPIRY_GRACE_S) {
    throw invalidRequest("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", {
      param: "expires_at",
    });
  }
  if (expiresAt > realNow + MAX_SESSION_LIFETIME_S + EXPIRY_GRACE_S) {
    throw invalidRequest("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", {
      param: "expires_at",
    });
  }
  const lineItems = buildLineItems(core, params.line_items, { forPaymentLink: paymentLink !== null });
  const currency = lineItems[0]?.currency ?? "usd";
  const bankTransfer = params.payment_method_options?.customer_balance;
  const named = [...(params.payment_method_types ?? []), ...(params.allowed_payment_method_types ?? [])];
  if (named.includes("customer_balance") && bankTransfer === undefined) {
    throw missingParam("payment_method_options[customer_balance][funding_type]");
  }
  const methodTypes = resolveMethodTypes(currency, params, bankTransfer !== undefined);
  const customerBalance = bankTransfer && resolveCustomerBalanceOptions(currency, bankTransfer);
  if (params.customer !== undefined) {
    if (params.customer_email !== undefined) throw exclusiveParams(["customer", "customer_email"], "customer_email");
    if (params.customer_creation !== undefined) {
      throw exclusiveParams(["customer", "customer_creation"], "customer_creation");
    }
    requireCustomer(core, params.customer, "customer");
  }
  const total = lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  const session: CheckoutSession = {
    id: newId("cs_test", 58),
    object: "checkout.session",
    ...featuresNotRun(),
    allowed_payment_method_types: params.allowed_payment_method_types ?? null,
    amount_subtotal: total,
    amount_total: total,
    billing_address_collection: params.billing_address_collection ?? null,
    cancel_url: params.cancel_url ?? null,
    client_reference_id: params.client_reference_id ?? null,
    client_secret: null,
    created: now,
    currency,
    customer: params.customer ?? null,
    customer_creation: params.customer === undefined ? (params.customer_creation ?? "if_required") : null,
    customer_details: null,
    customer_email: params.customer_email ?? null,
    expires_at: expiresAt,
    livemode: false,
    locale: params.locale ?? null,
    metadata: params.metadata ?? {},
    mode: "payment",
    payment_intent: null,
    payment_link: paymentLink,
    payment_method_options:
      customerBalance && methodTypes.includes("customer_balance") ? { customer_balance: customerBalance } : {},
    payment_method_types: methodTypes,
    payment_status: "unpaid",
    status: "open",
    submit_type: params.submit_type ?? null,
    success_url: params.success_url ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: null,
  };
  // It lives as long on the virtual clock as it would in real time.
  const expiresAtMs = expiresAt * 1000 + core.clock.offsetMs;
  core.store.sessions.set(session.id, { session, lineItems, intentData: intentData(params), expiresAtMs });
  core.changed();
  return presentSession(core, session);
}

function intentData(params: CreateSessionParams): IntentData {
  const data = params.payment_intent_data;
  return {
    description: data?.description ?? null,
    metadata: data?.metadata ?? {},
    receipt_email: data?.receipt_email ?? null,
    setup_future_usage: data?.setup_future_usage ?? null,
    shipping: shippingFrom(data?.shipping),
  };
}

function list(ctx: ApiContext): object {
  const params = parseWith(listSessionParams, ctx.params);
  const sessions = newestFirst(ctx.core.store.sessions.values()).map((r) => presentSession(ctx.core, r.session));
  const page = paginate(
    sessions,
    (s) =>
      (params.payment_intent === undefined || s.payment_intent === params.payment_intent) &&
      (params.payment_link === undefined || s.payment_link === params.payment_link) &&
      (params.status === undefined || s.status === params.status) &&
      matchesCreated(s.created, params.created),
    params,
    "/v1/checkout/sessions",
    "checkout.session",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const { session } = requireSession(ctx.core, pathParam(ctx, "id"));
  return applyExpand(ctx.core, presentSession(ctx.core, session), params.expand);
}

function lineItems(ctx: ApiContext): object {
  const params = parseWith(lineItemListParams, ctx.params);
  const record = requireSession(ctx.core, pathParam(ctx, "id"));
  const url = `/v1/checkout/sessions/${record.session.id}/line_items`;
  const page = paginate(record.lineItems, () => true, params, url, "item");
  return applyExpand(ctx.core, page, params.expand);
}

function expire(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const session = expireSession(ctx.core, pathParam(ctx, "id"), ctx.meta);
  return applyExpand(ctx.core, session, params.expand);
}
