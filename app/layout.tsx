import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { CartProvider } from "@/components/cart/cart-provider";
import { CartLink } from "@/components/cart/cart-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Fieldnote Goods", template: "%s · Fieldnote Goods" },
  description: "Small-batch goods for desk and home, paid securely with Stripe.",
};

export const viewport: Viewport = { themeColor: "#0f5e5a" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <CartProvider>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <header className="border-b border-stone-200 bg-white">
            <nav aria-label="Main" className="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
              <Link href="/" className="text-lg font-semibold tracking-tight text-ink">
                Fieldnote Goods
              </Link>
              <CartLink />
            </nav>
          </header>
          <main id="main" className="mx-auto max-w-6xl px-4 py-8">
            {children}
          </main>
          <footer className="mx-auto max-w-6xl px-4 pb-10 text-sm text-muted">
            Payments are processed by Stripe. Card details never touch this store.
          </footer>
        </CartProvider>
      </body>
    </html>
  );
}
