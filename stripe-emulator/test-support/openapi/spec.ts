/**
 * The trimmed copy of Stripe's OpenAPI spec (`schemas.json`, written by `trim-spec.ts`) and
 * how a value the emulator returns finds its schema: by its `object` field, a list by the
 * path in its `url`, an error body by its `error` field.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseSchema, validate, type Finding, type Schema, type Schemas } from "./validate";

export interface SpecSource {
  repository: string;
  file: string;
  apiVersion: string;
  sha256: string;
}

export interface Spec {
  source: SpecSource;
  /** The object types the fixture was cut for. */
  roots: string[];
  /** List responses by path template (`/v1/checkout/sessions/{session}/line_items`). */
  lists: Readonly<Record<string, Schema>>;
  schemas: Schemas;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what}: not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Error(`${what}: not a string`);
  return value;
}

function schemaMap(value: unknown, what: string): Record<string, Schema> {
  return Object.fromEntries(
    Object.entries(record(value, what)).map(([name, schema]) => [name, parseSchema(schema, `${what}.${name}`)]),
  );
}

export function loadSpec(file = path.join(import.meta.dirname, "schemas.json")): Spec {
  const json = record(JSON.parse(readFileSync(file, "utf8")), file);
  const source = record(json.source, "source");
  const roots = json.roots;
  if (!Array.isArray(roots)) throw new Error("roots: not an array");
  return {
    source: {
      repository: text(source.repository, "source.repository"),
      file: text(source.file, "source.file"),
      apiVersion: text(source.apiVersion, "source.apiVersion"),
      sha256: text(source.sha256, "source.sha256"),
    },
    roots: roots.map((root, i) => text(root, `roots[${i}]`)),
    lists: schemaMap(json.lists, "lists"),
    schemas: schemaMap(json.schemas, "schemas"),
  };
}

/** The list template a list's `url` is an instance of (`{…}` stands for one path segment). */
export function listTemplateFor(spec: Spec, url: string): string | undefined {
  return Object.keys(spec.lists).find((template) => {
    const pattern = template.replace(/\{[^}]+\}/g, "[^/]+");
    return new RegExp(`^${pattern}$`).test(url);
  });
}

/** How a value is named in findings and which schema holds it, or why none does. */
export function schemaFor(spec: Spec, value: unknown): { root: string; schema: Schema } | { unknown: string } {
  const body = record(value, "value");
  if ("error" in body && !("object" in body)) return { root: "error", schema: { $ref: "#/components/schemas/error" } };
  const name = body.object;
  if (typeof name !== "string") return { unknown: "a value without an object field" };
  if (name === "list") {
    const url = typeof body.url === "string" ? body.url : "";
    const template = listTemplateFor(spec, url);
    const schema = template === undefined ? undefined : spec.lists[template];
    return schema ? { root: `list(${template})`, schema } : { unknown: `a list at ${url}` };
  }
  // A deleted object keeps its `object` name and says `deleted: true`; the spec names it apart.
  if (body.deleted === true) {
    const deleted = `deleted_${name}`;
    return deleted in spec.schemas
      ? { root: deleted, schema: { $ref: `#/components/schemas/${deleted}` } }
      : { unknown: `deleted object type ${name}` };
  }
  if (!(name in spec.schemas)) return { unknown: `object type ${name}` };
  return { root: name, schema: { $ref: `#/components/schemas/${name}` } };
}

/** Checks one value the emulator returned against the schema its `object` field names. */
export function checkAgainstSpec(spec: Spec, value: unknown, checkedFields?: Set<string>): Finding[] {
  const target = schemaFor(spec, value);
  if ("unknown" in target)
    return [{ kind: "violation", path: "(root)", at: "(root)", message: `no schema for ${target.unknown}` }];
  return validate(value, target.schema, spec.schemas, target.root, checkedFields);
}
