-- Catalog pages are prerendered. Whenever something they show changes (name, price, image,
-- availability, or the stock a shopper can see), PostgreSQL announces the product's slug on the
-- `catalog_changed` channel when the change commits, whichever code path made it: checkout,
-- webhook, reconciler, admin, seed or a manual UPDATE. Every app instance listens and refreshes
-- its copies of the home page and that product's page (lib/catalog/freshness.ts).
-- Available stock above 100 shows the same (quantities go up to 99), so it is not announced.
CREATE FUNCTION "notify_catalog_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('catalog_changed', OLD."slug");
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE'
     AND NEW."slug" = OLD."slug" AND NEW."name" = OLD."name" AND NEW."description" = OLD."description"
     AND NEW."image" = OLD."image" AND NEW."unitAmount" = OLD."unitAmount" AND NEW."currency" = OLD."currency"
     AND NEW."active" = OLD."active"
     AND least(greatest(NEW."stockOnHand" - NEW."stockReserved", 0), 100)
       = least(greatest(OLD."stockOnHand" - OLD."stockReserved", 0), 100) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."slug" <> OLD."slug" THEN
    PERFORM pg_notify('catalog_changed', OLD."slug");
  END IF;
  PERFORM pg_notify('catalog_changed', NEW."slug");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Product_catalog_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "Product"
  FOR EACH ROW EXECUTE FUNCTION "notify_catalog_change"();
