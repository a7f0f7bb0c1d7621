/**
 * `expand[]` support: replaces an id with the object it names, recursively for dotted paths
 * (`payment_intent.latest_charge`) and through lists (`data.payment_intent`).
 */
import type { Json } from "../domain/context";
import type { Core } from "../domain/core";
import { presentPaymentLink } from "../domain/present";
import { invalidRequest } from "./errors";

type Resolver = (core: Core, owner: Json) => Json | null;

const byId =
  (pick: (core: Core) => ReadonlyMap<string, Json>, field: string): Resolver =>
  (core, owner) => {
    const id = owner[field];
    return typeof id === "string" ? (pick(core).get(id) ?? null) : null;
  };

/** The line items kept beside an object (a session, a payment link), as the whole list. */
const lineItemsOf =
  (pick: (core: Core, id: string) => readonly unknown[] | undefined, base: string): Resolver =>
  (core, owner) => {
    const data = typeof owner.id === "string" ? pick(core, owner.id) : undefined;
    return data ? { object: "list", url: `${base}/${String(owner.id)}/line_items`, has_more: false, data } : null;
  };

const paymentIntent = byId((core) => core.store.paymentIntents, "payment_intent");
const charge = byId((core) => core.store.charges, "charge");

const EXPANDABLE: Readonly<Record<string, Readonly<Record<string, Resolver>>>> = {
  "checkout.session": {
    payment_intent: paymentIntent,
    line_items: lineItemsOf((core, id) => core.store.sessions.get(id)?.lineItems, "/v1/checkout/sessions"),
    payment_link: (core, owner) => {
      const record =
        typeof owner.payment_link === "string" ? core.store.paymentLinks.get(owner.payment_link) : undefined;
      return record ? presentPaymentLink(core, record.link) : null;
    },
  },
  payment_intent: { latest_charge: byId((core) => core.store.charges, "latest_charge") },
  charge: { payment_intent: paymentIntent },
  refund: { charge, payment_intent: paymentIntent },
  dispute: { charge, payment_intent: paymentIntent },
  item: { price: (_core, owner) => (isJson(owner.price) ? owner.price : null) },
  payment_link: {
    line_items: lineItemsOf((core, id) => core.store.paymentLinks.get(id)?.lineItems, "/v1/payment_links"),
  },
  // Always null on the emulator's customers, so expanding them leaves null.
  customer: { default_source: () => null, test_clock: () => null },
  price: { product: byId((core) => core.store.products, "product") },
};

export function applyExpand(core: Core, object: Json, paths: readonly string[] | undefined): Json {
  if (!paths || paths.length === 0) return object;
  const grouped = new Map<string, string[]>();
  for (const path of paths) {
    const [head = "", ...rest] = path.split(".");
    const tails = grouped.get(head) ?? [];
    if (rest.length > 0) tails.push(rest.join("."));
    grouped.set(head, tails);
  }
  const out: Json = { ...object };
  for (const [head, tails] of grouped) {
    if (object.object === "list" && head === "data" && Array.isArray(object.data)) {
      out.data = object.data.map((item: unknown) => (isJson(item) ? applyExpand(core, item, tails) : item));
      continue;
    }
    const resolver = EXPANDABLE[String(object.object)]?.[head];
    if (!resolver) throw invalidRequest(`This property cannot be expanded (${head}).`, { param: "expand" });
    const value = resolver(core, object);
    out[head] = value === null ? (object[head] ?? null) : applyExpand(core, value, tails);
  }
  return out;
}

function isJson(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
