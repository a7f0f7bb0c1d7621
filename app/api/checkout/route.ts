import { readBodyText } from "@/lib/http/body";
import { responseForError } from "@/lib/http/errors";
import { clientIp, hitLimit } from "@/lib/http/rate-limit";
import { errorResponse } from "@/lib/http/respond";
import { CheckoutError, placeOrder } from "@/lib/orders/place-order";
import { previousCheckoutCookie, readPreviousCheckout } from "@/lib/orders/checkout-cookie";
import { checkoutRequestSchema, formToCheckoutRequest } from "@/lib/orders/checkout-request";

export const dynamic = "force-dynamic";

/** Checkouts per client address per minute, across every instance. */
const CHECKOUTS_PER_MINUTE = 20;
const MAX_BODY_BYTES = 32_000;

export async function POST(request: Request) {
  const client = clientIp(request.headers);
  const limited = await hitLimit(`checkout:${client}`, CHECKOUTS_PER_MINUTE, 60_000);
  if (!limited.allowed) {
    return errorResponse("rate_limited", "Too many checkouts from this address. Please wait a minute.", {
      "Retry-After": String(limited.retryAfterS),
    });
  }
  const contentType = request.headers.get("content-type") ?? "";
  const isForm =
    contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data");
  if (!isForm && !contentType.startsWith("application/json")) {
    return errorResponse("unsupported_media_type", "Send JSON (application/json) or an HTML form.");
  }
  const text = await readBodyText(request, MAX_BODY_BYTES);
  if (text === null) return errorResponse("payload_too_large", "The request is too large.");

  let raw: unknown;
  try {
    raw = isForm
      ? formToCheckoutRequest(await new Response(text, { headers: { "content-type": contentType } }).formData())
      : JSON.parse(text);
  } catch {
    return errorResponse("bad_request", "The request body could not be read.");
  }
  const parsed = checkoutRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return errorResponse(
      "bad_request",
      `Invalid checkout: ${issue ? `${issue.path.join(".") || "body"} ${issue.message}` : "bad input"}`,
    );
  }

  try {
    const placed = await placeOrder({
      items: parsed.data.items,
      email: parsed.data.email ?? null,
      method: parsed.data.method ?? "checkout",
      client,
      previous: readPreviousCheckout(request.headers.get("cookie")),
    });
    const headers = new Headers({ "Set-Cookie": previousCheckoutCookie(placed) });
    if (isForm) {
      headers.set("Location", placed.url);
      return new Response(null, { status: 303, headers });
    }
    const { orderId, url, statusUrl } = placed;
    return Response.json({ orderId, url, statusUrl }, { headers });
  } catch (error) {
    if (isForm && error instanceof CheckoutError) {
      return Response.redirect(new URL(`/cart?error=${encodeURIComponent(error.message)}`, request.url), 303);
    }
    return responseForError(error);
  }
}
