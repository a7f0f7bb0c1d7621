import { z } from "zod";

export const metadataSchema = z.record(z.string(), z.string());
export const timestamp = z.number().int();
export const amount = z.number().int();
export const nullableString = z.string().nullable();

export const addressSchema = z.object({
  city: nullableString,
  country: nullableString,
  line1: nullableString,
  line2: nullableString,
  postal_code: nullableString,
  state: nullableString,
});
export type Address = z.infer<typeof addressSchema>;

export const shippingSchema = z.object({ name: z.string(), phone: nullableString, address: addressSchema });
export type Shipping = z.infer<typeof shippingSchema>;

export const billingDetailsSchema = z.object({
  address: addressSchema.nullable(),
  email: nullableString,
  name: nullableString,
  phone: nullableString,
  // State saved before the field existed loads without a tax id, as Stripe reports none.
  tax_id: z.null().default(null),
});
export type BillingDetails = z.infer<typeof billingDetailsSchema>;

/** Every payment method type the emulator runs; `customer_balance` is a bank transfer, Checkout only. */
export const paymentMethodTypeSchema = z.enum(["card", "sepa_debit", "customer_balance"]);
export type PaymentMethodType = z.infer<typeof paymentMethodTypeSchema>;

/** The types paid without a customer's cash balance: what PaymentIntents and payment links accept. */
export const directMethodTypeSchema = z.enum(["card", "sepa_debit"]);
export type DirectMethodType = z.infer<typeof directMethodTypeSchema>;

/** What Stripe answers for a deleted object (a customer, a webhook endpoint). */
export interface DeletedObject<Name extends string> {
  id: string;
  object: Name;
  deleted: true;
}

/** Invoice settings of a one-time payment that makes no invoice: Stripe's defaults, invoices off. */
export const invoicesOffSchema = z.object({
  enabled: z.literal(false),
  invoice_data: z.object({
    account_tax_ids: z.null(),
    custom_fields: z.null(),
    description: z.null(),
    footer: z.null(),
    issuer: z.null(),
    metadata: metadataSchema,
    rendering_options: z.null(),
  }),
});

export function invoicesOff(): z.infer<typeof invoicesOffSchema> {
  return {
    enabled: false,
    invoice_data: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: null,
      metadata: {},
      rendering_options: null,
    },
  };
}

/** Checkout's custom text, none of it set. */
export const noCustomTextSchema = z.object({
  after_submit: z.null(),
  shipping_address: z.null(),
  submit: z.null(),
  terms_of_service_acceptance: z.null(),
});

export function noCustomText(): z.infer<typeof noCustomTextSchema> {
  return { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null };
}
