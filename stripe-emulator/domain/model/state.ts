import { z } from "zod";
import { cashBalanceRecordSchema, cashBalanceTransactionSchema } from "./bank-transfers";
import { paymentMethodRecordSchema, priceSchema, productSchema } from "./catalog";
import { sessionRecordSchema } from "./checkout";
import { customerSchema } from "./customers";
import { paymentLinkRecordSchema } from "./payment-links";
import { webhookEndpointRecordSchema } from "./webhook-endpoints";
import {
  deliveryAttemptSchema,
  deliveryRecordSchema,
  eventRecordSchema,
  idempotencyEntrySchema,
  settlementSchema,
} from "./events";
import { chargeSchema, disputeSchema, paymentIntentSchema, refundSchema } from "./payments";

/** The persisted state file; validated on load because it is input like any other. */
export const persistedStateSchema = z.object({
  version: z.literal(1),
  clockOffsetMs: z.number(),
  products: z.array(productSchema),
  prices: z.array(priceSchema),
  paymentMethods: z.array(paymentMethodRecordSchema),
  sessions: z.array(sessionRecordSchema),
  paymentIntents: z.array(paymentIntentSchema),
  charges: z.array(chargeSchema),
  refunds: z.array(refundSchema),
  disputes: z.array(disputeSchema),
  // Kept since these objects were added; older state files load without them.
  customers: z.array(customerSchema).default([]),
  deletedCustomers: z.array(z.string()).default([]),
  cashBalances: z.array(cashBalanceRecordSchema).default([]),
  cashBalanceTransactions: z.array(cashBalanceTransactionSchema).default([]),
  paymentLinks: z.array(paymentLinkRecordSchema).default([]),
  webhookEndpoints: z.array(webhookEndpointRecordSchema).default([]),
  events: z.array(eventRecordSchema),
  settlements: z.array(settlementSchema),
  deliveries: z.array(deliveryRecordSchema),
  deliveryLog: z.array(deliveryAttemptSchema),
  idempotency: z.array(idempotencyEntrySchema),
});
export type PersistedState = z.infer<typeof persistedStateSchema>;
