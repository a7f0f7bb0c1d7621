/**
 * Stripe-shaped errors. The SDK picks its error class from the status code and `type`, so
 * these must match Stripe's exactly for apps to see the same exceptions as in production.
 */
export type StripeErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";

export interface StripeErrorFields {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
  payment_intent?: Record<string, unknown>;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly fields: StripeErrorFields,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(fields.message);
    this.name = "StripeApiError";
  }

  toBody(requestId: string): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { ...this.fields };
    if (this.fields.code)
      error.doc_url = `https://stripe.com/docs/error-codes/${this.fields.code.replaceAll("_", "-")}`;
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    return { error };
  }
}

/** A declined payment: 402 `card_error`, carrying the failed charge and the intent as they now are. */
export function paymentDeclined(
  error: { code: string; message: string; decline_code?: string | undefined },
  chargeId: string,
  paymentIntent: Record<string, unknown>,
): StripeApiError {
  return new StripeApiError(402, {
    ...error,
    type: "card_error",
    charge: chargeId,
    payment_intent: { ...paymentIntent },
  });
}

export function invalidRequest(message: string, options: { param?: string; code?: string } = {}): StripeApiError {
  return new StripeApiError(400, { type: "invalid_request_error", message, ...options });
}

export function resourceMissing(objectName: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** Stripe reports authentication failures as invalid_request_error with status 401. */
export function authenticationFailed(message: string): StripeApiError {
  return new StripeApiError(
    401,
    { type: "invalid_request_error", message },
    { "WWW-Authenticate": 'Basic realm="Stripe"' },
  );
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(400, {
    type: "idempotency_error",
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function internalError(): StripeApiError {
  return new StripeApiError(500, { type: "api_error", message: "An unknown error occurred in the Stripe emulator." });
}

/**
 * Stripe answers 429 with `invalid_request_error`/`rate_limit` (the SDK picks
 * StripeRateLimitError from the status) and asks clients to retry.
 */
export function rateLimited(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: "invalid_request_error",
      code: "rate_limit",
      message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
    },
    { "Stripe-Should-Retry": "true" },
  );
}
