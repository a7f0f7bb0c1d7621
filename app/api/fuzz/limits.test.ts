/**
 * Fuzzes the instance's own route, request body limits and the security review's shapes with malformed input (fast-check generated and hand-picked). The
 * contract: no response has a 5xx status (or throws, which Next answers with a 500), every
 * answer is one of the route's documented statuses, and the routes still serve a normal
 * request afterwards (test/fuzz.ts).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { countingBody, SIXTY_FOUR_MB_CHUNKS } from "@/test/streams";
import { CATALOG_REVALIDATE_HEADER, catalogChangeSchema, catalogRevalidateSecret } from "@/lib/catalog/freshness";
import {
  NextRequestClass,
  RUNS,
  TWO_MB,
  authHandler,
  call,
  expectStatus,
  freshIp,
  getOrder,
  headerSafe,
  inRequestScope,
  jsonRequest,
  placed,
  postCatalogRevalidate,
  postCheckout,
  postWebhook,
  productId,
  weirdString,
  fuzzSuite,
} from "@/test/fuzz";

fuzzSuite(() => {
  describe("POST /api/internal/catalog-revalidate (the instance's own route)", () => {
    const route = "POST /api/internal/catalog-revalidate";
    const url = "http://localhost/api/internal/catalog-revalidate";

    test(`${RUNS} requests without the process's secret are 404, whatever they carry`, async () => {
      const secret = catalogRevalidateSecret();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(weirdString, fc.constant(`${secret}x`), fc.constant(secret.slice(1))),
          fc.oneof(fc.jsonValue(), weirdString),
          async (header, body) => {
            const outcome = await call(route, { header, body }, () =>
              postCatalogRevalidate(jsonRequest(url, body, { [CATALOG_REVALIDATE_HEADER]: headerSafe(header) })),
            );
            expectStatus(outcome, [404]);
          },
        ),
        { numRuns: RUNS },
      );
    });

    test(`${RUNS} malformed changes with the secret are 400`, async () => {
      const secret = catalogRevalidateSecret();
      const malformed = fc.oneof(
        fc.jsonValue(),
        fc.record({ all: fc.jsonValue(), slugs: fc.array(weirdString, { maxLength: 5 }) }),
        fc.record({ all: fc.boolean(), slugs: fc.array(fc.constant("ok"), { minLength: 201, maxLength: 260 }) }),
        fc.record({ all: fc.boolean(), slugs: fc.constant([]), extra: fc.jsonValue() }),
      );
      await fc.assert(
        fc.asyncProperty(
          // A well-formed change is the e2e suite's business (it needs Next's request scope).
          malformed.filter((body) => !catalogChangeSchema.safeParse(body).success),
          async (body) => {
            const outcome = await call(route, body, () =>
              postCatalogRevalidate(jsonRequest(url, body, { [CATALOG_REVALIDATE_HEADER]: secret })),
            );
            expectStatus(outcome, [400]);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  describe("request bodies are read only up to each route's limit", () => {
    const chunked = (url: string, headers: Record<string, string>) => {
      const body = countingBody(SIXTY_FOUR_MB_CHUNKS);
      const request = new Request(url, { method: "POST", headers, body: body.stream, duplex: "half" } as RequestInit);
      return { request, state: body.state };
    };

    test.each([
      ["POST /api/checkout", "http://localhost/api/checkout", { "content-type": "application/json" }],
      [
        "POST /api/webhook",
        "http://localhost/api/webhook",
        { "content-type": "application/json", "stripe-signature": "t=1,v1=x" },
      ],
      [
        "POST /api/internal/catalog-revalidate",
        "http://localhost/api/internal/catalog-revalidate",
        { "content-type": "application/json", [CATALOG_REVALIDATE_HEADER]: catalogRevalidateSecret() },
      ],
    ] as const)("%s: a chunked 64 MB body is refused with 413 after at most 1 MB read", async (route, url, headers) => {
      const { request, state } = chunked(url, headers);
      const handlers: Record<string, (r: Request) => Promise<Response>> = {
        "POST /api/checkout": (r) => postCheckout(r),
        "POST /api/webhook": (r) => postWebhook(r),
        "POST /api/internal/catalog-revalidate": (r) => postCatalogRevalidate(r),
      };
      const outcome = await call(route, "chunked 64 MB body", () => handlers[route]!(request));
      expect(outcome.status).toBe(413);
      expect(state.pulled * 64 * 1024).toBeLessThanOrEqual(1_100_000);
      expect(state.cancelled).toBe(true);
    });

    test("POST /api/auth/callback/credentials: a chunked 64 MB body is refused with 413 after 16 kB", async () => {
      const body = countingBody(SIXTY_FOUR_MB_CHUNKS);
      const request = new NextRequestClass("http://localhost:3000/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.stream,
        duplex: "half",
      } as RequestInit);
      const outcome = await call("POST /api/auth/callback/credentials", "chunked 64 MB body", () =>
        inRequestScope(request, () =>
          authHandler(request, { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) }),
        ),
      );
      expect(outcome.status).toBe(413);
      expect(body.state.pulled).toBeLessThanOrEqual(1);
    });
  });

  describe("the security review's shapes: broken percent-encoding, oversized multipart, CRLF in parameters", () => {
    const brokenEscape = fc.constantFrom("%ZZ", "%E0%A4%A", "%", "%C3%28", "%FF", "%u0041", "%%41", "%0");
    const crlf = fc
      .tuple(
        fc.string({ maxLength: 12 }),
        fc.constantFrom("\r\n", "\r", "\n", "%0d%0a", "\u2028", "\t"),
        fc.string({ maxLength: 12 }),
      )
      .map(([a, b, c]) => `${a}${b}${c}`);

    test(`${RUNS} paths with broken percent-escapes: 400 from the proxy, 404 from the order routes`, async () => {
      const { proxy } = await import("@/proxy");
      await fc.assert(
        fc.asyncProperty(
          brokenEscape,
          fc.constantFrom("/orders/", "/api/orders/", "/products/"),
          async (bad, prefix) => {
            const url = `http://localhost${prefix}x${bad}`;
            const outcome = await call("proxy", url, () => proxy(new NextRequestClass(url)));
            expectStatus(outcome, [400]);
            const order = await call("GET /api/orders/{id}", bad, () =>
              getOrder(new Request(`http://localhost/api/orders/${encodeURIComponent(bad)}?token=x`), {
                params: Promise.resolve({ orderId: bad }),
              }),
            );
            expectStatus(order, [404]);
          },
        ),
        { numRuns: RUNS },
      );
    });

    test("a multipart body over 1 MB posted to a page is 413 at the proxy; without a length, 411", async () => {
      const { proxy } = await import("@/proxy");
      const post = (headers: Record<string, string>) =>
        proxy(new NextRequestClass("http://localhost/cart", { method: "POST", headers }));
      const over = await call("proxy", "multipart 2 MB", () =>
        post({ "content-type": "multipart/form-data; boundary=x", "content-length": String(2 * 1024 * 1024) }),
      );
      expectStatus(over, [413]);
      expectStatus(
        await call("proxy", "multipart, no length", () => post({ "content-type": "multipart/form-data; boundary=x" })),
        [411],
      );
      const checkout = await call("POST /api/checkout", "multipart 2 MB", () =>
        postCheckout(
          new Request("http://localhost/api/checkout", {
            method: "POST",
            headers: { "content-type": "multipart/form-data; boundary=x", "x-forwarded-for": freshIp() },
            body: `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n${"a".repeat(TWO_MB)}\r\n--x--\r\n`,
          }),
        ),
      );
      expectStatus(checkout, [413]);
    });

    test(`${RUNS} CRLF and line separators in parameters: sign-out, checkout email, order token`, async () => {
      await fc.assert(
        fc.asyncProperty(crlf, async (value) => {
          const signOut = await call("POST /api/auth/signout", { callbackUrl: value }, async () => {
            const request = new NextRequestClass("http://localhost:3000/api/auth/signout", {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": freshIp() },
              body: new URLSearchParams({ callbackUrl: `/admin${value}`, json: "true" }).toString(),
            });
            return inRequestScope(request, () =>
              authHandler(request, { params: Promise.resolve({ nextauth: ["signout"] }) }),
            );
          });
          expectStatus(signOut, [200, 302, 400, 403]);
          const body = await call("POST /api/checkout", { email: value }, () =>
            postCheckout(
              new Request("http://localhost/api/checkout", {
                method: "POST",
                headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
                body: JSON.stringify({ items: [{ productId, quantity: 1 }], email: value }),
              }),
            ),
          );
          expectStatus(body, [200, 400]);
          const order = await call("GET /api/orders/{id}", { token: value }, () =>
            getOrder(new Request(`http://localhost/api/orders/${placed.orderId}?token=${encodeURIComponent(value)}`), {
              params: Promise.resolve({ orderId: placed.orderId }),
            }),
          );
          expectStatus(order, [404]);
        }),
        { numRuns: RUNS },
      );
    });
  });
});
