import { expect, type APIRequestContext, type Page, test } from "@playwright/test";
import { EMULATOR_SECRET_KEY } from "../tooling/launcher/payments";
import { EMULATOR, INSTANCE_A, INSTANCE_B } from "./support";

// Catalog pages are prerendered and revalidated every 60 s. A stock change must not wait for
// that: PostgreSQL announces it and every instance refreshes its copy of the pages concerned.
// The last Star Map Print is reserved through instance A; instance B's pages must follow.
const SLUG = "star-map-print";
/** Well under the pages' 60 s revalidation: only the announced change can explain an update this fast. */
const FRESH_WITHIN_MS = 5_000;

/** Makes B's cached copy of a page a fresh one (a HIT), so a timed revalidation cannot be what updates it. */
async function warm(request: APIRequestContext, path: string): Promise<void> {
  await expect(async () => {
    const response = await request.get(`${INSTANCE_B}${path}`);
    expect(response.headers()["x-nextjs-cache"]).toBe("HIT");
  }).toPass({ timeout: 20_000 });
}

/** Reloads B's product page until it shows `text`, for at most FRESH_WITHIN_MS. */
async function expectStockShown(page: Page, text: string): Promise<void> {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("stock")).toHaveText(text, { timeout: 200 });
  }).toPass({ timeout: FRESH_WITHIN_MS, intervals: [100] });
}

test("a reservation on instance A shows on instance B's catalog pages at once, and so does its release", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { products } = (await (await page.request.get(`${INSTANCE_A}/api/products`)).json()) as {
    products: Array<{ id: string; slug: string; stock: number }>;
  };
  const product = products.find((p) => p.slug === SLUG);
  expect(product?.stock).toBe(1);

  await warm(page.request, `/products/${SLUG}`);
  await warm(page.request, "/");
  await page.goto(`${INSTANCE_B}/products/${SLUG}`);
  await expect(page.getByTestId("stock")).toHaveText("Only 1 left in stock");

  const placed = await page.request.post(`${INSTANCE_A}/api/checkout`, {
    data: { items: [{ productId: product!.id, quantity: 1 }] },
    headers: { "x-forwarded-for": "198.51.100.21" },
  });
  expect(placed.status()).toBe(200);
  const sessionId = ((await placed.json()) as { url: string }).url.split("/").pop() ?? "";
  expect(sessionId).toMatch(/^cs_/);

  const started = Date.now();
  await expectStockShown(page, "Out of stock");
  const soldOutAfter = Date.now() - started;
  await page.goto(`${INSTANCE_B}/`);
  const card = page.getByRole("article").filter({ hasText: "Star Map Print" });
  await expect(card.getByText("Sold out", { exact: true })).toBeVisible({ timeout: 1_000 });
  await expect(page.getByRole("link", { name: /Star Map Print/ })).toBeVisible();

  // The shopper walks away: the session expires, Stripe tells A, the unit goes back on the shelf.
  await warm(page.request, `/products/${SLUG}`);
  const expired = await page.request.post(`${EMULATOR}/v1/checkout/sessions/${sessionId}/expire`, {
    headers: { authorization: `Bearer ${EMULATOR_SECRET_KEY}` },
  });
  expect(expired.status()).toBe(200);
  await page.goto(`${INSTANCE_B}/products/${SLUG}`);
  await expectStockShown(page, "Only 1 left in stock");
  console.log(`instance B showed the reservation ${soldOutAfter} ms after the checkout on A`);
});
