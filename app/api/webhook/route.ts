import { receiveWebhook } from "@/lib/orders/webhook";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 1_000_000;

// Stripe's webhook endpoint: verify, dispatch, answer. Everything else lives in lib/orders.
export async function POST(request: Request) {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ received: false, error: "payload too large" }, { status: 413 });
  }
  const rawBody = await request.text();
  if (rawBody.length > MAX_BODY_BYTES)
    return Response.json({ received: false, error: "payload too large" }, { status: 413 });
  const { status, body } = await receiveWebhook(rawBody, request.headers.get("stripe-signature"));
  return Response.json(body, { status });
}
