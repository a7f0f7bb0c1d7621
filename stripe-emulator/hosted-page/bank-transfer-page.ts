/**
 * The bank transfer instructions page (`hosted_instructions_url`, and the hosted checkout page
 * after the shopper chose a bank transfer): amount still due, where to send it and the reference.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Core } from "../domain/core";
import type { FinancialAddress } from "../domain/model/bank-transfers";
import type { PaymentIntent } from "../domain/model/payments";
import { sendHtml } from "../api/http";
import { CHECKOUT_CSS } from "./css";
import { documentHtml, escapeHtml, safeHref } from "./html";
import { formatAmount } from "./money";
import { renderStatus } from "./render";

export function handleInstructionsPage(core: Core, req: IncomingMessage, res: ServerResponse, intentId: string) {
  core.scheduler.runDue();
  const intent = core.store.paymentIntents.get(intentId);
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendHtml(res, 405, renderStatus("Method not allowed", "This page only shows instructions.", null));
  } else if (!intent?.payment_method_types.includes("customer_balance")) {
    sendHtml(res, 404, renderStatus("Instructions not found", "There is no bank transfer at this address.", null));
  } else {
    sendHtml(res, 200, renderInstructions(intent, null));
  }
}

/** What the shopper sees; `continueHref` links back to the store when the page follows checkout. */
export function renderInstructions(intent: PaymentIntent, continueHref: string | null): string {
  const instructions = intent.next_action?.display_bank_transfer_instructions;
  const link = safeHref(continueHref);
  const back = link ? `<p><a href="${escapeHtml(link)}">Return to the store</a></p>` : "";
  if (!instructions) {
    const [title, message] =
      intent.status === "succeeded"
        ? ["Payment received", "Your bank transfer has arrived. Thank you!"]
        : ["Bank transfer no longer needed", "This payment was canceled; money sent for it stays on your balance."];
    return renderStatus(title, message, link ? { href: link, label: "Return to the store" } : null);
  }
  const due = formatAmount(instructions.amount_remaining, instructions.currency);
  const paidSoFar = intent.amount - instructions.amount_remaining;
  const body = `<main class="status instructions"><span class="badge">Test mode</span>
<h1>Complete your payment by bank transfer</h1>
<p>Send <strong>${escapeHtml(due)}</strong> to the account below. Include the reference so the payment is matched to your order.</p>
${paidSoFar > 0 ? `<p>Received so far: ${escapeHtml(formatAmount(paidSoFar, intent.currency))} of ${escapeHtml(formatAmount(intent.amount, intent.currency))}.</p>` : ""}
<dl class="totals">
<div><dt>Amount</dt><dd>${escapeHtml(due)}</dd></div>
<div><dt>Reference</dt><dd><code>${escapeHtml(instructions.reference)}</code></dd></div>
${instructions.financial_addresses.map(renderAddress).join("\n")}
</dl>
<details class="test-data"><summary>Testing this payment</summary>
<p>No money moves in test mode. Simulate the transfer with <code>POST /_emulator/bank_transfers/fund</code> and
<code>{"reference": "${escapeHtml(instructions.reference)}", "amount": ${instructions.amount_remaining}}</code>, or with Stripe's
<code>POST /v1/test_helpers/customers/${escapeHtml(intent.customer ?? "")}/fund_cash_balance</code>. Less than the amount funds the payment partly; more leaves the rest on the customer's cash balance.</p></details>
${back}</main>`;
  return documentHtml(`Bank transfer – ${due}`, CHECKOUT_CSS, body);
}

function row(label: string, value: string): string {
  return `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`;
}

function renderAddress(address: FinancialAddress): string {
  if (address.iban) {
    const { iban } = address;
    return [
      row("IBAN", iban.iban.replace(/(.{4})(?=.)/g, "$1 ")),
      row("BIC", iban.bic),
      row("Account holder", iban.account_holder_name),
    ].join("\n");
  }
  if (address.aba) {
    const { aba } = address;
    return [
      row("Account number", aba.account_number),
      row("Routing number (ABA)", aba.routing_number),
      row("Bank", aba.bank_name),
      row("Account holder", aba.account_holder_name),
    ].join("\n");
  }
  if (address.swift) return row("SWIFT code (international wires)", address.swift.swift_code);
  return "";
}
