import { describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, vi } from "vitest";
import { builtHeaderDrift } from "./built-headers";
import { contentSecurityPolicy, headerDrift, headerOptionsFor, headerRules, securityHeaders } from "./headers";

const production = {
  development: false,
  appUrl: "https://shop.example.com",
  checkoutOrigins: ["https://checkout.stripe.com"],
};
const local = {
  development: false,
  appUrl: "http://localhost:3000",
  checkoutOrigins: ["https://checkout.stripe.com", "http://127.0.0.1:*"],
};

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split("; ").map((d) => [d.split(" ")[0] ?? "", d.split(" ").slice(1)]));
}

describe("security headers", () => {
  test("production: HSTS, no framing, scripts from this origin only, no eval", () => {
    const headers = new Map(securityHeaders(production).map((h) => [h.key, h.value]));
    expect(headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    expect(headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    const csp = directives(headers.get("Content-Security-Policy") ?? "");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'", "https://checkout.stripe.com"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
  });

  test("plain-http local servers get no HSTS (it would pin localhost to https)", () => {
    expect(securityHeaders(local).map((h) => h.key)).not.toContain("Strict-Transport-Security");
    expect(contentSecurityPolicy(local)).not.toContain("upgrade-insecure-requests");
  });

  test("only development allows eval and the hot-reload socket", () => {
    const dev = directives(contentSecurityPolicy({ ...local, development: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("connect-src")).toContain("ws:");
  });

  test("pages and APIs whose URLs carry an order token send no Referer, by a rule after the global one", () => {
    const rules = headerRules(local);
    expect(rules[0]?.source).toBe("/:path*");
    for (const source of ["/orders/:path*", "/api/orders/:path*", "/checkout/success", "/checkout/cancelled"]) {
      const index = rules.findIndex((r) => r.source === source);
      expect(index, source).toBeGreaterThan(0);
      expect(rules[index]?.headers).toEqual([{ key: "Referrer-Policy", value: "no-referrer" }]);
    }
  });

  test("the configuration's headers follow APP_URL: an https store gets HSTS and no local form targets", async () => {
    vi.stubEnv("APP_URL", "https://shop.example.com");
    vi.resetModules();
    const { default: config } = await import("@/next.config");
    const rules = (await config.headers?.()) ?? [];
    const global = new Map(rules[0]?.headers.map((h) => [h.key, h.value]));
    expect(global.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(directives(global.get("Content-Security-Policy") ?? "").get("form-action")).toEqual([
      "'self'",
      "https://checkout.stripe.com",
    ]);
  });

  test("a build made for another APP_URL is told apart from the configuration, naming what differs", () => {
    const httpBuild = headerRules(headerOptionsFor({ APP_URL: "http://localhost:3000", NODE_ENV: "production" }));
    const https = headerRules(headerOptionsFor({ APP_URL: "https://shop.example.com", NODE_ENV: "production" }));
    expect(headerDrift(httpBuild, httpBuild)).toEqual([]);
    const drift = headerDrift(httpBuild, https);
    expect(drift.some((d) => d.startsWith('/:path* Strict-Transport-Security: built "(none)"'))).toBe(true);
    expect(drift.some((d) => d.startsWith("/:path* Content-Security-Policy"))).toBe(true);
    expect(headerDrift(https, httpBuild).some((d) => d.includes("Strict-Transport-Security"))).toBe(true);
  });

  test("the start-up check reads the build's manifest", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "built-headers-"));
    const production = (appUrl: string) => ({ APP_URL: appUrl, NODE_ENV: "production" });
    expect(builtHeaderDrift(production("http://localhost:3000"), dir)).toBeNull();
    const built = headerRules(headerOptionsFor({ APP_URL: "http://localhost:3000", NODE_ENV: "production" }));
    writeFileSync(path.join(dir, "routes-manifest.json"), JSON.stringify({ version: 3, headers: built }));
    expect(builtHeaderDrift(production("http://localhost:3100"), dir)).toEqual([]);
    expect(builtHeaderDrift(production("https://shop.example.com"), dir)?.length).toBeGreaterThan(0);
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
});
