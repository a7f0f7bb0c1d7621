import { env } from "@/lib/env";
import { listProducts } from "@/lib/catalog";

export const dynamic = "force-dynamic";

export async function GET() {
  const products = await listProducts();
  // How the cart may offer to pay: by bank transfer too, with the days the stock is held.
  const payment = { bankTransferDays: env.BANK_TRANSFERS ? env.BANK_TRANSFER_DAYS : null };
  return Response.json({ products, payment }, { headers: { "Cache-Control": "no-store" } });
}
