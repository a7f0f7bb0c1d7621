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

export const paymentMethodTypeSchema = z.enum(["card", "sepa_debit"]);
export type PaymentMethodType = z.infer<typeof paymentMethodTypeSchema>;

/** What Stripe answers for a deleted object (a customer, a webhook endpoint). */
export interface DeletedObject<Name extends string> {
  id: string;
  object: Name;
  deleted: true;
}
