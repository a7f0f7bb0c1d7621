import Link from "next/link";
import { formatAge, formatTimestamp } from "@/lib/admin/format";
import { loadOverview, type Period, PERIODS } from "@/lib/admin/overview";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatMoney } from "@/lib/money";
import { adminOrderPath } from "@/lib/orders/links";
import { Panel } from "./_components/panel";
import { RevenueChart } from "./_components/revenue-chart";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ period?: string }> }) {
  await requireAdminPage("/admin");
  const { period: asked } = await searchParams;
  const period: Period = asked && asked in PERIODS ? (asked as Period) : "30d";
  const overview = await loadOverview(period);
  const days = Array.from({ length: PERIODS[period] + 1 }, (_, i) =>
    new Date(overview.since.getTime() + i * 86_400_000).toISOString().slice(0, 10),
  );
  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Overview</h1>
        <nav aria-label="Period" className="flex gap-1">
          {Object.keys(PERIODS).map((p) => (
            <Link
              key={p}
              href={`/admin?period=${p}`}
              aria-current={p === period ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${p === period ? "bg-ink text-white" : "border border-stone-300 bg-white"}`}
            >
              Last {p.replace("d", " days")}
            </Link>
          ))}
        </nav>
      </div>

      <Panel id="revenue" title={`Net revenue, last ${PERIODS[period]} days`}>
        <ul className="mt-2 flex flex-wrap gap-6">
          {overview.totals.length === 0 ? <li className="text-muted">No paid orders in this period.</li> : null}
          {overview.totals.map((t) => (
            <li key={t.currency}>
              <span className="text-2xl font-bold">{formatMoney(t.revenue, t.currency)}</span>{" "}
              <span className="text-muted">
                from {t.orders} paid {t.orders === 1 ? "order" : "orders"}
              </span>
            </li>
          ))}
        </ul>
        <RevenueChart points={overview.revenue} days={days} />
        <table className="sr-only">
          <caption>Net revenue by day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Revenue</th>
              <th scope="col">Paid orders</th>
            </tr>
          </thead>
          <tbody>
            {overview.revenue.map((p) => (
              <tr key={`${p.day}-${p.currency}`}>
                <td>{p.day}</td>
                <td>{formatMoney(p.revenue, p.currency)}</td>
                <td>{p.orders}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading" className="text-lg font-semibold">
          Orders placed in the period, by status
        </h2>
        <ul className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-5">
          {["PENDING", "PAID", "FAILED", "EXPIRED", "REFUNDED"].map((status) => (
            <li key={status} className="rounded-xl border border-stone-200 bg-white p-4">
              <Link href={`/admin/orders?status=${status}`} className="flex flex-col gap-1">
                <span className="text-sm text-muted">{status.toLowerCase()}</span>
                <span className="text-2xl font-bold">
                  {overview.byStatus.find((s) => s.status === status)?.count ?? 0}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <div className="grid gap-6 lg:grid-cols-3">
        <Panel id="pending" title={`Pending payments (${overview.pending.count})`}>
          <ul className="mt-3 flex flex-col gap-2 text-sm">
            {overview.pending.oldest.length === 0 ? <li className="text-muted">None.</li> : null}
            {overview.pending.oldest.map((o) => (
              <li key={o.id} className="flex items-center justify-between gap-2">
                <Link href={adminOrderPath(o.id)} className="truncate underline underline-offset-2">
                  {o.email ?? o.id.slice(0, 8)}
                </Link>
                <span className="whitespace-nowrap text-muted">
                  {formatMoney(o.amountTotal, o.currency)} · {formatAge(o.createdAt)} old
                  {o.paymentStatus === "AWAITING_PAYMENT" ? " · awaiting transfer" : ""}
                </span>
              </li>
            ))}
          </ul>
        </Panel>
        <Panel id="review" title="Needs review">
          <ul className="mt-3 flex flex-col gap-2 text-sm">
            {overview.review.length === 0 ? <li className="text-muted">Nothing to review.</li> : null}
            {overview.review.map((o) => (
              <li key={o.id}>
                <Link href={adminOrderPath(o.id)} className="underline underline-offset-2">
                  {o.email ?? o.id.slice(0, 8)}
                </Link>{" "}
                <span className="text-muted">{o.reviewReason}</span>
              </li>
            ))}
          </ul>
        </Panel>
        <Panel id="failures" title="Recent webhook failures">
          <ul className="mt-3 flex flex-col gap-2 text-sm">
            {overview.failures.length === 0 ? <li className="text-muted">No failures.</li> : null}
            {overview.failures.map((f) => (
              <li key={f.stripeEventId}>
                <Link href={`/admin/webhooks?outcome=failed`} className="underline underline-offset-2">
                  {f.type}
                </Link>{" "}
                <span className="text-muted">
                  {formatTimestamp(f.receivedAt)} · {f.error}
                </span>
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </div>
  );
}
