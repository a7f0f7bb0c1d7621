/**
 * Stripe's rate limits through the real SDK: 429 with Stripe-Should-Retry, StripeRateLimitError,
 * retries, per-endpoint and global budgets, idempotency and injected 429s. The limiter's clock is
 * frozen (`rateLimitClock`) so budgets are exact; tests move it forward to refill the buckets.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control, sessionParams, startHarness, type Harness } from "../test-support/harness";
import { configurePace, fetchRequestCounts, RATE_LIMIT_MESSAGE, rawApi, SESSION_FORM } from "../test-support/pace";

let h: Harness;
let clockMs = 0;

beforeAll(async () => {
  h = await startHarness({ rateLimitClock: () => clockMs });
});

afterAll(async () => {
  await h.close();
});

beforeEach(() => {
  h.emulator.reset();
});

describe("rate limits", () => {
  it("answers 429 over budget with Stripe's body and headers; the SDK raises StripeRateLimitError", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await configurePace(h.emulator, { rateLimit: { globalPerSecond: 2, endpointPerSecond: null } });
    const path = `/v1/checkout/sessions/${session.id}`;
    expect((await rawApi(h.emulator, "GET", path)).status).toBe(200);
    expect((await rawApi(h.emulator, "GET", path)).status).toBe(200);
    const refused = await rawApi(h.emulator, "GET", path);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("stripe-should-retry")).toBe("true");
    const requestId = refused.headers.get("request-id") ?? "";
    expect(requestId).toMatch(/^req_/);
    expect(await refused.json()).toEqual({
      error: {
        type: "invalid_request_error",
        code: "rate_limit",
        message: RATE_LIMIT_MESSAGE,
        doc_url: "https://stripe.com/docs/error-codes/rate-limit",
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}`,
      },
    });
    const error = await h.stripe.checkout.sessions.retrieve(session.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(error).toMatchObject({ statusCode: 429, code: "rate_limit", message: RATE_LIMIT_MESSAGE });
  });

  it("keeps each endpoint's budget apart and shares the global one per API key", async () => {
    const [first, second] = await Promise.all([
      h.stripe.checkout.sessions.create(sessionParams()),
      h.stripe.checkout.sessions.create(sessionParams()),
    ]);
    await configurePace(h.emulator, { rateLimit: { globalPerSecond: 4, endpointPerSecond: 2 } });
    const steps: [label: string, path: string, apiKey: string, status: number][] = [
      ["session 1", `/v1/checkout/sessions/${first?.id}`, h.emulator.apiKey, 200],
      ["session 1 again", `/v1/checkout/sessions/${first?.id}`, h.emulator.apiKey, 200],
      ["another id, same endpoint", `/v1/checkout/sessions/${second?.id}`, h.emulator.apiKey, 429],
      ["another endpoint", "/v1/events", h.emulator.apiKey, 200],
      ["another endpoint again", "/v1/events", h.emulator.apiKey, 200],
      ["global budget spent", "/v1/refunds", h.emulator.apiKey, 429],
      ["another API key", "/v1/refunds", "sk_test_another_account_key", 200],
    ];
    const statuses: [string, number][] = [];
    for (const [label, path, apiKey] of steps)
      statuses.push([label, (await rawApi(h.emulator, "GET", path, { apiKey })).status]);
    expect(statuses).toEqual(steps.map(([label, , , status]) => [label, status]));
    clockMs += 1_000;
    expect((await rawApi(h.emulator, "GET", "/v1/refunds")).status).toBe(200);
  });

  it("lets the SDK retry a 429 (same idempotency key) until the bucket refills", async () => {
    await configurePace(h.emulator, { rateLimit: { globalPerSecond: null, endpointPerSecond: 1 } });
    expect((await rawApi(h.emulator, "POST", "/v1/checkout/sessions", { body: SESSION_FORM })).status).toBe(200);
    const retrying = new Stripe(h.emulator.apiKey, { ...h.emulator.stripeClientOptions(), maxNetworkRetries: 5 });
    const created = retrying.checkout.sessions.create(sessionParams({ client_reference_id: "retried" }));
    // The SDK waits at least 0.5 s before its first retry; refill the bucket once it was refused.
    await expect
      .poll(async () => (await fetchRequestCounts(h.emulator)).totalRateLimited, { timeout: 5_000 })
      .toBeGreaterThan(0);
    clockMs += 1_000;
    const session = await created;
    expect(session).toMatchObject({ object: "checkout.session", client_reference_id: "retried" });
    expect(session.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    const counts = await fetchRequestCounts(h.emulator);
    expect(counts.rateLimited).toEqual({ "POST /v1/checkout/sessions": counts.totalRateLimited });
    const list = await h.stripe.checkout.sessions.list({ limit: 100 });
    expect(list.data.filter((s) => s.client_reference_id === "retried")).toHaveLength(1);
  });

  it("does not store or hold the Idempotency-Key of a refused POST", async () => {
    await configurePace(h.emulator, { rateLimit: { globalPerSecond: null, endpointPerSecond: 1 } });
    expect((await rawApi(h.emulator, "POST", "/v1/checkout/sessions", { body: SESSION_FORM })).status).toBe(200);
    const options = { body: SESSION_FORM, idempotencyKey: "paced-order-1" };
    expect((await rawApi(h.emulator, "POST", "/v1/checkout/sessions", options)).status).toBe(429);
    expect((await h.stripe.checkout.sessions.list({ limit: 100 })).data).toHaveLength(1);
    clockMs += 1_000;
    const retried = await rawApi(h.emulator, "POST", "/v1/checkout/sessions", options);
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const { id } = (await retried.json()) as { id: string };
    clockMs += 1_000;
    const replayed = await rawApi(h.emulator, "POST", "/v1/checkout/sessions", options);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replayed.json()) as { id: string }).id).toBe(id);
    expect((await h.stripe.checkout.sessions.list({ limit: 100 })).data).toHaveLength(2);
  });

  it("injects 429s at the configured rate without budgets, and never on the control API or hosted page", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await configurePace(h.emulator, { rateLimit: { inject429: 1 } });
    const error = await h.stripe.checkout.sessions.retrieve(session.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((await control(h.emulator, "GET", "/_emulator/health")).status).toBe(200);
    expect((await fetch(session.url ?? "")).status).toBe(200);
    await configurePace(h.emulator, { rateLimit: { inject429: 0 } });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).id).toBe(session.id);
  });
});
