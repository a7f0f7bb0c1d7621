import type { Core } from "./core";
import { newId } from "./ids";
import type { Price, Product, Recurring } from "./model/catalog";

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
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    tax_details: null,
    type: "service",
    updated: now,
    url: null,
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
    recurring?: Recurring | undefined;
  },
): Price {
  const price: Price = {
    id: newId("price"),
    object: "price",
    active: input.active ?? true,
    billing_scheme: "per_unit",
    created: core.clock.now(),
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring ?? null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? "recurring" : "one_time",
    unit_amount: input.unitAmount,
    unit_amount_decimal: String(input.unitAmount),
  };
  core.store.prices.set(price.id, price);
  core.changed();
  return price;
}
