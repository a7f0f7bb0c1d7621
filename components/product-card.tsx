import Link from "next/link";
import type { PublicProduct } from "@/lib/catalog/types";
import { Price } from "./price";
import { ProductImage } from "./product-image";

/**
 * `preload`: the image is above the fold (fetched early, never lazily). `lcp`: it is likely the
 * largest thing on a phone's first screen, so the browser fetches it before other images.
 */
export function ProductCard({
  product,
  preload = false,
  lcp = false,
}: {
  product: PublicProduct;
  preload?: boolean;
  lcp?: boolean;
}) {
  const soldOut = product.stock < 1;
  // Full width of its grid cell: sized by its content instead, the card would be as narrow as
  // its text until the image arrived, then jump to full width.
  return (
    <article className="group flex w-full flex-col overflow-hidden rounded-xl border border-stone-200 bg-white">
      <Link href={`/products/${product.slug}`} className="flex flex-1 flex-col">
        <ProductImage
          src={product.image}
          alt=""
          size={400}
          loading={lcp ? "lcp" : preload ? "eager" : "lazy"}
          className="aspect-square w-full object-cover transition group-hover:opacity-90"
        />
        <div className="flex flex-1 flex-col gap-1 p-4">
          <h2 className="font-semibold">{product.name}</h2>
          <p className="flex items-center justify-between text-sm">
            <Price amount={product.unitAmount} currency={product.currency} className="font-medium" />
            {soldOut ? (
              <span className="rounded bg-stone-200 px-2 py-0.5 text-xs font-medium text-stone-800">Sold out</span>
            ) : product.stock <= 3 ? (
              <span className="text-xs font-medium text-amber-900">Only {product.stock} left</span>
            ) : null}
          </p>
        </div>
      </Link>
    </article>
  );
}
