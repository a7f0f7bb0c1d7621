/**
 * `POST /v1/checkout/sessions/:id`. Of the current API's update parameters the emulator takes
 * `metadata`; `line_items`, `shipping_options`, `collected_information` and
 * `payment_intent_data` need features it lacks (adjustable line items, shipping rates, shipping
 * address collection) and are refused as unknown.
 */
import { z } from "zod";
import { pathParam, type ApiContext } from "../types";
import { invalidRequest } from "../errors";
import { applyExpand } from "../expand";
import { applyMetadataPatch, expandParam, metadataPatchParam, parseWith } from "../params";
import { presentSession, requireSession } from "../../domain/present";

const updateParams = z.strictObject({ metadata: metadataPatchParam.optional(), expand: expandParam });

export function updateSession(ctx: ApiContext): object {
  const params = parseWith(updateParams, ctx.params);
  const { session } = requireSession(ctx.core, pathParam(ctx, "id"));
  if (session.status !== "open") {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be updated. This Checkout Session has a status of "${session.status}".`,
    );
  }
  session.metadata = applyMetadataPatch(session.metadata, params.metadata);
  ctx.core.changed();
  return applyExpand(ctx.core, presentSession(ctx.core, session), params.expand);
}
