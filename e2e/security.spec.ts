import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { type APIRequestContext, expect, test } from "@playwright/test";
import pg from "pg";
import { APP_PORT, createAdmin, E2E_DATABASE_URL } from "./support";

// Security claims of SECURITY.md, checked against the production build as `next start` serves it.
const ADMIN = { email: "security-e2e@example.com", password: "security-e2e-password-01" };

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

test.beforeAll(() => createAdmin(ADMIN));

type Placed = { orderId: string; statusUrl: string; product: { id: string; slug: string } };

/** An order of our own, placed through the public checkout for a product with stock to spare. */
async function placeOrder(request: APIRequestContext, clientIp: string): Promise<Placed> {
  const { products } = (await (await request.get("/api/products")).json()) as {
    products: Array<{ id: string; slug: string; stock: number }>;
  };
  const product = products.find((p) => p.stock > 5);
  expect(product).toBeDefined();
  const placed = await request.post("/api/checkout", {
    data: { items: [{ productId: product!.id, quantity: 1 }] },
    headers: { "x-forwarded-for": clientIp },
  });
  expect(placed.status()).toBe(200);
  return { ...((await placed.json()) as Omit<Placed, "product">), product: product! };
}

test("no secret reaches the files sent to browsers", () => {
  const root = path.join(process.cwd(), ".next/static");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) =>
    /\.(js|css|html|json|txt)$/.test(f),
  );
  expect(files.length).toBeGreaterThan(10);
  // CI builds with canary values of every secret (see .ci/run); locally the patterns still apply.
  const canaries = ["buildcanary", "authcanary"];
  const shapes = [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/, /\bwhsec_[A-Za-z0-9]{8,}/, /postgres(ql)?:\/\/[^\s"'`]*@/];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), "utf8");
    for (const canary of canaries) expect(text, `${file} contains ${canary}`).not.toContain(canary);
    for (const shape of shapes) expect(text, `${file} matches ${shape}`).not.toMatch(shape);
  }
});

test("pages and APIs carry the security headers", async ({ request }) => {
  const tokenPaths = [
    "/orders/00000000-0000-4000-8000-000000000000",
    "/api/orders/00000000-0000-4000-8000-000000000000?token=x",
    "/api/orders/00000000-0000-4000-8000-000000000000/events?token=x",
    "/checkout/success",
    "/checkout/cancelled",
  ];
  for (const url of ["/", "/cart", "/sign-in", "/api/products", ...tokenPaths]) {
    const response = await request.get(url, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], url).toContain("script-src 'self' 'unsafe-inline';");
    expect(headers["content-security-policy"], url).not.toContain("unsafe-eval");
    expect(headers["x-frame-options"], url).toBe("DENY");
    // Where the URL carries an order's token, no Referer leaves the page.
    expect(headers["referrer-policy"], url).toBe(
      tokenPaths.includes(url) ? "no-referrer" : "strict-origin-when-cross-origin",
    );
    expect(headers["x-content-type-options"], url).toBe("nosniff");
    expect(headers["x-powered-by"], url).toBeUndefined();
    // Served over plain http on localhost: HSTS would pin localhost to https.
    expect(headers["strict-transport-security"], url).toBeUndefined();
  }
});

test("a sign-in posted without next-auth's CSRF token is refused", async ({ request }) => {
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email: ADMIN.email, password: ADMIN.password, json: "true" },
    maxRedirects: 0,
  });
  // next-auth sends the form back to its sign-in page with csrf=true, and no session is made.
  const answer = `${response.headers()["location"] ?? ""} ${await response.text()}`;
  expect(answer).toContain("csrf=true");
  expect(response.headers()["set-cookie"] ?? "").not.toContain("session-token");
  const session = await request.get("/api/auth/session");
  expect(await session.json()).toEqual({});
});

