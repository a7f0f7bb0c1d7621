import { clientIp } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { SSE_HEADERS } from "@/lib/live/streams";
import { openOrderStream } from "@/lib/orders/order-stream";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const token = new URL(request.url).searchParams.get("token");
  const result = await openOrderStream(
    orderId,
    token,
    request.headers.get("last-event-id"),
    request.signal,
    clientIp(request.headers),
  );
  if (result.kind === "not_found") return errorResponse("not_found", "Order not found.");
  if (result.kind === "busy")
    return errorResponse("server_busy", `Live updates are busy (${result.message}); the page will poll.`, {
      "Retry-After": "5",
    });
  return new Response(result.body, { headers: SSE_HEADERS });
}
