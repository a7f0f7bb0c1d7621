-- Order links get a lifetime: the checkout token and every emailed or return token expire.
ALTER TABLE "Order" ADD COLUMN "accessTokenExpiresAt" TIMESTAMP(3) NOT NULL DEFAULT (now() + '180 days'::interval);
UPDATE "Order" SET "accessTokenExpiresAt" = "createdAt" + '180 days'::interval;
ALTER TABLE "OrderAccessToken" ADD COLUMN "expiresAt" TIMESTAMP(3) NOT NULL DEFAULT (now() + '180 days'::interval);
UPDATE "OrderAccessToken" SET "expiresAt" = "createdAt" + '180 days'::interval;

-- A shopper whose link lapsed asks for a fresh one, sent to the order's email.
ALTER TYPE "EmailKind" ADD VALUE 'ORDER_LINK';
