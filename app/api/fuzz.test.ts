/**
 * Fuzzes the public route handlers with malformed input (fast-check generated and
 * hand-picked): oversized bodies, wrong content types, broken and deeply nested JSON, absurd
 * quantities, unknown and malformed ids, odd header values and signature garbage. The
 * handlers run for real, against the per-run test database and an in-process Stripe emulator.
 *
 * The contract: no response has a 5xx status (or throws, which Next answers with a 500),
 * every answer is one of the route's documented statuses, and the routes still serve a
 * normal request afterwards.
 */
import { createHmac, randomUUID } from "node:crypto";
import fc from "fast-check";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { countingBody, SIXTY_FOUR_MB_CHUNKS } from "@/test/streams";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { CATALOG_REVALIDATE_HEADER, catalogChangeSchema, catalogRevalidateSecret } from "@/lib/catalog/freshness";
import type { POST as CheckoutPost } from "./checkout/route";
import type { POST as WebhookPost } from "./webhook/route";
import type { GET as OrderGet } from "./orders/[orderId]/route";
import type { GET as EventsGet } from "./orders/[orderId]/events/route";
import type { POST as RetryPost } from "./orders/[orderId]/checkout/route";
import type { POST as CatalogRevalidatePost } from "./internal/catalog-revalidate/route";

const RUNS = 120;
const TWO_MB = 2 * 1024 * 1024;

