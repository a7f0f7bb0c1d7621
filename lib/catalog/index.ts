import "server-only";
import { db } from "@/lib/db";
import type { PublicProduct } from "./types";

export type { PublicProduct };

type ProductRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  unitAmount: number;
  currency: string;
  stockOnHand: number;
  stockReserved: number;
  image: string;
};

/** Turns a database row into the public product shape. */
export function toPublicProduct(row: ProductRow): PublicProduct {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    unitAmount: row.unitAmount,
    currency: row.currency,
    stock: Math.max(0, row.stockOnHand - row.stockReserved),
    image: row.image,
  };
}

/** Every active product, alphabetically. */
export async function listProducts(): Promise<PublicProduct[]> {
  const rows = await db.product.findMany({ where: { active: true }, orderBy: { name: "asc" } });
  return rows.map(toPublicProduct);
}

/** One active product by its slug, or null. */
export async function findProductBySlug(slug: string): Promise<PublicProduct | null> {
  const row = await db.product.findFirst({ where: { slug, active: true } });
  return row ? toPublicProduct(row) : null;
}
