import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { invalidRequest } from "../errors";
import { emitEvent, previousAttributes } from "../../domain/events";
import { applyExpand } from "../expand";
import { createCustomer, requireCustomer } from "../../domain/customers";
import { newestFirst, paginate } from "../list";
import type { Address, DeletedObject } from "../../domain/model/common";
import type { Customer } from "../../domain/model/customers";
import {
  applyMetadataPatch,
  createdFilterParam,
  expandParam,
  listParams,
  matchesCreated,
  metadataPatchParam,
  parseWith,
  requiredStringParam,
  stringParam,
  unsettable,
} from "../params";

const addressParam = z.strictObject({
  city: stringParam(200).optional(),
  country: stringParam(200).optional(),
  line1: stringParam(200).optional(),
  line2: stringParam(200).optional(),
  postal_code: stringParam(200).optional(),
  state: stringParam(200).optional(),
});

const shippingParam = z.strictObject({
  address: addressParam,
  name: requiredStringParam(5000),
  phone: stringParam(5000).optional(),
});

/** The fields create and update share; `""` unsets a field, as on Stripe. */
const fields = {
  address: unsettable(addressParam).optional(),
  description: unsettable(stringParam(350)).optional(),
  email: unsettable(stringParam(512)).optional(),
  metadata: metadataPatchParam.optional(),
  name: unsettable(stringParam(256)).optional(),
  phone: unsettable(stringParam(20)).optional(),
  preferred_locales: unsettable(z.array(stringParam(20))).optional(),
  shipping: unsettable(shippingParam).optional(),
  expand: expandParam,
};
const writeParams = z.strictObject(fields);
type WriteParams = z.output<typeof writeParams>;

const retrieveParams = z.strictObject({ expand: expandParam });

const listCustomerParams = z.strictObject({
  ...listParams,
  email: stringParam(512).optional(),
  created: createdFilterParam.optional(),
});

export function registerCustomers(router: ApiRouter): void {
  router
    .add("POST", "/v1/customers", create)
    .add("GET", "/v1/customers", list)
    .add("GET", "/v1/customers/:id", retrieve)
    .add("POST", "/v1/customers/:id", update)
    .add("DELETE", "/v1/customers/:id", remove);
}

function create(ctx: ApiContext): object {
  const params = parseWith(writeParams, ctx.params);
  const customer = createCustomer(ctx.core, (c) => applyWrite(c, params), ctx.meta);
  return applyExpand(ctx.core, customer, params.expand);
}

function update(ctx: ApiContext): object {
  const params = parseWith(writeParams, ctx.params);
  const customer = requireCustomer(ctx.core, pathParam(ctx, "id"));
  const before = structuredClone(customer);
  applyWrite(customer, params);
  const changed = previousAttributes(before, customer);
  if (changed) emitEvent(ctx.core, "customer.updated", customer, ctx.meta, changed);
  else ctx.core.changed();
  return applyExpand(ctx.core, customer, params.expand);
}

function remove(ctx: ApiContext): object {
  parseWith(z.strictObject({}), ctx.params);
  const customer = requireCustomer(ctx.core, pathParam(ctx, "id"));
  const { store } = ctx.core;
  store.customers.delete(customer.id);
  store.deletedCustomers.add(customer.id);
  emitEvent(ctx.core, "customer.deleted", customer, ctx.meta);
  return deleted(customer.id);
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const id = pathParam(ctx, "id");
  if (ctx.core.store.deletedCustomers.has(id)) return deleted(id);
  return applyExpand(ctx.core, requireCustomer(ctx.core, id), params.expand);
}

function list(ctx: ApiContext): object {
  const params = parseWith(listCustomerParams, ctx.params);
  const page = paginate(
    newestFirst(ctx.core.store.customers.values()),
    (c) => (params.email === undefined || c.email === params.email) && matchesCreated(c.created, params.created),
    params,
    "/v1/customers",
    "customer",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function deleted(id: string): DeletedObject<"customer"> {
  return { id, object: "customer", deleted: true };
}

function applyWrite(customer: Customer, params: WriteParams): void {
  if (params.email !== undefined && params.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(params.email)) {
    throw invalidRequest(`Invalid email address: ${params.email}`, { param: "email", code: "email_invalid" });
  }
  if (params.address !== undefined) customer.address = params.address && address(params.address);
  if (params.description !== undefined) customer.description = params.description;
  if (params.email !== undefined) customer.email = params.email;
  if (params.name !== undefined) customer.name = params.name;
  if (params.phone !== undefined) customer.phone = params.phone;
  if (params.preferred_locales !== undefined) customer.preferred_locales = params.preferred_locales ?? [];
  if (params.shipping !== undefined) {
    const { shipping } = params;
    customer.shipping = shipping && {
      address: address(shipping.address),
      name: shipping.name,
      phone: shipping.phone ?? null,
    };
  }
  customer.metadata = applyMetadataPatch(customer.metadata, params.metadata);
}

function address(input: z.output<typeof addressParam>): Address {
  return {
    city: input.city ?? null,
    country: input.country ?? null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    postal_code: input.postal_code ?? null,
    state: input.state ?? null,
  };
}
