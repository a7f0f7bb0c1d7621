import { loadRawEvent } from "@/lib/admin/order-detail";
import { requireAdminRoute } from "@/lib/auth/guard";
import { errorResponse } from "@/lib/http/respond";
import { STRIPE_EVENT_ID } from "@/lib/payments/types";

export const dynamic = "force-dynamic";

// A stored webhook event's JSON as Stripe sent it, opened on demand from the dashboard.
export async function GET(_request: Request, { params }: { params: Promise<{ eventId: string }> }) {
  const admin = await requireAdminRoute();
  if (admin instanceof Response) return admin;
  const { eventId } = await params;
  if (!STRIPE_EVENT_ID.test(eventId)) return errorResponse("not_found", "No such event.");
  const payload = await loadRawEvent(eventId);
  if (payload === null) return errorResponse("not_found", "No such event.");
  return Response.json(payload, { headers: { "Cache-Control": "no-store" } });
}
