import { z } from "zod";
import { directMethodTypeSchema } from "../../domain/model/common";
import {
  boolParam,
  currencyParam,
  emailParam,
  expandParam,
  intParam,
  metadataParam,
  stringParam,
  urlParam,
} from "../params";
import { shippingParam } from "./checkout-params";

/** `true`/`false`, or the kind of off-session payment Stripe also accepts. */
const offSessionParam = z.union([boolParam, z.enum(["one_off", "recurring"])]);

export const createIntentParams = z.strictObject({
  amount: intParam({ min: 1, max: 99_999_999 }),
  currency: currencyParam,
  payment_method: z.string().optional(),
  // The CLI's fixtures still send the explicit list of older API versions; this one filters instead.
  payment_method_types: z.array(directMethodTypeSchema).min(1).optional(),
  allowed_payment_method_types: z.array(z.string()).min(1).optional(),
  excluded_payment_method_types: z.array(z.string()).optional(),
  automatic_payment_methods: z
    .strictObject({ enabled: boolParam, allow_redirects: z.enum(["always", "never"]).optional() })
    .optional(),
  confirm: boolParam.optional(),
  capture_method: z.enum(["automatic", "automatic_async", "manual"]).optional(),
  description: stringParam(1000).optional(),
  metadata: metadataParam.optional(),
  receipt_email: emailParam.optional(),
  return_url: urlParam.optional(),
  setup_future_usage: z.enum(["on_session", "off_session"]).optional(),
  off_session: offSessionParam.optional(),
  shipping: shippingParam.optional(),
  expand: expandParam,
});

export const confirmIntentParams = z.strictObject({
  payment_method: z.string().optional(),
  receipt_email: emailParam.optional(),
  return_url: urlParam.optional(),
  off_session: offSessionParam.optional(),
  expand: expandParam,
});

export const cancelIntentParams = z.strictObject({
  cancellation_reason: z.enum(["abandoned", "duplicate", "fraudulent", "requested_by_customer"]).optional(),
  expand: expandParam,
});
