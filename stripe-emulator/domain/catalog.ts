import type { Core } from "./core";
import { newId } from "./ids";
import type { Price, Product } from "./model/catalog";

export function createProduct(
  core: Core,
  input: {
    name: string;
    description?: string | undefined;
    images?: string[] | undefined;
    metadata?: Record<string, string> | undefined;
    active?: boolean | undefined;
  },
): Product {
  const now = core.clock.now();
  const product: Product = {
    id: newId("prod", 14),
    object: "product",
    active: input.active ?? true,
    created: now,
    description: input.description ?? null,
    images: input.images ?? [],
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name,
    updated: now,
  };
  core.store.products.set(product.id, product);
  core.changed();
  return product;
}

export function createPrice(
  core: Core,
  input: {
    currency: string;
    unitAmount: number;
    product: string;
    metadata?: Record<string, string> | undefined;
    nickname?: string | undefined;
    active?: boolean | undefined;
  },
): Price {
  const price: Price = {
    id: newId("price"),
    object: "price",
    active: input.active ?? true,
    billing_scheme: "per_unit",
    created: core.clock.now(),
    currency: input.currency,
    livemode: false,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: null,
    type: "one_time",
    unit_amount: input.unitAmount,
  };
  core.store.prices.set(price.id, price);
  core.changed();
  return price;
}
