-- The webhook inbox becomes the worker's queue: deliveries are recorded and answered at once,
-- and each instance's worker claims pending rows (grouped by Checkout session) to settle them.
ALTER TABLE "WebhookEvent" ADD COLUMN "payloadMismatches" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "WebhookEvent" ADD COLUMN "settleKey" TEXT;
ALTER TABLE "WebhookEvent" ADD COLUMN "availableAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "WebhookEvent" ADD COLUMN "claimedUntil" TIMESTAMP(3);
ALTER TABLE "WebhookEvent" ADD COLUMN "tries" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "WebhookEvent_settleKey_idx" ON "WebhookEvent"("settleKey");
-- Only pending rows are ever claimed; this index stays as small as the backlog.
CREATE INDEX "WebhookEvent_pending_idx" ON "WebhookEvent"("availableAt")
  WHERE "processedAt" IS NULL AND "outcome" = 'RECEIVED';

-- Orders whose shopper came back before the webhook ask the worker to check with Stripe.
ALTER TABLE "Order" ADD COLUMN "settleRequestedAt" TIMESTAMP(3);
ALTER TABLE "Order" ADD COLUMN "settleCheckedAt" TIMESTAMP(3);
CREATE INDEX "Order_settle_requested_idx" ON "Order"("settleRequestedAt") WHERE "settleRequestedAt" IS NOT NULL;

-- A charge row is keyed by its payment intent, which the signed Checkout events name.
UPDATE "Transaction" SET "stripeObjectId" = "stripePaymentIntentId"
 WHERE "kind" = 'CHARGE' AND "stripePaymentIntentId" IS NOT NULL;

-- Token buckets for the Stripe request budget every instance shares.
CREATE TABLE "RateBudget" (
    "name" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilledAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "RateBudget_pkey" PRIMARY KEY ("name")
);

-- Events recorded but not handled before this change join the queue under their key.
UPDATE "WebhookEvent" SET "settleKey" = CASE
    WHEN "type" LIKE 'checkout.session.%' OR "type" LIKE 'payment_intent.%' THEN "payload" #>> '{data,object,id}'
    ELSE "payload" #>> '{data,object,payment_intent}' END
 WHERE "processedAt" IS NULL;
