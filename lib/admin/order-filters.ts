/**
 * The orders list's filters, read from the query string. Pure (no server imports), so the
 * list page, the CSV export and the tests share one definition.
 */
import { z } from "zod";

export const ORDER_STATUSES = ["PENDING", "PAID", "FAILED", "EXPIRED", "REFUNDED"] as const;
export const PAGE_SIZE = 50;
/** How the order is paid: a method, or the channel a payment link opens. */
export const PAYMENT_METHODS = {
  card: "Card",
  direct_debit: "Direct debit",
  bank_transfer: "Bank transfer",
  payment_link: "Payment link",
} as const;
/** Payments the store is waiting for, each shown with its age. */
export const WAITING_FOR = {
  awaiting_transfer: "Awaiting transfer",
  partially_funded: "Partially funded",
  link_sent: "Link sent",
} as const;

const keysOf = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...Array<keyof T & string>];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "dates are YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "not a date");

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const orderFiltersSchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(ORDER_STATUSES).optional()),
  from: z.preprocess(blankToUndefined, day.optional()),
  to: z.preprocess(blankToUndefined, day.optional()),
  currency: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-zA-Z]{3}$/, "currency is a 3-letter code")
      .transform((v) => v.toLowerCase())
      .optional(),
  ),
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  review: z.preprocess(blankToUndefined, z.enum(["1"]).optional()),
  method: z.preprocess(blankToUndefined, z.enum(keysOf(PAYMENT_METHODS)).optional()),
  waiting: z.preprocess(blankToUndefined, z.enum(keysOf(WAITING_FOR)).optional()),
  sort: z.preprocess(blankToUndefined, z.enum(["created", "amount"]).default("created")),
  dir: z.preprocess(blankToUndefined, z.enum(["asc", "desc"]).default("desc")),
  cursor: z.preprocess(blankToUndefined, z.string().max(200).optional()),
});

export type OrderFilters = z.infer<typeof orderFiltersSchema>;

/** Parses filters from URL search params; invalid values are reported, not silently dropped. */
export function parseOrderFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): { ok: true; filters: OrderFilters } | { ok: false; message: string } {
  const flat: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") flat[key] = first;
  }
  const parsed = orderFiltersSchema.safeParse(flat);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join("; ") };
  return { ok: true, filters: parsed.data };
}

/** The query string for these filters, with `changes` applied (undefined removes a key). */
export function filtersQuery(
  filters: Partial<OrderFilters>,
  changes: Partial<Record<keyof OrderFilters, string | undefined>> = {},
): string {
  const merged: Record<string, string | undefined> = { ...filters, ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

type CursorValue = { v: string | number; id: string };

/** Opaque keyset cursor: the sort value and id of the last row shown. */
export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

const cursorSchema = z.object({ v: z.union([z.string(), z.number().int()]), id: z.uuid() });

export function decodeCursor(cursor: string | undefined): CursorValue | null {
  if (!cursor) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