type AuthHandler = (request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;
type NextRequestCtor = new (input: string, init?: RequestInit) => NextRequest;

let harness: Harness;
let postCheckout: typeof CheckoutPost;
let postWebhook: typeof WebhookPost;
let getOrder: typeof OrderGet;
let getEvents: typeof EventsGet;
let postRetry: typeof RetryPost;
let postCatalogRevalidate: typeof CatalogRevalidatePost;
let authHandler: AuthHandler;
let NextRequestClass: NextRequestCtor;
let inRequestScope: <T>(request: Request, fn: () => Promise<T>) => Promise<T>;
const db = openTestDb(3);

let productId = "";
let placed: { orderId: string; token: string } = { orderId: "", token: "" };
/** Checkout sessions that exist at Stripe: one of this store's, and one that is not ours. */
let sessions: { ours: string; foreign: string } = { ours: "", foreign: "" };

beforeAll(async () => {
  // Next's server runtime provides AsyncLocalStorage globally; its request scope (used by
  // next-auth through next/headers) needs it before any Next module is loaded.
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= (
    await import("node:async_hooks")
  ).AsyncLocalStorage;
  process.env.AUTH_SECRET ??= "fuzz-tests-auth-secret-0123456789abcdef";
  harness = await startHarness();
  ({ POST: postCheckout } = await import("./checkout/route"));
  ({ POST: postWebhook } = await import("./webhook/route"));
  ({ GET: getOrder } = await import("./orders/[orderId]/route"));
  ({ GET: getEvents } = await import("./orders/[orderId]/events/route"));
  ({ POST: postRetry } = await import("./orders/[orderId]/checkout/route"));
  ({ POST: postCatalogRevalidate } = await import("./internal/catalog-revalidate/route"));
  // next-auth 4 types its App Router handler as any.
  const auth: { POST: unknown } = await import("./auth/[...nextauth]/route");
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
async function call(route: string, input: unknown, fn: () => Promise<Response>): Promise<Outcome> {
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

function expectStatus(outcome: Outcome, allowed: number[]): void {
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
function headerSafe(value: string): string {
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
const storable = (json: string) => !/\\u(0000|d[89a-f][0-9a-f]{2})/i.test(json);

let ipCounter = 0;
/** A fresh client address per request so the per-IP limits do not mask what is behind them. */
const freshIp = () => {
  ipCounter += 1;
  return `198.18.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

function jsonRequest(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": freshIp(), ...headers },
    body: JSON.stringify(body),
  });
}

// ---------------------------------------------------------------------------------------------
// Generators

const NIL_UUID = "00000000-0000-4000-8000-000000000000";
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

const weirdString = fc.oneof(
  fc.constantFrom(...weirdStrings),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 64 }),
);
/** The seeded product's id, read when a value is generated (it is created in beforeAll). */
const realProduct = fc.constant(null).map(() => productId);
const idLike = fc.oneof(weirdString, fc.uuid(), fc.constant(NIL_UUID));

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
const checkoutBody = fc.oneof(
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

describe("POST /api/checkout", () => {
  const OK = [200, 303, 400, 409, 413, 415, 429];
  const checkout = (body: BodyInit | null, contentType: string | null, ip = freshIp()) =>
    postCheckout(
      new Request("http://localhost/api/checkout", {
        method: "POST",
        headers: { ...(contentType === null ? {} : { "content-type": contentType }), "x-forwarded-for": ip },
        body,
      }),
    );

  test(`${RUNS} generated JSON bodies`, async () => {
    await fc.assert(
      fc.asyncProperty(checkoutBody, async (body) => {
        const text = JSON.stringify(body) ?? "undefined";
        expectStatus(await call("POST /api/checkout", text, () => checkout(text, "application/json")), OK);
      }),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} generated form posts and content types`, async () => {
    const contentTypes = fc.constantFrom(
      "application/x-www-form-urlencoded",
      "application/x-www-form-urlencoded; charset=utf-8",
      "multipart/form-data",
      "multipart/form-data; boundary=xyz",
      "application/json",
      "application/json; charset=latin1",
      "text/plain",
      "application/xml",
      "text/html",
      "application/x-www-form-urlencoded\t",
      "*/*",
      "",
      null,
    );
    const field = fc.oneof(
      fc.constantFrom(
        "items[0][productId]",
        "items[0][quantity]",
        "items[99][productId]",
        "items[1e3][quantity]",
        "email",
      ),
      fc.string(),
    );
    const form = fc.array(fc.tuple(field, fc.oneof(weirdString, realProduct, fc.constant("1"))), {
      maxLength: 30,
    });
    await fc.assert(
      fc.asyncProperty(contentTypes, form, fc.boolean(), async (contentType, pairs, rawGarbage) => {
        const body = rawGarbage
          ? pairs.map(([k, v]) => `${k}=${v}`).join("&")
          : new URLSearchParams(pairs.map(([k, v]) => [k, v.replaceAll("\u0000", "")])).toString();
        expectStatus(await call("POST /api/checkout", { contentType, body }, () => checkout(body, contentType)), OK);
      }),
      { numRuns: RUNS },
    );
  });

  test.each<[string, string | null, () => BodyInit | null, number[]]>([
    ["a 2 MB JSON body", "application/json", () => JSON.stringify({ items: [], pad: "x".repeat(TWO_MB) }), [413]],
    ["a 2 MB form body", "application/x-www-form-urlencoded", () => `email=${"a".repeat(TWO_MB)}`, [413]],
    ["a 2 MB multipart body", "multipart/form-data; boundary=b", () => `--b\r\n${"x".repeat(TWO_MB)}`, [413]],
    ["broken JSON", "application/json", () => '{"items": [', [400]],
    ["JSON with a BOM", "application/json", () => `\ufeff{"items":[]}`, [400]],
    ["an empty body", "application/json", () => "", [400]],
    ["no body", "application/json", () => null, [400]],
    ["JSON null", "application/json", () => "null", [400]],
    ["a JSON string", "application/json", () => '"items"', [400]],
    ["deeply nested arrays", "application/json", () => `{"items":${"[".repeat(15_000)}${"]".repeat(15_000)}}`, [400]],
    ["deeply nested objects", "application/json", () => `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, [400]],
    [
      "10,000 items",
      "application/json",
      () => JSON.stringify({ items: Array.from({ length: 10_000 }, () => 1) }),
      [400],
    ],
    [
      "10,000 real items",
      "application/json",
      () => JSON.stringify({ items: Array.from({ length: 10_000 }, () => ({ productId, quantity: 1 })) }),
      [400, 413],
    ],
    ["a huge quantity", "application/json", () => JSON.stringify({ items: [{ productId, quantity: 1e12 }] }), [400]],
    ["a negative quantity", "application/json", () => JSON.stringify({ items: [{ productId, quantity: -1 }] }), [400]],
    [
      "a fractional quantity",
      "application/json",
      () => JSON.stringify({ items: [{ productId, quantity: 1.5 }] }),
      [400],
    ],
    ["quantity 1e309", "application/json", () => `{"items":[{"productId":"${productId}","quantity":1e309}]}`, [400]],
    ['quantity "NaN"', "application/json", () => JSON.stringify({ items: [{ productId, quantity: "NaN" }] }), [400]],
    [
      'quantity "Infinity"',
      "application/json",
      () => JSON.stringify({ items: [{ productId, quantity: "Infinity" }] }),
      [400],
    ],
    [
      "an unknown product",
      "application/json",
      () => JSON.stringify({ items: [{ productId: NIL_UUID, quantity: 1 }] }),
      [400],
    ],
    [
      "the same product 50 times",
      "application/json",
      () => JSON.stringify({ items: Array.from({ length: 50 }, () => ({ productId, quantity: 99 })) }),
      [200, 400, 409],
    ],
    ["a __proto__ payload", "application/json", () => '{"__proto__":{"items":[1]},"items":[{"__proto__":{}}]}', [400]],
    ["text/plain", "text/plain", () => "items=1", [415]],
    ["xml", "application/xml", () => "<items><item/></items>", [415]],
    ["no content type", null, () => "{}", [415]],
    ["multipart without a boundary", "multipart/form-data", () => "items[0][quantity]=1", [400]],
    ["broken multipart", "multipart/form-data; boundary=zz", () => "--zz\r\nbroken", [400]],
    [
      "a multipart form with a file",
      "multipart/form-data; boundary=zz",
      () =>
        `--zz\r\nContent-Disposition: form-data; name="items[0][productId]"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${productId}\r\n--zz--\r\n`,
      [303, 400],
    ],
    ["a form with 100 items", "application/x-www-form-urlencoded", () => formWithItems(100), [303, 400]],
    [
      "a form with a bad percent escape",
      "application/x-www-form-urlencoded",
      () => "items[0][productId]=%zz&email=%",
      [303, 400],
    ],
  ])("%s", async (label, contentType, body, allowed) => {
    expectStatus(await call("POST /api/checkout", label, () => checkout(body(), contentType)), allowed);
  });

  function formWithItems(n: number): string {
    const params = new URLSearchParams();
    for (let i = 0; i < n; i += 1) {
      params.append(`items[${i}][productId]`, productId);
      params.append(`items[${i}][quantity]`, "1");
    }
    return params.toString();
  }

  test("odd client address headers are answered, and over the limit with 429", async () => {
    const body = JSON.stringify({ items: [{ productId: NIL_UUID, quantity: 1 }] });
    for (const xff of [
      "",
      ",,,",
      "x".repeat(8_000),
      "1.2.3.4, 5.6.7.8, ",
      "::1",
      "ünïcödé",
      "%00",
      "a\tb",
      "\u00ff\u0080",
    ]) {
      expectStatus(
        await call("POST /api/checkout", { xff }, () => checkout(body, "application/json", xff)),
        [400, 429],
      );
    }
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1)
      statuses.push(
        (await call("POST /api/checkout", "burst", () => checkout(body, "application/json", "203.0.113.9"))).status,
      );
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

function signature(payload: string, timestamp = Math.floor(Date.now() / 1000), secret = TEST_WEBHOOK_SECRET): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

describe("POST /api/webhook", () => {
  const deliver = (body: BodyInit | null, headers: Record<string, string>) =>
    postWebhook(new Request("http://localhost/api/webhook", { method: "POST", headers, body }));

  test(`${RUNS} unsigned or badly signed deliveries are refused with 400`, async () => {
    const sigHeader = fc.oneof(
      fc.constant(null),
      weirdString,
      fc.constantFrom(
        "t=1,v1=abc",
        "t=,v1=",
        "v1=00",
        "t=abc,v1=def,v1=ghi,v0=jkl",
        "t=99999999999,v1=x",
        `t=${Date.now()}`,
      ),
      fc
        .array(fc.tuple(fc.constantFrom("t", "v1", "v0", "x"), fc.string()), { maxLength: 20 })
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(",")),
    );
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constant(""),
    );
    const contentType = fc.constantFrom("application/json", "text/plain", "application/xml", "multipart/form-data", "");
    await fc.assert(
      fc.asyncProperty(sigHeader, body, contentType, async (sig, payload, type) => {
        const headers: Record<string, string> = { "content-type": type };
        // Headers refuse CR/LF/NUL; what reaches the app is everything else.
        if (sig !== null) headers["stripe-signature"] = headerSafe(sig);
        expectStatus(await call("POST /api/webhook", { sig, payload }, () => deliver(payload, headers)), [400]);
      }),
      { numRuns: RUNS },
    );
  });

  test.each<[string, () => { body: BodyInit | null; headers: Record<string, string> }, number[]]>([
    ["a 2 MB body", () => ({ body: "x".repeat(TWO_MB), headers: { "stripe-signature": "t=1,v1=0" } }), [413]],
    [
      "a 2 MB validly signed body",
      () => {
        const body = JSON.stringify({ id: "evt_big", pad: "x".repeat(TWO_MB) });
        return { body, headers: { "stripe-signature": signature(body) } };
      },
      [413],
    ],
    ["a lying content-length", () => ({ body: "{}", headers: { "content-length": "99999999999" } }), [400, 413]],
    ["a negative content-length", () => ({ body: "{}", headers: { "content-length": "-1" } }), [400, 413]],
    ["no body and no signature", () => ({ body: null, headers: {} }), [400]],
    [
      "an 8 KB signature",
      () => ({ body: "{}", headers: { "stripe-signature": `t=1,${"v1=ab,".repeat(1_300)}` } }),
      [400],
    ],
    [
      "duplicate signatures, none valid",
      () => ({ body: "{}", headers: { "stripe-signature": `${signature("other")},${signature("{}", 1)}` } }),
      [400],
    ],
    [
      "a signature with the wrong secret",
      () => ({ body: "{}", headers: { "stripe-signature": signature("{}", undefined, "whsec_wrong") } }),
      [400],
    ],
    [
      "a stale signature",
      () => ({ body: "{}", headers: { "stripe-signature": signature("{}", 1_000_000_000) } }),
      [400],
    ],
    [
      "a signature from the future (Stripe's scheme only bounds the age)",
      () => {
        const body = JSON.stringify({
          id: `evt_${randomUUID()}`,
          object: "event",
          type: "customer.created",
          created: 1,
          data: { object: { id: "cus_1" } },
        });
        return { body, headers: { "stripe-signature": signature(body, Math.floor(Date.now() / 1000) + 3_600) } };
      },
      [200, 400],
    ],
    [
      "a signature for a broken JSON body",
      () => ({ body: "{nope", headers: { "stripe-signature": signature("{nope") } }),
      [400],
    ],
  ])("%s", async (label, make, allowed) => {
    const { body, headers } = make();
    expectStatus(await call("POST /api/webhook", label, () => deliver(body, headers)), allowed);
  });

  // Validly signed events of odd shapes: only Stripe (or whoever holds the secret) can send
  // these. Events that are not about our orders are answered 2xx and ignored (DESIGN.md).
  const signedEvent = fc
    .record(
      {
        id: fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }).map((s) => `evt_${s}`),
          fc.constant(`evt_${randomUUID()}`),
        ),
        object: fc.constant("event"),
        type: fc.constantFrom(
          "checkout.session.completed",
          "checkout.session.async_payment_succeeded",
          "checkout.session.async_payment_failed",
          "checkout.session.expired",
          "charge.refunded",
          "charge.dispute.created",
          "payment_intent.succeeded",
          "payment_intent.payment_failed",
          "customer.created",
          "unknown.type",
        ),
        created: fc.integer({ min: 0, max: 2_000_000_000 }),
        livemode: fc.boolean(),
        api_version: fc.oneof(fc.constant("2025-01-27.acacia"), fc.constant(null)),
        data: fc.record({
          object: fc.record(
            {
              id: fc.oneof(idLike, fc.constant("pi_unknown")),
              object: fc.constantFrom("checkout.session", "payment_intent", "charge", "dispute"),
              payment_intent: fc.oneof(fc.constant(null), fc.constant("pi_unknown"), weirdString),
              metadata: fc.oneof(fc.constant({}), fc.record({ orderId: idLike })),
              client_reference_id: fc.oneof(fc.constant(null), idLike),
            },
            { requiredKeys: ["id"] },
          ),
        }),
      },
      { requiredKeys: ["id", "type", "created", "data"] },
    )
    .chain((event) =>
      // Stripe only reports sessions that exist: about checkout sessions, ours or not ours.
      event.type.startsWith("checkout.session.")
        ? fc.constantFrom("ours", "foreign").map((which) => ({
            ...event,
            data: { object: { ...event.data.object, id: sessions[which] } },
          }))
        : fc.constant(event),
    )
    .map((event) => JSON.stringify(event))
    // Events with NUL or lone surrogates have their own (failing) tests below.
    .filter(storable);

  test(`${RUNS} validly signed events about unknown sessions are answered 2xx`, async () => {
    await fc.assert(
      fc.asyncProperty(signedEvent, async (payload) => {
        expectStatus(
          await call("POST /api/webhook (signed)", payload, () =>
            deliver(payload, { "content-type": "application/json", "stripe-signature": signature(payload) }),
          ),
          [200],
        );
      }),
      { numRuns: RUNS },
    );
  });

  // Known defects, failing on purpose until fixed (see the report in the hardening issue).
  // Only a holder of the webhook secret can send these, but each answer is a 500, so Stripe
  // would retry the delivery for days.
  test.each([
    [
      "an event about a session Stripe does not know (e.g. after test data was deleted)",
      JSON.stringify({
        id: `evt_gone_${randomUUID()}`,
        object: "event",
        type: "checkout.session.completed",
        created: 1,
        data: { object: { id: "cs_test_unknown", object: "checkout.session" } },
      }),
    ],
    ["an event with no data (signed '{}')", "{}"],
    ["a signed JSON array", "[]"],
    [
      "an event holding a NUL character",
      JSON.stringify({
        id: `evt_nul_${randomUUID()}`,
        object: "event",
        type: "customer.created",
        created: 1,
        data: { object: { id: "cus_1", name: "a\u0000b" } },
      }),
    ],
    [
      "an event holding a lone surrogate",
      JSON.stringify({
        id: `evt_sur_${randomUUID()}`,
        object: "event",
        type: "checkout.session.completed",
        created: 1,
        data: { object: { id: "cs_test_unknown", metadata: { orderId: "\ud800" } } },
      }),
    ],
  ])("a validly signed delivery of %s is answered 4xx/2xx, not 5xx", async (label, payload) => {
    expectStatus(
      await call("POST /api/webhook (signed)", label, () =>
        deliver(payload, { "content-type": "application/json", "stripe-signature": signature(payload) }),
      ),
      [200, 400],
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("GET /api/orders/{id} and its event stream, POST …/checkout", () => {
  const token = fc.oneof(
    fc.constant(null),
    weirdString,
    fc.base64String({ maxLength: 64 }),
    fc.constant("x".repeat(100_000)),
  );
  const orderId = fc.oneof(idLike, fc.constant("")).map((id) => id);
  const withToken = (path: string, t: string | null) => {
    const url = new URL(`http://localhost${path}`);
    if (t !== null) url.searchParams.set("token", t);
    return url.toString();
  };
  const params = (id: string) => ({ params: Promise.resolve({ orderId: id }) });

  test(`${RUNS} unknown or malformed ids and tokens: 404 from all three routes`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(orderId, fc.constant("REAL")),
        token,
        fc.string({ maxLength: 200 }),
        async (rawId, t, lastEventId) => {
          const id = rawId === "REAL" ? placed.orderId : rawId;
          const input = { id, token: t };
          const path = `/api/orders/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}`;
          expectStatus(
            await call("GET /api/orders/{id}", input, () => getOrder(new Request(withToken(path, t)), params(id))),
            [404],
          );

          const controller = new AbortController();
          const headers = new Headers();
          const safeLastEventId = headerSafe(lastEventId);
          if (safeLastEventId) headers.set("last-event-id", safeLastEventId);
          try {
            expectStatus(
              await call("GET /api/orders/{id}/events", input, () =>
                getEvents(
                  new Request(withToken(`${path}/events`, t), { headers, signal: controller.signal }),
                  params(id),
                ),
              ),
              [404],
            );
          } finally {
            controller.abort();
          }

          expectStatus(
            await call("POST /api/orders/{id}/checkout", input, () =>
              postRetry(
                new Request(withToken(`${path}/checkout`, t), {
                  method: "POST",
                  headers: { "x-forwarded-for": freshIp() },
                }),
                params(id),
              ),
            ),
            [404, 429],
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("the real order with its token still answers 200 and streams", async () => {
    const path = `/api/orders/${placed.orderId}`;
    expectStatus(
      await call("GET /api/orders/{id}", "real", () =>
        getOrder(new Request(withToken(path, placed.token)), params(placed.orderId)),
      ),
      [200],
    );
    const controller = new AbortController();
    try {
      const response = await getEvents(
        new Request(withToken(`${path}/events`, placed.token), {
          headers: { "last-event-id": "x".repeat(5_000) },
          signal: controller.signal,
        }),
        params(placed.orderId),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await response.body?.cancel();
    } finally {
      controller.abort();
    }
    // A pending order with an open session: resuming the checkout is a redirect.
    expectStatus(
      await call("POST /api/orders/{id}/checkout", "real", () =>
        postRetry(
          new Request(withToken(`${path}/checkout`, placed.token), {
            method: "POST",
            headers: { "x-forwarded-for": freshIp() },
          }),
          params(placed.orderId),
        ),
      ),
      [303],
    );
  });

  // Checked one by one so a failure names the exact input.
  test.each([
    "not-a-uuid",
    '\'; drop table "Order"; --',
    "%00",
    "x".repeat(10_000),
    "ünïcødé-🙂",
    "00000000-0000-4000-8000-00000000000g",
    "00000000000040008000000000000000",
  ])("POST /api/orders/%s/checkout with a token is a 404, not a 500", async (id) => {
    expectStatus(
      await call("POST /api/orders/{id}/checkout", { id }, () =>
        postRetry(
          new Request(`http://localhost/api/orders/x/checkout?token=${"a".repeat(43)}`, {
            method: "POST",
            headers: { "x-forwarded-for": freshIp() },
          }),
          params(id),
        ),
      ),
      [404],
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("POST /api/auth/callback/credentials (the sign-in form)", () => {
  const auth = (path: string[], init: RequestInit & { headers?: Record<string, string> }) => {
    const request = new NextRequestClass(`http://localhost:3000/api/auth/${path.join("/")}`, init);
    return inRequestScope(request, () => authHandler(request, { params: Promise.resolve({ nextauth: path }) }));
  };
  const OK = [200, 302, 400, 401, 403, 404, 405, 413, 415, 429];

  async function csrf(): Promise<{ token: string; cookie: string }> {
    const response = await auth(["csrf"], { method: "GET" });
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    return { token: csrfToken, cookie };
  }

  test("the sign-in endpoints answer a normal request", async () => {
    const { token, cookie } = await csrf();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const outcome = await call("POST /api/auth/callback/credentials", "unknown user", () =>
      auth(["callback", "credentials"], {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": freshIp() },
        body: new URLSearchParams({
          csrfToken: token,
          email: "nobody@example.com",
          password: "wrong",
          json: "true",
        }).toString(),
      }),
    );
    expectStatus(outcome, [200, 302, 401]);
  });

  test(`${RUNS} generated sign-in form posts`, async () => {
    const { token, cookie } = await csrf();
    const contentType = fc.constantFrom(
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=q",
      "text/plain",
      "application/xml",
      "",
    );
    const fields = fc.record(
      {
        csrfToken: fc.oneof(fc.constant(token), weirdString),
        email: fc.oneof(fc.emailAddress(), weirdString),
        password: fc.oneof(fc.string(), fc.constant("p".repeat(100_000)), weirdString),
        callbackUrl: fc.oneof(
          fc.webUrl(),
          fc.webUrl().map((u) => new URL(u).pathname),
          weirdString,
          fc.constantFrom("javascript:alert(1)", "//evil.example", "/\\evil.example", "http://localhost:3000/admin"),
        ),
        json: fc.constantFrom("true", "false", "1", ""),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(contentType, fields, fc.boolean(), fc.boolean(), async (type, form, withCookie, raw) => {
        const body = raw
          ? Object.entries(form)
              .map(([k, v]) => `${k}=${v}`)
              .join("&")
          : new URLSearchParams(form).toString();
        const headers: Record<string, string> = { "x-forwarded-for": freshIp() };
        if (type) headers["content-type"] = type;
        if (withCookie) headers.cookie = cookie;
        expectStatus(
          await call("POST /api/auth/callback/credentials", { type, form }, () =>
            auth(["callback", "credentials"], { method: "POST", headers, body }),
          ),
          OK,
        );
      }),
      { numRuns: RUNS },
    );
  });

  test.each<[string, string[], Record<string, string>, () => string | null]>([
    [
      "a 2 MB form",
      ["callback", "credentials"],
      { "content-type": "application/x-www-form-urlencoded" },
      () => `password=${"x".repeat(TWO_MB)}`,
    ],
    ["an empty form", ["callback", "credentials"], { "content-type": "application/x-www-form-urlencoded" }, () => ""],
    ["no body", ["callback", "credentials"], {}, () => null],
    [
      "valid JSON",
      ["callback", "credentials"],
      { "content-type": "application/json" },
      () => '{"email":"a@b.c","password":"x"}',
    ],
    ["an unknown provider", ["callback", "nope"], { "content-type": "application/x-www-form-urlencoded" }, () => "a=b"],
    ["an unknown action", ["../../etc"], { "content-type": "application/x-www-form-urlencoded" }, () => "a=b"],
    ["no provider", ["callback"], { "content-type": "application/x-www-form-urlencoded" }, () => "a=b"],
    ["a garbage session cookie", ["session"], { cookie: `next-auth.session-token=${"A".repeat(4_000)}` }, () => null],
    ["a garbage csrf cookie", ["signout"], { cookie: "next-auth.csrf-token=%%%|%%%" }, () => "csrfToken=x"],
  ])("%s", async (label, path, headers, body) => {
    expectStatus(
      await call(`POST /api/auth/${path.join("/")}`, label, () =>
        auth(path, { method: "POST", headers: { "x-forwarded-for": freshIp(), ...headers }, body: body() }),
      ),
      OK,
    );
  });

  test("a sign-in post with deeply nested JSON is a 4xx, not a 5xx", async () => {
    const body = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expectStatus(
      await call("POST /api/auth/callback/credentials", "deeply nested JSON", () =>
        auth(["callback", "credentials"], {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
          body,
        }),
      ),
      OK,
    );
  });

  // Known defects, failing on purpose until fixed. next-auth 4 parses any body whose content
  // type mentions JSON with `req.json()` without catching the error, so a broken JSON body
  // escapes as an exception (Next answers 500).
  test.each([
    ["broken JSON", "{not json"],
    ["an empty JSON body", ""],
  ])("a sign-in post with %s is a 4xx, not a 5xx", async (label, body) => {
    expectStatus(
      await call("POST /api/auth/callback/credentials", label, () =>
        auth(["callback", "credentials"], {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
          body,
        }),
      ),
      OK,
    );
  });

  // next-auth's default `redirect` callback runs `new URL(callbackUrl)` on whatever the client
  // sent, and a relative value that does not start with "/" threw before the CSRF check (Next
  // answered 500); the store's own `redirect` callback (lib/auth/options.ts) answers these.
  test.each(["n", " ", "evil", "http//x"])(
    "a sign-in post with callbackUrl=%j is a 4xx/302, not a 5xx",
    async (callbackUrl) => {
      expectStatus(
        await call("POST /api/auth/callback/credentials", { callbackUrl }, () =>
          auth(["callback", "credentials"], {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": freshIp() },
            body: new URLSearchParams({ callbackUrl, email: "a@example.com", password: "x" }).toString(),
          }),
        ),
        OK,
      );
    },
  );
});

// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------

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
      fc.asyncProperty(brokenEscape, fc.constantFrom("/orders/", "/api/orders/", "/products/"), async (bad, prefix) => {
        const url = `http://localhost${prefix}x${bad}`;
        const outcome = await call("proxy", url, () => proxy(new NextRequestClass(url)));
        expectStatus(outcome, [400]);
        const order = await call("GET /api/orders/{id}", bad, () =>
          getOrder(new Request(`http://localhost/api/orders/${encodeURIComponent(bad)}?token=x`), {
            params: Promise.resolve({ orderId: bad }),
          }),
        );
        expectStatus(order, [404]);
      }),
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
