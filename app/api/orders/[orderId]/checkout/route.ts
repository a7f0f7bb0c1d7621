import { responseForError } from "@/lib/http/errors";
import { clientIp, hitLimit } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { retryCheckout } from "@/lib/orders/place-order";

export const dynamic = "force-dynamic";

/** Checkout retries per client address per minute, across every instance. */
const RETRIES_PER_MINUTE = 20;

/** Resumes or retries the order's checkout (form post from the order and cancel pages): 303 to Stripe. */
export async function POST(request: Request, { params }: { params: Promise<{ orderId: string }> }) {
  const client = clientIp(request.headers);
  const limited = await hitLimit(`checkout-retry:${client}`, RETRIES_PER_MINUTE, 60_000);
  if (!limited.allowed) return errorResponse("rate_limited", "Too many attempts. Please wait a minute.");
  const { orderId } = await params;
  const token = new URL(request.url).searchParams.get("token");
  if (!token) return errorResponse("not_found", "Order not found.");
  try {
    const { url } = await retryCheckout(orderId, token, client);
    return Response.redirect(url, 303);
  } catch (error) {
    return responseForError(error);
  }
}
