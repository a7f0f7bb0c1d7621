/**
 * Fuzzes the emulator's own HTTP API with malformed input: form bodies, auth headers, unknown
 * routes and methods, huge bodies, odd idempotency keys, bad query strings, control-API JSON
 * and the hosted page. The contract: no 5xx, and the emulator still answers normal requests.
 */
import http from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sessionParams, startHarness, type Harness } from "./test-support/harness";

const RUNS = 150;
const TWO_MB = 2 * 1024 * 1024;

let h: Harness;
let sessionId = "";

beforeAll(async () => {
  h = await startHarness();
  sessionId = (await h.stripe.checkout.sessions.create(sessionParams())).id;
});

afterAll(async () => {
  await h.close();
});

type Outcome = { input: string; status: number; error?: string };
const outcomes: Outcome[] = [];

/** Sends one raw request with node:http (no client-side validation of the path or headers). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  timeoutMs = 15_000,
): Promise<{ status: number; body: string }> {
  const url = new URL(h.emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timed out")));
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

async function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  timeoutMs?: number,
): Promise<Outcome> {
  const input = `${method} ${path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 200)} ${String(body ?? "").slice(0, 200)}`;
  let outcome: Outcome;
  try {
    const response = await raw(method, path, headers, body, timeoutMs);
    outcome = { input, status: response.status };
    if (response.status >= 500) outcome.error = response.body.slice(0, 300);
  } catch (error) {
    // A dropped connection is as bad as a 5xx.
    outcome = { input, status: 599, error: error instanceof Error ? error.message : String(error) };
  }
  outcomes.push(outcome);
  return outcome;
}

/**
 * For bodies over the 1 MB limit the emulator answers 413 before the upload ends and closes
 * the socket; the client may see that as a connection reset instead of the 413 (not a 5xx).
 */
function expectRefusedLarge(outcome: Outcome): void {
  if (outcome.status === 599) expect(outcome.error).toMatch(/ECONNRESET|EPIPE/);
  else expect(outcome.status, `${outcome.input} → ${outcome.status}`).toBe(413);
}

function expectNo5xx(outcome: Outcome): void {
  expect(outcome.status, `${outcome.input} → ${outcome.status} ${outcome.error ?? ""}`).toBeLessThan(500);
  expect(outcome.status).toBeGreaterThanOrEqual(200);
}

const auth = () => ({ authorization: `Bearer ${h.emulator.apiKey}` });
const form = { "content-type": "application/x-www-form-urlencoded" };

/** Latin-1 text without CR/LF/NUL: what an HTTP header value can carry. */
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 })
  .map((s) => s.replace(/\x7f/g, "").trim());

