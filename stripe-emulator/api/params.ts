/**
 * zod building blocks for form-encoded parameters (every leaf arrives as a string) and the
 * translation of zod issues into Stripe's wording, so clients see familiar messages.
 */
import { z } from "zod";
import { invalidRequest, type StripeApiError } from "./errors";

export function intParam(bounds: { min?: number; max?: number } = {}) {
  let number = z.number().int();
  if (bounds.min !== undefined) {
    number = number.min(bounds.min, { error: `This value must be greater than or equal to ${bounds.min}.` });
  }
  if (bounds.max !== undefined) {
    number = number.max(bounds.max, { error: `This value must be less than or equal to ${bounds.max}.` });
  }
  return z
    .string()
    .refine((v) => /^-?\d{1,15}$/.test(v), {
      error: (issue) => `Invalid integer: ${String(issue.input)}`,
      params: { code: "parameter_invalid_integer" },
    })
    .transform(Number)
    .pipe(number);
}

export const boolParam = z
  .enum(["true", "false"], { error: (issue) => `Invalid boolean: ${String(issue.input)}` })
  .transform((v) => v === "true");

export const stringParam = (max = 5000) =>
  z.string().max(max, { error: `This value must be at most ${max} characters long.` });

export const urlParam = z
  .string()
  .refine((v) => /^https?:$/.test(URL.canParse(v) ? new URL(v).protocol : ""), { error: "Not a valid URL" });

export const emailParam = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "Invalid email address" });

const currencyCodes = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));

export const currencyParam = z
  .string()
  .transform((v) => v.toLowerCase())
  .refine((v) => currencyCodes.has(v), { error: (issue) => `Invalid currency: ${String(issue.input)}` });

const metadataEntries = z
  .record(
    z.string().max(40, { error: "Metadata keys can be at most 40 characters long." }),
    z.string().max(500, { error: "Metadata values can be at most 500 characters long." }),
  )
  .refine((m) => Object.keys(m).length <= 50, { error: "Metadata can have at most 50 keys." });

/** Empty values are dropped: on Stripe they mean "unset", which on create is a no-op. */
export const metadataParam = metadataEntries.transform((m) =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v !== "")),
);

/** Metadata on update: keys merge into what is there, `""` for a key unsets it, `metadata=""` unsets all. */
export const metadataPatchParam = unsettable(metadataEntries);

export function applyMetadataPatch(
  current: Readonly<Record<string, string>>,
  patch: z.output<typeof metadataPatchParam> | undefined,
): Record<string, string> {
  if (patch === undefined) return { ...current };
  if (patch === null) return {};
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === "") delete next[key];
    else next[key] = value;
  }
  return next;
}

/**
 * A string that cannot be unset: Stripe reads `""` as an attempt to unset it and refuses it with
 * `parameter_invalid_empty` (see issueToError).
 */
export const requiredStringParam = (max = 5000) => stringParam(max).min(1);

/** A parameter that `""` unsets (`null` on the object), or a value. */
export function unsettable<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === "" ? null : value), schema.nullable());
}

export const expandParam = z.array(z.string()).max(20).optional();

export const listParams = {
  limit: intParam({ min: 1, max: 100 }).optional(),
  starting_after: z.string().optional(),
  ending_before: z.string().optional(),
  expand: expandParam,
};

export const createdFilterParam = z.union([
  intParam(),
  z.strictObject({
    gt: intParam().optional(),
    gte: intParam().optional(),
    lt: intParam().optional(),
    lte: intParam().optional(),
  }),
]);
export type CreatedFilter = z.output<typeof createdFilterParam>;

export function matchesCreated(created: number, filter: CreatedFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === "number") return created === filter;
  return (
    (filter.gt === undefined || created > filter.gt) &&
    (filter.gte === undefined || created >= filter.gte) &&
    (filter.lt === undefined || created < filter.lt) &&
    (filter.lte === undefined || created <= filter.lte)
  );
}

/** `["line_items", 0, "quantity"]` becomes `line_items[0][quantity]`, Stripe's param naming. */
export function formatParam(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map((p) => String(p));
  return (head ?? "") + rest.map((p) => `[${p}]`).join("");
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: "parameter_missing" });
}

/** Two parameters of which Stripe takes one; `param` names the one it reports. */
export function exclusiveParams(names: readonly string[], param: string): StripeApiError {
  return invalidRequest(`You may only specify one of these parameters: ${names.join(", ")}.`, {
    param,
    code: "parameters_exclusive",
  });
}

export function issueToError(issue: z.core.$ZodIssue): StripeApiError {
  if (issue.code === "unrecognized_keys") {
    const param = formatParam([...issue.path, issue.keys[0] ?? ""]);
    return invalidRequest(`Received unknown parameter: ${param}`, { param, code: "parameter_unknown" });
  }
  const param = formatParam(issue.path);
  if (param && issue.code === "too_small" && "input" in issue && issue.input === "") {
    return invalidRequest(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      { param, code: "parameter_invalid_empty" },
    );
  }
  if (param && "input" in issue && issue.input === undefined) return missingParam(param);
  if (issue.code === "invalid_type") {
    const kind = issue.expected === "object" || issue.expected === "record" ? "hash" : issue.expected;
    return invalidRequest(`Invalid ${kind} for ${param}.`, { param });
  }
  if (issue.code === "invalid_union") return invalidRequest(`Invalid value for ${param}.`, { param });
  // Stripe's code for the value's kind, where it has one (`parameter_invalid_integer`).
  const code = issue.code === "custom" && typeof issue.params?.code === "string" ? issue.params.code : undefined;
  return invalidRequest(issue.message, { ...(param ? { param } : {}), ...(code ? { code } : {}) });
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw issue ? issueToError(issue) : invalidRequest("Invalid request.");
}
