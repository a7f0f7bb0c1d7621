import { CHECKOUT_CSS } from "./css";
import { EXPIRY_SCRIPT } from "./expiry-script";
import { documentHtml, escapeHtml, safeHref } from "./html";
import type { Product } from "../domain/model/catalog";
import type { CheckoutSession, LineItem } from "../domain/model/checkout";
import { formatAmount } from "./money";
import { TEST_CARDS, TEST_IBANS } from "../domain/test-instruments";

export type FieldName = "email" | "card_number" | "card_expiry" | "card_cvc" | "card_name" | "iban" | "iban_name";
export type FormValues = Partial<Record<FieldName | "method", string>>;

export interface CheckoutView {
  /** The account's public business name: "Pay …". */
  businessName: string;
  session: CheckoutSession;
  lineItems: readonly LineItem[];
  products: ReadonlyMap<string, Product>;
  values: FormValues;
  fieldErrors: Partial<Record<FieldName, string>>;
  /** A payment-level problem such as a decline; shown at the top of the form. */
  alert: string | null;
}

const METHOD_LABELS = { card: "Card", sepa_debit: "SEPA Direct Debit", customer_balance: "Bank transfer" } as const;

export function renderCheckout(view: CheckoutView): string {
  const { session } = view;
  const total = formatAmount(session.amount_total, session.currency);
  const body = `<a class="skip" href="#payment">Skip to payment form</a>
<div class="layout">
<section class="summary" aria-labelledby="summary-heading">
  <div class="top">${backLink(session)}<span class="badge">Test mode</span></div>
  <h1 id="summary-heading" class="merchant">Pay ${escapeHtml(view.businessName)}</h1>
  <p class="amount">${escapeHtml(total)}</p>
  <ul class="items">${view.lineItems.map((item) => renderItem(item, view.products)).join("")}</ul>
  <dl class="totals">
    <div><dt>Subtotal</dt><dd>${escapeHtml(formatAmount(session.amount_subtotal, session.currency))}</dd></div>
    <div class="grand"><dt>Total due</dt><dd>${escapeHtml(total)}</dd></div>
  </dl>
</section>
<main class="pay" id="payment">
${renderForm(view, total)}
</main>
</div>`;
  return documentHtml(`${view.businessName} – ${total}`, CHECKOUT_CSS, body, EXPIRY_SCRIPT);
}

function backLink(session: CheckoutSession): string {
  const href = safeHref(session.cancel_url);
  return href ? `<a class="back" href="${escapeHtml(href)}">← Back</a>` : "";
}

function renderItem(item: LineItem, products: ReadonlyMap<string, Product>): string {
  const product = products.get(item.price.product);
  // Checkout shows the product's first image; anything but http(s) is never put in a src.
  const image = product?.images.map(safeHref).find((href) => href !== null) ?? null;
  const initial = [...(item.description ?? product?.name ?? "").trim()][0]?.toUpperCase() ?? "";
  const thumb = image
    ? `<img class="thumb" src="${escapeHtml(image)}" alt="" width="42" height="42">`
    : `<span class="thumb initial" aria-hidden="true">${escapeHtml(initial)}</span>`;
  const unit = formatAmount(item.price.unit_amount, item.currency);
  const description = product?.description ? `<p class="item-meta">${escapeHtml(product.description)}</p>` : "";
  return `<li class="item">${thumb}<div><p class="item-name">${escapeHtml(item.description ?? "Item")}</p>${description}
<p class="item-meta">Qty ${item.quantity}${item.quantity > 1 ? ` · ${escapeHtml(unit)} each` : ""}</p></div>
<span class="item-total">${escapeHtml(formatAmount(item.amount_total, item.currency))}</span></li>`;
}

