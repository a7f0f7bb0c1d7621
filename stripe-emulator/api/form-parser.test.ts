import { describe, expect, it } from "vitest";
import { FormParseError, parseForm } from "./form-parser";

describe("parseForm", () => {
  it("builds nested objects from bracketed keys", () => {
    expect(parseForm("a[b][c]=1&a[b][d]=two&e=3")).toEqual({ a: { b: { c: "1", d: "two" } }, e: "3" });
  });

  it("treats [0] indexes and [] appends as the same array", () => {
    const indexed = parseForm("line_items[0][price]=p1&line_items[0][quantity]=2&line_items[1][price]=p2");
    const appended = parseForm("line_items[][price]=p1&line_items[][quantity]=2&line_items[][price]=p2");
    expect(indexed).toEqual({ line_items: [{ price: "p1", quantity: "2" }, { price: "p2" }] });
    expect(appended).toEqual(indexed);
  });

  it("collects scalar arrays in both styles and orders indexes numerically", () => {
    expect(parseForm("types[]=a&types[]=b")).toEqual({ types: ["a", "b"] });
    expect(parseForm("types[10]=c&types[2]=b&types[0]=a")).toEqual({ types: ["a", "b", "c"] });
  });

  it("decodes plus signs, percent escapes and encoded brackets", () => {
    expect(parseForm("name=Jenny+Rosen&url=https%3A%2F%2Fx.test%2F%3Fa%3D1&meta%5Bkey%5D=v%20w")).toEqual({
      name: "Jenny Rosen",
      url: "https://x.test/?a=1",
      meta: { key: "v w" },
    });
  });

  it("parses a leading question mark as a query string and ignores empty pairs", () => {
    expect(parseForm("?limit=3&&expand[0]=payment_intent")).toEqual({ limit: "3", expand: ["payment_intent"] });
    expect(parseForm("")).toEqual({});
  });

  it("keeps __proto__ as a plain key instead of touching the prototype", () => {
    const parsed = parseForm("__proto__[polluted]=yes");
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(["__proto__"]);
  });

  it("rejects conflicting shapes and malformed input", () => {
    expect(() => parseForm("a=1&a[b]=2")).toThrow(FormParseError);
    expect(() => parseForm("a[0]=1&a[]=2")).toThrow(FormParseError);
    expect(() => parseForm("a[b=1")).toThrow(FormParseError);
    expect(() => parseForm("a=%E0%A4%A")).toThrow(FormParseError);
  });

  it("lets a repeated scalar key win with the last value", () => {
    expect(parseForm("a=1&a=2")).toEqual({ a: "2" });
  });
});
