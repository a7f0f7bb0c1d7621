import { expect, test } from "@playwright/test";

test("a shopper browses the catalog, adds a product and sees it in the cart after a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Goods for desk and home" })).toBeVisible();
  await expect(page.getByRole("article")).toHaveCount(12);

  await page.getByRole("link", { name: /Walnut Coasters/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Walnut Coasters" })).toBeVisible();
  await page.getByLabel("Quantity").selectOption("2");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("status")).toHaveText("Added 2 × Walnut Coasters to your cart.");
  await expect(page.getByRole("link", { name: "Cart, 2 items" })).toBeVisible();

  await page.getByRole("link", { name: "Cart, 2 items" }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  await page.reload();
  const line = page.getByTestId("cart-line");
  await expect(line).toHaveCount(1);
  await expect(line).toContainText("Walnut Coasters");
  await expect(page.getByTestId("cart-subtotal")).toHaveText("€72.00");

  await line.getByLabel("Quantity").fill("3");
  await expect(page.getByTestId("cart-subtotal")).toHaveText("€108.00");
});

test("the sold-out product cannot be added", async ({ page }) => {
  await page.goto("/products/beeswax-candle");
  await expect(page.getByText("Sold out", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add to cart" })).toHaveCount(0);
});
