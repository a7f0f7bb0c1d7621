import { afterAll, describe, expect, test } from "vitest";
import { z } from "zod";
import { seedCatalog } from "@/prisma/seed-catalog";
import { createTestProduct, openTestDb } from "@/test/db";
import { GET } from "./route";

const db = openTestDb(2);
afterAll(() => db.$disconnect());

const contract = z.object({
  products: z.array(
    z.strictObject({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      description: z.string(),
      unitAmount: z.number().int(),
      currency: z.string().length(3),
      stock: z.number().int().nonnegative(),
      image: z.string(),
    }),
  ),
});

describe("GET /api/products", () => {
  test("lists active products in the documented shape, with stock net of reservations", async () => {
    await seedCatalog(db);
    const reserved = await createTestProduct(db, { stockOnHand: 5 });
    await db.product.update({ where: { id: reserved.id }, data: { stockReserved: 2 } });
    const hidden = await createTestProduct(db, { active: false });

    const response = await GET();
    expect(response.status).toBe(200);
    const body = contract.parse(await response.json());
    const slugs = body.products.map((p) => p.slug);
    expect(slugs).toEqual(expect.arrayContaining(["star-map-print", "beeswax-candle"]));
    expect(slugs).not.toContain(hidden.slug);
    expect(body.products.find((p) => p.id === reserved.id)?.stock).toBe(3);
    expect(body.products.find((p) => p.slug === "beeswax-candle")?.stock).toBe(0);
  });
});
