import { requireAdminRoute } from "@/lib/auth/guard";
import { errorResponse } from "@/lib/http/respond";
import { openAdminOrdersStream } from "@/lib/live/admin-stream";
import { SSE_HEADERS } from "@/lib/live/streams";

export const dynamic = "force-dynamic";

// Live feed of order changes for the dashboard, from the same hub as the shoppers' pages.
export async function GET(request: Request) {
  const admin = await requireAdminRoute();
  if (admin instanceof Response) return admin;
  const result = await openAdminOrdersStream(request.signal);
  if (result.kind === "busy")
    return errorResponse("server_busy", `Live updates are busy (${result.message}).`, { "Retry-After": "5" });
  return new Response(result.body, { headers: SSE_HEADERS });
}
