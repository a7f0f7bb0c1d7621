/**
 * The virtual bank accounts shoppers transfer to: one per customer and country, derived from the
 * customer's id so the same customer always sees the same details, with valid check digits.
 */
import { createHash } from "node:crypto";
import type { Address } from "./model/common";
import type { AddressType, BankTransferType, FinancialAddress } from "./model/bank-transfers";
import { ibanChecksum } from "./test-instruments";

const HOLDER_NAME = "Stripe Emulator Test Account";

/** Each country's bank: its code inside the IBAN, BIC and city. */
const EU_BANKS: Record<string, { bic: string; city: string; bban: (digits: string) => string }> = {
  BE: { bic: "GEBABEBBXXX", city: "Brussels", bban: (d) => belgianBban(`539${d.slice(0, 7)}`) },
  DE: { bic: "SOGEDEFFXXX", city: "Frankfurt am Main", bban: (d) => `51210800${d.slice(0, 10)}` },
  ES: { bic: "CAIXESBBXXX", city: "Barcelona", bban: (d) => spanishBban("2100", "0418", d.slice(0, 10)) },
  FR: { bic: "SOGEFRPPXXX", city: "Paris", bban: (d) => frenchBban("30003", "03620", d.slice(0, 11)) },
  IE: { bic: "BOFIIE2DXXX", city: "Dublin", bban: (d) => `BOFI900017${d.slice(0, 8)}` },
  NL: { bic: "INGBNL2AXXX", city: "Amsterdam", bban: (d) => `INGB${d.slice(0, 10)}` },
};

/** The routing number of Stripe's test bank, which passes the ABA checksum. */
const TEST_ROUTING_NUMBER = "110000000";

/** Twenty digits that depend only on `seed`. */
function digitsFor(seed: string): string {
  const hash = createHash("sha256").update(seed).digest();
  return [...hash.subarray(0, 20)].map((byte) => String(byte % 10)).join("");
}

function place(country: string, city: string | null = null): Address {
  return { city, country, line1: null, line2: null, postal_code: null, state: null };
}

/** The details the shopper transfers to, for the address types the session asked for. */
export function financialAddresses(
  customerId: string,
  type: BankTransferType,
  country: string | null,
  addressTypes: readonly AddressType[],
): FinancialAddress[] {
  const digits = digitsFor(`${customerId}:${type}:${country ?? ""}`);
  if (type === "eu_bank_transfer") {
    const code = country ?? "DE";
    const bank = EU_BANKS[code] ?? EU_BANKS.DE;
    if (!bank) return [];
    const bban = bank.bban(digits);
    return [
      {
        iban: {
          account_holder_address: place(code),
          account_holder_name: HOLDER_NAME,
          bank_address: place(code, bank.city),
          bic: bank.bic,
          country: code,
          iban: `${code}${ibanChecksum(code, bban)}${bban}`,
        },
        supported_networks: ["sepa"],
        type: "iban",
      },
    ];
  }
  const account = {
    account_holder_address: place("US"),
    account_holder_name: HOLDER_NAME,
    account_number: digits.slice(0, 12),
    account_type: "checking",
    bank_address: place("US", "New York"),
    bank_name: "STRIPE TEST BANK",
  };
  return addressTypes.map((addressType): FinancialAddress =>
    addressType === "swift"
      ? { swift: { ...account, swift_code: "TSTEZ122" }, supported_networks: ["swift"], type: "swift" }
      : {
          aba: { ...account, routing_number: TEST_ROUTING_NUMBER },
          supported_networks: ["ach", "domestic_wire_us"],
          type: "aba",
        },
  );
}

/** Belgian account numbers end in the remainder of the first ten digits by 97 (97 for none). */
function belgianBban(ten: string): string {
  const check = Number(BigInt(ten) % 97n) || 97;
  return `${ten}${String(check).padStart(2, "0")}`;
}

/** French RIB key: 97 minus the weighted sum of bank, branch and account, mod 97. */
function frenchBban(bank: string, branch: string, account: string): string {
  const key = 97n - ((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
  return `${bank}${branch}${account}${String(key).padStart(2, "0")}`;
}

/** Spanish control digits: one over bank and branch, one over the account number. */
function spanishBban(bank: string, branch: string, account: string): string {
  const weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
  const digit = (value: string): string => {
    const sum = [...value.padStart(10, "0")].reduce((acc, c, i) => acc + Number(c) * (weights[i] ?? 0), 0);
    const d = 11 - (sum % 11);
    return String(d === 11 ? 0 : d === 10 ? 1 : d);
  };
  return `${bank}${branch}${digit(`00${bank}${branch}`)}${digit(account)}${account}`;
}
