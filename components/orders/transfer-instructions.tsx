import { formatMoney } from "@/lib/money";
import { formatDeadline } from "@/lib/orders/email-templates";
import type { ShopperOrder } from "@/lib/orders/read";
import type { TransferAddress } from "@/lib/payments/types";

function AddressRows({ address }: { address: TransferAddress }) {
  const rows: Array<[string, string]> =
    address.kind === "iban"
      ? [
          ["Account holder", address.accountHolderName],
          ["IBAN", address.iban],
          ["BIC", address.bic],
        ]
      : [
          ["Account holder", address.accountHolderName],
          ["Bank", address.bankName],
          ["Account number", address.accountNumber],
          [address.kind === "swift" ? "SWIFT code" : "Routing number", address.routingNumber],
        ];
  return rows.map(([term, value]) => (
    <div key={term} className="flex flex-wrap justify-between gap-x-4">
      <dt className="text-muted">{term}</dt>
      <dd className="font-mono break-all">{value}</dd>
    </div>
  ));
}

/** Where and how to send a bank transfer for an order, and by when. */
export function TransferInstructionsPanel({ order }: { order: ShopperOrder }) {
  const instructions = order.transferInstructions;
  const address = instructions?.addresses[0];
  return (
    <section aria-labelledby="transfer-heading" className="rounded-xl border border-sky-200 bg-sky-50 p-5">
      <h2 id="transfer-heading" className="mb-3 text-lg font-semibold">
        Pay by bank transfer
      </h2>
      {instructions ? (
        <dl className="flex flex-col gap-2 text-sm" data-testid="transfer-instructions">
          <div className="flex flex-wrap justify-between gap-x-4">
            <dt className="text-muted">Amount to send</dt>
            <dd className="font-semibold">{formatMoney(instructions.amountRemaining, instructions.currency)}</dd>
          </div>
          {address ? <AddressRows address={address} /> : null}
          <div className="flex flex-wrap justify-between gap-x-4">
            <dt className="text-muted">Reference (quote it exactly)</dt>
            <dd className="font-mono font-semibold break-all">{instructions.reference}</dd>
          </div>
          {order.paymentDueAt ? (
            <div className="flex flex-wrap justify-between gap-x-4">
              <dt className="text-muted">Pay by</dt>
              <dd>{formatDeadline(new Date(order.paymentDueAt))}</dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p className="text-sm">
          Your bank details are being prepared. They appear here in a moment, and we email them to you too.
        </p>
      )}
      {instructions?.hostedUrl ? (
        <p className="mt-3 text-sm">
          <a href={instructions.hostedUrl} className="font-medium text-accent underline" rel="noreferrer">
            Printable instructions
          </a>
        </p>
      ) : null}
    </section>
  );
}
