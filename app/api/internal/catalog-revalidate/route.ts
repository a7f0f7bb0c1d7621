import { revalidatePath } from "next/cache";
import { CATALOG_REVALIDATE_HEADER, catalogChangeSchema, isOwnRevalidateRequest } from "@/lib/catalog/freshness";
import { errorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/**
 * This instance's own request to refresh catalog pages after PostgreSQL announced a change
 * (see lib/catalog/freshness.ts). Only the process itself knows the secret; anyone else gets
 * the same 404 as for a route that does not exist.
 */
export async function POST(request: Request) {
  if (!isOwnRevalidateRequest(request.headers.get(CATALOG_REVALIDATE_HEADER))) {
    return errorResponse(404, "not_found", "Not found");
  }
  const parsed = catalogChangeSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return errorResponse(400, "bad_request", "Invalid catalog change");
  // The home page lists every product with its stock badge.
  revalidatePath("/");
  if (parsed.data.all) revalidatePath("/products/[slug]", "page");
  else for (const slug of parsed.data.slugs) revalidatePath(`/products/${slug}`);
  return new Response(null, { status: 204 });
}