const weird = fc.oneof(
  fc.string(),
  fc.constantFrom("", "%00", "%zz", "'; drop", "ünïcødé", "x".repeat(5_000), "-1", "1e309", "NaN", "[]", "{}", "null"),
);
const formKey = fc.oneof(
  fc.constantFrom(
    "mode",
    "success_url",
    "cancel_url",
    "line_items[0][quantity]",
    "line_items[0][price_data][currency]",
    "line_items[0][price_data][unit_amount]",
    "line_items[0][price_data][product_data][name]",
    "line_items[][quantity]",
    "line_items[99999999][quantity]",
    "metadata[orderId]",
    "expand[]",
    "amount",
    "payment_intent",
    "limit",
    "a[b][c][d][e][f][g][h][i][j]",
    "[",
    "]]",
    "a[",
  ),
  fc.string(),
);
const formBody = fc
  .array(fc.tuple(formKey, weird), { maxLength: 25 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"));

describe("Stripe API (/v1)", () => {
  const POSTS = [
    "/v1/checkout/sessions",
    "/v1/checkout/sessions/SESSION/expire",
    "/v1/payment_methods",
    "/v1/payment_pages/SESSION/confirm",
    "/v1/prices",
    "/v1/products",
    "/v1/refunds",
  ];
  const GETS = [
    "/v1/charges/ID",
    "/v1/checkout/sessions",
    "/v1/checkout/sessions/ID",
    "/v1/checkout/sessions/ID/line_items",
    "/v1/disputes",
    "/v1/events",
    "/v1/events/ID",
    "/v1/payment_intents/ID",
    "/v1/payment_methods/ID",
    "/v1/payment_pages/ID",
    "/v1/prices/ID",
    "/v1/products/ID",
    "/v1/refunds",
    "/v1/refunds/ID",
  ];
  const id = fc.oneof(weird, fc.constant("SESSION")).map((v) => encodeURIComponent(v === "SESSION" ? sessionId : v));

  test(`${RUNS} generated form bodies on every POST route`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...POSTS),
        id,
        formBody,
        fc.constantFrom(
          "application/x-www-form-urlencoded",
          "application/json",
          "text/plain",
          "multipart/form-data",
          "",
        ),
        async (route, anId, body, contentType) => {
          const path = route.replace("SESSION", anId || "x");
          const headers: Record<string, string> = { ...auth() };
          if (contentType) headers["content-type"] = contentType;
          expectNo5xx(await send("POST", path, headers, body));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} generated query strings and ids on every GET route`, async () => {
    const query = fc
      .array(
        fc.tuple(
          fc.constantFrom(
            "limit",
            "starting_after",
            "ending_before",
            "type",
            "types[]",
            "created[gt]",
            "created[lte]",
            "created",
            "delivery_success",
            "expand[]",
            "payment_intent",
            "charge",
          ),
          weird,
        ),
        { maxLength: 8 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GETS), id, query, async (route, anId, q) => {
        const path = `${route.replace("ID", anId || "x")}${q ? `?${q}` : ""}`;
        expectNo5xx(await send("GET", path, auth()));
      }),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} generated auth headers, methods and unknown routes`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(null),
          headerValue,
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "bearer sk_test_x",
            "Basic Og==",
            "Basic !!!",
            "Bearer sk_live_123",
            `Bearer ${"k".repeat(8_000)}`,
          ),
          headerValue.map((v) => `Bearer ${v}`),
        ),
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"),
        fc.oneof(
          fc.constantFrom(...GETS, ...POSTS, "/", "/v1", "/v1/", "/v2/things", "/v1/../../etc/passwd"),
          fc.webPath(),
          fc.string().map((s) => `/v1/${encodeURIComponent(s)}`),
        ),
        async (authorization, method, path) => {
          const headers: Record<string, string> = {};
          if (authorization !== null) headers.authorization = authorization;
          const target = path.replace("SESSION", sessionId).replace("ID", "x");
          expectNo5xx(await send(method, target.startsWith("/") ? target : `/${target}`, headers));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} odd idempotency keys`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(headerValue, fc.constantFrom("", " ", "x".repeat(10_000), "ünï", "\u00ff\u0080")),
        formBody,
        async (key, body) => {
          const headers = { ...auth(), ...form, "idempotency-key": key };
          expectNo5xx(await send("POST", "/v1/checkout/sessions", headers, body));
          // Reusing the key (same or different parameters) is a replay or a 4xx.
          expectNo5xx(await send("POST", "/v1/checkout/sessions", headers, `${body}&metadata[x]=1`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("concurrent twins with the same idempotency key get a replay or 409, never a 5xx", async () => {
    const body = new URLSearchParams({
      mode: "payment",
      success_url: "http://x.example/ok",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "100",
      "line_items[0][price_data][product_data][name]": "Twin",
      "line_items[0][quantity]": "1",
    }).toString();
    const headers = { ...auth(), ...form, "idempotency-key": `twin-${Date.now()}` };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => send("POST", "/v1/checkout/sessions", headers, body)),
    );
    for (const r of results) expectNo5xx(r);
    expect(results.some((r) => r.status === 200)).toBe(true);
  });

  test.each<[string, () => [string, string, Record<string, string>, string | Buffer | undefined]]>([
    [
      "broken percent escapes",
      () => ["POST", "/v1/checkout/sessions", { ...auth(), ...form }, "mode=%zz&%=%&line_items[0=1"],
    ],
    [
      "10,000 fields",
      () => [
        "POST",
        "/v1/products",
        { ...auth(), ...form },
        Array.from({ length: 10_000 }, (_, i) => `f${i}=1`).join("&"),
      ],
    ],
    ["a 5,000-deep nested key", () => ["POST", "/v1/products", { ...auth(), ...form }, `name${"[a]".repeat(5_000)}=1`]],
    [
      "an array index of 1e9",
      () => ["POST", "/v1/checkout/sessions", { ...auth(), ...form }, "line_items[1000000000][quantity]=1"],
    ],
    [
      "a huge amount",
      () => ["POST", "/v1/refunds", { ...auth(), ...form }, "payment_intent=pi_x&amount=99999999999999999999"],
    ],
    ["a negative amount", () => ["POST", "/v1/refunds", { ...auth(), ...form }, "payment_intent=pi_x&amount=-5"]],
    [
      "a JSON body",
      () => ["POST", "/v1/checkout/sessions", { ...auth(), "content-type": "application/json" }, '{"mode":"payment"}'],
    ],
    [
      "a lying content-length",
      () => ["POST", "/v1/products", { ...auth(), ...form, "content-length": "3" }, "name=abcdef"],
    ],
    ["a NUL in the path", () => ["GET", "/v1/events/%00", auth(), undefined]],
    ["a 10 KB path", () => ["GET", `/v1/events/${"e".repeat(10_000)}`, auth(), undefined]],
    ["an absolute-form request target", () => ["GET", "http://evil.example/v1/events", auth(), undefined]],
    ["a star request target", () => ["OPTIONS", "*", auth(), undefined]],
  ])("%s", async (_label, make) => {
    const [method, path, headers, body] = make();
    expectNo5xx(await send(method, path, headers, body));
  });
});

describe("control API (/_emulator) and hosted page (/c/pay)", () => {
  const json = { "content-type": "application/json" };
  const jsonBody = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string(),
    fc.constantFrom(
      "",
      "{",
      "null",
      "[]",
      '{"scenario":"nope"}',
      '{"scenario":null}',
      '{"seconds":-1}',
      '{"seconds":1e309}',
      '{"seconds":"NaN"}',
      '{"seconds":99999999999}',
      '{"url":"not a url"}',
      '{"url":"http://127.0.0.1:1/x","secret":5}',
      '{"drop":2}',
      '{"duplicate":-1}',
      '{"pause":"yes"}',
      '{"__proto__":{"pause":true}}',
      '{"latency":"slow"}',
      '{"latency":-1}',
      '{"latency":{"minMs":9,"medianMs":1,"p95Ms":2,"maxMs":3}}',
      '{"rateLimit":{"globalPerSecond":0}}',
      '{"rateLimit":{"preset":"turbo"}}',
      '{"rateLimit":"sandbox"}',
      '{"rateLimit":{"inject429":1}}',
      `{"a":${"[".repeat(5_000)}${"]".repeat(5_000)}}`,
    ),
  );
  const controlRoute = fc.constantFrom(
    "POST /_emulator/checkout/sessions/SESSION/pay",
    "POST /_emulator/checkout/sessions/cs_unknown/pay",
    "POST /_emulator/clock/advance",
    "GET /_emulator/clock",
    "GET /_emulator/deliveries",
    "POST /_emulator/deliveries/flush",
    "GET /_emulator/endpoints",
    "DELETE /_emulator/endpoints/we_unknown",
    "GET /_emulator/config",
    "POST /_emulator/config",
    "GET /_emulator/requests",
    "POST /_emulator/requests/reset",
    "GET /_emulator/requests?x=%zz",
    "POST /_emulator/charges/ch_unknown/dispute",
    "POST /_emulator/disputes/dp_unknown/close",
    "GET /_emulator/health",
    "POST /_emulator/unknown",
    "PUT /_emulator/clock/advance",
    "GET /_emulator/deliveries?limit=-1&after=abc",
    "GET /_emulator/deliveries?limit=1e309",
  );

  test(`${RUNS} generated control-API requests`, async () => {
    await fc.assert(
      fc.asyncProperty(
        controlRoute,
        jsonBody,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
        async (route, body, contentType) => {
          const [method = "GET", rawPath = "/"] = route.split(" ");
          const path = rawPath.replace("SESSION", sessionId);
          const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
          expectNo5xx(await send(method, path, headers, method === "GET" ? undefined : body));
          // Pausing, dropping or rate limiting is part of the API; undo it so the rest still works.
          if (path === "/_emulator/config")
            await send(
              "POST",
              "/_emulator/config",
              json,
              '{"pause":false,"drop":0,"duplicate":0,"latency":"off","rateLimit":"off"}',
            );
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${RUNS} generated hosted-page requests`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant("SESSION"), weird),
        fc.constantFrom("GET", "POST", "PUT"),
        formBody,
        async (rawId, method, body) => {
          const id = rawId === "SESSION" ? sessionId : encodeURIComponent(rawId);
          expectNo5xx(await send(method, `/c/pay/${id}`, form, method === "GET" ? undefined : body));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("2 MB bodies on the API, the control API and the hosted page are refused", async () => {
    expectRefusedLarge(await send("POST", "/v1/checkout/sessions", { ...auth(), ...form }, `a=${"x".repeat(TWO_MB)}`));
    expectRefusedLarge(await send("POST", "/v1/checkout/sessions", { ...auth(), ...form }, Buffer.alloc(TWO_MB, 0xff)));
    expectRefusedLarge(
      await send("POST", "/_emulator/clock/advance", json, `{"seconds":1,"pad":"${"x".repeat(TWO_MB)}"}`),
    );
    expectRefusedLarge(await send("POST", `/c/pay/${sessionId}`, form, `card=${"4".repeat(TWO_MB)}`));
  });
});

