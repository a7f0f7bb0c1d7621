import { orderFreshLinkPath } from "@/lib/orders/links";

/** What an order link shows once it has lapsed: a way to get a fresh one by email. */
export function ExpiredLink({ orderId, token, sent }: { orderId: string; token: string; sent: boolean }) {
  return (
    <section className="mx-auto flex max-w-2xl flex-col gap-5">
      <h1 className="text-3xl font-bold tracking-tight">This link has expired</h1>
      {sent ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-900">
          If the order has an email address, a fresh link is on its way to it.
        </p>
      ) : (
        <>
          <p>
            Links to an order work for a while, then stop, so an old email or a shared link does not open it forever. We
            can send a fresh link to the email address given with the order.
          </p>
          <form method="post" action={orderFreshLinkPath(orderId, token)}>
            <button
              type="submit"
              className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong"
            >
              Email me a fresh link
            </button>
          </form>
        </>
      )}
    </section>
  );
}
