import { describe, expect, test } from "vitest";
import { type CartLine } from "./line";
import { addLine, reconcileWithCatalog, setLineQuantity } from "./rules";
import { parseStoredCart } from "./schema";
import { serializeCart } from "./storage";

const line = (over: Partial<CartLine> = {}): CartLine => ({
  productId: "p1",
  slug: "mug",
  name: "Mug",
  image: "/products/stoneware-mug.svg",
  unitAmount: 2400,
  currency: "usd",
  quantity: 1,
  stock: 5,
  ...over,
});

describe("cart store", () => {
  test("round-trips through storage", () => {
    const lines = [line(), line({ productId: "p2", slug: "tote", quantity: 2 })];
    expect(parseStoredCart(serializeCart(lines))).toEqual(lines);
  });

  test.each([
    ["null", null],
    ["broken JSON", "{not json"],
    ["wrong shape", JSON.stringify({ lines: [{ productId: 1 }] })],
    ["negative quantity", JSON.stringify({ lines: [{ ...line(), quantity: -2 }] })],
    ["fractional price", JSON.stringify({ lines: [{ ...line(), unitAmount: 9.99 }] })],
  ])("treats %s in storage as an empty cart", (_label, raw) => {
    expect(parseStoredCart(raw)).toEqual([]);
  });

  test.each([
    { have: 0, add: 3, stock: 5, expected: 3 },
    { have: 4, add: 3, stock: 5, expected: 5 },
    { have: 0, add: 2, stock: 1, expected: 1 },
  ])("adding $add to $have with stock $stock gives $expected", ({ have, add, stock, expected }) => {
    const start = have ? [line({ quantity: have, stock })] : [];
    const result = addLine(start, line({ quantity: add, stock }));
    expect(result).toHaveLength(1);
    expect(result[0]?.quantity).toBe(expected);
  });

  test("never adds a sold-out product", () => {
    expect(addLine([], line({ stock: 0 }))).toEqual([]);
  });

  test.each([
    { to: 3, expected: 3 },
    { to: 50, expected: 5 },
    { to: 2.7, expected: 2 },
  ])("setting quantity to $to keeps it within stock: $expected", ({ to, expected }) => {
    expect(setLineQuantity([line({ quantity: 1 })], "p1", to)[0]?.quantity).toBe(expected);
  });

  test("setting quantity below one removes the line", () => {
    expect(setLineQuantity([line()], "p1", 0)).toEqual([]);
  });

  test("reconciling with the catalog updates prices, clamps to stock and drops sold-out or removed products", () => {
    const lines = [line({ quantity: 4 }), line({ productId: "gone" }), line({ productId: "sold", slug: "s" })];
    const catalog = [
      { id: "p1", slug: "mug", name: "Mug", image: "/m.svg", unitAmount: 2600, currency: "usd", stock: 2 },
      { id: "sold", slug: "s", name: "Sold", image: "/s.svg", unitAmount: 100, currency: "usd", stock: 0 },
    ];
    expect(reconcileWithCatalog(lines, catalog)).toEqual([
      {
        productId: "p1",
        slug: "mug",
        name: "Mug",
        image: "/m.svg",
        unitAmount: 2600,
        currency: "usd",
        stock: 2,
        quantity: 2,
      },
    ]);
  });
});