test("an admin action posted from another origin is refused; from the store it runs", async ({ page }) => {
  test.setTimeout(90_000);
  const order = await placeOrder(page.request, "198.51.100.7");
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/admin$/);
  await page.goto(`/admin/orders/${order.orderId}`);

  // Capture the browser's own server-action request for "Resync from Stripe".
  const resync = page.getByRole("heading", { name: "Resync" }).locator("..");
  await resync.getByRole("button", { name: "Resync from Stripe" }).click();
  const [captured] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    resync.getByRole("button", { name: "Confirm" }).click(),
  ]);
  await expect(resync.getByRole("status")).not.toBeEmpty();
  const audits = async () =>
    (await query<{ n: string }>(`select count(*) as n from "AuditLog" where "orderId" = $1`, [order.orderId]))[0]?.n;
  const before = await audits();

  const replay = (origin: string) =>
    page.request.fetch(captured.url(), {
      method: "POST",
      headers: { ...captured.headers(), origin, host: `localhost:${APP_PORT}` },
      data: captured.postDataBuffer() ?? undefined,
      maxRedirects: 0,
    });
  const forged = await replay("https://evil.example");
  expect(forged.ok()).toBe(false);
  expect(await audits()).toBe(before);

  const genuine = await replay(`http://localhost:${APP_PORT}`);
  expect(genuine.status()).toBe(200);
  expect(Number(await audits())).toBe(Number(before) + 1);
});

test("shop pages run their scripts without a Content-Security-Policy violation", async ({ page }) => {
  // Every violation the browser reports, from the first script on, and every console error.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  // The order page parses live frames, the cart parses storage and /api/products: all with zod.
  const { product, statusUrl } = await placeOrder(page.request, "198.51.100.8");
  const status = new URL(statusUrl);

  await page.goto("/");
  expect(await violations()).toEqual([]);
  await page.goto(`/products/${product.slug}`);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("link", { name: "Cart, 1 item" })).toBeVisible();
  expect(await violations()).toEqual([]);
  await page.goto("/cart");
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
  expect(await violations()).toEqual([]);
  await page.goto(`${status.pathname}${status.search}`);
  await expect(page.getByText("Live: updates appear as they happen.")).toBeVisible();
  expect(await violations()).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test("after a real sign-in the browser stays on the store, whatever the callbackUrl says", async ({ browser }) => {
  test.setTimeout(120_000);
  const variants = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%09%5cevil.example",
    "/%09%5c/evil.example",
    "/%0d%0a/evil.example",
    "//evil.example",
    "/%5cevil.example",
    "https://evil.example/",
  ];
  for (const [i, variant] of variants.entries()) {
    // A fresh browser context each time, from its own address, so each is a first sign-in.
    const context = await browser.newContext({
      baseURL: `http://localhost:${APP_PORT}`,
      extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${60 + i}` },
    });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).hostname !== "localhost") elsewhere.push(r.url());
    });
    await page.goto(`/sign-in?callbackUrl=${variant}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/admin$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(new URL(page.url()).origin, variant).toBe(`http://localhost:${APP_PORT}`);
    expect(elsewhere, variant).toEqual([]);
    await context.close();
  }
});

/** Posts `bytes` to a path with chunked transfer encoding (no Content-Length), as a raw client would. */
function postChunked(pathname: string, bytes: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port: APP_PORT, path: pathname, method: "POST", headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      // The server may answer and close before the whole body is sent.
      error.code === "EPIPE" || error.code === "ECONNRESET" ? resolve(-1) : reject(error),
    );
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test("anonymous requests with odd shapes get a 4xx, never a 500", async ({ request }) => {
  const big = Buffer.alloc(1_100_000, 0x61);
  const multipart = await request.post("/", {
    multipart: { file: { name: "a.bin", mimeType: "text/plain", buffer: big } },
  });
  expect(multipart.status()).toBe(413);
  const action = await request.post("/cart", {
    headers: { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" },
    data: big.toString(),
  });
  expect(action.status()).toBe(413);
  expect(await postChunked("/", 2_000_000, { "content-type": "multipart/form-data; boundary=x" })).toBe(411);
  for (const path of ["/api/orders/%ZZ", "/orders/%E0%A4%A", "/api/orders/%ZZ/events", "/products/%E0%A4%A"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeGreaterThanOrEqual(400);
    expect(response.status(), path).toBeLessThan(500);
  }
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signOut = await request.post("/api/auth/signout", {
    form: { csrfToken: csrf.csrfToken, callbackUrl: "/admin\r\nSet-Cookie: x=1", json: "true" },
    maxRedirects: 0,
  });
  expect(signOut.status()).toBeLessThan(500);
  expect(signOut.headers()["set-cookie"] ?? "").not.toContain("x=1");
});
