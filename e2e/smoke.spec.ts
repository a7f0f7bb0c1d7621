import { expect, test } from "@playwright/test";
import { checkOut } from "./support";

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

test("back from Checkout to the cart and out again resumes the same checkout, holding the stock once", async ({
  page,
}) => {
  const stock = async () => {
    const { products } = (await (await page.request.get("/api/products")).json()) as {
      products: Array<{ name: string; stock: number }>;
    };
    return products.find((p) => p.name === "Brass Pen")?.stock;
  };
  const before = await stock();
  await checkOut(page, "Brass Pen");
  const checkoutUrl = page.url();
  expect(await stock()).toBe((before ?? 0) - 1);
  for (let round = 0; round < 2; round += 1) {
    await page.getByRole("link", { name: "← Back" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You left the checkout" })).toBeVisible();
    await page.getByRole("link", { name: "Back to the cart" }).click();
    await page.getByRole("button", { name: "Check out" }).click();
    await page.waitForURL(/\/c\/pay\/cs_/);
    expect(page.url()).toBe(checkoutUrl);
  }
  expect(await stock()).toBe((before ?? 0) - 1);
});
