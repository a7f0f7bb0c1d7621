"use client";

import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { refreshCart, useCart } from "@/components/cart/cart-provider";
import { ProductImage } from "@/components/product-image";
import { quantityLimit } from "@/components/cart/rules";
import { formatMoney, sumLines } from "@/lib/money";

// The response schemas (zod) load with the first request that needs them, not with the page.
const loadResponseSchemas = () => import("./responses");

export function CartView() {
  const { lines, ready, setQuantity, remove } = useCart();
  const [status, setStatus] = useState<{ kind: "idle" | "busy" | "error"; message?: string }>({ kind: "idle" });
  const emailId = useId();
  // Days a bank transfer holds the stock, when the store takes bank transfers (from /api/products).
  const [transferDays, setTransferDays] = useState<number | null>(null);

  // Prices and stock are refreshed from the catalog when there is something to refresh.
  const hasLines = lines.length > 0;
  useEffect(() => {
    if (!hasLines) return;
    const controller = new AbortController();
    Promise.all([
      fetch("/api/products", { signal: controller.signal }).then((r) => r.json() as Promise<unknown>),
      loadResponseSchemas(),
    ])
      .then(([body, { productsResponse }]) => {
        const parsed = productsResponse.safeParse(body);
        if (!parsed.success) return;
        refreshCart(parsed.data.products);
        setTransferDays(parsed.data.payment?.bankTransferDays ?? null);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [hasLines]);

  // As tall as the empty cart below, so the page does not move when the saved cart is read.
  if (!ready)
    return (
      <p aria-busy="true" className="min-h-21">
        Loading your cart…
      </p>
    );
  if (lines.length === 0) {
    return (
      <div className="flex flex-col items-start gap-4">
        <p>Your cart is empty.</p>
        <Link href="/" className="rounded-md bg-accent px-5 py-2.5 font-semibold text-white hover:bg-accent-strong">
          Browse products
        </Link>
      </div>
    );
  }

  const currencies = [...new Set(lines.map((l) => l.currency))];
  const currency = currencies[0] ?? "usd";
  const subtotal = sumLines(lines);

  const onCheckout = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = form.get("email");
    const method = form.get("method");
    setStatus({ kind: "busy" });
    try {
      const response = await fetch("/api/checkout", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          ...(typeof email === "string" && email.trim() ? { email: email.trim() } : {}),
          ...(method === "bank_transfer" ? { method } : {}),
        }),
      });
      const body: unknown = await response.json().catch(() => null);
      const { checkoutResponse, errorResponse } = await loadResponseSchemas();
      const ok = checkoutResponse.safeParse(body);
      if (response.ok && ok.success) {
        window.location.assign(ok.data.url);
        return;
      }
      const failure = errorResponse.safeParse(body);
      setStatus({
        kind: "error",
        message: failure.success ? failure.data.error.message : `Checkout failed (HTTP ${response.status}).`,
      });
    } catch {
      setStatus({ kind: "error", message: "We could not reach the store. Check your connection and try again." });
    }
  };

  return (
    <div className="grid gap-10 lg:grid-cols-[2fr_1fr]">
      <ul
        className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
        aria-label="Items in your cart"
      >
        {lines.map((line) => {
          const limit = quantityLimit(line.stock);
          const inputId = `qty-${line.productId}`;
          return (
            <li key={line.productId} className="flex gap-4 p-4" data-testid="cart-line">
              <ProductImage
                src={line.image}
                alt=""
                size={96}
                loading="lazy"
                className="size-24 rounded-lg border border-stone-200"
              />
              <div className="flex flex-1 flex-col gap-2">
                <div className="flex justify-between gap-4">
                  <Link href={`/products/${line.slug}`} className="font-semibold hover:underline">
                    {line.name}
                  </Link>
                  <span className="font-medium">{formatMoney(line.unitAmount * line.quantity, line.currency)}</span>
                </div>
                <p className="text-sm text-muted">{formatMoney(line.unitAmount, line.currency)} each</p>
                <div className="flex items-center gap-3">
                  <label htmlFor={inputId} className="text-sm">
                    Quantity
                  </label>
                  <input
                    id={inputId}
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={limit}
                    value={line.quantity}
                    onChange={(e) => setQuantity(line.productId, Number(e.target.value))}
                    className="w-20 rounded-md border border-stone-300 px-2 py-1"
                    aria-describedby={`${inputId}-limit`}
                  />
                  <span id={`${inputId}-limit`} className="text-xs text-muted">
                    {limit} available
                  </span>
                  <button
                    type="button"
                    onClick={() => remove(line.productId)}
                    className="ml-auto text-sm text-red-800 underline-offset-4 hover:underline"
                  >
                    Remove <span className="sr-only">{line.name}</span>
                  </button>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <form
        onSubmit={onCheckout}
        className="flex h-fit flex-col gap-4 rounded-xl border border-stone-200 bg-white p-5"
        aria-labelledby="summary-heading"
      >
        <h2 id="summary-heading" className="text-lg font-semibold">
          Order summary
        </h2>
        <p className="flex justify-between">
          <span>Subtotal</span>
          <span data-testid="cart-subtotal" className="font-semibold">
            {formatMoney(subtotal, currency)}
          </span>
        </p>
        <p className="text-sm text-muted">Shipping and taxes are shown at checkout.</p>
        {currencies.length > 1 ? (
          <p className="text-sm text-red-800">Items in different currencies must be bought separately.</p>
        ) : null}
        <div className="flex flex-col gap-1">
          <label htmlFor={emailId} className="text-sm font-medium">
            Email for your receipt (optional)
          </label>
          <input
            id={emailId}
            name="email"
            type="email"
            autoComplete="email"
            className="rounded-md border border-stone-300 px-3 py-2"
          />
        </div>
        {transferDays !== null && (currency === "eur" || currency === "usd") ? (
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-medium">How would you like to pay?</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name="method" value="checkout" defaultChecked className="mt-1" />
              <span>
                <span className="font-medium">Card or direct debit</span>
                <span className="block text-muted">Pay now on the secure payment page.</span>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name="method" value="bank_transfer" className="mt-1" />
              <span>
                <span className="font-medium">Bank transfer</span>
                <span className="block text-muted">
                  Send the money from your bank within {transferDays} days; we hold your items until then.
                </span>
              </span>
            </label>
          </fieldset>
        ) : null}
        <button
          type="submit"
          disabled={status.kind === "busy" || currencies.length > 1}
          className="rounded-md bg-accent px-5 py-3 font-semibold text-white hover:bg-accent-strong disabled:cursor-not-allowed disabled:bg-stone-400"
        >
          {status.kind === "busy" ? "Starting checkout…" : "Check out"}
        </button>
        <p role="alert" className="min-h-5 text-sm text-red-800">
          {status.kind === "error" ? status.message : ""}
        </p>
      </form>
    </div>
  );
}
