/**
 * Reading the saved cart back from localStorage, where anything may have been written: every
 * line is parsed with zod and a malformed cart counts as empty. The cart provider loads this
 * module after the page has hydrated (it is the only shop code that needs zod on every page).
 */
import * as z from "@/lib/validation/browser-zod";
import { type CartLine, MAX_LINE_QUANTITY } from "./line";

export const cartLineSchema = z.object({
  productId: z.string().check(z.minLength(1), z.maxLength(64)),
  slug: z.string().check(z.minLength(1), z.maxLength(128)),
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  image: z.string().check(z.maxLength(300)),
  unitAmount: z.int().check(z.nonnegative()),
  currency: z.string().check(z.length(3)),
  quantity: z.int().check(z.minimum(1), z.maximum(MAX_LINE_QUANTITY)),
  /** Units available when last seen; the cart never asks for more. */
  stock: z.int().check(z.nonnegative()),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile if the schema and the line type drift apart. */
const _schemaDescribesCartLine: Same<z.infer<typeof cartLineSchema>, CartLine> = true;

const storedCartSchema = z.object({ lines: z.array(cartLineSchema).check(z.maxLength(100)) });

/** Reads the saved cart, dropping anything malformed. */
export function parseStoredCart(raw: string | null): CartLine[] {
  if (!raw) return [];
  try {
    const parsed = storedCartSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.lines : [];
  } catch {
    return [];
  }
}
