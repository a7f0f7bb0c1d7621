import { describe, expect, test } from "vitest";
import { formatMoney, minorUnitsPerMajor, parseMajorAmount, sumLines } from "./index";

describe("money", () => {
  test.each([
    [2400, "usd", "$24.00"],
    [5, "usd", "$0.05"],
    [1500, "jpy", "¥1,500"],
    [123456, "eur", "€1,234.56"],
  ])("formats %i %s as %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  test("knows zero-decimal currencies", () => {
    expect(minorUnitsPerMajor("JPY")).toBe(1);
    expect(minorUnitsPerMajor("usd")).toBe(100);
  });

  test("sums lines in integer minor units", () => {
    expect(
      sumLines([
        { unitAmount: 1999, quantity: 3 },
        { unitAmount: 1, quantity: 1 },
      ]),
    ).toBe(5998);
  });

  test("refuses totals beyond safe integers", () => {
    expect(() => sumLines([{ unitAmount: Number.MAX_SAFE_INTEGER, quantity: 2 }])).toThrow(RangeError);
  });
});

describe("parseMajorAmount", () => {
  test.each([
    ["12", "eur", 1200],
    ["12.5", "eur", 1250],
    ["12,50", "eur", 1250],
    ["0.01", "usd", 1],
    [" 7.05 ", "usd", 705],
    ["500", "jpy", 500],
    ["12.505", "eur", null],
    ["1.5", "jpy", null],
    ["-1", "eur", null],
    ["1e3", "eur", null],
    ["", "eur", null],
    ["12.", "eur", null],
  ])("%j %s → %j", (text, currency, expected) => {
    expect(parseMajorAmount(text, currency)).toBe(expected);
  });
});
