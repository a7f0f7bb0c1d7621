import { describe, expect, test } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "./headers";

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
});
