"use client";

import { createContext, startTransition, useContext, useEffect, useMemo, useState } from "react";
import type { CartLine } from "./line";
import { addLine, reconcileWithCatalog, setLineQuantity } from "./rules";
import { CART_STORAGE_KEY, serializeCart } from "./storage";

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
// and tells subscribers, including other tabs through the `storage` event. The parser (zod)
// is its own chunk, fetched and evaluated after the page has hydrated rather than during it.
let parse: ((raw: string | null) => CartLine[]) | undefined;
let parserLoading: Promise<void> | undefined;
function loadParser(): Promise<void> {
  parserLoading ??= import("./schema").then(
    (m) => {
      parse = m.parseStoredCart;
    },
    (error: unknown) => {
      parserLoading = undefined; // the next change tries again
      throw error;
    },
  );
  return parserLoading;
}

function readCart(read: (raw: string | null) => CartLine[]): CartLine[] {
  const raw = window.localStorage.getItem(CART_STORAGE_KEY);
  if (raw !== cached.raw) cached = { raw, lines: read(raw) };
  return cached.lines;
}

// Every change starts from what is saved, so none is applied before the saved cart can be read;
// changes made meanwhile wait, in order, for the parser.
function writeCart(update: (current: CartLine[]) => CartLine[]): void {
  if (!parse) {
    loadParser().then(
      () => writeCart(update),
      (error: unknown) => console.error("The saved cart could not be read, so this change was not saved.", error),
    );
    return;
  }
  window.localStorage.setItem(CART_STORAGE_KEY, serializeCart(update(readCart(parse))));
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

const CartContext = createContext<CartContextValue | null>(null);

export function CartProvider({ children }: { children: React.ReactNode }) {
  // The server cannot see the saved cart, so the page hydrates with an empty one that is not
  // `ready`; the saved cart is read once the parser has loaded. That first read is a transition,
  // rendered in slices, so it never holds the page up; later changes render straight away.
  const [{ lines, ready }, setSnapshot] = useState({ lines: EMPTY, ready: false });
  useEffect(() => {
    let active = true;
    const refresh = () => {
      if (parse) setSnapshot({ lines: readCart(parse), ready: true });
    };
    const unsubscribe = subscribe(refresh);
    loadParser().then(
      () => {
        if (active) startTransition(refresh);
      },
      // Without the parser the cart stays not `ready`; the next change loads it again.
      () => undefined,
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);

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
