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

/**
 * Reads an amount typed in major units ("12", "12.5", "12.50") as integer minor units, without
 * floating point. Null for anything else: more decimals than the currency has, signs, words.
 */
export function parseMajorAmount(text: string, currency: string): number | null {
  const decimals = minorUnitsPerMajor(currency) === 1 ? 0 : 2;
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > decimals) return null;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
}
