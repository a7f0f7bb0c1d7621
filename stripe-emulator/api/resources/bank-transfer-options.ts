/** Checks a session's `payment_method_options[customer_balance]` as Stripe does. */
import { invalidRequest } from "../errors";
import { missingParam } from "../params";
import {
  EU_TRANSFER_COUNTRIES,
  euTransferCountrySchema,
  type AddressType,
  type CustomerBalanceOptions,
} from "../../domain/model/bank-transfers";
import type { CustomerBalanceParam } from "./checkout-params";

const PARAM = "payment_method_options[customer_balance]";

/** Each transfer type the emulator runs: its currency and the address types it can show. */
const TRANSFER_TYPES = {
  eu_bank_transfer: { currency: "eur", addressTypes: ["iban"] },
  us_bank_transfer: { currency: "usd", addressTypes: ["aba", "swift"] },
} as const satisfies Record<string, { currency: string; addressTypes: readonly AddressType[] }>;

/** The currencies bank transfers can be offered in. */
export const BANK_TRANSFER_CURRENCIES: readonly string[] = Object.values(TRANSFER_TYPES).map((t) => t.currency);

/**
 * The options as the session returns them, or a 400 naming the parameter: the funding type and
 * transfer type are required, the type must suit the currency, EU transfers name their country.
 */
export function resolveCustomerBalanceOptions(currency: string, param: CustomerBalanceParam): CustomerBalanceOptions {
  if (param.funding_type === undefined) throw missingParam(`${PARAM}[funding_type]`);
  const transfer = param.bank_transfer;
  if (transfer === undefined) throw missingParam(`${PARAM}[bank_transfer][type]`);
  if (transfer.type !== "eu_bank_transfer" && transfer.type !== "us_bank_transfer") {
    throw invalidRequest(
      `The emulator supports bank transfers of type eu_bank_transfer and us_bank_transfer, not ${transfer.type}.`,
      { param: `${PARAM}[bank_transfer][type]` },
    );
  }
  const spec = TRANSFER_TYPES[transfer.type];
  if (currency !== spec.currency) {
    throw invalidRequest(
      `The bank transfer type ${transfer.type} can only be used with currency ${spec.currency}, but this Checkout Session's currency is ${currency}.`,
      { param: `${PARAM}[bank_transfer][type]` },
    );
  }
  const requested = transfer.requested_address_types ?? [...spec.addressTypes];
  const allowed: readonly string[] = spec.addressTypes;
  const wrong = requested.find((t) => !allowed.includes(t));
  if (wrong !== undefined) {
    throw invalidRequest(
      `The address type ${wrong} is not available for ${transfer.type}; use one of: ${allowed.join(", ")}.`,
      { param: `${PARAM}[bank_transfer][requested_address_types]` },
    );
  }
  const addressTypes = requested.filter((t): t is AddressType => allowed.includes(t));
  if (transfer.type === "us_bank_transfer") {
    if (transfer.eu_bank_transfer !== undefined) {
      throw invalidRequest("eu_bank_transfer can only be given when the bank transfer type is eu_bank_transfer.", {
        param: `${PARAM}[bank_transfer][eu_bank_transfer]`,
      });
    }
    return {
      bank_transfer: { requested_address_types: addressTypes, type: transfer.type },
      funding_type: "bank_transfer",
    };
  }
  const countryParam = `${PARAM}[bank_transfer][eu_bank_transfer][country]`;
  if (transfer.eu_bank_transfer === undefined) throw missingParam(countryParam);
  const country = euTransferCountrySchema.safeParse(transfer.eu_bank_transfer.country);
  if (!country.success) {
    throw invalidRequest(`Invalid country: must be one of ${EU_TRANSFER_COUNTRIES.join(", ")}.`, {
      param: countryParam,
    });
  }
  return {
    bank_transfer: {
      eu_bank_transfer: { country: country.data },
      requested_address_types: addressTypes,
      type: transfer.type,
    },
    funding_type: "bank_transfer",
  };
}
