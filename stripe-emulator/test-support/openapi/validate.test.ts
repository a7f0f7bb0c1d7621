import { describe, expect, it } from "vitest";
import { parseSchema, validate, type Finding, type Schema, type Schemas } from "./validate";

/** A small object in the spec's style: an expandable customer, an address, metadata, a list. */
const schemas: Schemas = {
  widget: parseSchema({
    type: "object",
    required: ["id", "object", "created", "status", "customer", "address", "tags"],
    properties: {
      id: { type: "string", maxLength: 8 },
      object: { type: "string", enum: ["widget"] },
      created: { type: "integer", format: "unix-time" },
      status: { type: "string", enum: ["open", "closed"], nullable: true },
      amount: { type: "number" },
      paid: { type: "boolean" },
      price: { type: "string", format: "decimal" },
      url: { type: "string", pattern: "^/v1/widgets" },
      customer: {
        anyOf: [{ type: "string", maxLength: 5000 }, { $ref: "#/components/schemas/customer" }],
        nullable: true,
      },
      address: { anyOf: [{ $ref: "#/components/schemas/address" }], nullable: true },
      metadata: { type: "object", additionalProperties: { type: "string", maxLength: 5 } },
      tags: { type: "array", items: { type: "string" } },
      sealed: { type: "object", properties: { a: { type: "integer" } }, additionalProperties: false },
      data: { type: "object", properties: { object: { type: "object" } } },
      owner: { $ref: "#/components/schemas/customer" },
    },
    "x-expandableFields": ["customer", "owner"],
  }),
  customer: parseSchema({
    type: "object",
    required: ["id", "object"],
    properties: { id: { type: "string" }, object: { type: "string", enum: ["customer"] } },
  }),
  address: parseSchema({ type: "object", properties: { city: { type: "string", nullable: true } } }),
};

const widget: Schema = { $ref: "#/components/schemas/widget" };

function valid(): Record<string, unknown> {
  return {
    id: "wd_1",
    object: "widget",
    created: 1_700_000_000,
    status: null,
    amount: 12.5,
    paid: true,
    price: "12.50",
    url: "/v1/widgets/wd_1",
    customer: { id: "cus_1", object: "customer" },
    address: { city: "Berlin" },
    metadata: { k: "v" },
    tags: ["a"],
    sealed: { a: 1 },
    data: { object: { id: "cus_2", object: "customer" } },
    owner: "cus_3",
  };
}

function check(patch: Record<string, unknown>): Finding[] {
  return validate({ ...valid(), ...patch }, widget, schemas, "widget");
}

describe("validate", () => {
  it("accepts a value that holds, and collects the fields it checked", () => {
    const checked = new Set<string>();
    expect(validate(valid(), widget, schemas, "widget", checked)).toEqual([]);
    expect(checked).toContain("widget.customer");
    expect(checked).toContain("customer.object");
    expect(checked).toContain("address.city");
  });

  it.each<[string, Record<string, unknown>, Omit<Finding, "kind">]>([
    [
      "a wrong type",
      { address: "Berlin" },
      { path: "widget.address", at: "widget.address", message: "expected address, got string" },
    ],
    [
      "an integer that is not",
      { created: 1.5 },
      { path: "widget.created", at: "widget.created", message: "expected integer, got number" },
    ],
    [
      "a number that is a string",
      { amount: "12" },
      { path: "widget.amount", at: "widget.amount", message: "expected number, got string" },
    ],
    [
      "a boolean that is not",
      { paid: 1 },
      { path: "widget.paid", at: "widget.paid", message: "expected boolean, got integer" },
    ],
    [
      "null where not nullable",
      { tags: null },
      { path: "widget.tags", at: "widget.tags", message: "expected array, got null" },
    ],
    [
      "a value outside the enum",
      { status: "pending" },
      { path: "widget.status", at: "widget.status", message: '"pending" is not one of ["open","closed"]' },
    ],
    [
      "a string past maxLength",
      { id: "wd_123456789" },
      { path: "widget.id", at: "widget.id", message: "12 characters, more than maxLength 8" },
    ],
    [
      "a string off its pattern",
      { url: "/v1/other" },
      { path: "widget.url", at: "widget.url", message: '"/v1/other" does not match ^/v1/widgets' },
    ],
    [
      "a time in milliseconds",
      { created: 1_700_000_000_000 },
      { path: "widget.created", at: "widget.created", message: "1700000000000 is not a unix time in seconds" },
    ],
    [
      "a decimal that is not",
      { price: "12,50" },
      { path: "widget.price", at: "widget.price", message: '"12,50" is not a decimal string' },
    ],
    [
      "an array item of the wrong type",
      { tags: ["a", 2] },
      { path: "widget.tags[1]", at: "widget.tags[]", message: "expected string, got integer" },
    ],
    [
      "an additional property of the wrong type",
      { metadata: { k: "too long" } },
      { path: "widget.metadata.k", at: "widget.metadata.k", message: "8 characters, more than maxLength 5" },
    ],
    [
      "a field additionalProperties: false refuses",
      { sealed: { a: 1, b: 2 } },
      { path: "widget.sealed.b", at: "widget.sealed.b", message: "field not allowed (additionalProperties: false)" },
    ],
    [
      "an expanded object that breaks its own schema",
      { customer: { id: 7, object: "customer" } },
      { path: "widget.customer.id", at: "customer.id", message: "expected string, got integer" },
    ],
    [
      "an expandable field that is neither id nor object",
      { customer: 42 },
      { path: "widget.customer", at: "widget.customer", message: "expected string | customer, got integer" },
    ],
    [
      "a Stripe object where any object is allowed, by its own schema",
      { data: { object: { object: "customer" } } },
      { path: "widget.data.object.id", at: "customer.id", message: "required field missing" },
    ],
  ])("rejects %s", (_name, patch, expected) => {
    const findings = check(patch).filter((f) => f.kind === "violation");
    expect(findings).toEqual([{ kind: "violation", ...expected }]);
  });

  it("reports a missing required field", () => {
    const { tags: _tags, ...rest } = valid();
    expect(validate(rest, widget, schemas, "widget")).toEqual([
      { kind: "violation", path: "widget.tags", at: "widget.tags", message: "required field missing" },
    ]);
  });

  it("reports fields the schema does not list apart from violations, wherever the object sits", () => {
    expect(check({ colour: "red", customer: { id: "cus_1", object: "customer", since: 1 } })).toEqual([
      { kind: "extra", path: "widget.customer.since", at: "customer.since", message: "field not in the spec's schema" },
      { kind: "extra", path: "widget.colour", at: "widget.colour", message: "field not in the spec's schema" },
    ]);
  });

  it("refuses schemas with keywords it does not implement", () => {
    expect(() => parseSchema({ type: "string", oneOf: [] })).toThrow("schema.oneOf: keyword not supported");
    expect(() => parseSchema({ type: "date" })).toThrow('schema.type: unknown type "date"');
  });
});
