import type { RequestMeta } from "../domain/context";
import type { Core } from "../domain/core";
import type { FormObject } from "./form-parser";
import type { PathParams, Router } from "./router";

export interface ApiContext {
  core: Core;
  params: FormObject;
  path: PathParams;
  meta: RequestMeta;
}

/** Handlers return the JSON body of a 200 response or throw a StripeApiError. */
export type ApiHandler = (ctx: ApiContext) => object;

export type ApiRouter = Router<ApiHandler>;

export function pathParam(ctx: ApiContext, name: string): string {
  const value = ctx.path[name];
  if (value === undefined) throw new Error(`Route is missing path parameter ${name}`);
  return value;
}
