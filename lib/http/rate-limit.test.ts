import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { parseTrustedProxies } from "@/lib/env/trusted-proxies";
import { clientAddress, forwardedFor, installClientAddress } from "./client-address";
import { hitLimit, peekLimit } from "./rate-limit";

const db = openTestDb(2);
afterAll(() => db.$disconnect());

describe("shared rate limits", () => {
  test("allow the limit per window, then say how long to wait", async () => {
    const key = `test:${randomUUID()}`;
    const t = new Date("2026-12-01T10:00:00Z");
    const at = (ms: number) => new Date(t.getTime() + ms);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await hitLimit(key, 3, 60_000, t)).allowed);
    expect(results).toEqual([true, true, true]);
    expect(await hitLimit(key, 3, 60_000, at(15_000))).toEqual({ allowed: false, count: 4, retryAfterS: 45 });
    expect(await hitLimit(`${key}:other`, 3, 60_000, at(15_000))).toMatchObject({ allowed: true });
    expect(await hitLimit(key, 3, 60_000, at(60_000))).toEqual({ allowed: true, count: 1 });
  });

  test("two instances (two connection pools) share one window", async () => {
    const key = `test:${randomUUID()}`;
    const other = openTestDb(2);
    try {
      // The second pool counts through its own statement, as another instance would.
      await other.$executeRaw`insert into "RateLimitWindow" (key, "windowStart", count) values (${key}, now(), 3)`;
      expect(await hitLimit(key, 3, 60_000)).toMatchObject({ allowed: false, count: 4 });
    } finally {
      await other.$disconnect();
    }
  });

  test("peeking counts nothing", async () => {
    const key = `test:${randomUUID()}`;
    expect(await peekLimit(key, 2, 60_000)).toEqual({ allowed: true, count: 0 });
    await hitLimit(key, 2, 60_000);
    await hitLimit(key, 2, 60_000);
    expect(await peekLimit(key, 2, 60_000)).toMatchObject({ allowed: false, count: 2 });
    expect(await peekLimit(key, 3, 60_000)).toEqual({ allowed: true, count: 2 });
  });
});

describe("the client's address", () => {
  const none = parseTrustedProxies(undefined);
  const lb = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1");

  test("a client talking to the store directly is its socket address, whatever it sends", () => {
    expect(forwardedFor("203.0.113.5", "10.81.0.1, 10.82.3.4", none)).toBe("203.0.113.5");
    expect(forwardedFor("::ffff:203.0.113.5", undefined, none)).toBe("203.0.113.5");
    expect(forwardedFor("127.0.0.1", "1.2.3.4", none)).toBe("127.0.0.1");
  });

  test("behind a trusted proxy, the rightmost address that is not a proxy", () => {
    const via = (socket: string, xff: string) =>
      clientAddress(new Headers({ "x-forwarded-for": forwardedFor(socket, xff, lb) }), lb);
    expect(via("10.0.0.2", "198.51.100.7")).toBe("198.51.100.7");
    // The client's own entries are left of what the proxy appended.
    expect(via("10.0.0.2", "6.6.6.6, 198.51.100.7")).toBe("198.51.100.7");
    expect(via("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9")).toBe("198.51.100.7");
    // An untrusted peer claiming to forward is ignored.
    expect(via("198.51.100.8", "10.0.0.3, 1.2.3.4")).toBe("198.51.100.8");
  });

  test("malformed ranges are refused", () => {
    for (const bad of ["10.0.0.0/33", "example.com", "10.0.0.0/x", "::1/129"])
      expect(() => parseTrustedProxies(bad), bad).toThrow();
  });

  test("the server rewrites X-Forwarded-For from the socket before any handler sees it", async () => {
    const uninstall = installClientAddress(none);
    const server = http.createServer((req, res) => res.end(String(req.headers["x-forwarded-for"])));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const seen = await Promise.all(
        ["10.81.0.1, 10.82.0.1", "10.81.0.1, 10.82.0.2", ""].map(async (xff) =>
          (await fetch(`http://127.0.0.1:${port}/`, { headers: xff ? { "x-forwarded-for": xff } : {} })).text(),
        ),
      );
      expect(seen).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    } finally {
      server.close();
      uninstall();
    }
  });
});
