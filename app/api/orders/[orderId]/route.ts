import { errorResponse } from "@/lib/http/respond";
import { findOrderForShopper } from "@/lib/orders/read";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const token = new URL(request.url).searchParams.get("token");
  const order = await findOrderForShopper(orderId, token);
  if (!order) return errorResponse("not_found", "Order not found.");
  return Response.json(order, { headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
}
