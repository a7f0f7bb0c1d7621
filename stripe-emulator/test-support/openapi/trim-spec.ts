/**
 * Writes `schemas.json` beside this file: the part of Stripe's OpenAPI spec the conformance
 * test checks the emulator's objects against, so the test needs neither the 4 MB spec nor a
 * network. It keeps the component schemas of the objects the emulator serves (and of those
 * being added), everything they reference, the list responses of their list endpoints, and
 * only the keywords `validate.ts` reads.
 *
 *   npx tsx stripe-emulator/test-support/openapi/trim-spec.ts path/to/spec3.json
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The objects the emulator returns or will return, by their schema names in the spec. */
const ROOTS = [
  "checkout.session",
  "item",
  "payment_intent",
  "charge",
  "refund",
  "dispute",
  "event",
  "product",
  "price",
  "payment_method",
  "error",
  "customer",
  "deleted_customer",
  "webhook_endpoint",
  "deleted_webhook_endpoint",
  "payment_link",
  "cash_balance",
  "customer_cash_balance_transaction",
];

/** List endpoints whose response (`object: "list"`) is defined inline under the path. */
const LIST_PATHS = [
  "/v1/charges",
  "/v1/checkout/sessions",
  "/v1/checkout/sessions/{session}/line_items",
  "/v1/customers",
  "/v1/customers/{customer}/cash_balance_transactions",
  "/v1/disputes",
  "/v1/events",
  "/v1/payment_intents",
  "/v1/payment_links",
  "/v1/payment_links/{payment_link}/line_items",
  "/v1/payment_methods",
  "/v1/prices",
  "/v1/products",
  "/v1/refunds",
  "/v1/webhook_endpoints",
];

/** The keywords the validator reads; everything else (descriptions, titles, x-stripe…) goes. */
const KEPT = new Set([
  "$ref",
  "type",
  "nullable",
  "properties",
  "required",
  "enum",
  "anyOf",
  "items",
  "additionalProperties",
  "format",
  "maxLength",
  "pattern",
  "x-expandableFields",
]);

const REF_PREFIX = "#/components/schemas/";

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** Copies a schema with only the kept keywords; `properties` keeps every property name. */
function trim(schema: unknown, refs: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((entry) => trim(entry, refs));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEPT.has(key)) continue;
    if (key === "$ref" && typeof value === "string") {
      if (!value.startsWith(REF_PREFIX)) throw new Error(`Unsupported $ref ${value}`);
      refs.add(value.slice(REF_PREFIX.length));
      out[key] = value;
    } else if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, trim(sub, refs)]));
    } else {
      out[key] = trim(value, refs);
    }
  }
  return out;
}

/** One schema a line, sorted by name, so regenerating shows which schemas changed. */
function serialize(header: JsonObject, lists: JsonObject, schemas: JsonObject): string {
  const block = (entries: JsonObject): string =>
    Object.entries(entries)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, schema]) => `  ${JSON.stringify(name)}: ${JSON.stringify(schema)}`)
      .join(",\n");
  const head = Object.entries(header).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{\n${head.join(",\n")},\n"lists": {\n${block(lists)}\n},\n"schemas": {\n${block(schemas)}\n}\n}\n`;
}

function main(): void {
  const input = process.argv[2];
  if (!input) throw new Error("Usage: npx tsx stripe-emulator/test-support/openapi/trim-spec.ts <spec3.json>");
  const bytes = readFileSync(input);
  const spec: unknown = JSON.parse(bytes.toString("utf8"));
  const all = field(spec, "components", "schemas");
  if (!isObject(all)) throw new Error(`${input} has no components.schemas`);

  const pending = new Set<string>(ROOTS);
  const lists: JsonObject = {};
  for (const listPath of LIST_PATHS) {
    const schema = field(spec, "paths", listPath, "get", "responses", "200", "content", "application/json", "schema");
    if (!isObject(schema)) throw new Error(`${input} has no list response for GET ${listPath}`);
    lists[listPath] = trim(schema, pending);
  }

  const schemas: JsonObject = {};
  for (const name of pending) {
    const refs = new Set<string>();
    const schema = all[name];
    if (!isObject(schema)) throw new Error(`${input} has no schema ${name}`);
    schemas[name] = trim(schema, refs);
    for (const ref of refs) pending.add(ref);
  }

  const header = {
    source: {
      repository: "github.com/stripe/openapi",
      file: "openapi/spec3.yaml",
      apiVersion: field(spec, "info", "version"),
      sha256: createHash("sha256").update(bytes).digest("hex"),
      generatedBy: "stripe-emulator/test-support/openapi/trim-spec.ts",
    },
    roots: ROOTS,
  };
  const output = path.join(import.meta.dirname, "schemas.json");
  const text = serialize(header, lists, schemas);
  writeFileSync(output, text);
  const kib = (Buffer.byteLength(text) / 1024).toFixed(1);
  console.log(`${output}: ${Object.keys(schemas).length} schemas, ${LIST_PATHS.length} lists, ${kib} KiB`);
}

main();
