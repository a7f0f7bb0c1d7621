import { formatDeadline } from "@/lib/orders/email-templates";
import type { ShopperPaymentLink } from "@/lib/orders/read";

const day = (date: Date) => date.toLocaleDateString("en-GB", { dateStyle: "long", timeZone: "UTC" });

/**
 * What a customer who was sent a payment link sees while the order waits for it: when the link
 * was sent, a way to pay, and until when. The page re-renders without it once the order is paid.
 */
export function PaymentLinkCallout({ link }: { link: ShopperPaymentLink }) {
  return (
    <section
      aria-labelledby="pay-by-link-heading"
      data-testid="payment-link-callout"
      className="flex flex-col gap-3 rounded-xl border border-stone-200 bg-white p-5"
    >
      <h2 id="pay-by-link-heading" className="text-lg font-semibold">
        Awaiting your payment{link.sentAt ? ` (link sent on ${day(link.sentAt)})` : ""}
      </h2>
      <p className="text-sm">
        Pay securely with Stripe; this page turns paid by itself as soon as your payment is confirmed.
        {link.dueAt ? ` Your items are reserved until ${formatDeadline(link.dueAt)}.` : ""}
      </p>
      <a
        href={link.url}
        className="w-fit rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
      >
        Pay now
      </a>
    </section>
  );
}
