"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { cancelLinkOrder, createLinkOrder, resendLink } from "@/lib/admin/link-order-actions";
import { adminAction } from "@/lib/auth/guard";
import { MAX_REQUEST_LINE_QUANTITY } from "@/lib/orders/limits";
import { adminOrderPath } from "@/lib/orders/links";

// The admin's payment-link orders: create one, send its link again, cancel it. Each checks the
// caller's role and validates its form first (adminAction).

const orderId = z.uuid({ message: "unknown order" });
const requestId = z.uuid({ message: "the form is out of date; reload the page" });
/** One quantity field per product on the form: `qty:<product id>`. */
const QUANTITY_FIELD = /^qty:([0-9a-f-]{36})$/;
const quantity = z.coerce
  .number({ message: "quantities are whole numbers" })
  .int("quantities are whole numbers")
  .min(0, "quantities cannot be negative")
  .max(MAX_REQUEST_LINE_QUANTITY, `at most ${MAX_REQUEST_LINE_QUANTITY} of one product`);

const newLinkOrder = z
  .looseObject({
    email: z
      .string()
      .trim()
      .pipe(z.email({ message: "enter the customer's email address" }).max(254)),
    note: z.string().trim().max(500, "keep the note under 500 characters").optional(),
  })
  .transform((form, ctx) => {
    const items: Array<{ productId: string; quantity: number }> = [];
    for (const [name, value] of Object.entries(form)) {
      const productId = QUANTITY_FIELD.exec(name)?.[1];
      if (!productId || value === "" || value === undefined) continue;
      const parsed = quantity.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
        return z.NEVER;
      }
      if (parsed.data > 0) items.push({ productId, quantity: parsed.data });
    }
    if (items.length === 0) {
      ctx.addIssue({ code: "custom", message: "pick at least one product" });
      return z.NEVER;
    }
    return { email: form.email, note: form.note ? form.note : null, items };
  });

export const createLinkOrderAction = adminAction(newLinkOrder, async (input, admin) => {
  const result = await createLinkOrder(admin, input);
  if (!result.ok || !result.orderId) return result;
  revalidatePath("/admin/orders");
  redirect(adminOrderPath(result.orderId));
});

export const resendPaymentLinkAction = adminAction(z.object({ orderId, requestId }), async (input, admin) => {
  const result = await resendLink(admin, input);
  revalidatePath(adminOrderPath(input.orderId));
  return result;
});

export const cancelLinkOrderAction = adminAction(z.object({ orderId }), async (input, admin) => {
  const result = await cancelLinkOrder(admin, input.orderId);
  revalidatePath(adminOrderPath(input.orderId));
  return result;
});
