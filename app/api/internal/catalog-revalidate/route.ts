import { revalidatePath } from "next/cache";
import { z } from "zod";
import { CATALOG_REVALIDATE_HEADER, isOwnRevalidateRequest } from "@/lib/catalog/freshness";
import { errorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const changeSchema = z.strictObject({
  all: z.boolean(),
  slugs: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,127}$/)).max(200),
});

/**
 * This instance's own request to refresh catalog pages after PostgreSQL announced a change
 * (see lib/catalog/freshness.ts). Only the process itself knows the secret; anyone else gets
 * the same 404 as for a route that does not exist.
 */
export async function POST(request: Request) {
  if (!isOwnRevalidateRequest(request.headers.get(CATALOG_REVALIDATE_HEADER))) {
    return errorResponse(404, "not_found", "Not found");
  }
  const parsed = changeSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return errorResponse(400, "bad_request", "Invalid catalog change");
  // The home page lists every product with its stock badge.
  revalidatePath("/");
  if (parsed.data.all) revalidatePath("/products/[slug]", "page");
  else for (const slug of parsed.data.slugs) revalidatePath(`/products/${slug}`);
  return new Response(null, { status: 204 });
}
