import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddToCart } from "@/components/cart/add-to-cart";
import { Price } from "@/components/price";
import { ProductImage } from "@/components/product-image";
import { findProductBySlug, listProducts } from "@/lib/catalog";

export const revalidate = 60;

export async function generateStaticParams() {
  return (await listProducts()).map((p) => ({ slug: p.slug }));
}

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = await findProductBySlug((await params).slug);
  return product ? { title: product.name, description: product.description } : { title: "Not found" };
}

export default async function ProductPage({ params }: Props) {
  const product = await findProductBySlug((await params).slug);
  if (!product) notFound();
  return (
    <article className="grid gap-10 md:grid-cols-2">
      <ProductImage
        src={product.image}
        alt={`Illustration of the ${product.name}`}
        size={600}
        loading="lcp"
        className="aspect-square w-full rounded-xl border border-stone-200 bg-white object-cover"
      />
      <div className="flex flex-col gap-4">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href="/" className="text-accent underline-offset-4 hover:underline">
            All products
          </Link>
        </nav>
        <h1 className="text-3xl font-bold tracking-tight">{product.name}</h1>
        <Price amount={product.unitAmount} currency={product.currency} className="text-2xl font-semibold" />
        <p className="text-muted">{product.description}</p>
        <p className="text-sm" data-testid="stock">
          {product.stock < 1 ? "Out of stock" : product.stock <= 3 ? `Only ${product.stock} left in stock` : "In stock"}
        </p>
        <AddToCart product={product} />
      </div>
    </article>
  );
}
