/**
 * Shared set-up for the fuzz suites in app/api/fuzz/: the route handlers, run for real against
 * the per-file test database and an in-process Stripe emulator; the generators of malformed
 * input; and the bookkeeping of every answer, so each suite can end by asserting that no
 * request got a 5xx.
 */
import { createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import type { POST as CheckoutPost } from "@/app/api/checkout/route";
import type { POST as WebhookPost } from "@/app/api/webhook/route";
import type { GET as OrderGet } from "@/app/api/orders/[orderId]/route";
import type { GET as EventsGet } from "@/app/api/orders/[orderId]/events/route";
import type { POST as RetryPost } from "@/app/api/orders/[orderId]/checkout/route";
import type { POST as CatalogRevalidatePost } from "@/app/api/internal/catalog-revalidate/route";

export const RUNS = 120;
export const TWO_MB = 2 * 1024 * 1024;

type AuthHandler = (request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;
type NextRequestCtor = new (input: string, init?: RequestInit) => NextRequest;

let harness: Harness;
export let postCheckout: typeof CheckoutPost;
export let postWebhook: typeof WebhookPost;
export let getOrder: typeof OrderGet;
export let getEvents: typeof EventsGet;
export let postRetry: typeof RetryPost;
export let postCatalogRevalidate: typeof CatalogRevalidatePost;
export let authHandler: AuthHandler;
export let NextRequestClass: NextRequestCtor;
export let inRequestScope: <T>(request: Request, fn: () => Promise<T>) => Promise<T>;
const db = openTestDb(3);

export let productId = "";
export let placed: { orderId: string; token: string } = { orderId: "", token: "" };
/** Checkout sessions that exist at Stripe: one of this store's, and one that is not ours. */
export let sessions: { ours: string; foreign: string } = { ours: "", foreign: "" };

function registerHooks(): void {
  beforeAll(async () => {
    // Next's server runtime provides AsyncLocalStorage globally; its request scope (used by
    // next-auth through next/headers) needs it before any Next module is loaded.
    (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= (
      await import("node:async_hooks")
    ).AsyncLocalStorage;
    process.env.AUTH_SECRET ??= "fuzz-tests-auth-secret-0123456789abcdef";
    harness = await startHarness();
    ({ POST: postCheckout } = await import("@/app/api/checkout/route"));
    ({ POST: postWebhook } = await import("@/app/api/webhook/route"));
    ({ GET: getOrder } = await import("@/app/api/orders/[orderId]/route"));
    ({ GET: getEvents } = await import("@/app/api/orders/[orderId]/events/route"));
    ({ POST: postRetry } = await import("@/app/api/orders/[orderId]/checkout/route"));
    ({ POST: postCatalogRevalidate } = await import("@/app/api/internal/catalog-revalidate/route"));
    // next-auth 4 types its App Router handler as any.
    const auth: { POST: unknown } = await import("@/app/api/auth/[...nextauth]/route");
    authHandler = auth.POST as AuthHandler;
    ({ NextRequest: NextRequestClass } = (await import("next/server")) as unknown as { NextRequest: NextRequestCtor });
    inRequestScope = await requestScope();

    const product = await createTestProduct(db, { stockOnHand: 100_000, unitAmount: 990 });
    productId = product.id;
    const response = await postCheckout(
      jsonRequest("http://localhost/api/checkout", { items: [{ productId, quantity: 1 }], email: "fuzz@example.com" }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { orderId: string; statusUrl: string };
    placed = { orderId: body.orderId, token: new URL(body.statusUrl).searchParams.get("token") ?? "" };
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });
    const foreign = await fetch(`${harness.emulator.url}/v1/checkout/sessions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${harness.emulator.apiKey}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        mode: "payment",
        success_url: "https://elsewhere.example/ok",
        "line_items[0][price_data][currency]": "eur",
        "line_items[0][price_data][unit_amount]": "700",
        "line_items[0][price_data][product_data][name]": "Not ours",
        "line_items[0][quantity]": "1",
      }).toString(),
    });
    expect(foreign.status).toBe(200);
    sessions = { ours: order.stripeCheckoutSessionId ?? "", foreign: ((await foreign.json()) as { id: string }).id };
  });

  afterAll(async () => {
    await harness.stop();
    await db.$disconnect();
  });
}

/**
 * next-auth's App Router handler reads `cookies()` and `headers()` from next/headers, which
 * only work inside Next's request scope; this recreates the minimal scope Next sets up for a
 * route handler.
 */
async function requestScope() {
  const { workAsyncStorage } = (await import("next/dist/server/app-render/work-async-storage.external.js")) as {
    workAsyncStorage: { run<T>(store: unknown, fn: () => T): T };
  };
  const { workUnitAsyncStorage } =
    (await import("next/dist/server/app-render/work-unit-async-storage.external.js")) as {
      workUnitAsyncStorage: { run<T>(store: unknown, fn: () => T): T };
    };
  const { RequestCookies } = (await import("next/dist/server/web/spec-extension/cookies.js")) as {
    RequestCookies: new (headers: Headers) => unknown;
  };
  return <T>(request: Request, fn: () => Promise<T>): Promise<T> => {
    const headers = new Headers(request.headers);
    const cookies = new RequestCookies(headers);
    const workStore = {
      route: "/api/auth/[...nextauth]",
      forceStatic: false,
      dynamicShouldError: false,
      isStaticGeneration: false,
    };
    const unit = {
      type: "request",
      phase: "action",
      headers,
      cookies,
      userspaceMutableCookies: cookies,
      mutableCookies: cookies,
    };
    return workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(unit, fn));
  };
}

// ---------------------------------------------------------------------------------------------
// Outcome bookkeeping

type Outcome = { route: string; input: string; status: number; error?: string; test: string };
const outcomes: Outcome[] = [];

function describeInput(input: unknown): string {
  const text = typeof input === "string" ? input : JSON.stringify(input);
  return (text ?? String(input)).length > 300
    ? `${(text ?? "").slice(0, 300)}… (${(text ?? "").length} chars)`
    : (text ?? "");
}

/** Runs one request; a thrown error counts as the 500 Next would answer. Drains the body. */
export async function call(route: string, input: unknown, fn: () => Promise<Response>): Promise<Outcome> {
  let outcome: Outcome;
  try {
    const response = await fn();
    if (response.headers.get("content-type")?.startsWith("text/event-stream")) await response.body?.cancel();
    else await response.arrayBuffer();
    outcome = { route, input: describeInput(input), status: response.status, test: currentTest() };
  } catch (error) {
    outcome = {
      route,
      input: describeInput(input),
      status: 500,
      error: error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error),
      test: currentTest(),
    };
  }
  outcomes.push(outcome);
  return outcome;
}

const currentTest = () => expect.getState().currentTestName ?? "";

export function expectStatus(outcome: Outcome, allowed: number[]): void {
  expect(outcome.status, `${outcome.route} ${outcome.input} → ${outcome.status} ${outcome.error ?? ""}`).toBeLessThan(
    500,
  );
  expect(allowed, `${outcome.route} ${outcome.input} → ${outcome.status}`).toContain(outcome.status);
}

/**
 * What an HTTP header value can carry to the app: Node decodes header bytes as Latin-1 and
 * refuses CR, LF and NUL (see e2e/fuzz.spec.ts for raw-socket attempts), so other characters
 * are mapped into that range here.
 */
export function headerSafe(value: string): string {
  return Array.from(value, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (code === 0 || code === 10 || code === 13) return " ";
    return code > 0xff ? String.fromCharCode(0x80 + (code % 0x80)) : c;
  })
    .join("")
    .trim();
}

/**
 * Whether a serialized event holds only text PostgreSQL's jsonb can store: JSON.stringify
 * escapes NUL and lone surrogates as \u0000 / \udXXX, which jsonb refuses (the store replaces
 * them; the hand-picked cases below cover it).
 */
export const storable = (json: string) => !/\\u(0000|d[89a-f][0-9a-f]{2})/i.test(json);

let ipCounter = 0;
/** A fresh client address per request so the per-IP limits do not mask what is behind them. */
export const freshIp = () => {
  ipCounter += 1;
  return `198.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

export function jsonRequest(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": freshIp(), ...headers },
    body: JSON.stringify(body),
  });
}

// ---------------------------------------------------------------------------------------------
// Generators

export const NIL_UUID = "00000000-0000-4000-8000-000000000000";
const weirdStrings = [
  "",
  " ",
  "%00",
  "\u0000",
  "abc\u0000def",
  '\'; drop table "Order"; --',
  "' or '1'='1",
  '1 union select * from "User"',
  "../../etc/passwd",
  "%2e%2e%2f",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "ünïcødé-🙂-𝔘𝔫𝔦",
  "\u202e\u200b\ufeff",
  "\ud800",
  "x".repeat(10_000),
  NIL_UUID,
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "00000000-0000-4000-8000-00000000000g",
  "{00000000-0000-4000-8000-000000000000}",
  "00000000000040008000000000000000",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "cs_test_123",
  "evt_1",
];

export const weirdString = fc.oneof(
  fc.constantFrom(...weirdStrings),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 64 }),
);
/** The seeded product's id, read when a value is generated (it is created in beforeAll). */
export const realProduct = fc.constant(null).map(() => productId);
export const idLike = fc.oneof(weirdString, fc.uuid(), fc.constant(NIL_UUID));

const weirdNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    1.5,
    0.0001,
    99,
    100,
    1e12,
    1e308,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    2 ** 53 + 1,
  ),
);
const weirdQuantity: fc.Arbitrary<unknown> = fc.oneof(
  weirdNumber,
  fc.constantFrom("1", "99", "100", "-5", "1.5", "NaN", "Infinity", "-Infinity", "1e309", "0x10", " 7 ", "", "one"),
  fc.constantFrom(null, true, false, [], {}, [1], { valueOf: 1 }),
  fc.integer({ min: 1, max: 5 }),
);
const item = fc.record(
  {
    productId: fc.oneof(idLike, realProduct, fc.constantFrom(1, null, [], {})),
    quantity: weirdQuantity,
    unitAmount: fc.oneof(weirdNumber, fc.constant(-1)),
  },
  { requiredKeys: [] },
);
export const checkoutBody = fc.oneof(
  fc.record(
    {
      items: fc.oneof(fc.array(item, { maxLength: 60 }), fc.anything(), fc.constant([])),
      email: fc.oneof(fc.emailAddress(), weirdString, fc.constant(null), fc.integer()),
      amountTotal: weirdNumber,
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.jsonValue(),
);

// ---------------------------------------------------------------------------------------------

export function signature(
  payload: string,
  timestamp = Math.floor(Date.now() / 1000),
  secret = TEST_WEBHOOK_SECRET,
): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

/** The checks every fuzz file ends with: the routes still work, and no request got a 5xx. */
function describeAfterFuzzing(): void {
  describe("after the fuzzing", () => {
    test("every route still serves a normal request", async () => {
      const response = await postCheckout(
        jsonRequest("http://localhost/api/checkout", { items: [{ productId, quantity: 1 }] }),
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { orderId: string; statusUrl: string };
      const token = new URL(body.statusUrl).searchParams.get("token") ?? "";
      const order = await getOrder(new Request(`http://localhost/api/orders/${body.orderId}?token=${token}`), {
        params: Promise.resolve({ orderId: body.orderId }),
      });
      expect(order.status).toBe(200);
      expect(((await order.json()) as { status: string }).status).toBe("PENDING");
      const event = JSON.stringify({
        id: `evt_after_${randomUUID()}`,
        object: "event",
        type: "customer.created",
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: "cus_after" } },
      });
      const webhook = await postWebhook(
        new Request("http://localhost/api/webhook", {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": signature(event) },
          body: event,
        }),
      );
      expect(webhook.status).toBe(200);
    });

    test("summary: no 5xx among all fuzzed requests", () => {
      const byRoute = new Map<string, { total: number; statuses: Record<number, number> }>();
      for (const o of outcomes) {
        const entry = byRoute.get(o.route) ?? { total: 0, statuses: {} };
        entry.total += 1;
        entry.statuses[o.status] = (entry.statuses[o.status] ?? 0) + 1;
        byRoute.set(o.route, entry);
      }
      console.log(`[fuzz] ${outcomes.length} requests`);
      for (const [route, { total, statuses }] of byRoute)
        console.log(`[fuzz] ${route}: ${total} ${JSON.stringify(statuses)}`);
      const serverErrors = outcomes.filter((o) => o.status >= 500);
      for (const o of serverErrors) console.log(`[fuzz] 5xx ${o.route} ${o.input} ${o.error ?? ""} (${o.test})`);
      expect(serverErrors.map((o) => `${o.route} ${o.input} → ${o.status} ${o.error ?? ""}`)).toEqual([]);
    });
  });
}

/**
 * Sets up a fuzz file: the harness (test database, in-process emulator), the route handlers,
 * a product, an order and two Checkout sessions before its tests, and the closing checks after.
 */
export function fuzzSuite(tests: () => void): void {
  registerHooks();
  tests();
  describeAfterFuzzing();
}
