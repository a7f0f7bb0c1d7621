/**
 * Request counters, latency profiles and pace settings (control API, options) through the real
 * SDK against an in-process emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator } from "../index";
import type { StripeEvent } from "../domain/model/events";
import { control, sessionParams, startHarness, stripeFor, type Harness } from "../test-support/harness";
import { configurePace, fetchRequestCounts, rawApi } from "../test-support/pace";

let h: Harness;
const events: { type: string; atMs: number }[] = [];

beforeAll(async () => {
  h = await startHarness({
    onEvent: (event: StripeEvent) => events.push({ type: event.type, atMs: performance.now() }),
  });
});

afterAll(async () => {
  await h.close();
});

beforeEach(() => {
  h.emulator.reset();
  events.length = 0;
});

describe("request counters", () => {
  it("count every API request per method and folded path, 429s apart, and reset", async () => {
    const first = await h.stripe.checkout.sessions.create(sessionParams());
    const second = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.retrieve(first.id);
    await h.stripe.checkout.sessions.retrieve(second.id);
    await h.stripe.refunds.list();
    await h.stripe.paymentIntents.retrieve("pi_missing").catch(() => undefined);
    await rawApi(h.emulator, "GET", "/v1/customers/cus_123");
    await rawApi(h.emulator, "GET", "/v1/refunds", { apiKey: "not_a_key" });
    await control(h.emulator, "GET", "/_emulator/clock");
    await fetch(first.url ?? "");
    await configurePace(h.emulator, { rateLimit: { inject429: 1 } });
    await rawApi(h.emulator, "GET", `/v1/checkout/sessions/${first.id}`);
    const expected = {
      total: 9,
      totalRateLimited: 1,
      requests: {
        "GET /v1/checkout/sessions/:id": 3,
        "GET /v1/customers/:id": 1,
        "GET /v1/payment_intents/:id": 1,
        "GET /v1/refunds": 2,
        "POST /v1/checkout/sessions": 2,
      },
      rateLimited: { "GET /v1/checkout/sessions/:id": 1 },
    };
    expect(await fetchRequestCounts(h.emulator)).toEqual({ since: expect.any(String) as string, ...expected });
    expect(h.emulator.requestCounts()).toMatchObject(expected);
    const cleared = await control(h.emulator, "POST", "/_emulator/requests/reset");
    expect(cleared.body).toMatchObject(expected);
    expect(await fetchRequestCounts(h.emulator)).toMatchObject({
      total: 0,
      totalRateLimited: 0,
      requests: {},
      rateLimited: {},
    });
    await rawApi(h.emulator, "GET", "/v1/events");
    expect((await fetchRequestCounts(h.emulator)).total).toBe(1);
    await control(h.emulator, "POST", "/_emulator/reset");
    expect((await fetchRequestCounts(h.emulator)).total).toBe(0);
  });
});

describe("latency", () => {
  it("is off by default", async () => {
    const config = await control(h.emulator, "GET", "/_emulator/config");
    expect(config.body).toMatchObject({
      latency: { minMs: 0, medianMs: 0, p95Ms: 0, maxMs: 0 },
      rateLimit: { globalPerSecond: null, endpointPerSecond: null, inject429: 0 },
    });
    const started = performance.now();
    for (let i = 0; i < 20; i++) await h.stripe.refunds.list();
    // Twenty requests at the 45 ms the next test proves would take 900 ms.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("delays every API request before its handler runs, but not the control API or hosted page", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await configurePace(h.emulator, { latency: 50 });
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await h.stripe.checkout.sessions.retrieve(session.id);
      expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    }
    await configurePace(h.emulator, { latency: 1_000 });
    let started = performance.now();
    await control(h.emulator, "GET", "/_emulator/health");
    await fetch(session.url ?? "");
    expect(performance.now() - started).toBeLessThan(500);
    await configurePace(h.emulator, { latency: 200 });
    started = performance.now();
    await h.stripe.checkout.sessions.expire(session.id);
    const expired = events.find((e) => e.type === "checkout.session.expired");
    expect((expired?.atMs ?? 0) - started).toBeGreaterThanOrEqual(190);
  });

  it("realistic applies Stripe-like delays of at least 20 ms", async () => {
    await configurePace(h.emulator, { latency: "realistic" });
    const timings: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      await h.stripe.refunds.list();
      timings.push(performance.now() - started);
    }
    expect(Math.min(...timings)).toBeGreaterThanOrEqual(19);
  });
});

describe("settings", () => {
  it("switch profiles at runtime through the control API and reject bad values with 400", async () => {
    const set = await control(h.emulator, "POST", "/_emulator/config", {
      latency: "realistic",
      rateLimit: "sandbox",
    });
    expect(set.body).toMatchObject({
      latency: { minMs: 20, medianMs: 70, p95Ms: 200, maxMs: 600 },
      rateLimit: { globalPerSecond: 25, endpointPerSecond: 25, inject429: 0 },
    });
    const live = await control(h.emulator, "POST", "/_emulator/config", {
      latency: { minMs: 1, medianMs: 2, p95Ms: 3, maxMs: 4 },
      rateLimit: { preset: "live", inject429: 0.05 },
    });
    expect(live.body).toMatchObject({
      latency: { minMs: 1, medianMs: 2, p95Ms: 3, maxMs: 4 },
      rateLimit: { globalPerSecond: 100, endpointPerSecond: 25, inject429: 0.05 },
    });
    const bad: [patch: object, param: string, message: RegExp][] = [
      [{ latency: "slow" }, "latency", /Invalid value/],
      [{ latency: { minMs: 100, medianMs: 50, p95Ms: 200, maxMs: 300 } }, "latency", /minMs ≤ medianMs/],
      [{ rateLimit: { globalPerSecond: 0 } }, "rateLimit[globalPerSecond]", />0/],
      [{ rateLimit: "turbo" }, "rateLimit", /Invalid value/],
    ];
    for (const [patch, param, message] of bad) {
      const result = await control(h.emulator, "POST", "/_emulator/config", patch);
      expect(result.status, JSON.stringify(patch)).toBe(400);
      expect(result.body).toMatchObject({ error: { type: "invalid_request_error", param, message } });
    }
    expect((await control(h.emulator, "GET", "/_emulator/config")).body).toMatchObject({
      rateLimit: { globalPerSecond: 100, inject429: 0.05 },
    });
    await control(h.emulator, "POST", "/_emulator/reset");
    expect((await control(h.emulator, "GET", "/_emulator/config")).body).toMatchObject({
      latency: { maxMs: 0 },
      rateLimit: { globalPerSecond: null, endpointPerSecond: null, inject429: 0 },
    });
  });

  it("start from startEmulator options, which reset returns to", async () => {
    const emulator = await startEmulator({ latency: "realistic", rateLimit: { preset: "live", inject429: 0.5 } });
    try {
      const initial = (await control(emulator, "GET", "/_emulator/config")).body;
      expect(initial).toMatchObject({
        latency: { medianMs: 70 },
        rateLimit: { globalPerSecond: 100, endpointPerSecond: 25, inject429: 0.5 },
      });
      emulator.configure({ latency: "off", rateLimit: "off" });
      expect(await stripeFor(emulator).refunds.list()).toMatchObject({ object: "list" });
      emulator.reset();
      expect((await control(emulator, "GET", "/_emulator/config")).body).toEqual(initial);
    } finally {
      await emulator.stop();
    }
    await expect(startEmulator({ latency: -5 })).rejects.toThrow(/latency/);
  });
});
