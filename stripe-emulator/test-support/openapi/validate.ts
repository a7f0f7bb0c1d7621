/**
 * A validator for the subset of OpenAPI 3.0 that Stripe's spec uses for its objects: `$ref`,
 * `type`, `nullable`, `properties`, `required`, `enum`, `anyOf`, `items`,
 * `additionalProperties`, `format` (`unix-time`, `decimal`), `maxLength`, `pattern` and
 * `x-expandableFields`. It reports every finding with its JSON path rather than stopping at
 * the first, and keeps fields the schema does not list apart from violations: Stripe's schemas
 * leave `additionalProperties` open, yet an unlisted field is a fidelity bug unless a newer API
 * added it.
 */

export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface Schema {
  $ref?: string;
  type?: SchemaType;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  format?: string;
  maxLength?: number;
  pattern?: string;
  "x-expandableFields"?: string[];
}

export interface Finding {
  /** `violation`: the value breaks the schema; `extra`: a field the schema does not list. */
  kind: "violation" | "extra";
  /** Where in the value: `checkout.session.payment_intent.latest_charge.outcome.type`. */
  path: string;
  /**
   * Where in the spec: the nearest named schema and the way from it (`charge_outcome.type`),
   * arrays as `[]`, so one difference reads the same wherever the object appears.
   */
  at: string;
  message: string;
}

/** Component schemas by name, as `#/components/schemas/<name>` refers to them. */
export type Schemas = Readonly<Record<string, Schema>>;

const REF_PREFIX = "#/components/schemas/";
const TYPES: readonly SchemaType[] = ["object", "array", "string", "integer", "number", "boolean"];
/** Seconds since the epoch; a millisecond timestamp is far past this. */
const MAX_UNIX_TIME = 10_000_000_000;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, type: SchemaType): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
  }
}

interface Where {
  path: string;
  at: string;
}

/** Walks one value against one schema, collecting findings and the fields it checked. */
class Walk {
  readonly findings: Finding[] = [];
  constructor(
    private readonly schemas: Schemas,
    /** The spec location (`charge_outcome.type`) of every listed field a value was checked at. */
    readonly checkedFields: Set<string>,
  ) {}

