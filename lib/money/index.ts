/**
 * Money is integer minor units plus an ISO 4217 currency code. These helpers are pure and
 * safe on both server and client.
 */

const ZERO_DECIMAL = new Set([
  "bif",
  "clp",
  "djf",
  "gnf",
  "jpy",
  "kmf",
  "krw",
  "mga",
  "pyg",
  "rwf",
  "ugx",
  "vnd",
  "vuv",
  "xaf",
  "xof",
  "xpf",
]);

/** How many minor units make one major unit of the currency (100 for USD, 1 for JPY). */
export function minorUnitsPerMajor(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 1 : 100;
}

/** Formats an amount in minor units for display, e.g. 2400 usd → "$24.00". */
export function formatMoney(amount: number, currency: string, locale = "en-US"): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(
    amount / minorUnitsPerMajor(currency),
  );
}

/** Sums line totals in minor units, refusing anything that is not a safe integer. */
export function sumLines(lines: ReadonlyArray<{ unitAmount: number; quantity: number }>): number {
  let total = 0;
  for (const line of lines) {
    const lineTotal = line.unitAmount * line.quantity;
    if (!Number.isSafeInteger(lineTotal) || !Number.isSafeInteger(total + lineTotal)) {
      throw new RangeError("amount out of range");
    }
    total += lineTotal;
  }
  return total;
}
