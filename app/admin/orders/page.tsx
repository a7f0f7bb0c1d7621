import Link from "next/link";
import { formatTimestamp } from "@/lib/admin/format";
import { filtersQuery, ORDER_STATUSES, parseOrderFilters, type OrderFilters } from "@/lib/admin/order-filters";
import { listOrders } from "@/lib/admin/orders-query";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatMoney } from "@/lib/money";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { adminOrderPath } from "@/lib/orders/links";
import { LiveRefresh } from "../_components/live-refresh";

export const dynamic = "force-dynamic";
export const metadata = { title: "Orders" };

const input = "rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

function SortHeader({ filters, field, label }: { filters: OrderFilters; field: "created" | "amount"; label: string }) {
  const active = filters.sort === field;
  const dir = active && filters.dir === "desc" ? "asc" : "desc";
  return (
    <th
      scope="col"
      aria-sort={active ? (filters.dir === "asc" ? "ascending" : "descending") : "none"}
      className="px-3 py-2"
    >
      <Link
        href={`/admin/orders${filtersQuery(filters, { sort: field, dir, cursor: undefined })}`}
        className="underline underline-offset-2"
      >
        {label}
        {active ? (filters.dir === "asc" ? " ↑" : " ↓") : ""}
      </Link>
    </th>
  );
}

export default async function OrdersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("/admin/orders");
  const parsed = parseOrderFilters(await searchParams);
  const filters: OrderFilters = parsed.ok ? parsed.filters : { sort: "created", dir: "desc" };
  const { rows, nextCursor } = await listOrders(filters);
  const { cursor: _cursor, ...withoutCursor } = filters;

  return (
    <div className="flex flex-col gap-6">
      <LiveRefresh />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">Orders</h1>
        <a
          href={`/api/admin/orders/export${filtersQuery(withoutCursor)}`}
          className="text-sm font-semibold text-accent underline underline-offset-2"
        >
          Export these orders as CSV
        </a>
      </div>
      <form
        role="search"
        aria-label="Filter orders"
        className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
      >
        <label className="flex flex-col gap-1 text-sm font-medium">
          Search
          <input
            name="q"
            defaultValue={filters.q ?? ""}
            placeholder="Order id, email, cs_… or pi_…"
            className={`${input} w-72`}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Status
          <select name="status" defaultValue={filters.status ?? ""} className={input}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Currency
          <input
            name="currency"
            defaultValue={filters.currency ?? ""}
            maxLength={3}
            placeholder="eur"
            className={`${input} w-20`}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={filters.from ?? ""} className={input} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={filters.to ?? ""} className={input} />
        </label>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="review" value="1" defaultChecked={Boolean(filters.review)} />
          Needs review
        </label>
        <input type="hidden" name="sort" value={filters.sort} />
        <input type="hidden" name="dir" value={filters.dir} />
        <button
          type="submit"
          className="rounded-md bg-accent px-4 py-1.5 text-sm font-semibold text-white hover:bg-accent-strong"
        >
          Apply
        </button>
        <Link href="/admin/orders" className="text-sm underline underline-offset-2">
          Clear
        </Link>
      </form>
      {!parsed.ok ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          Some filters were not understood ({parsed.message}); showing all orders.
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Orders matching the filters</caption>
          <thead className="border-b border-stone-200 bg-stone-50">
            <tr>
              <th scope="col" className="px-3 py-2">
                Order
              </th>
              <SortHeader filters={filters} field="created" label="Placed" />
              <th scope="col" className="px-3 py-2">
                Customer
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <SortHeader filters={filters} field="amount" label="Total" />
              <th scope="col" className="px-3 py-2">
                Refunded
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="px-3 py-6 text-center text-muted">
                  No orders match these filters.
                </td>
              </tr>
            ) : null}
            {rows.map((o) => (
              <tr key={o.id} className="border-b border-stone-100 last:border-0">
                <td className="px-3 py-2 font-mono">
                  <Link
                    href={adminOrderPath(o.id)}
                    className="underline underline-offset-2"
                    aria-label={`Order ${o.id}`}
                  >
                    {o.id.slice(0, 8)}
                  </Link>
                  {o.needsReview ? (
                    <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900">review</span>
                  ) : null}
                  {o.disputed ? (
                    <span className="ml-2 rounded bg-red-100 px-1.5 text-xs text-red-900">disputed</span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(o.createdAt)}</td>
                <td className="px-3 py-2">{o.email ?? "—"}</td>
                <td className="px-3 py-2">
                  <OrderStatusBadge status={o.status} paymentStatus={o.paymentStatus} />
                </td>
                <td className="whitespace-nowrap px-3 py-2">{formatMoney(o.amountTotal, o.currency)}</td>
                <td className="whitespace-nowrap px-3 py-2">
                  {o.amountRefunded ? formatMoney(o.amountRefunded, o.currency) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex items-center justify-between text-sm">
        <span className="text-muted">{rows.length} orders on this page</span>
        <span className="flex gap-4">
          {filters.cursor ? (
            <Link href={`/admin/orders${filtersQuery(withoutCursor)}`} className="underline underline-offset-2">
              First page
            </Link>
          ) : null}
          {nextCursor ? (
            <Link
              href={`/admin/orders${filtersQuery(filters, { cursor: nextCursor })}`}
              className="font-semibold underline underline-offset-2"
            >
              Next page
            </Link>
          ) : null}
        </span>
      </nav>
    </div>
  );
}
