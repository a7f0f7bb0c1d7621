import "server-only";
import Stripe from "stripe";

/** Stripe could not be reached or failed on its side; the caller may retry later. */
export class PaymentProviderUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The payment provider is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "PaymentProviderUnavailableError";
  }
}

/** Stripe refused the request (bad parameters, nothing left to refund…). */
export class PaymentRequestRejectedError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = "PaymentRequestRejectedError";
  }
}

/** Maps an error thrown by the Stripe SDK onto the two kinds the rest of the app handles. */
export function toPaymentError(error: unknown): Error {
  if (error instanceof Stripe.errors.StripeError) {
    const status = error.statusCode ?? 0;
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      status >= 500
    ) {
      return new PaymentProviderUnavailableError(error);
    }
    return new PaymentRequestRejectedError(error.message, error.code);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs a Stripe call, translating its errors. */
export async function callStripe<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toPaymentError(error);
  }
}
