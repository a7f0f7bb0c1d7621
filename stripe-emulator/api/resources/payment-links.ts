import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { invalidRequest } from "../errors";
import { emitEvent, previousAttributes } from "../../domain/events";
import { applyExpand } from "../expand";
import { newId } from "../../domain/ids";
import { newestFirst, paginate } from "../list";
import { directMethodTypeSchema, invoicesOff, noCustomText } from "../../domain/model/common";
import { customerCreationSchema } from "../../domain/model/checkout";
import type { LinkIntentData, PaymentLink } from "../../domain/model/payment-links";
import { completedSessions } from "../../domain/payment-links";
import { presentPaymentLink, requirePaymentLink } from "../../domain/present";
import {
  boolParam,
  expandParam,
  intParam,
  listParams,
  metadataParam,
  metadataPatchParam,
  applyMetadataPatch,
  parseWith,
  requiredStringParam,
  stringParam,
  unsettable,
  urlParam,
} from "../params";
import { lineItemParam } from "./checkout-params";
import { buildLineItems } from "./line-items";

const afterCompletionParam = z.strictObject({
  type: z.enum(["hosted_confirmation", "redirect"]),
  hosted_confirmation: z.strictObject({ custom_message: stringParam(500).optional() }).optional(),
  redirect: z.strictObject({ url: urlParam }).optional(),
});

const intentDataParam = z.strictObject({
  description: stringParam(1000).optional(),
  metadata: metadataParam.optional(),
});

/** On update Stripe sets payment_intent_data's fields declaratively: metadata is replaced, `""` clears. */
const intentDataPatchParam = z.strictObject({
  description: unsettable(stringParam(1000)).optional(),
  metadata: unsettable(metadataParam).optional(),
});

const restrictionsParam = z.strictObject({
  completed_sessions: z.strictObject({ limit: intParam({ min: 1 }) }),
});

const createParams = z.strictObject({
  // Each line names a price, or makes one inline with price_data (one of the two, as at Stripe).
  line_items: z
    .array(lineItemParam.extend({ price: requiredStringParam().optional() }))
    .min(1)
    .max(20),
  after_completion: afterCompletionParam.optional(),
  customer_creation: customerCreationSchema.optional(),
  inactive_message: stringParam(500).optional(),
  metadata: metadataParam.optional(),
  payment_intent_data: intentDataParam.optional(),
  restrictions: restrictionsParam.optional(),
  payment_method_types: z.array(directMethodTypeSchema).min(1).optional(),
  submit_type: z.enum(["auto", "book", "donate", "pay"]).optional(),
  expand: expandParam,
});

const updateParams = z.strictObject({
  active: boolParam.optional(),
  after_completion: afterCompletionParam.optional(),
  customer_creation: customerCreationSchema.optional(),
  inactive_message: unsettable(stringParam(500)).optional(),
  metadata: metadataPatchParam.optional(),
  payment_intent_data: intentDataPatchParam.optional(),
  restrictions: unsettable(restrictionsParam).optional(),
  expand: expandParam,
});

const listLinkParams = z.strictObject({ ...listParams, active: boolParam.optional() });

export function registerPaymentLinks(router: ApiRouter): void {
  router
    .add("POST", "/v1/payment_links", create)
    .add("GET", "/v1/payment_links", list)
    .add("GET", "/v1/payment_links/:id", retrieve)
    .add("POST", "/v1/payment_links/:id", update)
    .add("GET", "/v1/payment_links/:id/line_items", lineItems);
}