describe("known defects (failing on purpose until fixed)", () => {
  // server.ts parses `new URL(req.url, base)` before its try block; a request target that
  // starts with "//" is parsed as a protocol-relative URL with an invalid host, so the
  // handler's promise rejects unhandled: no response at all (the client hangs), and in the
  // CLI process an unhandled rejection ends Node.
  test.each(["//", "//%F3%B3%96%BF", "//v1//events"])(
    "a request for %j is answered (404), not left hanging",
    async (path) => {
      expectNo5xx(await send("GET", path, { authorization: `Bearer ${h.emulator.apiKey}` }, undefined, 3_000));
    },
  );
});

describe("after the fuzzing", () => {
  test("the emulator still answers normal requests", async () => {
    const created = await h.stripe.checkout.sessions.create(sessionParams());
    expect(created.status).toBe("open");
    expect((await h.stripe.checkout.sessions.retrieve(created.id)).id).toBe(created.id);
    const health = await fetch(`${h.emulator.url}/_emulator/health`);
    expect(health.status).toBe(200);
  });

  test("summary: no 5xx and no dropped connection", () => {
    const byStatus: Record<number, number> = {};
    for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    console.log(`[emulator fuzz] ${outcomes.length} requests ${JSON.stringify(byStatus)}`);
    // Oversized uploads may see a reset (see expectRefusedLarge).
    const bad = outcomes.filter((o) => o.status >= 500 && !/ECONNRESET|EPIPE/.test(o.error ?? ""));
    expect(bad.map((o) => `${o.input} → ${o.status} ${o.error ?? ""}`)).toEqual([]);
  });
});
