import { expect, type Page, test } from "@playwright/test";

// Nothing on a shop page may move once it is on screen (Cumulative Layout Shift), on a phone
// and with product images that arrive after the page has been painted, as on a slow network.
test.use({ viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true });

const IMAGE_DELAY_MS = 1_500;

type Shift = { value: number; sources: string[] };

/** Opens a page with late images and returns every layout shift it made before settling. */
async function shiftsOf(page: Page, url: string): Promise<Shift[]> {
  await page.route(/\/products\/[^/]+\.svg$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, IMAGE_DELAY_MS));
    await route.continue();
  });
  await page.addInitScript(() => {
    const shifts: Array<{ value: number; sources: string[] }> = [];
    Object.assign(window, { __layoutShifts: shifts });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<
        PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: Array<{ node?: Node | null }> }
      >) {
        if (entry.hadRecentInput) continue;
        shifts.push({
          value: entry.value,
          sources: (entry.sources ?? []).map((s) =>
            s.node instanceof Element ? s.node.outerHTML.slice(0, 120) : String(s.node?.nodeName),
          ),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url);
  await page.waitForLoadState("networkidle");
  // Every image the page loads up front has arrived and been laid out (lazy ones wait for a scroll).
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.images]
          .filter((img) => img.loading !== "lazy")
          .every((img) => img.complete && img.naturalWidth > 0),
      ),
    )
    .toBe(true);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => (window as unknown as { __layoutShifts: Shift[] }).__layoutShifts);
}

function total(shifts: Shift[]): number {
  return shifts.reduce((sum, s) => sum + s.value, 0);
}

test("the catalog keeps its layout while product images load", async ({ page }) => {
  const shifts = await shiftsOf(page, "/");
  expect(await page.locator('main img:not([loading="lazy"])').count()).toBeGreaterThanOrEqual(4);
  expect(total(shifts), JSON.stringify(shifts)).toBeLessThan(0.001);
});

test("a product page keeps its layout while its image loads", async ({ page, request }) => {
  const { products } = (await (await request.get("/api/products")).json()) as { products: Array<{ slug: string }> };
  const shifts = await shiftsOf(page, `/products/${products[0]!.slug}`);
  expect(total(shifts), JSON.stringify(shifts)).toBeLessThan(0.001);
});

test("the empty cart keeps its layout once the saved cart has been read", async ({ page }) => {
  const shifts = await shiftsOf(page, "/cart");
  await expect(page.getByText("Your cart is empty.")).toBeVisible();
  expect(total(shifts), JSON.stringify(shifts)).toBeLessThan(0.001);
});

test("the catalog's first picture is fetched first, those further down only when scrolled near", async ({
  request,
}) => {
  const html = await (await request.get("/")).text();
  const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
  expect(images.length).toBeGreaterThan(4);
  expect(images[0]).toContain('fetchPriority="high"');
  for (const img of images.slice(1)) expect(img).not.toContain("fetchPriority");
  for (const img of images.slice(1, 4)) expect(img).not.toContain('loading="lazy"');
  for (const img of images.slice(4)) expect(img).toContain('loading="lazy"');
});
