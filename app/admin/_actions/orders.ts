"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { refundOrder, replayEvent, resendEmail, resyncOrder } from "@/lib/admin/order-actions";
import { adminAction, refused } from "@/lib/auth/guard";
import { db } from "@/lib/db";
import { parseMajorAmount } from "@/lib/money";
import { STRIPE_EVENT_ID } from "@/lib/payments/types";
import { adminOrderPath } from "@/lib/orders/links";

// Every admin mutation. Each one checks the caller's role and validates its form before
// acting (adminAction); Next.js refuses action posts whose Origin is not this site.

const orderId = z.uuid({ message: "unknown order" });
const requestId = z.uuid({ message: "the form is out of date; reload the page" });

export const refundOrderAction = adminAction(
  z.object({ orderId, requestId, amount: z.string().trim().min(1, "enter an amount").max(20) }),
  async (input, admin) => {
    const order = await db.order.findUnique({ where: { id: input.orderId }, select: { currency: true } });
    if (!order) return refused("not_found", "No such order.");
    const amount = parseMajorAmount(input.amount, order.currency);
    if (amount === null || amount <= 0) return refused("bad_request", "Enter an amount above zero, like 12.50.");
    const result = await refundOrder(admin, { orderId: input.orderId, amount, requestId: input.requestId });
    revalidatePath(adminOrderPath(input.orderId));
    return result;
  },
);

export const resyncOrderAction = adminAction(z.object({ orderId }), async (input, admin) => {
  const result = await resyncOrder(admin, input.orderId);
  revalidatePath(adminOrderPath(input.orderId));
  return result;
});

export const resendEmailAction = adminAction(
  z.object({ orderId, emailId: z.uuid({ message: "unknown email" }), requestId }),
  async (input, admin) => {
    const result = await resendEmail(admin, input);
    revalidatePath(adminOrderPath(input.orderId));
    return result;
  },
);

export const replayEventAction = adminAction(
  z.object({ eventId: z.string().regex(STRIPE_EVENT_ID, "unknown event") }),
  async (input, admin) => {
    const result = await replayEvent(admin, input.eventId);
    revalidatePath("/admin/webhooks");
    return result;
  },
);
