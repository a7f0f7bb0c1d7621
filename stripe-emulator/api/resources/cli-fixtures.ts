/**
 * The extra endpoints the Stripe CLI's `trigger` fixtures call: products, prices, payment
 * methods, and the private `payment_pages` API that Checkout's own page uses to confirm.
 */
import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { createPrice, createProduct } from "../../domain/catalog";
import type { Json } from "../../domain/context";
import { emitEvent } from "../../domain/events";
import type { Product } from "../../domain/model/catalog";
import { invalidRequest, paymentDeclined, resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { directMethodTypeSchema } from "../../domain/model/common";
import {
  boolParam,
  currencyParam,
  emailParam,
  expandParam,
  intParam,
  metadataParam,
  missingParam,
  parseWith,
  stringParam,
  urlParam,
} from "../params";
import { createPaymentMethod, type PaymentMethodInput } from "../../domain/payment-methods";
import { paySession } from "../../domain/payments";
import { presentSession, requireSession } from "../../domain/present";
import { CARD_TOKENS, ibanValid, luhnValid, normalizeDigits, normalizeIban } from "../../domain/test-instruments";

const productParams = z.strictObject({
  name: stringParam(250).min(1),
  description: stringParam().optional(),
  images: z.array(urlParam).max(8).optional(),
  metadata: metadataParam.optional(),
  active: boolParam.optional(),
  expand: expandParam,
});

const priceParams = z.strictObject({
  currency: currencyParam,
  unit_amount: intParam({ min: 0, max: 99_999_999 }),
  product: z.string().optional(),
  product_data: z.strictObject({ name: stringParam(250).min(1), metadata: metadataParam.optional() }).optional(),
  nickname: stringParam().optional(),
  metadata: metadataParam.optional(),
  active: boolParam.optional(),
  recurring: z
    .strictObject({
      interval: z.enum(["day", "week", "month", "year"], {
        error: (issue) =>
          `Invalid recurring[interval]: must be one of day, month, week, or year (got ${String(issue.input)}).`,
      }),
      interval_count: intParam({ min: 1 }).optional(),
      usage_type: z
        .enum(["licensed", "metered"])
        .refine((v) => v === "licensed", {
          error: "The emulator has no billing meters, so it supports recurring[usage_type]=licensed only.",
        })
        .optional(),
    })
    .optional(),
  expand: expandParam,
});

/** Stripe's longest billing period: three years, in each interval's units. */
const MAX_INTERVAL_COUNT = { day: 1095, week: 156, month: 36, year: 3 } as const;

const addressParams = z
  .strictObject({
    city: z.string().optional(),
    country: z.string().optional(),
    line1: z.string().optional(),
    line2: z.string().optional(),
    postal_code: z.string().optional(),
    state: z.string().optional(),
  })
  .optional();

const paymentMethodParams = z.strictObject({
  type: directMethodTypeSchema,
  card: z
    .strictObject({
      token: z.string().optional(),
      number: z.string().optional(),
      exp_month: intParam({ min: 1, max: 12 }).optional(),
      exp_year: intParam().optional(),
      cvc: z.string().optional(),
    })
    .optional(),
  sepa_debit: z.strictObject({ iban: z.string() }).optional(),
  billing_details: z
    .strictObject({
      email: emailParam.optional(),
      name: z.string().optional(),
      phone: z.string().optional(),
      address: addressParams,
    })
    .optional(),
  metadata: metadataParam.optional(),
  expand: expandParam,
});

const confirmParams = z.strictObject({
  payment_method: z.string(),
  expected_amount: intParam().optional(),
  expected_payment_method_type: directMethodTypeSchema.optional(),
  email: emailParam.optional(),
  expand: expandParam,
});

export function registerCliFixtures(router: ApiRouter): void {
  router
    .add("POST", "/v1/products", (ctx) => {
      const p = parseWith(productParams, ctx.params);
      return applyExpand(ctx.core, announceProduct(ctx, createProduct(ctx.core, p)), p.expand);
    })
    .add("GET", "/v1/products/:id", (ctx) => found(ctx.core.store.products.get(pathParam(ctx, "id")), "product", ctx))
    .add("POST", "/v1/prices", createPriceHandler)
    .add("GET", "/v1/prices/:id", (ctx) => found(ctx.core.store.prices.get(pathParam(ctx, "id")), "price", ctx))
    .add("POST", "/v1/payment_methods", createPaymentMethodHandler)
    .add("GET", "/v1/payment_methods/:id", (ctx) =>
      found(ctx.core.store.paymentMethods.get(pathParam(ctx, "id"))?.paymentMethod, "payment_method", ctx),
    )
    .add("GET", "/v1/payment_pages/:id", (ctx) => paymentPage(ctx, pathParam(ctx, "id")))
    .add("POST", "/v1/payment_pages/:id/confirm", confirm);
}

function found(object: object | undefined, name: string, ctx: ApiContext): object {
  if (!object) throw resourceMissing(name, pathParam(ctx, "id"));
  return object;
}

function createPriceHandler(ctx: ApiContext): object {
  const p = parseWith(priceParams, ctx.params);
  const recurring = p.recurring && {
    interval: p.recurring.interval,
    interval_count: p.recurring.interval_count ?? 1,
    meter: null,
    trial_period_days: null,
    usage_type: "licensed" as const,
  };
  if (recurring && recurring.interval_count > MAX_INTERVAL_COUNT[recurring.interval]) {
    throw invalidRequest("The maximum billing period is three years.", { param: "recurring[interval_count]" });
  }
  let product = p.product;
  if (product !== undefined && !ctx.core.store.products.has(product))
    throw resourceMissing("product", product, "product");
  if (product === undefined) {
    if (!p.product_data) throw missingParam("product");
    product = announceProduct(ctx, createProduct(ctx.core, p.product_data)).id;
  }
  const price = createPrice(ctx.core, { ...p, unitAmount: p.unit_amount, product, recurring });
  emitEvent(ctx.core, "price.created", price, ctx.meta);
  return applyExpand(ctx.core, price, p.expand);
}

/**
 * Products and prices created through their endpoints are announced as Stripe announces them;
 * those a Checkout Session makes from `price_data` are its own and are not.
 */
function announceProduct(ctx: ApiContext, product: Product): Product {
  emitEvent(ctx.core, "product.created", product, ctx.meta);
  return product;
}

function createPaymentMethodHandler(ctx: ApiContext): object {
  const p = parseWith(paymentMethodParams, ctx.params);
  const billing = p.billing_details;
  const address = billing?.address;
  const record = createPaymentMethod(
    ctx.core,
    paymentMethodInput(p),
    {
      email: billing?.email ?? null,
      name: billing?.name ?? null,
      phone: billing?.phone ?? null,
      tax_id: null,
      address: address
        ? {
            city: address.city ?? null,
            country: address.country ?? null,
            line1: address.line1 ?? null,
            line2: address.line2 ?? null,
            postal_code: address.postal_code ?? null,
            state: address.state ?? null,
          }
        : null,
    },
    p.metadata,
  );
  return applyExpand(ctx.core, record.paymentMethod, p.expand);
}

function paymentMethodInput(p: z.output<typeof paymentMethodParams>): PaymentMethodInput {
  if (p.type === "sepa_debit") {
    const iban = normalizeIban(p.sepa_debit?.iban ?? "");
    if (!ibanValid(iban))
      throw invalidRequest("The IBAN you provided is invalid.", {
        param: "sepa_debit[iban]",
        code: "invalid_bank_account_iban",
      });
    return { type: "sepa_debit", iban };
  }
  const card = p.card;
  const token = card?.token;
  const number = token !== undefined ? CARD_TOKENS[token] : normalizeDigits(card?.number ?? "");
  if (number === undefined) throw resourceMissing("token", token ?? "", "card[token]");
  if (!luhnValid(number))
    throw invalidRequest("Your card number is incorrect.", { param: "card[number]", code: "incorrect_number" });
  const year = new Date().getUTCFullYear() + 3;
  return { type: "card", number, expMonth: card?.exp_month ?? 12, expYear: card?.exp_year ?? year };
}

function paymentPage(ctx: ApiContext, id: string): Json {
  const { session, lineItems } = requireSession(ctx.core, id);
  return { ...presentSession(ctx.core, session), object: "payment_page", line_items: lineItems };
}

function confirm(ctx: ApiContext): object {
  const p = parseWith(confirmParams, ctx.params);
  const id = pathParam(ctx, "id");
  const { session } = requireSession(ctx.core, id);
  const method = ctx.core.store.paymentMethods.get(p.payment_method);
  if (!method) throw resourceMissing("payment_method", p.payment_method, "payment_method");
  if (p.expected_amount !== undefined && p.expected_amount !== session.amount_total) {
    throw invalidRequest(
      `The expected amount ${p.expected_amount} does not match the session total ${session.amount_total}.`,
      {
        param: "expected_amount",
      },
    );
  }
  const billing = method.paymentMethod.billing_details;
  const result = paySession(ctx.core, id, method, { email: p.email ?? billing.email, name: billing.name }, ctx.meta);
  if (result.kind === "declined") {
    throw paymentDeclined(result.error, result.paymentIntent.latest_charge ?? "", result.paymentIntent);
  }
  return applyExpand(ctx.core, paymentPage(ctx, id), p.expand);
}
