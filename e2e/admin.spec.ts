import { randomBytes } from "node:crypto";
import { expect, type Locator, type Page, test } from "@playwright/test";
import bcrypt from "bcryptjs";
import pg from "pg";
import { APP_PORT, checkOut, createAdmin, E2E_DATABASE_URL, payByCard } from "./support";

// The admin dashboard, signed in through the real sign-in form against the production build.
// The admin is made with the real CLI; other users are written straight into the e2e database.
const ADMIN = { email: "admin-e2e@example.com", password: "e2e-admin-password-0001" };
const CUSTOMER = { email: "customer-e2e@example.com", password: "e2e-customer-password-01" };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** Creates (or resets) a customer with a password. */
async function upsertCustomer(user: { email: string; password: string }): Promise<void> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    await client.query(
      `insert into "User" (id, email, "passwordHash", role, "createdAt", "updatedAt")
       values ($1, $2, $3, 'CUSTOMER', now(), now())
       on conflict (email) do update set "passwordHash" = excluded."passwordHash", role = 'CUSTOMER', "updatedAt" = now()`,
      [`c${randomBytes(12).toString("hex")}`, user.email, await bcrypt.hash(user.password, 10)],
    );
  } finally {
    await client.end();
  }
}

/** Submits the sign-in form once; returns where next-auth sends the browser (with `error=` on refusal). */
async function submitSignIn(page: Page, user: { email: string; password: string }): Promise<string> {
  await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  const answered = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
  await page.getByRole("button", { name: "Sign in" }).click();
  const { url } = (await (await answered).json()) as { url: string };
  return url;
}

/** Signs in on /sign-in and waits to land on `landing` (the dashboard by default). */
async function signIn(page: Page, user: { email: string; password: string }, landing = /\/admin$/): Promise<void> {
  await page.goto("/sign-in");
  await submitSignIn(page, user);
  await page.waitForURL(landing);
}

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Buys a Linen Notebook (€19.00) by card and waits for the order to be paid; returns its id. */
async function buyPaidOrder(page: Page, email: string): Promise<string> {
  await checkOut(page, "Linen Notebook", email);
  await payByCard(page, "4242 4242 4242 4242");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment received — thank you!");
  await page.getByRole("link", { name: "Go to your order" }).click();
  await page.waitForURL(/\/orders\//);
  await expect(page.getByTestId("order-status")).toHaveText("Paid", { timeout: 20_000 });
  const orderId = UUID.exec(new URL(page.url()).pathname)?.[0];
  expect(orderId).toBeDefined();
  return orderId ?? "";
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  createAdmin(ADMIN);
  await upsertCustomer(CUSTOMER);
});

test("an anonymous visitor is sent to sign in, and the admin API answers 401", async ({ page, request }) => {
  await page.goto("/admin/orders");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fadmin%2Forders$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in to the dashboard");
  const response = await request.get("/api/admin/orders/export", { maxRedirects: 0 });
  expect(response.status()).toBe(401);
});

test("an admin finds a paid order, refunds part of it and sees Stripe's confirmation arrive live", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `refund-${Date.now()}@example.com`;
  const orderId = await buyPaidOrder(page, email);

  await signIn(page, ADMIN);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Orders" }).click();
  await page.waitForURL(/\/admin\/orders$/);
  const search = page.getByRole("search");
  await search.getByLabel("Search").fill(email);
  await search.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL(/[?&]q=/);
  await expect(page.getByRole("link", { name: /^Order / })).toHaveCount(1);
  await page.getByRole("link", { name: `Order ${orderId}` }).click();
  await page.waitForURL(`**/admin/orders/${orderId}`);

  await expect(page.getByTestId("admin-order-status")).toHaveText("Paid");
  const timeline = page.getByRole("list", { name: "Order timeline" });
  await expect(timeline.getByText("Order placed", { exact: true })).toBeVisible();
  await expect(timeline.getByText("Webhook checkout.session.completed", { exact: true })).toBeVisible();
  await expect(page.getByTestId("admin-order-refunded")).toHaveText("€0.00");

  let reloaded = false;
  page.on("load", () => (reloaded = true));
  const actions = page.getByRole("region", { name: "Actions" });
  await actions.getByLabel(/^Amount \(EUR\), at most €19\.00/).fill("5.00");
  await actions.getByRole("button", { name: "Refund…" }).click();
  await actions.getByRole("button", { name: "Confirm" }).click();
  await expect(actions.getByRole("status").filter({ hasText: "Refund of €5.00 sent to Stripe" })).toBeVisible();

  await expect(timeline.getByText("Webhook charge.refunded", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("admin-order-refunded")).toHaveText("€5.00", { timeout: 30_000 });
  await expect(page.getByText("Partially refunded", { exact: true })).toBeVisible();
  await expect(page.getByTestId("admin-order-status")).toHaveText("Paid");
  expect(reloaded).toBe(false);
});

