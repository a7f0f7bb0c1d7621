/** Customers as Stripe creates them, through the API or when Checkout needs one for a payment. */
import { resourceMissing } from "../api/errors";
import type { RequestMeta } from "./context";
import type { Core } from "./core";
import { emitEvent } from "./events";
import { newId, randomToken } from "./ids";
import type { Customer } from "./model/customers";

/** A new customer with Stripe's starting values; `fill` sets what the caller was given. */
export function createCustomer(core: Core, fill: (customer: Customer) => void, meta: RequestMeta): Customer {
  const customer: Customer = {
    id: newId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: core.clock.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: invoicePrefix(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  fill(customer);
  core.store.customers.set(customer.id, customer);
  emitEvent(core, "customer.created", customer, meta);
  return customer;
}

/** Deleted customers are gone for every call but retrieve. */
export function requireCustomer(core: Core, id: string, param = "id"): Customer {
  const customer = core.store.customers.get(id);
  if (!customer) throw resourceMissing("customer", id, param);
  return customer;
}

/** Stripe gives each customer its own prefix for invoice numbers: eight uppercase hex digits. */
function invoicePrefix(): string {
  return randomToken(8)
    .split("")
    .map((c) => "0123456789ABCDEF".charAt(c.charCodeAt(0) % 16))
    .join("");
}
