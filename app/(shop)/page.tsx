import { ProductCard } from "@/components/product-card";
import { listProducts } from "@/lib/catalog";

// The catalog is rendered ahead of time and refreshed in the background.
export const revalidate = 60;

export default async function HomePage() {
  const products = await listProducts();
  return (
    <section aria-labelledby="catalog-heading">
      <h1 id="catalog-heading" className="mb-2 text-3xl font-bold tracking-tight">
        Goods for desk and home
      </h1>
      <p className="mb-8 text-muted">Small batches, made to last. {products.length} products.</p>
      {products.length === 0 ? (
        <p>The shop is being restocked. Please check back soon.</p>
      ) : (
        <ul className="grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-4">
          {products.map((product, i) => (
            <li key={product.id} className="flex">
              <ProductCard product={product} preload={i < 4} lcp={i === 0} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
