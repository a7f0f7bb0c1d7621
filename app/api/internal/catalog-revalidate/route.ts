import { revalidatePath } from "next/cache";
import { CATALOG_REVALIDATE_HEADER, catalogChangeSchema, isOwnRevalidateRequest } from "@/lib/catalog/freshness";
import { readBodyText } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 64_000;

/**
 * This instance's own request to refresh catalog pages after PostgreSQL announced a change
 * (see lib/catalog/freshness.ts). Only the process itself knows the secret; anyone else gets
 * the same 404 as for a route that does not exist.
 */
export async function POST(request: Request) {
  if (!isOwnRevalidateRequest(request.headers.get(CATALOG_REVALIDATE_HEADER))) {
    return errorResponse("not_found", "Not found");
  }
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) return errorResponse("payload_too_large", "The request is too large.");
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Reported as an invalid change below.
  }
  const parsed = catalogChangeSchema.safeParse(body);
  if (!parsed.success) return errorResponse("bad_request", "Invalid catalog change");
  // The home page lists every product with its stock badge.
  revalidatePath("/");
  if (parsed.data.all) revalidatePath("/products/[slug]", "page");
  else for (const slug of parsed.data.slugs) revalidatePath(`/products/${slug}`);
  return new Response(null, { status: 204 });
}