  resolve(schema: Schema): { schema: Schema; name: string | null } {
    if (schema.$ref === undefined) return { schema, name: null };
    const name = schema.$ref.slice(REF_PREFIX.length);
    const target = this.schemas[name];
    if (!schema.$ref.startsWith(REF_PREFIX) || !target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
    return { schema: target, name };
  }

  check(value: unknown, raw: Schema, where: Where): void {
    const { schema, name } = this.resolve(raw);
    const here: Where = name === null ? where : { path: where.path, at: name };
    if (value === null) {
      if (!schema.nullable && !raw.nullable) this.violation(here, `expected ${this.label(raw)}, got null`);
      return;
    }
    if (schema.anyOf) return this.checkAnyOf(value, schema.anyOf, here);
    if (schema.type && !hasType(value, schema.type)) {
      return this.violation(here, `expected ${schema.type}, got ${describe(value)}`);
    }
    if (schema.enum && !schema.enum.includes(value)) {
      this.violation(here, `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "string") this.checkString(value, schema, here);
    if (typeof value === "number" && schema.format === "unix-time" && (value < 0 || value >= MAX_UNIX_TIME)) {
      this.violation(here, `${value} is not a unix time in seconds`);
    }
    if (Array.isArray(value) && schema.items) {
      const items = schema.items;
      value.forEach((item, index) => this.check(item, items, { path: `${here.path}[${index}]`, at: `${here.at}[]` }));
    }
    if (isRecord(value)) {
      const own = this.ownSchema(value, schema);
      if (own) this.check(value, { $ref: `${REF_PREFIX}${own}` }, { path: here.path, at: own });
      else this.checkObject(value, schema, here);
    }
  }

  /**
   * A Stripe object where the schema allows any object (an event's `data.object`) is checked
   * against the schema its `object` field names, its spec locations starting from that name.
   */
  private ownSchema(value: Record<string, unknown>, schema: Schema): string | null {
    const freeForm = !schema.properties && schema.additionalProperties === undefined && !schema.$ref;
    const name = value.object;
    return freeForm && typeof name === "string" && name in this.schemas ? name : null;
  }

  private checkString(value: string, schema: Schema, where: Where): void {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      this.violation(where, `${value.length} characters, more than maxLength ${schema.maxLength}`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      this.violation(where, `${JSON.stringify(value)} does not match ${schema.pattern}`);
    }
    if (schema.format === "decimal" && !DECIMAL.test(value)) {
      this.violation(where, `${JSON.stringify(value)} is not a decimal string`);
    }
  }

  private checkObject(value: Record<string, unknown>, schema: Schema, where: Where): void {
    const properties = schema.properties ?? {};
    const expandable = new Set(schema["x-expandableFields"] ?? []);
    const inner = (key: string): Where => ({ path: `${where.path}.${key}`, at: `${where.at}.${key}` });
    for (const key of schema.required ?? []) {
      if (!(key in value)) this.violation(inner(key), "required field missing");
    }
    for (const [key, field] of Object.entries(value)) {
      const listed = properties[key];
      if (listed) {
        this.checkedFields.add(inner(key).at);
        // An expandable field holds the object's id until it is expanded.
        if (typeof field === "string" && expandable.has(key) && !this.acceptsString(listed)) continue;
        this.check(field, listed, inner(key));
      } else if (isRecord(schema.additionalProperties)) {
        this.check(field, schema.additionalProperties, inner(key));
      } else if (schema.additionalProperties === false) {
        this.violation(inner(key), "field not allowed (additionalProperties: false)");
      } else if (schema.properties) {
        this.findings.push({ kind: "extra", ...inner(key), message: "field not in the spec's schema" });
      }
    }
  }

  /**
   * The first branch that holds wins (its unlisted fields still count). Otherwise the branch
   * meant for this value reports why not: the one whose `object` names the value's, or else
   * the one of its type.
   */
  private checkAnyOf(value: unknown, branches: Schema[], where: Where): void {
    const tries = branches.map((branch) => {
      const walk = new Walk(this.schemas, this.checkedFields);
      walk.check(value, branch, where);
      return { branch, walk, violations: walk.findings.filter((f) => f.kind === "violation").length };
    });
    const passing = tries.find((t) => t.violations === 0);
    const objectName = isRecord(value) ? value.object : undefined;
    const meant =
      passing ??
      tries.find((t) => objectName !== undefined && this.objectEnum(t.branch).includes(objectName)) ??
      tries.find((t) => {
        const type = this.resolve(t.branch).schema.type;
        return type !== undefined && hasType(value, type);
      });
    if (meant) this.findings.push(...meant.walk.findings);
    else this.violation(where, `expected ${branches.map((b) => this.label(b)).join(" | ")}, got ${describe(value)}`);
  }

  private objectEnum(branch: Schema): unknown[] {
    return this.resolve(branch).schema.properties?.object?.enum ?? [];
  }

  private acceptsString(schema: Schema): boolean {
    const resolved = this.resolve(schema).schema;
    return resolved.type === "string" || (resolved.anyOf ?? []).some((b) => this.acceptsString(b));
  }

  private label(schema: Schema): string {
    const { schema: resolved, name } = this.resolve(schema);
    if (name !== null) return name;
    if (resolved.anyOf) return resolved.anyOf.map((b) => this.label(b)).join(" | ");
    return resolved.type ?? "any value";
  }

  private violation(where: Where, message: string): void {
    this.findings.push({ kind: "violation", ...where, message });
  }
}

/**
 * Validates `value` against `schema`, naming paths from `root` (`charge.outcome.type`).
 * `checkedFields`, when given, collects the spec location of each field checked.
 */
export function validate(
  value: unknown,
  schema: Schema,
  schemas: Schemas,
  root: string,
  checkedFields: Set<string> = new Set(),
): Finding[] {
  const walk = new Walk(schemas, checkedFields);
  walk.check(value, schema, { path: root, at: root });
  return walk.findings;
}

/** Reads a schema from JSON, refusing keywords this validator does not implement. */
export function parseSchema(json: unknown, path = "schema"): Schema {
  if (!isRecord(json)) throw new Error(`${path}: a schema must be an object`);
  const schema: Schema = {};
  for (const [key, value] of Object.entries(json)) {
    const at = `${path}.${key}`;
    switch (key) {
      case "$ref":
      case "format":
      case "pattern":
        schema[key] = stringOf(value, at);
        break;
      case "type":
        schema.type = TYPES.find((t) => t === value) ?? fail(at, `unknown type ${JSON.stringify(value)}`);
        break;
      case "nullable":
        schema.nullable = value === true || (value === false ? false : fail(at, "not a boolean"));
        break;
      case "maxLength":
        schema.maxLength = typeof value === "number" ? value : fail(at, "not a number");
        break;
      case "required":
      case "x-expandableFields":
        schema[key] = arrayOf(value, at).map((entry, i) => stringOf(entry, `${at}[${i}]`));
        break;
      case "enum":
        schema.enum = arrayOf(value, at);
        break;
      case "anyOf":
        schema.anyOf = arrayOf(value, at).map((entry, i) => parseSchema(entry, `${at}[${i}]`));
        break;
      case "items":
        schema.items = parseSchema(value, at);
        break;
      case "additionalProperties":
        schema.additionalProperties = typeof value === "boolean" ? value : parseSchema(value, at);
        break;
      case "properties":
        schema.properties = Object.fromEntries(
          Object.entries(isRecord(value) ? value : fail(at, "not an object")).map(([name, sub]) => [
            name,
            parseSchema(sub, `${at}.${name}`),
          ]),
        );
        break;
      default:
        fail(at, "keyword not supported by the validator");
    }
  }
  return schema;
}

function fail(path: string, message: string): never {
  throw new Error(`${path}: ${message}`);
}

function stringOf(value: unknown, path: string): string {
  return typeof value === "string" ? value : fail(path, "not a string");
}

function arrayOf(value: unknown, path: string): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : fail(path, "not an array");
}
