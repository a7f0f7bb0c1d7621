import { readBodyText } from "@/lib/http/body";
import { statusOf } from "@/lib/http/respond";
import { receiveWebhook } from "@/lib/orders/webhook-delivery";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1_000_000;

// Stripe's webhook endpoint: verify, dispatch, answer. Everything else lives in lib/orders.
export async function POST(request: Request) {
  const rawBody = await readBodyText(request, MAX_BODY_BYTES);
  if (rawBody === null)
    return Response.json({ received: false, error: "payload too large" }, { status: statusOf("payload_too_large") });
  const { status, body } = await receiveWebhook(rawBody, request.headers.get("stripe-signature"));
  return Response.json(body, { status });
}