function create(ctx: ApiContext): object {
  const params = parseWith(createParams, ctx.params);
  const { core } = ctx;
  const lineItems = buildLineItems(core, params.line_items, { allowRecurring: true });
  const recurring = lineItems.some((item) => item.price.recurring !== null);
  const link: PaymentLink = {
    id: newId("plink"),
    object: "payment_link",
    active: true,
    after_completion: afterCompletion(params.after_completion),
    allow_promotion_codes: false,
    application: null,
    application_fee_amount: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null },
    billing_address_collection: "auto",
    consent_collection: null,
    currency: lineItems[0]?.currency ?? "usd",
    custom_fields: [],
    custom_text: noCustomText(),
    customer_creation: params.customer_creation ?? "if_required",
    inactive_message: params.inactive_message ?? null,
    invoice_creation: recurring ? null : invoicesOff(),
    livemode: false,
    managed_payments: null,
    metadata: params.metadata ?? {},
    on_behalf_of: null,
    // Stripe keeps no payment_intent_data on a link created without it.
    payment_intent_data: params.payment_intent_data ? intentData(params.payment_intent_data) : null,
    payment_method_collection: "always",
    payment_method_options: null,
    payment_method_types: params.payment_method_types ?? null,
    phone_number_collection: { enabled: false },
    restrictions: params.restrictions
      ? { completed_sessions: { count: 0, limit: params.restrictions.completed_sessions.limit } }
      : null,
    shipping_address_collection: null,
    shipping_options: [],
    submit_type: params.submit_type ?? "auto",
    subscription_data: recurring
      ? {
          description: null,
          invoice_settings: {
            account_tax_ids: null,
            custom_fields: null,
            description: null,
            footer: null,
            issuer: { type: "self" },
          },
          metadata: {},
          trial_period_days: null,
          trial_settings: null,
        }
      : null,
    tax_id_collection: { enabled: false, required: "never" },
    transfer_data: null,
    url: "",
  };
  core.store.paymentLinks.set(link.id, { link, lineItems });
  const presented = presentPaymentLink(core, link);
  emitEvent(core, "payment_link.created", presented, ctx.meta);
  return applyExpand(core, presented, params.expand);
}

function update(ctx: ApiContext): object {
  const params = parseWith(updateParams, ctx.params);
  const { core } = ctx;
  const { link } = requirePaymentLink(core, pathParam(ctx, "id"));
  const before = presentPaymentLink(core, structuredClone(link));
  if (params.active !== undefined) link.active = params.active;
  if (params.after_completion !== undefined) link.after_completion = afterCompletion(params.after_completion);
  if (params.customer_creation !== undefined) link.customer_creation = params.customer_creation;
  if (params.inactive_message !== undefined) link.inactive_message = params.inactive_message;
  if (params.restrictions !== undefined) {
    const count = completedSessions(core, link.id);
    link.restrictions = params.restrictions
      ? { completed_sessions: { count, limit: params.restrictions.completed_sessions.limit } }
      : null;
  }
  link.metadata = applyMetadataPatch(link.metadata, params.metadata);
  const patch = params.payment_intent_data;
  if (patch) {
    const current = link.payment_intent_data ?? intentData({});
    link.payment_intent_data = {
      ...current,
      description: patch.description === undefined ? current.description : patch.description,
      metadata: patch.metadata === undefined ? current.metadata : (patch.metadata ?? {}),
    };
  }
  const presented = presentPaymentLink(core, link);
  const changed = previousAttributes(before, presented);
  if (changed) emitEvent(core, "payment_link.updated", presented, ctx.meta, changed);
  else core.changed();
  return applyExpand(core, presented, params.expand);
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(z.strictObject({ expand: expandParam }), ctx.params);
  const { link } = requirePaymentLink(ctx.core, pathParam(ctx, "id"));
  return applyExpand(ctx.core, presentPaymentLink(ctx.core, link), params.expand);
}

function list(ctx: ApiContext): object {
  const params = parseWith(listLinkParams, ctx.params);
  const links = newestFirst(ctx.core.store.paymentLinks.values()).map((r) => presentPaymentLink(ctx.core, r.link));
  const page = paginate(
    links,
    (l) => params.active === undefined || l.active === params.active,
    params,
    "/v1/payment_links",
    "payment_link",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function lineItems(ctx: ApiContext): object {
  const params = parseWith(z.strictObject(listParams), ctx.params);
  const record = requirePaymentLink(ctx.core, pathParam(ctx, "id"));
  const url = `/v1/payment_links/${record.link.id}/line_items`;
  return applyExpand(
    ctx.core,
    paginate(record.lineItems, () => true, params, url, "item"),
    params.expand,
  );
}

function afterCompletion(param: z.output<typeof afterCompletionParam> | undefined): PaymentLink["after_completion"] {
  if (param?.type === "redirect") {
    if (!param.redirect) {
      throw invalidRequest("Missing required param: after_completion[redirect].", {
        param: "after_completion[redirect]",
        code: "parameter_missing",
      });
    }
    return { redirect: { url: param.redirect.url }, type: "redirect" };
  }
  return {
    hosted_confirmation: { custom_message: param?.hosted_confirmation?.custom_message ?? null },
    type: "hosted_confirmation",
  };
}

function intentData(param: z.output<typeof intentDataParam>): LinkIntentData {
  return {
    capture_method: null,
    description: param.description ?? null,
    metadata: param.metadata ?? {},
    setup_future_usage: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_group: null,
  };
}
