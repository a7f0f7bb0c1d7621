import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { API_VERSION } from "../../constants";
import type { Core } from "../../domain/core";
import { apiEndpoint } from "../../delivery/endpoints";
import { invalidRequest, resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { newId, randomToken } from "../../domain/ids";
import { newestFirst, paginate } from "../list";
import type { DeletedObject } from "../../domain/model/common";
import type {
  CreatedWebhookEndpoint,
  WebhookEndpoint,
  WebhookEndpointRecord,
} from "../../domain/model/webhook-endpoints";
import {
  applyMetadataPatch,
  boolParam,
  expandParam,
  listParams,
  metadataPatchParam,
  parseWith,
  requiredStringParam,
  stringParam,
  unsettable,
  urlParam,
} from "../params";

const endpointUrlParam = requiredStringParam(5000).pipe(urlParam);

/** `*` or an event type's dotted name; Stripe has no family wildcards here. */
const enabledEventsParam = z
  .array(
    z.string().regex(/^(\*|[a-z_]+(\.[a-z_]+)+)$/, {
      error: (issue) =>
        `Invalid event type: ${String(issue.input)}. Use '*' or an event type such as 'charge.succeeded'.`,
    }),
  )
  .min(1);

const createParams = z.strictObject({
  url: endpointUrlParam,
  enabled_events: enabledEventsParam,
  api_version: z.string().optional(),
  connect: boolParam.optional(),
  description: unsettable(stringParam(5000)).optional(),
  metadata: metadataPatchParam.optional(),
  expand: expandParam,
});

const updateParams = z.strictObject({
  url: endpointUrlParam.optional(),
  enabled_events: enabledEventsParam.optional(),
  disabled: boolParam.optional(),
  description: unsettable(stringParam(5000)).optional(),
  metadata: metadataPatchParam.optional(),
  expand: expandParam,
});

export function registerWebhookEndpoints(router: ApiRouter): void {
  router
    .add("POST", "/v1/webhook_endpoints", create)
    .add("GET", "/v1/webhook_endpoints", list)
    .add("GET", "/v1/webhook_endpoints/:id", retrieve)
    .add("POST", "/v1/webhook_endpoints/:id", update)
    .add("DELETE", "/v1/webhook_endpoints/:id", remove);
}

function create(ctx: ApiContext): object {
  const params = parseWith(createParams, ctx.params);
  if (params.connect) {
    throw invalidRequest("The emulator has no Connect accounts, so it does not support connect=true.", {
      param: "connect",
    });
  }
  // Events are rendered in the emulator's API version; another version would be a promise it cannot keep.
  if (params.api_version !== undefined && params.api_version !== API_VERSION) {
    throw invalidRequest(`The emulator sends events in API version ${API_VERSION} only.`, { param: "api_version" });
  }
  const endpoint: WebhookEndpoint = {
    id: newId("we"),
    object: "webhook_endpoint",
    api_version: params.api_version ?? null,
    application: null,
    created: ctx.core.clock.now(),
    description: params.description ?? null,
    enabled_events: params.enabled_events,
    livemode: false,
    metadata: applyMetadataPatch({}, params.metadata),
    status: "enabled",
    url: params.url,
  };
  const record: WebhookEndpointRecord = { endpoint, secret: `whsec_${randomToken(32)}` };
  ctx.core.store.webhookEndpoints.set(endpoint.id, record);
  deliverTo(ctx.core, record);
  const created: CreatedWebhookEndpoint = { ...endpoint, secret: record.secret };
  return applyExpand(ctx.core, created, params.expand);
}

function update(ctx: ApiContext): object {
  const params = parseWith(updateParams, ctx.params);
  const record = requireEndpoint(ctx.core, pathParam(ctx, "id"));
  const { endpoint } = record;
  if (params.url !== undefined) endpoint.url = params.url;
  if (params.enabled_events !== undefined) endpoint.enabled_events = params.enabled_events;
  if (params.disabled !== undefined) endpoint.status = params.disabled ? "disabled" : "enabled";
  if (params.description !== undefined) endpoint.description = params.description;
  endpoint.metadata = applyMetadataPatch(endpoint.metadata, params.metadata);
  deliverTo(ctx.core, record);
  return applyExpand(ctx.core, endpoint, params.expand);
}

function remove(ctx: ApiContext): object {
  parseWith(z.strictObject({}), ctx.params);
  const { endpoint } = requireEndpoint(ctx.core, pathParam(ctx, "id"));
  ctx.core.store.webhookEndpoints.delete(endpoint.id);
  ctx.core.delivery.removeEndpoints((e) => e.id === endpoint.id);
  const deleted: DeletedObject<"webhook_endpoint"> = { id: endpoint.id, object: "webhook_endpoint", deleted: true };
  return deleted;
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(z.strictObject({ expand: expandParam }), ctx.params);
  return applyExpand(ctx.core, requireEndpoint(ctx.core, pathParam(ctx, "id")).endpoint, params.expand);
}

function list(ctx: ApiContext): object {
  const params = parseWith(z.strictObject(listParams), ctx.params);
  const endpoints = newestFirst(ctx.core.store.webhookEndpoints.values()).map((r) => r.endpoint);
  const page = paginate(endpoints, () => true, params, "/v1/webhook_endpoints", "webhook_endpoint");
  return applyExpand(ctx.core, page, params.expand);
}

function requireEndpoint(core: Core, id: string): WebhookEndpointRecord {
  const record = core.store.webhookEndpoints.get(id);
  if (!record) throw resourceMissing("webhook_endpoint", id);
  return record;
}

/** An enabled endpoint receives the events it asked for from now on; a disabled one nothing. */
function deliverTo(core: Core, record: WebhookEndpointRecord): void {
  if (record.endpoint.status === "enabled") core.delivery.upsertEndpoint(apiEndpoint(record));
  else core.delivery.removeEndpoints((e) => e.id === record.endpoint.id);
  core.changed();
}
