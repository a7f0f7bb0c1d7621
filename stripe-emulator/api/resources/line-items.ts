import { createPrice, createProduct } from "../../domain/catalog";
import type { Core } from "../../domain/core";
import { invalidRequest, resourceMissing } from "../errors";
import { newId } from "../../domain/ids";
import { exclusiveParams, missingParam } from "../params";
import type { Price } from "../../domain/model/catalog";
import type { LineItem } from "../../domain/model/checkout";
import type { LineItemParam } from "./checkout-params";

/** Stripe's per-payment ceiling: eight digits of minor units. */
const MAX_AMOUNT = 99_999_999;

/**
 * `price_data` creates an inline product and price, retrievable like any other, as on Stripe.
 * Recurring prices are refused unless the caller sells subscriptions (a payment link may hold
 * them; a session in payment mode may not). A session a payment link opens takes the link's
 * own prices even when inactive, as the inline prices its price_data made are.
 */
export function buildLineItems(
  core: Core,
  params: readonly LineItemParam[],
  options: { allowRecurring?: boolean; forPaymentLink?: boolean } = {},
): LineItem[] {
  const items = params.map((param, index) => {
    const price = resolvePrice(core, param, index, options.forPaymentLink === true);
    if (price.recurring && !options.allowRecurring) {
      throw invalidRequest(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        { param: `line_items[${index}][price]` },
      );
    }
    const product = core.store.products.get(price.product);
    const amount = price.unit_amount * param.quantity;
    const item: LineItem = {
      id: newId("li"),
      object: "item",
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: product?.name ?? null,
      metadata: {},
      price,
      quantity: param.quantity,
    };
    return item;
  });
  const currencies = new Set(items.map((i) => i.currency));
  if (currencies.size > 1) {
    throw invalidRequest(`All line items must use the same currency; got ${[...currencies].join(", ")}.`, {
      param: "line_items",
    });
  }
  const total = items.reduce((sum, i) => sum + i.amount_total, 0);
  if (total > MAX_AMOUNT) {
    throw invalidRequest(`The total amount must be no more than ${MAX_AMOUNT} minor units.`, {
      param: "line_items",
      code: "amount_too_large",
    });
  }
  return items;
}

function resolvePrice(core: Core, param: LineItemParam, index: number, linkPrice: boolean): Price {
  const base = `line_items[${index}]`;
  if (param.price !== undefined && param.price_data !== undefined) {
    throw exclusiveParams(["price", "price_data"], `${base}[price]`);
  }
  if (param.price !== undefined) {
    const price = core.store.prices.get(param.price);
    if (!price) throw resourceMissing("price", param.price, `${base}[price]`);
    if (!price.active && !linkPrice)
      throw invalidRequest(`The price ${price.id} is not active.`, { param: `${base}[price]` });
    return price;
  }
  const data = param.price_data;
  if (!data) throw missingParam(`${base}[price]`);
  let productId = data.product;
  if (productId !== undefined) {
    if (!core.store.products.has(productId))
      throw resourceMissing("product", productId, `${base}[price_data][product]`);
  } else if (data.product_data) {
    productId = createProduct(core, data.product_data).id;
  } else {
    throw missingParam(`${base}[price_data][product_data]`);
  }
  return createPrice(core, {
    currency: data.currency,
    unitAmount: data.unit_amount,
    product: productId,
    active: false,
  });
}
