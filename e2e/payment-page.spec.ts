import { expect, test, type Page } from "@playwright/test";
import { checkOut, EMULATOR, payByCard } from "./support";

/** Every console error and uncaught exception on the page from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** The top edges of the expiry and CVC labels and fields: a row lines up when each pair matches. */
async function expiryRow(page: Page) {
  const top = async (selector: string) => (await page.locator(selector).boundingBox())?.y ?? Number.NaN;
  return {
    labels: [await top('label[for="card_expiry"]'), await top('label[for="card_cvc"]')],
    fields: [await top("#card_expiry"), await top("#card_cvc")],
  };
}

test("the Checkout page carries the store's name and pictures, lines up its fields, formats the expiry and logs no errors", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const errors = collectErrors(page);
  await checkOut(page, "Walnut Coasters");

  await expect(page.getByRole("heading", { level: 1, name: "Pay Fieldnote Goods" })).toBeVisible();
  await expect(page).toHaveTitle(/^Fieldnote Goods – /);
  const thumb = page.locator("img.thumb");
  await expect(thumb).toHaveCount(1);
  await expect(thumb).toHaveAttribute("src", /^http:\/\/localhost:\d+\/products\/[\w-]+\.svg$/);
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect((await page.request.get(`${EMULATOR}/favicon.ico`)).status()).toBe(200);

  const expiry = page.getByLabel("Expiration (MM / YY)");
  await expiry.pressSequentially("1234");
  await expect(expiry).toHaveValue("12 / 34");
  await expiry.fill("");
  await expiry.pressSequentially("4");
  await expect(expiry).toHaveValue("04");

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(width);
    const row = await expiryRow(page);
    expect(row.labels[0]).toBeCloseTo(row.labels[1] ?? Number.NaN, 0);
    expect(row.fields[0]).toBeCloseTo(row.fields[1] ?? Number.NaN, 0);
  }

  await payByCard(page, "4242 4242 4242 4242");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment received — thank you!");
  expect(errors).toEqual([]);
});
