import { describe, expect, it } from "vitest";
import { RateLimiter, type Admission, type Budgets } from "./rate-limiter";

type Step = [atMs: number, apiKey: string, endpoint: string, expected: Admission];

const A = "GET /v1/checkout/sessions/:id";
const B = "GET /v1/events";

describe("RateLimiter", () => {
  it.each<[string, Budgets, Step[]]>([
    [
      "allows a burst equal to the rate, then one request per 1/rate seconds",
      { globalPerSecond: 3, endpointPerSecond: null },
      [
        [0, "sk_1", A, "ok"],
        [0, "sk_1", A, "ok"],
        [0, "sk_1", A, "ok"],
        [0, "sk_1", A, "global"],
        [200, "sk_1", A, "global"],
        [334, "sk_1", A, "ok"],
        [334, "sk_1", A, "global"],
        [5_000, "sk_1", A, "ok"],
      ],
    ],
    [
      "keeps the per-endpoint budget apart from other endpoints and shares the global one",
      { globalPerSecond: 4, endpointPerSecond: 2 },
      [
        [0, "sk_1", A, "ok"],
        [0, "sk_1", A, "ok"],
        [0, "sk_1", A, "endpoint"],
        // The refused request took no global token: two remain for B.
        [0, "sk_1", B, "ok"],
        [0, "sk_1", B, "ok"],
        [0, "sk_1", "GET /v1/refunds", "global"],
        [0, "sk_2", "GET /v1/refunds", "ok"],
      ],
    ],
    [
      "lets a rate below 1/s through once per period",
      { globalPerSecond: null, endpointPerSecond: 0.5 },
      [
        [0, "sk_1", A, "ok"],
        [1_000, "sk_1", A, "endpoint"],
        [2_000, "sk_1", A, "ok"],
      ],
    ],
    ["limits nothing without budgets", { globalPerSecond: null, endpointPerSecond: null }, [[0, "sk_1", A, "ok"]]],
  ])("%s", (_label, budgets, steps) => {
    const limiter = new RateLimiter();
    const results = steps.map(([at, key, endpoint]) => limiter.admit(key, endpoint, budgets, at));
    expect(results).toEqual(steps.map(([, , , expected]) => expected));
  });

  it("starts every bucket full again after clear()", () => {
    const limiter = new RateLimiter();
    const budgets = { globalPerSecond: 1, endpointPerSecond: null };
    expect(limiter.admit("sk_1", A, budgets, 0)).toBe("ok");
    expect(limiter.admit("sk_1", A, budgets, 0)).toBe("global");
    limiter.clear();
    expect(limiter.admit("sk_1", A, budgets, 0)).toBe("ok");
  });

  it("keeps limiting correctly while pruning buckets of many keys", () => {
    const limiter = new RateLimiter();
    const budgets = { globalPerSecond: 1, endpointPerSecond: null };
    expect(limiter.admit("sk_busy", A, budgets, 0)).toBe("ok");
    for (let i = 0; i < 10_050; i++) limiter.admit(`sk_${i}`, A, budgets, 10);
    expect(limiter.admit("sk_busy", A, budgets, 20)).toBe("global");
  });
});
