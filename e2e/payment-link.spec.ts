import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { EMULATOR_SECRET_KEY } from "../tooling/launcher/payments";
import { createAdmin, E2E_DATABASE_URL, EMULATOR, payByCard } from "./support";

// An order an admin sends as a payment link, paid by the customer through the emailed link:
// the admin's order page and the customer's order page, both open beforehand, turn paid live.
const ADMIN = { email: "admin-links-e2e@example.com", password: "e2e-admin-password-0002" };
const CUSTOMER_EMAIL = "link-customer-e2e@example.com";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

async function signIn(page: Page): Promise<void> {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/admin$/);
}

/** Where the link sends the customer once paid: their order page (the link's redirect). */
async function orderPageOfLink(linkId: string): Promise<string> {
  const response = await fetch(`${EMULATOR}/v1/payment_links/${linkId}`, {
    headers: { authorization: `Bearer ${EMULATOR_SECRET_KEY}` },
  });
  const link = (await response.json()) as { after_completion: { redirect?: { url: string } } };
  const url = link.after_completion.redirect?.url;
  if (!url) throw new Error(`payment link ${linkId} has no redirect`);
  return url;
}

test.beforeAll(() => {
  test.setTimeout(120_000);
  createAdmin(ADMIN);
});

test("the admin sends a payment link, the customer pays it by card, and both order pages turn paid live", async ({
  page,
  browser,
}) => {
  await signIn(page);
  await page.goto("/admin/orders");
  await page.getByRole("link", { name: "Create order and send payment link" }).click();
  await page.waitForURL(/\/admin\/orders\/new$/);
  await page.getByLabel("Quantity of Linen Notebook").fill("2");
  await page.getByLabel("Customer's email").fill(CUSTOMER_EMAIL);
  await page.getByLabel(/^Note to the customer/).fill("Your two notebooks, as discussed");
  await page.getByRole("button", { name: "Create order and send payment link" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.waitForURL(new RegExp(`/admin/orders/${UUID.source}$`));
  const orderId = UUID.exec(new URL(page.url()).pathname)?.[0] ?? "";
  await expect(page.getByTestId("admin-order-status")).toHaveText("Pending");
  const panel = page.getByRole("region", { name: "Payment link" });
  await expect(panel).toContainText("Link sent on");
  await expect(panel).toContainText("Payment due by");
  await expect(panel.getByRole("button", { name: "Copy the payment link" })).toBeVisible();

  // The customer's email, as the store wrote it.
  const mailbox = await page.context().newPage();
  await mailbox.goto("/admin/mailbox");
  const email = mailbox.getByRole("listitem").filter({ hasText: CUSTOMER_EMAIL }).filter({ hasText: "ready to pay" });
  await email.locator("summary").click();
  const text = (await email.locator("pre").textContent()) ?? "";
  expect(text).toContain("Your two notebooks, as discussed");
  const payUrl = /Pay here: (\S+)/.exec(text)?.[1] ?? "";
  expect(payUrl).toMatch(/\/b\/plink_\w+$/);
  await expect(panel.getByTestId("admin-payment-link")).toHaveText(payUrl);
  await mailbox.close();

  // The customer's order page, open before they pay.
  const customer = await browser.newContext();
  const orderPage = await customer.newPage();
  const orderUrl = await orderPageOfLink(payUrl.split("/").at(-1) ?? "");
  expect(orderUrl).toContain(`/orders/${orderId}?token=`);
  await orderPage.goto(orderUrl.replace(/^http:\/\/[^/]+/, ""));
  await expect(orderPage.getByRole("heading", { name: /^Awaiting your payment \(link sent on / })).toBeVisible();
  await expect(orderPage.getByRole("link", { name: "Pay now" })).toHaveAttribute("href", payUrl);
  await expect(orderPage.getByTestId("order-status")).not.toHaveText("Paid");

  // The customer follows the emailed link and pays by card.
  const payPage = await customer.newPage();
  await payPage.goto(payUrl);
  await payPage.waitForURL(/\/c\/pay\/cs_/);
  // A link's session knows no customer: Checkout asks for the email.
  await payPage.getByLabel("Email").fill(CUSTOMER_EMAIL);
  await payByCard(payPage, "4242 4242 4242 4242");
  await payPage.waitForURL(new RegExp(`/orders/${orderId}\\?token=`));

  // Both pages opened beforehand turn paid without a reload.
  await expect(orderPage.getByTestId("order-status")).toHaveText("Paid", { timeout: 20_000 });
  await expect(orderPage.getByTestId("payment-link-callout")).toHaveCount(0);
  await expect(page.getByTestId("admin-order-status")).toHaveText("Paid", { timeout: 20_000 });
  await expect(page.getByRole("region", { name: "Payment link" })).toContainText("Paid: the link can no longer");
  await customer.close();
});

/** What the store lists as available of a product (stock net of reservations). */
async function available(page: Page, name: string): Promise<number> {
  const body = (await (await page.request.get("/api/products")).json()) as {
    products: Array<{ name: string; stock: number }>;
  };
  const product = body.products.find((p) => p.name === name);
  if (!product) throw new Error(`no product ${name}`);
  return product.stock;
}

test("a link left unpaid past its deadline is deactivated and its stock goes back on sale", async ({ page }) => {
  await signIn(page);
  const before = await available(page, "Brass Pen");
  await page.goto("/admin/orders/new");
  await page.getByLabel("Quantity of Brass Pen").fill("3");
  await page.getByLabel("Customer's email").fill(CUSTOMER_EMAIL);
  await page.getByRole("button", { name: "Create order and send payment link" }).click();
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.waitForURL(new RegExp(`/admin/orders/${UUID.source}$`));
  const orderId = UUID.exec(new URL(page.url()).pathname)?.[0] ?? "";
  const payUrl = (await page.getByTestId("admin-payment-link").textContent()) ?? "";
  expect(await available(page, "Brass Pen")).toBe(before - 3);

  // Its days pass: the deadline is moved into the past, and the store's deadline check does the rest.
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`update "Order" set "paymentDueAt" = now() - interval '1 minute' where id = $1`, [orderId]);
  } finally {
    await client.end();
  }
  await expect(page.getByTestId("admin-order-status")).toHaveText("Cancelled", { timeout: 20_000 });
  await expect.poll(() => available(page, "Brass Pen"), { timeout: 10_000 }).toBe(before);
  const link = await fetch(`${EMULATOR}/v1/payment_links/${payUrl.split("/").at(-1)}`, {
    headers: { authorization: `Bearer ${EMULATOR_SECRET_KEY}` },
  });
  expect(((await link.json()) as { active: boolean }).active).toBe(false);
  // The customer following the emailed link is told it no longer works.
  await page.goto(payUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link is no longer active");
});