test("five failed sign-ins lock out that client only: the admin signs in from elsewhere during the attack", async ({
  page,
  browser,
}) => {
  // The attacker's address, as the load balancer reports it.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.90" });
  await page.goto("/sign-in");
  // The form's own alert (Next.js also renders an empty role=alert route announcer).
  const alert = page.getByRole("main").getByRole("alert");
  const password = page.getByLabel("Password");
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    expect(await submitSignIn(page, { email: ADMIN.email, password: `wrong-password-${attempt}` })).toContain(
      "error=invalid",
    );
    await expect(alert).toHaveText("That email and password do not match an account.");
    // The form clears itself once the refusal is shown; wait for that before typing again.
    await expect(password).toHaveValue("");
  }
  expect(await submitSignIn(page, { email: ADMIN.email, password: "wrong-password-5" })).toContain("error=locked");
  await expect(alert).toContainText("15 minutes");
  await expect(password).toHaveValue("");
  // The attacker cannot get in even with the right password…
  expect(await submitSignIn(page, ADMIN)).toContain("error=locked");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/admin/orders/export", { maxRedirects: 0 })).status()).toBe(401);
  // …and an unknown email from the same client answers exactly like a known one.
  expect(await submitSignIn(page, { email: "nobody-e2e@example.com", password: "wrong-password-1" })).toContain(
    "error=invalid",
  );

  // The admin, from their own address, signs in while the attacker is locked out.
  const owner = await browser.newContext({
    baseURL: `http://localhost:${APP_PORT}`,
    extraHTTPHeaders: { "x-forwarded-for": "198.51.100.91" },
  });
  try {
    await signIn(await owner.newPage(), ADMIN);
  } finally {
    await owner.close();
  }
});

test("a session cookie kept from before a sign-out no longer opens the dashboard", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  const kept = await page.context().cookies();
  expect((await page.request.get("/api/admin/orders/export", { maxRedirects: 0 })).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/admin"));
  // Someone who copied the cookie before the sign-out replays it.
  const thief = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}` });
  try {
    await thief.addCookies(kept);
    expect((await thief.request.get("/api/admin/orders/export", { maxRedirects: 0 })).status()).toBe(401);
    const page2 = await thief.newPage();
    await page2.goto("/admin");
    await expect(page2).toHaveURL(/\/sign-in/);
  } finally {
    await thief.close();
  }
});

test("a signed-in customer gets the 403 page on the dashboard and 403 from its API", async ({ page }) => {
  await signIn(page, CUSTOMER);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admins only");
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admins only");
  const api = await page.request.get("/api/admin/orders/export", { maxRedirects: 0 });
  expect(api.status()).toBe(403);
});

test("the orders filter and the refund confirmation work from the keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `keyboard-${Date.now()}@example.com`;
  const orderId = await buyPaidOrder(page, email);
  await signIn(page, ADMIN);
  await page.goto("/admin/orders");

  await tabTo(page, page.getByRole("search").getByLabel("Search"));
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await page.waitForURL(/[?&]q=/);
  await tabTo(page, page.getByRole("link", { name: `Order ${orderId}` }));
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/admin/orders/${orderId}`);

  const actions = page.getByRole("region", { name: "Actions" });
  await tabTo(page, actions.getByLabel(/^Amount \(EUR\)/));
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("1.00");
  await page.keyboard.press("Tab");
  await expect(actions.getByRole("button", { name: "Refund…" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(actions.getByRole("button", { name: "Confirm" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(actions.getByRole("status").filter({ hasText: "Refund of €1.00 sent to Stripe" })).toBeVisible();
});
