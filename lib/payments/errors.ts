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
    readonly requestId: string | undefined = undefined,
  ) {
    super(message);
    this.name = "PaymentRequestRejectedError";
  }
}

/** Stripe kept answering 429 (too many requests) for longer than the caller could wait. */
export class PaymentProviderBusyError extends Error {
  constructor(
    readonly retryAfterS: number,
    cause: unknown,
  ) {
    super("The payment provider is rate-limiting our requests", { cause });
    this.name = "PaymentProviderBusyError";
  }
}

/** Stripe's request id and error code of an SDK error, for the server log. */
export function describeStripeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Stripe.errors.StripeError ? error.cause : error;
  if (cause instanceof Stripe.errors.StripeError)
    return `${cause.type} ${cause.statusCode ?? "-"} code=${cause.code ?? "-"} request=${cause.requestId ?? "-"}: ${cause.message}`;
  if (error instanceof PaymentRequestRejectedError)
    return `rejected code=${error.code ?? "-"} request=${error.requestId ?? "-"}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Whether an SDK error is Stripe's 429 that it says may be retried. */
export function isRetryableRateLimit(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeRateLimitError)) return false;
  const headers = error.headers as Record<string, string | undefined> | undefined;
  return headers?.["stripe-should-retry"] !== "false";
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
    return new PaymentRequestRejectedError(error.message, error.code, error.requestId);
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
