/** The emulator's own JSON API under `/_emulator/`, for tests and local tooling. No auth. */
import { z } from "zod";
import { webhookEndpointInputSchema } from "../config";
import { NO_REQUEST } from "../domain/context";
import type { Core } from "../domain/core";
import { fundByReference, fundCashBalance } from "../domain/bank-transfers";
import { closeDispute, openDispute } from "../domain/disputes";
import { emailParam } from "../api/params";
import { createPaymentMethod, emptyBilling } from "../domain/payment-methods";
import { paySession } from "../domain/payments";
import { presentSession, requirePaymentLink, requireSession } from "../domain/present";
import { invalidRequest } from "../api/errors";
import { openLinkSession } from "../api/resources/payment-link-sessions";
import type { CheckoutSession } from "../domain/model/checkout";
import { Router, type PathParams } from "../api/router";
import { scenarioInput, scenarioSchema, type Scenario } from "./scenarios";

export interface ControlContext {
  core: Core;
  body: unknown;
  path: PathParams;
  query: URLSearchParams;
}

export type ControlHandler = (ctx: ControlContext) => object | Promise<object>;

const paySchema = z.strictObject({ scenario: scenarioSchema, email: emailParam.optional() });
const advanceSchema = z.strictObject({
  seconds: z
    .number()
    .min(0)
    .max(10 * 365 * 86_400),
});
const flushSchema = z.strictObject({ timeoutMs: z.number().int().min(0).max(600_000).optional() });
const disputeSchema = z.strictObject({ amount: z.number().int().positive().optional(), reason: z.string().optional() });
const closeSchema = z.strictObject({ status: z.enum(["won", "lost"]) });
const amountSchema = z.number().int().min(1).max(99_999_999);
const fundCustomerSchema = z.strictObject({
  amount: amountSchema,
  currency: z.enum(["eur", "usd"]),
  reference: z.string().max(5000).optional(),
});
const fundReferenceSchema = z.strictObject({ reference: z.string().min(1).max(5000), amount: amountSchema });
const logQuerySchema = z.object({
  event: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(100),
});

/** In-process equivalent of `POST /_emulator/checkout/sessions/:id/pay`. */
export function payWithScenario(core: Core, sessionId: string, scenario: Scenario, email?: string) {
  const { session } = requireSession(core, sessionId);
  const payerEmail = email ?? session.customer_email ?? "customer@example.com";
  const input = scenarioInput(scenario, core.clock.now());
  const method = createPaymentMethod(core, input, emptyBilling(payerEmail, "Test Customer"));
  return paySession(core, sessionId, method, { email: payerEmail, name: "Test Customer" }, NO_REQUEST);
}

/**
 * In-process equivalent of `POST /_emulator/payment_links/:id/open`: a shopper following the
 * link's url, without the redirect. An inactive link opens nothing, as its page shows.
 */
export function openPaymentLink(core: Core, linkId: string): CheckoutSession {
  const record = requirePaymentLink(core, linkId);
  if (!record.link.active) throw invalidRequest(`The payment link ${linkId} is not active.`, { param: "id" });
  return presentSession(core, openLinkSession(core, record));
}

export function controlRouter(): Router<ControlHandler> {
  const router = new Router<ControlHandler>();
  router
    .add("GET", "/_emulator/health", () => ({ ok: true }))
    .add("POST", "/_emulator/checkout/sessions/:id/pay", ({ core, body, path }) => {
      const input = paySchema.parse(body);
      return payWithScenario(core, path.id ?? "", input.scenario, input.email).session;
    })
    .add("POST", "/_emulator/payment_links/:id/open", ({ core, path }) => ({
      session: openPaymentLink(core, path.id ?? ""),
    }))
    .add("GET", "/_emulator/clock", ({ core }) => core.clock.describe())
    .add("POST", "/_emulator/clock/advance", ({ core, body }) => {
      core.clock.advance(advanceSchema.parse(body).seconds);
      core.scheduler.runDue();
      core.changed();
      return core.clock.describe();
    })
    .add("GET", "/_emulator/deliveries", ({ core, query }) => {
      const q = logQuerySchema.parse(Object.fromEntries(query));
      const entries = [...core.store.deliveryLog]
        .reverse()
        .filter((e) => q.event === undefined || e.event_id === q.event);
      return { object: "list", data: entries.slice(0, q.limit), has_more: entries.length > q.limit };
    })
    .add("POST", "/_emulator/deliveries/flush", ({ core, body }) =>
      core.delivery.flush(flushSchema.parse(body).timeoutMs ?? 30_000),
    )
    .add("GET", "/_emulator/endpoints", ({ core }) => ({ object: "list", data: core.delivery.listEndpoints() }))
    .add("POST", "/_emulator/endpoints", ({ core, body }) => {
      const endpoint = core.delivery.addEndpoint(webhookEndpointInputSchema.parse(body), "control");
      return endpoint;
    })
    // Endpoints created with the Stripe API are Stripe objects: DELETE /v1/webhook_endpoints/:id removes them.
    .add("DELETE", "/_emulator/endpoints", ({ core }) => ({
      deleted: core.delivery.removeEndpoints((e) => e.source !== "api"),
    }))
    .add("DELETE", "/_emulator/endpoints/:id", ({ core, path }) => ({
      deleted: core.delivery.removeEndpoints((e) => e.id === path.id && e.source !== "api"),
    }))
    .add("GET", "/_emulator/config", ({ core }) => core.settings)
    .add("POST", "/_emulator/config", ({ core, body }) => core.configure(body))
    .add("GET", "/_emulator/requests", ({ core }) => core.pace.counters.snapshot())
    .add("POST", "/_emulator/requests/reset", ({ core }) => core.pace.counters.reset())
    .add("POST", "/_emulator/reset", ({ core }) => {
      core.reset();
      return { ok: true };
    })
    .add("POST", "/_emulator/charges/:id/dispute", ({ core, body, path }) =>
      openDispute(core, path.id ?? "", disputeSchema.parse(body)),
    )
    // A bank transfer arriving, as Stripe's fund_cash_balance test helper simulates it.
    .add("POST", "/_emulator/customers/:id/fund", ({ core, body, path }) => {
      const input = fundCustomerSchema.parse(body);
      return fundCashBalance(core, path.id ?? "", { ...input, reference: input.reference ?? null }, NO_REQUEST);
    })
    .add("POST", "/_emulator/bank_transfers/fund", ({ core, body }) => {
      const input = fundReferenceSchema.parse(body);
      return fundByReference(core, input.reference, input.amount, NO_REQUEST);
    })
    .add("POST", "/_emulator/disputes/:id/close", ({ core, body, path }) =>
      closeDispute(core, path.id ?? "", closeSchema.parse(body).status),
    );
  return router;
}
