import Link from "next/link";
import { describePayment, formatTimestamp } from "@/lib/admin/format";
import {
  filtersQuery,
  ORDER_STATUSES,
  parseOrderFilters,
  PAYMENT_METHODS,
  WAITING_FOR,
  type OrderFilters,
} from "@/lib/admin/order-filters";
import { listOrders } from "@/lib/admin/orders-query";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatMoney } from "@/lib/money";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { adminOrderPath } from "@/lib/orders/links";
import { Badge } from "../_components/badge";
import { DataTable, HeaderCell } from "../_components/data-table";
import { FilterForm, FilterInput, FilterSelect, FiltersNotUnderstood } from "../_components/filter-form";
import { LiveRefresh } from "../_components/live-refresh";

export const dynamic = "force-dynamic";
export const metadata = { title: "Orders" };

function SortHeader({ filters, field, label }: { filters: OrderFilters; field: "created" | "amount"; label: string }) {
  const active = filters.sort === field;
  const dir = active && filters.dir === "desc" ? "asc" : "desc";
  return (
    <HeaderCell sort={active ? (filters.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link
        href={`/admin/orders${filtersQuery(filters, { sort: field, dir, cursor: undefined })}`}
        className="underline underline-offset-2"
      >
        {label}
        {active ? (filters.dir === "asc" ? " ↑" : " ↓") : ""}
      </Link>
    </HeaderCell>
  );
}

function PaymentCell({ order }: { order: Parameters<typeof describePayment>[0] }) {
  const { method, waiting } = describePayment(order);
  return (
    <span className="flex flex-col">
      <span>{method}</span>
      {waiting ? <span className="text-xs text-muted">{waiting}</span> : null}
    </span>
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
        <Link
          href="/admin/orders/new"
          className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-white hover:bg-accent-strong"
        >
          Create order and send payment link
        </Link>
        <a
          href={`/api/admin/orders/export${filtersQuery(withoutCursor)}`}
          className="text-sm font-semibold text-accent underline underline-offset-2"
        >
          Export these orders as CSV
        </a>
      </div>
      <FilterForm role="search" label="Filter orders" clearHref="/admin/orders">
        <FilterInput
          label="Search"
          name="q"
          defaultValue={filters.q ?? ""}
          placeholder="Order id, email, cs_… or pi_…"
          className="w-72"
        />
        <FilterSelect label="Status" name="status" defaultValue={filters.status ?? ""}>
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Paid by" name="method" defaultValue={filters.method ?? ""}>
          {Object.entries(PAYMENT_METHODS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect label="Waiting for" name="waiting" defaultValue={filters.waiting ?? ""}>
          {Object.entries(WAITING_FOR).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterInput
          label="Currency"
          name="currency"
          defaultValue={filters.currency ?? ""}
          maxLength={3}
          placeholder="eur"
          className="w-20"
        />
        <FilterInput label="From" type="date" name="from" defaultValue={filters.from ?? ""} />
        <FilterInput label="To" type="date" name="to" defaultValue={filters.to ?? ""} />
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="review" value="1" defaultChecked={Boolean(filters.review)} />
          Needs review
        </label>
        <input type="hidden" name="sort" value={filters.sort} />
        <input type="hidden" name="dir" value={filters.dir} />
      </FilterForm>
      {!parsed.ok ? <FiltersNotUnderstood reason={parsed.message} showing="all orders" /> : null}
      <DataTable
        caption="Orders matching the filters"
        columns={7}
        empty={rows.length === 0}
        emptyText="No orders match these filters."
        head={
          <>
            <HeaderCell>Order</HeaderCell>
            <SortHeader filters={filters} field="created" label="Placed" />
            <HeaderCell>Customer</HeaderCell>
            <HeaderCell>Status</HeaderCell>
            <HeaderCell>Payment</HeaderCell>
            <SortHeader filters={filters} field="amount" label="Total" />
            <HeaderCell>Refunded</HeaderCell>
          </>
        }
      >
        {rows.map((o) => (
          <tr key={o.id} className="border-b border-stone-100 last:border-0">
            <td className="px-3 py-2 font-mono">
              <Link href={adminOrderPath(o.id)} className="underline underline-offset-2" aria-label={`Order ${o.id}`}>
                {o.id.slice(0, 8)}
              </Link>
              {o.needsReview ? (
                <Badge tone="amber" size="mark" className="ml-2">
                  review
                </Badge>
              ) : null}
              {o.disputed ? (
                <Badge tone="red" size="mark" className="ml-2">
                  disputed
                </Badge>
              ) : null}
            </td>
            <td className="whitespace-nowrap px-3 py-2">{formatTimestamp(o.createdAt)}</td>
            <td className="px-3 py-2">{o.email ?? "—"}</td>
            <td className="px-3 py-2">
              <OrderStatusBadge order={o} />
            </td>
            <td className="px-3 py-2">
              <PaymentCell order={o} />
            </td>
            <td className="whitespace-nowrap px-3 py-2">{formatMoney(o.amountTotal, o.currency)}</td>
            <td className="whitespace-nowrap px-3 py-2">
              {o.amountRefunded ? formatMoney(o.amountRefunded, o.currency) : "—"}
            </td>
          </tr>
        ))}
      </DataTable>
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
