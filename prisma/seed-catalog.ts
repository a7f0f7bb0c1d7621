/**
 * The demo catalog: twelve products in one currency, with original artwork in public/products.
 * Seeding is idempotent: products are matched by slug; descriptive fields and prices are
 * brought up to date, while stock is only set when a product is first created so that a
 * running store's inventory is never reset.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "@/lib/db/create-client";

export const SEED_CURRENCY = "eur";

type SeedProduct = { slug: string; name: string; description: string; unitAmount: number; stock: number };

export const SEED_PRODUCTS: readonly SeedProduct[] = [
  {
    slug: "stoneware-mug",
    name: "Stoneware Mug",
    description: "A hand-glazed 350 ml mug in deep teal. Dishwasher and microwave safe.",
    unitAmount: 2400,
    stock: 40,
  },
  {
    slug: "canvas-tote",
    name: "Canvas Tote",
    description: "Heavy 12 oz cotton canvas with a reinforced base and long handles.",
    unitAmount: 2800,
    stock: 35,
  },
  {
    slug: "linen-notebook",
    name: "Linen Notebook",
    description: "A5, 192 dotted pages of 100 gsm paper, lay-flat binding, linen cover.",
    unitAmount: 1900,
    stock: 60,
  },
  {
    slug: "brass-pen",
    name: "Brass Pen",
    description: "Machined solid brass ballpoint that takes standard refills. Patinas with use.",
    unitAmount: 5500,
    stock: 18,
  },
  {
    slug: "desk-lamp",
    name: "Desk Lamp",
    description: "Steel task lamp with a warm 2700 K LED and a weighted base.",
    unitAmount: 8900,
    stock: 12,
  },
  {
    slug: "wool-scarf",
    name: "Wool Scarf",
    description: "Soft lambswool, 180 × 30 cm, woven in a small mill. Cranberry red.",
    unitAmount: 6400,
    stock: 22,
  },
  {
    slug: "ceramic-planter",
    name: "Ceramic Planter",
    description: "Terracotta-glazed planter, 14 cm, with a drainage hole and saucer.",
    unitAmount: 3200,
    stock: 25,
  },
  {
    slug: "pour-over-kettle",
    name: "Pour-over Kettle",
    description: "1 l gooseneck kettle for precise pouring, with a walnut handle.",
    unitAmount: 7200,
    stock: 10,
  },
  {
    slug: "enamel-pin-set",
    name: "Enamel Pin Set",
    description: "Three hard-enamel pins with rubber clutches, on a recycled card.",
    unitAmount: 1500,
    stock: 80,
  },
  {
    slug: "walnut-coasters",
    name: "Walnut Coasters",
    description: "Set of four oiled walnut coasters, 10 cm, with cork undersides.",
    unitAmount: 3600,
    stock: 30,
  },
  {
    slug: "star-map-print",
    name: "Star Map Print",
    description: "Giclée print of the northern sky, 30 × 40 cm, on archival cotton paper. The last one.",
    unitAmount: 4500,
    stock: 1,
  },
  {
    slug: "beeswax-candle",
    name: "Beeswax Candle",
    description: "Hand-rolled pure beeswax pillar, about 40 hours of burn time. Sold out until the next batch.",
    unitAmount: 2200,
    stock: 0,
  },
];

/**
 * A stable id per slug (a name-based UUID), so every database seeded from this catalog (the
 * development one, the one pages were prerendered from, the end-to-end one) agrees on ids.
 */
export function seedProductId(slug: string): string {
  const hex = createHash("sha1").update(`fieldnote-goods:product:${slug}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** Creates or updates the demo catalog. Safe to run any number of times. */
export async function seedCatalog(db: PrismaClient): Promise<{ products: number }> {
  for (const product of SEED_PRODUCTS) {
    const fields = {
      name: product.name,
      description: product.description,
      image: `/products/${product.slug}.svg`,
      unitAmount: product.unitAmount,
      currency: SEED_CURRENCY,
      active: true,
    };
    await db.product.upsert({
      where: { slug: product.slug },
      create: { id: seedProductId(product.slug), slug: product.slug, ...fields, stockOnHand: product.stock },
      update: fields,
    });
  }
  return { products: SEED_PRODUCTS.length };
}
