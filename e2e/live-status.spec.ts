import { expect, test } from "@playwright/test";
import { checkOut, payByCard, payBySepa } from "./support";

test("a direct debit that clears turns the order page from awaiting payment to paid without a reload", async ({
  page,
}) => {
  await checkOut(page, "Linen Notebook");
  await payBySepa(page, "DE89370400440532013000");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Order placed — your direct debit is on its way");
  await page.getByRole("link", { name: "Go to your order" }).click();
  const status = page.getByTestId("order-status");
  await expect(status).toHaveText("Direct debit in progress");
  let reloaded = false;
  page.on("load", () => (reloaded = true));
  await expect(status).toHaveText("Paid", { timeout: 20_000 });
  expect(reloaded).toBe(false);
  await expect(page.getByRole("status").first()).toContainText("Your payment is confirmed");
});

test("a direct debit that fails shows the failure live, and trying again with a card pays the same order", async ({
  page,
}) => {
  await checkOut(page, "Enamel Pin Set");
  await payBySepa(page, "DE62370400440532013001");
  await page.getByRole("link", { name: "Go to your order" }).click();
  await page.waitForURL(/\/orders\//);
  const orderUrl = page.url();
  const status = page.getByTestId("order-status");
  await expect(status).toHaveText("Payment failed", { timeout: 20_000 });
  await page.getByRole("button", { name: "Try again" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await payByCard(page, "4242 4242 4242 4242");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment received — thank you!");
  await page.goto(orderUrl);
  await expect(status).toHaveText("Paid");
  await expect(page.getByText("Payment attempt 2 started")).toBeVisible();
});

test("a declined card shows the error on the Checkout page and the session stays usable", async ({ page }) => {
  await checkOut(page, "Canvas Tote");
  await payByCard(page, "4000 0000 0000 0002");
  await expect(page.getByRole("alert")).toContainText(/declined/i);
  await payByCard(page, "4242 4242 4242 4242");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment received — thank you!");
});
