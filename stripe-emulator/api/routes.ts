import type { ApiRouter } from "./types";
import { registerCashBalances } from "./resources/cash-balances";
import { registerCheckoutSessions } from "./resources/checkout-sessions";
import { registerCliFixtures } from "./resources/cli-fixtures";
import { registerCustomers } from "./resources/customers";
import { registerEvents } from "./resources/events";
import { registerPaymentIntents } from "./resources/payment-intents";
import { registerPaymentLinks } from "./resources/payment-links";
import { registerRefunds } from "./resources/refunds";
import { registerWebhookEndpoints } from "./resources/webhook-endpoints";
import { Router } from "./router";

export function apiRouter(): ApiRouter {
  const router: ApiRouter = new Router();
  registerCheckoutSessions(router);
  registerPaymentIntents(router);
  registerRefunds(router);
  registerEvents(router);
  registerCustomers(router);
  registerCashBalances(router);
  registerPaymentLinks(router);
  registerWebhookEndpoints(router);
  registerCliFixtures(router);
  return router;
}
