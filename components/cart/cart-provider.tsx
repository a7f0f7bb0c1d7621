"use client";

import { createContext, useContext, useMemo, useSyncExternalStore } from "react";
import {
  addLine,
  CART_STORAGE_KEY,
  type CartLine,
  parseStoredCart,
  reconcileWithCatalog,
  serializeCart,
  setLineQuantity,
} from "./cart-store";

type CatalogEntry = Parameters<typeof reconcileWithCatalog>[1][number];

type CartContextValue = {
  lines: CartLine[];
  /** False until the saved cart has been read from storage (always false on the server). */
  ready: boolean;
  itemCount: number;
  add: (line: CartLine) => void;
  setQuantity: (productId: string, quantity: number) => void;
  remove: (productId: string) => void;
  clear: () => void;
};

const EMPTY: CartLine[] = [];
const listeners = new Set<() => void>();
let cached: { raw: string | null; lines: CartLine[] } = { raw: null, lines: EMPTY };

// localStorage is the cart's source of truth; this store reads it, parses it once per change,
// and tells subscribers, including other tabs through the `storage` event.
function readCart(): CartLine[] {
  const raw = window.localStorage.getItem(CART_STORAGE_KEY);
  if (raw !== cached.raw) cached = { raw, lines: parseStoredCart(raw) };
  return cached.lines;
}

function writeCart(update: (current: CartLine[]) => CartLine[]): void {
  window.localStorage.setItem(CART_STORAGE_KEY, serializeCart(update(readCart())));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === CART_STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** Brings the saved cart in line with the catalog: current prices, stock limits, no sold-out lines. */
export function refreshCart(products: ReadonlyArray<CatalogEntry>): void {
  writeCart((c) => reconcileWithCatalog(c, products));
}

/** Empties the saved cart (the order it became is on its way). */
export function clearCart(): void {
  writeCart(() => []);
}

const noSubscription = () => () => undefined;

const CartContext = createContext<CartContextValue | null>(null);

export function CartProvider({ children }: { children: React.ReactNode }) {
  const lines = useSyncExternalStore(subscribe, readCart, () => EMPTY);
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  const value = useMemo<CartContextValue>(
    () => ({
      lines,
      ready,
      itemCount: lines.reduce((n, l) => n + l.quantity, 0),
      add: (line) => writeCart((c) => addLine(c, line)),
      setQuantity: (productId, quantity) => writeCart((c) => setLineQuantity(c, productId, quantity)),
      remove: (productId) => writeCart((c) => c.filter((l) => l.productId !== productId)),
      clear: () => writeCart(() => []),
    }),
    [lines, ready],
  );

  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

/** The shopper's cart; only inside CartProvider. */
export function useCart(): CartContextValue {
  const value = useContext(CartContext);
  if (!value) throw new Error("useCart must be used inside CartProvider");
  return value;
}
