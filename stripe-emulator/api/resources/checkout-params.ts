import { z } from "zod";
import { paymentMethodTypeSchema, type Shipping } from "../../domain/model/common";
import { billingAddressCollectionSchema, customerCreationSchema, submitTypeSchema } from "../../domain/model/checkout";
import { currencyParam, emailParam, expandParam, intParam, metadataParam, stringParam, urlParam } from "../params";

/** The languages Checkout is offered in, as the API lists them. */
const CHECKOUT_LOCALES = [
  "auto",
  "bg",
  "cs",
  "da",
  "de",
  "el",
  "en",
  "en-GB",
  "es",
  "es-419",
  "et",
  "fi",
  "fil",
  "fr",
  "fr-CA",
  "hi-IN",
  "hr",
  "hu",
  "id",
  "it",
  "ja",
  "ko",
  "lt",
  "lv",
  "ms",
  "mt",
  "nb",
  "nl",
  "pl",
  "pt",
  "pt-BR",
  "ro",
  "ru",
  "sk",
  "sl",
  "sv",
  "th",
  "tr",
  "vi",
  "zh",
  "zh-HK",
  "zh-TW",
] as const;

const productDataParam = z.strictObject({
  name: stringParam(250).min(1, { error: "The product name cannot be empty." }),
  description: stringParam(5000).optional(),
  images: z.array(urlParam).max(8).optional(),
  metadata: metadataParam.optional(),
});

const priceDataParam = z.strictObject({
  currency: currencyParam,
  unit_amount: intParam({ min: 0, max: 99_999_999 }),
  product: z.string().optional(),
  product_data: productDataParam.optional(),
  tax_behavior: z.enum(["inclusive", "exclusive", "unspecified"]).optional(),
});

/** One line of a Checkout session or a payment link: an existing price, or one made inline. */
export const lineItemParam = z.strictObject({
  price: z.string().optional(),
  price_data: priceDataParam.optional(),
  quantity: intParam({ min: 1, max: 999_999 }),
});

const addressParam = z.strictObject({
  city: z.string().optional(),
  country: z.string().optional(),
  line1: z.string(),
  line2: z.string().optional(),
  postal_code: z.string().optional(),
  state: z.string().optional(),
});

export const shippingParam = z.strictObject({
  name: z.string(),
  phone: z.string().optional(),
  address: addressParam,
  carrier: z.string().optional(),
  tracking_number: z.string().optional(),
});

/** The shipping a payment carries, with Stripe's nulls for what was not given. */
export function shippingFrom(shipping: z.output<typeof shippingParam> | undefined): Shipping | null {
  if (!shipping) return null;
  const { address } = shipping;
  return {
    name: shipping.name,
    phone: shipping.phone ?? null,
    address: {
      city: address.city ?? null,
      country: address.country ?? null,
      line1: address.line1,
      line2: address.line2 ?? null,
      postal_code: address.postal_code ?? null,
      state: address.state ?? null,
    },
  };
}

const intentDataParam = z.strictObject({
  description: stringParam(1000).optional(),
  metadata: metadataParam.optional(),
  receipt_email: emailParam.optional(),
  setup_future_usage: z.enum(["on_session", "off_session"]).optional(),
  shipping: shippingParam.optional(),
  statement_descriptor: stringParam(22).optional(),
  statement_descriptor_suffix: stringParam(22).optional(),
});

/** `payment_method_options[customer_balance]`; `bank-transfer-options.ts` checks it as Stripe does. */
const customerBalanceParam = z.strictObject({
  funding_type: z.enum(["bank_transfer"]).optional(),
  bank_transfer: z
    .strictObject({
      type: z.enum([
        "eu_bank_transfer",
        "gb_bank_transfer",
        "jp_bank_transfer",
        "mx_bank_transfer",
        "us_bank_transfer",
      ]),
      eu_bank_transfer: z.strictObject({ country: stringParam(5000) }).optional(),
      requested_address_types: z
        .array(z.enum(["aba", "iban", "sepa", "sort_code", "spei", "swift", "zengin"]))
        .optional(),
    })
    .optional(),
  setup_future_usage: z.enum(["none"]).optional(),
});
export type CustomerBalanceParam = z.output<typeof customerBalanceParam>;

export const createSessionParams = z.strictObject({
  mode: z.enum(["payment"], { error: "The emulator supports mode=payment only." }),
  line_items: z.array(lineItemParam).min(1, { error: "At least one line item is required." }).max(100),
  success_url: urlParam.optional(),
  cancel_url: urlParam.optional(),
  client_reference_id: stringParam(200).optional(),
  customer: stringParam(5000).optional(),
  customer_email: emailParam.optional(),
  expires_at: intParam().optional(),
  metadata: metadataParam.optional(),
  payment_method_types: z.array(paymentMethodTypeSchema).min(1).optional(),
  allowed_payment_method_types: z.array(z.string()).min(1).optional(),
  excluded_payment_method_types: z.array(z.string()).optional(),
  payment_intent_data: intentDataParam.optional(),
  payment_method_options: z.strictObject({ customer_balance: customerBalanceParam.optional() }).optional(),
  locale: z
    .enum(CHECKOUT_LOCALES, { error: `Invalid locale: must be one of ${CHECKOUT_LOCALES.join(", ")}.` })
    .optional(),
  submit_type: submitTypeSchema.optional(),
  billing_address_collection: billingAddressCollectionSchema.optional(),
  customer_creation: customerCreationSchema.optional(),
  // The API's current names; the emulator serves Stripe's hosted page only.
  ui_mode: z
    .enum(["hosted_page"], {
      error: (issue) =>
        ["embedded_page", "elements", "form"].includes(String(issue.input))
          ? `The emulator supports ui_mode=hosted_page only, not ${String(issue.input)}.`
          : `Invalid ui_mode: must be one of hosted_page, embedded_page, elements or form.`,
    })
    .optional(),
  expand: expandParam,
});
export type CreateSessionParams = z.output<typeof createSessionParams>;
export type LineItemParam = z.output<typeof lineItemParam>;
