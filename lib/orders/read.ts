import "server-only";
import { db } from "@/lib/db";
import type { TransferInstructions } from "@/lib/payments/types";
import { tokenOpensOrder } from "./order-access";
import { isUuid } from "./ids";

/** An order as its shopper may see it (the contract of GET /api/orders/{id}). */
export type ShopperOrder = {
  id: string;
  status: string;
  paymentStatus: string;
  amountTotal: number;
  amountRefunded: number;
  currency: string;
  email: string | null;
  items: Array<{ name: string; unitAmount: number; quantity: number }>;
  /** CHECKOUT, or PAYMENT_LINK for an order an admin sent as a link. */
  channel: string;
  /** CARD, DIRECT_DEBIT or BANK_TRANSFER once known; null before. */
  paymentMethod: string | null;
  /** Received so far (a bank transfer arrives in parts). */
  amountReceived: number;
  /** When an unpaid bank transfer or payment link lapses; null when it does not. */
  paymentDueAt: string | null;
  /** Where to send a bank transfer, and its reference; null until Stripe issues them. */
  transferInstructions: TransferInstructions | null;
  createdAt: string;
  updatedAt: string;
};

/** Masks an email for display: "jane.doe@example.com" → "j•••@example.com". */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const [local, domain] = email.split("@");
  if (!local || !domain) return "•••";
  return `${local.slice(0, 1)}•••@${domain}`;
}

const withItems = { items: { orderBy: { name: "asc" as const } } };

/** The order if the token opens it, else null (unknown id and wrong token look the same). */
export async function findOrderForShopper(orderId: string, token: string | null): Promise<ShopperOrder | null> {
  if (!isUuid(orderId) || !token) return null;
  // One query decides, whether the id is unknown or the token wrong: both take the same path.
  if (!(await tokenOpensOrder(orderId, token))) return null;
  const order = await db.order.findUnique({ where: { id: orderId }, include: withItems });
  return order ? toShopperOrder(order) : null;
}

/** The shopper's view of an order whose access was already checked (live streams re-read with it). */
export async function loadShopperOrder(orderId: string): Promise<ShopperOrder | null> {
  const order = await db.order.findUnique({ where: { id: orderId }, include: withItems });
  return order ? toShopperOrder(order) : null;
}

/** A database row with the fields the shopper's view is made from. */
type OrderRow = Omit<ShopperOrder, "createdAt" | "updatedAt" | "paymentDueAt" | "transferInstructions"> & {
  createdAt: Date;
  updatedAt: Date;
  paymentDueAt: Date | null;
  transferInstructions: unknown;
};

function toShopperOrder(order: OrderRow): ShopperOrder {
  return {
    id: order.id,
    status: order.status,
    paymentStatus: order.paymentStatus,
    amountTotal: order.amountTotal,
    amountRefunded: order.amountRefunded,
    currency: order.currency,
    email: maskEmail(order.email),
    items: order.items.map((i) => ({ name: i.name, unitAmount: i.unitAmount, quantity: i.quantity })),
    channel: order.channel,
    paymentMethod: order.paymentMethod,
    amountReceived: order.amountReceived,
    paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
    // Written only by the settlement from Stripe's instructions (lib/orders/fulfillment.ts).
    transferInstructions: (order.transferInstructions ?? null) as TransferInstructions | null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** Whether `sessionId` is the Checkout session the order is being paid through now. */
export async function isCurrentSession(orderId: string, sessionId: string): Promise<boolean> {
  if (!isUuid(orderId)) return false;
  return (await db.order.count({ where: { id: orderId, stripeCheckoutSessionId: sessionId } })) === 1;
}

/** How the customer pays an order an admin sent as a payment link, while it waits for that payment. */
export type ShopperPaymentLink = { url: string; sentAt: Date | null; dueAt: Date | null };

/**
 * The payment link of an order whose access was already checked, while the order still waits
 * for it; null for other orders, and once it is paid, closed or the link is deactivated.
 */
export async function paymentLinkForShopper(orderId: string): Promise<ShopperPaymentLink | null> {
  const order = await db.order.findUnique({
    where: { id: orderId },
    select: {
      channel: true,
      status: true,
      paymentStatus: true,
      paymentLinkUrl: true,
      paymentLinkActive: true,
      linkSentAt: true,
      paymentDueAt: true,
    },
  });
  if (!order || order.channel !== "PAYMENT_LINK" || !order.paymentLinkUrl || !order.paymentLinkActive) return null;
  if (order.status !== "PENDING" || order.paymentStatus !== "UNPAID") return null;
  return { url: order.paymentLinkUrl, sentAt: order.linkSentAt, dueAt: order.paymentDueAt };
}
