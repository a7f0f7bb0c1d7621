/** A product as the storefront and the public API show it. */
export type PublicProduct = {
  id: string;
  slug: string;
  name: string;
  description: string;
  unitAmount: number;
  currency: string;
  /** Units a shopper can still buy: on hand minus reserved by open checkouts. */
  stock: number;
  image: string;
};
