import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { invalidRequest, resourceMissing } from "../errors";
import { presentEvent } from "../../domain/events";
import { newestFirst, paginate } from "../list";
import type { StripeEvent } from "../../domain/model/events";
import { boolParam, createdFilterParam, exclusiveParams, listParams, matchesCreated, parseWith } from "../params";

const listEventParams = z.strictObject({
  ...listParams,
  type: z.string().optional(),
  types: z.array(z.string()).max(20).optional(),
  delivery_success: boolParam.optional(),
  created: createdFilterParam.optional(),
});

export function registerEvents(router: ApiRouter): void {
  router.add("GET", "/v1/events", list).add("GET", "/v1/events/:id", retrieve);
}

/** Stripe allows one `*` wildcard family, e.g. `checkout.session.*`. */
export function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes("*")) return (type) => type === pattern;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const regex = new RegExp(`^${escaped.join(".*")}$`);
  return (type) => regex.test(type);
}

function list(ctx: ApiContext): object {
  const params = parseWith(listEventParams, ctx.params);
  if (params.type !== undefined && params.types !== undefined) {
    throw exclusiveParams(["type", "types"], "types");
  }
  const matchType = params.type !== undefined ? typeMatcher(params.type) : () => true;
  const types = params.types ? new Set(params.types) : null;
  const { delivery } = ctx.core;
  const matches = (event: StripeEvent) =>
    matchType(event.type) &&
    (types === null || types.has(event.type)) &&
    matchesCreated(event.created, params.created) &&
    (params.delivery_success === undefined || delivery.deliverySucceeded(event.id) === params.delivery_success);
  const events = newestFirst(ctx.core.store.events.values()).map((record) => presentEvent(ctx.core, record));
  if (params.expand?.length) throw invalidRequest("Events cannot be expanded.", { param: "expand" });
  return paginate(events, matches, params, "/v1/events", "event");
}

function retrieve(ctx: ApiContext): object {
  parseWith(z.strictObject({ expand: z.array(z.string()).max(0).optional() }), ctx.params);
  const id = pathParam(ctx, "id");
  const record = ctx.core.store.events.get(id);
  if (!record) throw resourceMissing("event", id, "id");
  return presentEvent(ctx.core, record);
}
