import { describe, expect, test } from "vitest";
import { clientIp, RateLimiter } from "./rate-limit";

describe("rate limits", () => {
  test("allow the limit per window, then say how long to wait", () => {
    const limiter = new RateLimiter(3, 60_000);
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.hit("a", t).allowed)).toEqual([true, true, true]);
    expect(limiter.hit("a", t + 15_000)).toEqual({ allowed: false, retryAfterS: 45 });
    expect(limiter.hit("b", t + 15_000)).toEqual({ allowed: true });
    expect(limiter.hit("a", t + 60_000)).toEqual({ allowed: true });
  });

  test("key on the address the nearest proxy appended, which a client cannot forge", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "1.1.1.1" }))).toBe("1.1.1.1");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 2.2.2.2" }))).toBe("2.2.2.2");
    expect(clientIp(new Headers({ "x-real-ip": "3.3.3.3" }))).toBe("3.3.3.3");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
