import { describe, expect, test } from "vitest";
import { sameOriginPath } from "./return-path";

const ORIGIN = "http://localhost:3000";

describe("the path a sign-in returns to", () => {
  test.each([
    ["/admin/orders/42", "/admin/orders/42"],
    ["/admin/orders?q=ada&status=PAID#list", "/admin/orders?q=ada&status=PAID#list"],
    ["http://localhost:3000/admin/webhooks", "/admin/webhooks"],
    ["admin/orders", "/admin/orders"],
  ])("keeps a path on this store: %j", (value, expected) => {
    expect(sameOriginPath(value, ORIGIN, "/admin")).toBe(expected);
  });

  test.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\\evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/.//evil.example",
    "https://evil.example/admin",
    "http://localhost:3001/admin",
    "https://localhost:3000/admin",
    "javascript:alert(1)",
    "data:text/html,hi",
    "http://[::1",
    "",
  ])("refuses anything that leaves the origin: %j", (value) => {
    expect(sameOriginPath(value, ORIGIN, "/admin")).toBe("/admin");
  });

  test("takes the first of repeated parameters and refuses what is not a string", () => {
    expect(sameOriginPath(["/admin/orders", "//evil.example"], ORIGIN, "/admin")).toBe("/admin/orders");
    expect(sameOriginPath(undefined, ORIGIN, "/admin")).toBe("/admin");
    expect(sameOriginPath(42, ORIGIN, "/")).toBe("/");
  });
});
