import { clientIp, hitLimit } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { sendFreshLink } from "@/lib/orders/fresh-link";
import { orderLinkSentPath } from "@/lib/orders/links";

export const dynamic = "force-dynamic";

/** Requests for a fresh link per client address per hour, across every instance. */
const REQUESTS_PER_HOUR = 5;

/** "Email me a fresh link" from an order page whose link has lapsed (a form post): 303 back to it. */
export async function POST(request: Request, { params }: { params: Promise<{ orderId: string }> }) {
  const limited = await hitLimit(`order-link:${clientIp(request.headers)}`, REQUESTS_PER_HOUR, 3_600_000);
  if (!limited.allowed)
    return errorResponse("rate_limited", "Too many requests for links. Please wait an hour.", {
      "Retry-After": String(limited.retryAfterS),
    });
  const { orderId } = await params;
  const token = new URL(request.url).searchParams.get("token");
  if (!(await sendFreshLink(orderId, token))) return errorResponse("not_found", "Order not found.");
  const back = orderLinkSentPath(orderId, token ?? "");
  return new Response(null, { status: 303, headers: { Location: back, "Referrer-Policy": "no-referrer" } });
}
