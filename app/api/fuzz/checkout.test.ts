/**
 * Fuzzes POST /api/checkout with malformed input (fast-check generated and hand-picked). The
 * contract: no response has a 5xx status (or throws, which Next answers with a 500), every
 * answer is one of the route's documented statuses, and the routes still serve a normal
 * request afterwards (test/fuzz.ts).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  NIL_UUID,
  RUNS,
  TWO_MB,
  call,
  checkoutBody,
  expectStatus,
  freshIp,
  postCheckout,
  productId,
  realProduct,
  weirdString,
  fuzzSuite,
} from "@/test/fuzz";

fuzzSuite(() => {
  describe("POST /api/checkout", () => {
    const OK = [200, 303, 400, 409, 413, 415, 429];
    const checkout = (body: BodyInit | null, contentType: string | null, ip = freshIp()) =>
      postCheckout(
        new Request("http://localhost/api/checkout", {
          method: "POST",
          headers: { ...(contentType === null ? {} : { "content-type": contentType }), "x-forwarded-for": ip },
          body,
        }),
      );

    test(`${RUNS} generated JSON bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(checkoutBody, async (body) => {
          const text = JSON.stringify(body) ?? "undefined";
          expectStatus(await call("POST /api/checkout", text, () => checkout(text, "application/json")), OK);
        }),
        { numRuns: RUNS },
      );
    });

    test(`${RUNS} generated form posts and content types`, async () => {
      const contentTypes = fc.constantFrom(
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "application/json",
        "application/json; charset=latin1",
        "text/plain",
        "application/xml",
        "text/html",
        "application/x-www-form-urlencoded\t",
        "*/*",
        "",
        null,
      );
      const field = fc.oneof(
        fc.constantFrom(
          "items[0][productId]",
          "items[0][quantity]",
          "items[99][productId]",
          "items[1e3][quantity]",
          "email",
        ),
        fc.string(),
      );
      const form = fc.array(fc.tuple(field, fc.oneof(weirdString, realProduct, fc.constant("1"))), {
        maxLength: 30,
      });
      await fc.assert(
        fc.asyncProperty(contentTypes, form, fc.boolean(), async (contentType, pairs, rawGarbage) => {
          const body = rawGarbage
            ? pairs.map(([k, v]) => `${k}=${v}`).join("&")
            : new URLSearchParams(pairs.map(([k, v]) => [k, v.replaceAll("\u0000", "")])).toString();
          expectStatus(await call("POST /api/checkout", { contentType, body }, () => checkout(body, contentType)), OK);
        }),
        { numRuns: RUNS },
      );
    });

    test.each<[string, string | null, () => BodyInit | null, number[]]>([
      ["a 2 MB JSON body", "application/json", () => JSON.stringify({ items: [], pad: "x".repeat(TWO_MB) }), [413]],
      ["a 2 MB form body", "application/x-www-form-urlencoded", () => `email=${"a".repeat(TWO_MB)}`, [413]],
      ["a 2 MB multipart body", "multipart/form-data; boundary=b", () => `--b\r\n${"x".repeat(TWO_MB)}`, [413]],
      ["broken JSON", "application/json", () => '{"items": [', [400]],
      ["JSON with a BOM", "application/json", () => `\ufeff{"items":[]}`, [400]],
      ["an empty body", "application/json", () => "", [400]],
      ["no body", "application/json", () => null, [400]],
      ["JSON null", "application/json", () => "null", [400]],
      ["a JSON string", "application/json", () => '"items"', [400]],
      ["deeply nested arrays", "application/json", () => `{"items":${"[".repeat(15_000)}${"]".repeat(15_000)}}`, [400]],
      ["deeply nested objects", "application/json", () => `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`, [400]],
      [
        "10,000 items",
        "application/json",
        () => JSON.stringify({ items: Array.from({ length: 10_000 }, () => 1) }),
        [400],
      ],
      [
        "10,000 real items",
        "application/json",
        () => JSON.stringify({ items: Array.from({ length: 10_000 }, () => ({ productId, quantity: 1 })) }),
        [400, 413],
      ],
      ["a huge quantity", "application/json", () => JSON.stringify({ items: [{ productId, quantity: 1e12 }] }), [400]],
      [
        "a negative quantity",
        "application/json",
        () => JSON.stringify({ items: [{ productId, quantity: -1 }] }),
        [400],
      ],
      [
        "a fractional quantity",
        "application/json",
        () => JSON.stringify({ items: [{ productId, quantity: 1.5 }] }),
        [400],
      ],
      ["quantity 1e309", "application/json", () => `{"items":[{"productId":"${productId}","quantity":1e309}]}`, [400]],
      ['quantity "NaN"', "application/json", () => JSON.stringify({ items: [{ productId, quantity: "NaN" }] }), [400]],
      [
        'quantity "Infinity"',
        "application/json",
        () => JSON.stringify({ items: [{ productId, quantity: "Infinity" }] }),
        [400],
      ],
      [
        "an unknown product",
        "application/json",
        () => JSON.stringify({ items: [{ productId: NIL_UUID, quantity: 1 }] }),
        [400],
      ],
      [
        "the same product 50 times",
        "application/json",
        () => JSON.stringify({ items: Array.from({ length: 50 }, () => ({ productId, quantity: 99 })) }),
        [200, 400, 409],
      ],
      [
        "a __proto__ payload",
        "application/json",
        () => '{"__proto__":{"items":[1]},"items":[{"__proto__":{}}]}',
        [400],
      ],
      ["text/plain", "text/plain", () => "items=1", [415]],
      ["xml", "application/xml", () => "<items><item/></items>", [415]],
      ["no content type", null, () => "{}", [415]],
      ["multipart without a boundary", "multipart/form-data", () => "items[0][quantity]=1", [400]],
      ["broken multipart", "multipart/form-data; boundary=zz", () => "--zz\r\nbroken", [400]],
      [
        "a multipart form with a file",
        "multipart/form-data; boundary=zz",
        () =>
          `--zz\r\nContent-Disposition: form-data; name="items[0][productId]"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${productId}\r\n--zz--\r\n`,
        [303, 400],
      ],
      ["a form with 100 items", "application/x-www-form-urlencoded", () => formWithItems(100), [303, 400]],
      [
        "a form with a bad percent escape",
        "application/x-www-form-urlencoded",
        () => "items[0][productId]=%zz&email=%",
        [303, 400],
      ],
    ])("%s", async (label, contentType, body, allowed) => {
      expectStatus(await call("POST /api/checkout", label, () => checkout(body(), contentType)), allowed);
    });

    function formWithItems(n: number): string {
      const params = new URLSearchParams();
      for (let i = 0; i < n; i += 1) {
        params.append(`items[${i}][productId]`, productId);
        params.append(`items[${i}][quantity]`, "1");
      }
      return params.toString();
    }

    test("odd client address headers are answered, and over the limit with 429", async () => {
      const body = JSON.stringify({ items: [{ productId: NIL_UUID, quantity: 1 }] });
      for (const xff of [
        "",
        ",,,",
        "x".repeat(8_000),
        "1.2.3.4, 5.6.7.8, ",
        "::1",
        "ünïcödé",
        "%00",
        "a\tb",
        "\u00ff\u0080",
      ]) {
        expectStatus(
          await call("POST /api/checkout", { xff }, () => checkout(body, "application/json", xff)),
          [400, 429],
        );
      }
      const statuses: number[] = [];
      for (let i = 0; i < 25; i += 1)
        statuses.push(
          (await call("POST /api/checkout", "burst", () => checkout(body, "application/json", "203.0.113.9"))).status,
        );
      expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    });
  });
});
