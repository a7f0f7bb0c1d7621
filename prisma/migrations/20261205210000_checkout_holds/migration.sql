-- Who holds a reservation, so one client's unpaid checkouts together stay under a cap.
ALTER TABLE "Order" ADD COLUMN "reservedBy" TEXT;
-- Only reservations still held are ever summed; the index stays as small as they are.
CREATE INDEX "Order_reserved_by_idx" ON "Order"("reservedBy") WHERE "stockState" = 'RESERVED';
