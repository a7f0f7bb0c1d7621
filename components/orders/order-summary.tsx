import { formatMoney } from "@/lib/money";
import type { ShopperOrder } from "@/lib/orders/read";

export function OrderSummary({ order }: { order: ShopperOrder }) {
  return (
    <section aria-labelledby="items-heading" className="rounded-xl border border-stone-200 bg-white p-5">
      <h2 id="items-heading" className="mb-3 text-lg font-semibold">
        Items
      </h2>
      <ul className="divide-y divide-stone-200">
        {order.items.map((item) => (
          <li key={item.name} className="flex justify-between py-2">
            <span>
              {item.quantity} × {item.name}
            </span>
            <span>{formatMoney(item.unitAmount * item.quantity, order.currency)}</span>
          </li>
        ))}
      </ul>
      <p className="mt-3 flex justify-between border-t border-stone-200 pt-3 font-semibold">
        <span>Total</span>
        <span>{formatMoney(order.amountTotal, order.currency)}</span>
      </p>
      {order.amountRefunded > 0 ? (
        <p className="flex justify-between text-sm text-muted">
          <span>Refunded</span>
          <span>−{formatMoney(order.amountRefunded, order.currency)}</span>
        </p>
      ) : null}
      {order.email ? <p className="mt-3 text-sm text-muted">Receipts go to {order.email}</p> : null}
    </section>
  );
}
