/**
 * The cart's rules: how lines are added, changed and brought up to date with the catalog. Pure
 * functions over the lines; the cart provider keeps them in localStorage.
 */
import { type CartLine, MAX_LINE_QUANTITY } from "./line";

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
