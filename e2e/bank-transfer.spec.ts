import { expect, test } from "@playwright/test";
import { EMULATOR } from "./support";

/** Sends money as the shopper's bank would, quoting the reference (the emulator's control API). */
async function transfer(reference: string, amount: number): Promise<void> {
  const response = await fetch(`${EMULATOR}/_emulator/bank_transfers/fund`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ reference, amount }),
  });
  expect(response.ok).toBe(true);
}

test("paying by bank transfer: the instructions, then a part and the rest arriving turn the order page partial, then paid, without a reload", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("link", { name: /Wool Scarf/ }).click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByRole("link", { name: /^Cart, \d+ items?$/ }).click();
  await page.getByLabel("Email for your receipt (optional)").fill("transfer@example.com");
  await page.getByRole("radio", { name: /Bank transfer/ }).check();
  await page.getByRole("button", { name: "Check out" }).click();
  await page.waitForURL(/\/c\/pay\/cs_/);
  await page.getByRole("button", { name: /^Pay / }).click();
  // Checkout shows the bank details too, then links back to the store.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Complete your payment by bank transfer");
  await page.getByRole("link", { name: "Return to the store" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Order placed — now send your bank transfer");
  await page.getByRole("link", { name: "Go to your order" }).click();
  const status = page.getByTestId("order-status");
  await expect(status).toHaveText("Awaiting your bank transfer");
  const instructions = page.getByTestId("transfer-instructions");
  await expect(instructions).toContainText("€64.00");
  await expect(instructions).toContainText(/IBAN\s*DE\d{20}/);
  await expect(instructions).toContainText("Pay by");
  const reference = (await instructions.locator("dd.font-mono.font-semibold").textContent())?.trim() ?? "";
  expect(reference).toMatch(/\w{6,}/);

  let reloaded = false;
  page.on("load", () => (reloaded = true));
  await transfer(reference, 2000);
  await expect(status).toHaveText("Bank transfer partly received", { timeout: 20_000 });
  await expect(page.getByTestId("amount-received")).toHaveText("€20.00 of €64.00 received");
  await expect(instructions).toContainText("€44.00");

  await transfer(reference, 4400);
  await expect(status).toHaveText("Paid", { timeout: 20_000 });
  expect(reloaded).toBe(false);
  await expect(page.getByRole("status").first()).toContainText("Your payment is confirmed");
  await expect(page.getByText("Bank transfer received in full")).toBeVisible();
});