function renderForm(view: CheckoutView, total: string): string {
  const { session, values } = view;
  const methods = session.payment_method_types;
  const chosen = methods.find((m) => m === values.method) ?? methods[0] ?? "card";
  const messages = [view.alert, ...Object.values(view.fieldErrors)].filter((m): m is string => Boolean(m));
  const alert =
    messages.length === 0
      ? ""
      : messages.length === 1
        ? escapeHtml(messages[0] ?? "")
        : `Please fix the following:<ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join("")}</ul>`;
  const tabs = methods
    .map(
      (
        m,
      ) => `<div class="tab"><input type="radio" name="method" id="method-${m}" value="${m}"${m === chosen ? " checked" : ""}>
<label for="method-${m}">${METHOD_LABELS[m]}</label></div>`,
    )
    .join("");
  const input = (name: FieldName, label: string, attrs: string) => field(view, name, label, attrs);
  const email = values.email ?? session.customer_email ?? "";
  return `<form method="post" action="/c/pay/${escapeHtml(session.id)}">
<div id="form-alert" class="alert" role="alert">${alert}</div>
<h2>Contact information</h2>
${field({ ...view, values: { ...values, email } }, "email", "Email", 'type="email" autocomplete="email" required')}
<fieldset><legend>Payment method</legend><div class="tabs">${tabs}</div>
${
  methods.includes("card")
    ? `<div class="panel panel-card"><h3>Card information</h3>
${input("card_number", "Card number", 'type="text" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234"')}
<div class="row"><div class="cell">${input("card_expiry", "Expiration (MM / YY)", 'type="text" inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"')}</div>
<div class="cell">${input("card_cvc", "CVC", 'type="text" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC"')}</div></div>
${input("card_name", "Name on card", 'type="text" autocomplete="cc-name"')}</div>`
    : ""
}
${
  methods.includes("sepa_debit")
    ? `<div class="panel panel-sepa_debit"><h3>SEPA Direct Debit</h3>
${input("iban", "IBAN", 'type="text" autocomplete="off" placeholder="DE00 0000 0000 0000 0000 00"')}
${input("iban_name", "Account holder name", 'type="text" autocomplete="name"')}
<p class="mandate">By providing your IBAN you authorise the merchant to debit your account. The payment is confirmed a few moments after you submit.</p></div>`
    : ""
}
${
  methods.includes("customer_balance")
    ? `<div class="panel panel-customer_balance"><h3>Bank transfer</h3>
<p class="mandate">After you place the order you get the bank details and a reference. Transfer ${escapeHtml(total)} from your bank with that reference; the order is paid when the transfer arrives.</p></div>`
    : ""
}
</fieldset>
<button class="pay-button" type="submit">Pay ${escapeHtml(total)}</button>
${testData(methods)}
</form>`;
}

function field(view: CheckoutView, name: FieldName, label: string, attrs: string): string {
  const error = view.fieldErrors[name];
  const value = name === "card_cvc" ? "" : (view.values[name] ?? "");
  const describedBy = error ? ` aria-invalid="true" aria-describedby="${name}-error"` : "";
  return `<label for="${name}">${escapeHtml(label)}</label>
<input id="${name}" name="${name}" ${attrs} value="${escapeHtml(value)}"${describedBy}>${
    error ? `<p class="field-error" id="${name}-error">${escapeHtml(error)}</p>` : ""
  }`;
}

function testData(methods: readonly string[]): string {
  const cards = TEST_CARDS.map(
    (c) => `<tr><td><code>${spaced(c.number)}</code></td><td>${escapeHtml(c.label)}</td></tr>`,
  );
  const ibans = TEST_IBANS.map((t) => `<tr><td><code>${t.iban}</code></td><td>${escapeHtml(t.label)}</td></tr>`);
  const rows = [...(methods.includes("card") ? cards : []), ...(methods.includes("sepa_debit") ? ibans : [])].join("");
  const transfers = methods.includes("customer_balance")
    ? `<p>Bank transfer: no money moves. Fund the transfer with the reference shown after ordering, through <code>POST /_emulator/bank_transfers/fund</code> or Stripe's <code>fund_cash_balance</code> test helper.</p>`
    : "";
  return `<details class="test-data"><summary>Test cards and IBANs</summary>
<p>Use any future expiry date, any 3-digit CVC (4 for Amex) and any name.</p>${transfers}
<table><thead><tr><th scope="col">Number</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function spaced(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

export function renderStatus(
  title: string,
  message: string,
  link: { href: string | null; label: string } | null,
): string {
  const href = link ? safeHref(link.href) : null;
  const body = `<main class="status"><span class="badge">Test mode</span>
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${
    href && link ? `<p><a href="${escapeHtml(href)}">${escapeHtml(link.label)}</a></p>` : ""
  }</main>`;
  return documentHtml(title, CHECKOUT_CSS, body);
}
