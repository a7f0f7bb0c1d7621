/**
 * The cart lives in the browser (localStorage), so it survives reloads without an account.
 * What comes back from storage is untrusted and parsed with zod; prices shown in the cart are
 * for display only, since checkout prices every line from the database.
 */
import * as z from "@/lib/validation/browser-zod";

export const CART_STORAGE_KEY = "fieldnote.cart.v1";
export const MAX_LINE_QUANTITY = 99;

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

export type CartLine = z.infer<typeof cartLineSchema>;

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

/** Serialises the cart for storage. */
export function serializeCart(lines: CartLine[]): string {
  return JSON.stringify({ lines });
}

/** The largest quantity a shopper may put in the cart for a line with this much stock. */
export function quantityLimit(stock: number): number {
  return Math.max(0, Math.min(stock, MAX_LINE_QUANTITY));
}

/** Adds a quantity of a product, capped at its stock; merges with an existing line. */
export function addLine(lines: CartLine[], line: CartLine): CartLine[] {
  const existing = lines.find((l) => l.productId === line.productId);
  const limit = quantityLimit(line.stock);
  if (limit === 0) return lines;
  if (!existing) return [...lines, { ...line, quantity: Math.min(line.quantity, limit) }];
  return lines.map((l) =>
    l.productId === line.productId ? { ...line, quantity: Math.min(existing.quantity + line.quantity, limit) } : l,
  );
}

/** Sets a line's quantity within [1, stock]; a quantity below 1 removes the line. */
export function setLineQuantity(lines: CartLine[], productId: string, quantity: number): CartLine[] {
  if (!Number.isFinite(quantity) || quantity < 1) return lines.filter((l) => l.productId !== productId);
  return lines.map((l) =>
    l.productId === productId
      ? { ...l, quantity: Math.max(1, Math.min(Math.floor(quantity), quantityLimit(l.stock))) }
      : l,
  );
}

/** Refreshes names, prices and stock from the catalog; drops products that are gone or sold out. */
export function reconcileWithCatalog(
  lines: CartLine[],
  products: ReadonlyArray<Omit<CartLine, "quantity" | "productId"> & { id: string }>,
): CartLine[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  const next: CartLine[] = [];
  for (const line of lines) {
    const product = byId.get(line.productId);
    if (!product || product.stock < 1) continue;
    next.push({
      productId: product.id,
      slug: product.slug,
      name: product.name,
      image: product.image,
      unitAmount: product.unitAmount,
      currency: product.currency,
      stock: product.stock,
      quantity: Math.min(line.quantity, quantityLimit(product.stock)),
    });
  }
  return next;
}
