import Link from "next/link";
import { listProductsForLinkOrder } from "@/lib/admin/link-order-actions";
import { requireAdminPage } from "@/lib/auth/guard";
import { formatMoney } from "@/lib/money";
import { MAX_UNITS_PER_PRODUCT } from "@/lib/orders/limits";
import { createLinkOrderAction } from "../../_actions/link-orders";
import { ActionForm } from "../../_components/action-form";
import { Panel } from "../../_components/panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Create order and send payment link" };

export default async function NewLinkOrderPage() {
  await requireAdminPage("/admin/orders/new");
  const products = await listProductsForLinkOrder();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-3xl font-bold tracking-tight">Create order and send payment link</h1>
      <p className="max-w-2xl text-sm text-muted">
        The customer receives an email with a secure Stripe payment link. The items are reserved until the link&apos;s
        deadline; the order turns paid here as soon as Stripe confirms the payment.
      </p>
      <Panel id="new-link-order" title="Order">
        <ActionForm
          action={createLinkOrderAction}
          fields={{}}
          label="Create order and send payment link"
          confirm="Create this order and email its payment link?"
        >
          <fieldset className="mt-3 flex flex-col gap-2">
            <legend className="mb-2 text-sm font-semibold">Items (leave 0 for products not in the order)</legend>
            {products.length === 0 ? <p className="text-sm text-muted">No product is on sale right now.</p> : null}
            {products.map((p) => (
              <label key={p.id} className="flex items-center justify-between gap-4 text-sm">
                <span>
                  {p.name} · {formatMoney(p.unitAmount, p.currency)}{" "}
                  <span className="text-muted">({p.available} available)</span>
                </span>
                <input
                  type="number"
                  name={`qty:${p.id}`}
                  min={0}
                  max={Math.min(MAX_UNITS_PER_PRODUCT, p.available)}
                  defaultValue={0}
                  aria-label={`Quantity of ${p.name}`}
                  className="w-20 rounded-md border border-stone-300 px-2 py-1"
                />
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Customer&apos;s email
            <input
              type="email"
              name="email"
              required
              autoComplete="off"
              className="max-w-md rounded-md border border-stone-300 px-2 py-1.5"
            />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Note to the customer (optional, shown in the email)
            <textarea
              name="note"
              maxLength={500}
              rows={3}
              className="max-w-md rounded-md border border-stone-300 px-2 py-1.5"
            />
          </label>
        </ActionForm>
      </Panel>
      <Link href="/admin/orders" className="text-sm underline underline-offset-2">
        ← All orders
      </Link>
    </div>
  );
}
