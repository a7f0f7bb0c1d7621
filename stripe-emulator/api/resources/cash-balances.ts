/** A customer's cash balance, its transactions, and Stripe's test helper that funds it. */
import { z } from "zod";
import { pathParam, type ApiContext, type ApiRouter } from "../types";
import { cashBalanceOf, fundCashBalance } from "../../domain/bank-transfers";
import { requireCustomer } from "../../domain/customers";
import { resourceMissing } from "../errors";
import { applyExpand } from "../expand";
import { newestFirst, paginate } from "../list";
import { currencyParam, expandParam, intParam, listParams, parseWith, stringParam } from "../params";

const retrieveParams = z.strictObject({ expand: expandParam });
const listTransactionParams = z.strictObject(listParams);

const fundParams = z.strictObject({
  amount: intParam({ min: 1, max: 99_999_999 }),
  currency: currencyParam,
  reference: stringParam(5000).optional(),
  expand: expandParam,
});

export function registerCashBalances(router: ApiRouter): void {
  router
    .add("GET", "/v1/customers/:id/cash_balance", retrieve)
    .add("GET", "/v1/customers/:id/cash_balance_transactions", list)
    .add("GET", "/v1/customers/:id/cash_balance_transactions/:transaction", retrieveTransaction)
    .add("POST", "/v1/test_helpers/customers/:id/fund_cash_balance", fund);
}

function retrieve(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const customer = requireCustomer(ctx.core, pathParam(ctx, "id"));
  return applyExpand(ctx.core, cashBalanceOf(ctx.core, customer.id), params.expand);
}

function list(ctx: ApiContext): object {
  const params = parseWith(listTransactionParams, ctx.params);
  const customer = requireCustomer(ctx.core, pathParam(ctx, "id"));
  const page = paginate(
    newestFirst(ctx.core.store.cashBalanceTransactions.values()),
    (t) => t.customer === customer.id,
    params,
    `/v1/customers/${customer.id}/cash_balance_transactions`,
    "customer_cash_balance_transaction",
  );
  return applyExpand(ctx.core, page, params.expand);
}

function retrieveTransaction(ctx: ApiContext): object {
  const params = parseWith(retrieveParams, ctx.params);
  const customer = requireCustomer(ctx.core, pathParam(ctx, "id"));
  const id = pathParam(ctx, "transaction");
  const transaction = ctx.core.store.cashBalanceTransactions.get(id);
  if (transaction?.customer !== customer.id) {
    throw resourceMissing("customer_cash_balance_transaction", id);
  }
  return applyExpand(ctx.core, transaction, params.expand);
}

function fund(ctx: ApiContext): object {
  const params = parseWith(fundParams, ctx.params);
  const transaction = fundCashBalance(
    ctx.core,
    pathParam(ctx, "id"),
    { amount: params.amount, currency: params.currency, reference: params.reference ?? null },
    ctx.meta,
  );
  return applyExpand(ctx.core, transaction, params.expand);
}
