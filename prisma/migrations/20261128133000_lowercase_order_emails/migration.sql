-- Emails are stored lower-cased from now on (checkout and fulfillment normalise them), so the
-- dashboard finds an order by email with an index lookup. Bring existing rows in line.
UPDATE "Order" SET "email" = lower("email") WHERE "email" <> lower("email");
