import { describe, expect, it } from "vitest";
import { endpointKey, OTHER_ENDPOINTS, RequestCounters } from "./request-counters";

describe("endpointKey", () => {
  it.each<[string, string, string, string?]>([
    ["GET", "/v1/checkout/sessions/cs_test_a1B2", "GET /v1/checkout/sessions/:id", "/v1/checkout/sessions/:id"],
    ["GET", "/v1/checkout/sessions/x", "GET /v1/checkout/sessions/:id", "/v1/checkout/sessions/:id"],
    ["POST", "/v1/checkout/sessions", "POST /v1/checkout/sessions", "/v1/checkout/sessions"],
    ["GET", "/v1/checkout/sessions/cs_test_1/line_items", "GET /v1/checkout/sessions/:id/line_items"],
    ["GET", "/v1/payment_intents/pi_3Abc", "GET /v1/payment_intents/:id"],
    ["GET", "/v1/charges/ch_1", "GET /v1/charges/:id"],
    ["GET", "/v1/refunds/re_1", "GET /v1/refunds/:id"],
    ["GET", "/v1/events/evt_1", "GET /v1/events/:id"],
    ["GET", "/v1/disputes/du_1", "GET /v1/disputes/:id"],
    ["POST", "/v1/customers/cus_9/sources/card_2", "POST /v1/customers/:id/sources/:id"],
    ["GET", "/v1/refunds", "GET /v1/refunds"],
    ["GET", "/v1/payment_intents", "GET /v1/payment_intents"],
    ["GET", "/v1/line_items", "GET /v1/line_items"],
  ])("%s %s → %s", (method, path, expected, pattern) => {
    expect(endpointKey(method, path, pattern)).toBe(expected);
  });

  it("keeps keys short for absurd paths", () => {
    expect(endpointKey("GET", `/v1/${"e".repeat(10_000)}`).length).toBeLessThanOrEqual(200);
  });
});

describe("RequestCounters", () => {
  it("counts requests and 429s per endpoint, and reset returns what it cleared", () => {
    const counters = new RequestCounters();
    counters.countRequest("GET /v1/refunds");
    counters.countRequest("GET /v1/refunds");
    counters.countRequest("POST /v1/checkout/sessions");
    counters.countRateLimited("GET /v1/refunds");
    const expected = {
      total: 3,
      totalRateLimited: 1,
      requests: { "GET /v1/refunds": 2, "POST /v1/checkout/sessions": 1 },
      rateLimited: { "GET /v1/refunds": 1 },
    };
    expect(counters.snapshot()).toMatchObject(expected);
    expect(counters.reset()).toMatchObject(expected);
    expect(counters.snapshot()).toMatchObject({ total: 0, totalRateLimited: 0, requests: {}, rateLimited: {} });
  });

  it("counts endpoints past the 500th distinct one in one shared bucket", () => {
    const counters = new RequestCounters();
    for (let i = 0; i < 510; i++) counters.countRequest(`GET /v1/unknown_${i}`);
    counters.countRequest("GET /v1/unknown_0");
    const { requests, total } = counters.snapshot();
    expect(Object.keys(requests)).toHaveLength(501);
    expect(requests[OTHER_ENDPOINTS]).toBe(10);
    expect(requests["GET /v1/unknown_0"]).toBe(2);
    expect(total).toBe(511);
  });
});
