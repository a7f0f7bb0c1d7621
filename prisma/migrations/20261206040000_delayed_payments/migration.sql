-- Bank transfers and payment links: how an order is paid, by when, and what has arrived.
CREATE TYPE "PaymentMethod" AS ENUM ('CARD', 'DIRECT_DEBIT', 'BANK_TRANSFER');
CREATE TYPE "OrderChannel" AS ENUM ('CHECKOUT', 'PAYMENT_LINK');

ALTER TYPE "EmailKind" ADD VALUE 'TRANSFER_INSTRUCTIONS';
ALTER TYPE "EmailKind" ADD VALUE 'PAYMENT_REMINDER';
ALTER TYPE "EmailKind" ADD VALUE 'PAYMENT_EXPIRED';
ALTER TYPE "EmailKind" ADD VALUE 'PAYMENT_LINK';

ALTER TABLE "Order"
  ADD COLUMN "channel" "OrderChannel" NOT NULL DEFAULT 'CHECKOUT',
  ADD COLUMN "paymentMethod" "PaymentMethod",
  ADD COLUMN "paymentDueAt" TIMESTAMP(3),
  ADD COLUMN "amountReceived" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "amountUnapplied" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "stripeCustomerId" TEXT,
  ADD COLUMN "transferInstructions" JSONB,
  ADD COLUMN "stripePaymentLinkId" TEXT,
  ADD COLUMN "paymentLinkUrl" TEXT,
  ADD COLUMN "paymentLinkActive" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "linkSentAt" TIMESTAMP(3),
  ADD COLUMN "note" TEXT;

-- Orders paid before this migration received their total.
UPDATE "Order" SET "amountReceived" = "amountTotal" WHERE "paidAt" IS NOT NULL;

CREATE UNIQUE INDEX "Order_stripePaymentLinkId_key" ON "Order"("stripePaymentLinkId");
CREATE INDEX "Order_stripeCustomerId_idx" ON "Order"("stripeCustomerId");
CREATE INDEX "Order_status_paymentDueAt_idx" ON "Order"("status", "paymentDueAt");
