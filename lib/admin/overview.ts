import "server-only";
import { db } from "@/lib/db";

export const PERIODS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type Period = keyof typeof PERIODS;

export type RevenuePoint = { day: string; currency: string; revenue: number; orders: number };

export type Overview = {
  since: Date;
  revenue: RevenuePoint[];
  totals: Array<{ currency: string; revenue: number; orders: number }>;
  byStatus: Array<{ status: string; count: number }>;
  pending: {
    count: number;
    oldest: Array<{
      id: string;
      email: string | null;
      paymentStatus: string;
      amountTotal: number;
      currency: string;
      createdAt: Date;
    }>;
  };
  review: Array<{
    id: string;
    email: string | null;
    reviewReason: string | null;
    amountTotal: number;
    currency: string;
    createdAt: Date;
  }>;
  failures: Array<{
    stripeEventId: string;
    type: string;
    error: string | null;
    receivedAt: Date;
    orderId: string | null;
  }>;
};

/**
 * The dashboard's overview: net revenue per day and currency (paid minus refunded, by the
 * day it was paid), orders by status placed in the period, payments still pending with their
 * age, orders needing review, and the latest webhook failures.
 */
export async function loadOverview(period: Period, now = new Date()): Promise<Overview> {
  const since = new Date(now.getTime() - PERIODS[period] * 86_400_000);
  const [revenue, byStatus, pendingCount, oldest, review, failures] = await Promise.all([
    db.$queryRaw<Array<{ day: Date; currency: string; revenue: bigint; orders: bigint }>>`
      select date_trunc('day', "paidAt") as day, currency,
             sum("amountTotal" - "amountRefunded") as revenue, count(*) as orders
      from "Order" where "paidAt" >= ${since} and status in ('PAID', 'REFUNDED')
      group by 1, 2 order by 1, 2`,
    db.order.groupBy({ by: ["status"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
    db.order.count({ where: { status: "PENDING" } }),
    db.order.findMany({
      where: { status: "PENDING" },
      orderBy: { createdAt: "asc" },
      take: 8,
      select: { id: true, email: true, paymentStatus: true, amountTotal: true, currency: true, createdAt: true },
    }),
    db.order.findMany({
      where: { needsReview: true },
      orderBy: { createdAt: "desc" },
      take: 8,
      select: { id: true, email: true, reviewReason: true, amountTotal: true, currency: true, createdAt: true },
    }),
    db.webhookEvent.findMany({
      where: { outcome: "FAILED" },
      orderBy: { receivedAt: "desc" },
      take: 8,
      select: { stripeEventId: true, type: true, error: true, receivedAt: true, orderId: true },
    }),
  ]);
  const points = revenue.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    currency: r.currency,
    revenue: Number(r.revenue),
    orders: Number(r.orders),
  }));
  const totals = new Map<string, { currency: string; revenue: number; orders: number }>();
  for (const p of points) {
    const t = totals.get(p.currency) ?? { currency: p.currency, revenue: 0, orders: 0 };
    t.revenue += p.revenue;
    t.orders += p.orders;
    totals.set(p.currency, t);
  }
  return {
    since,
    revenue: points,
    totals: [...totals.values()],
    byStatus: byStatus.map((s) => ({ status: s.status, count: s._count._all })),
    pending: { count: pendingCount, oldest },
    review,
    failures,
  };
}
