import "server-only";
import { CheckoutError, type CheckoutErrorCode } from "@/lib/orders/checkout";
import { type ApiErrorCode, errorResponse } from "./respond";

const CHECKOUT_STATUS: Record<CheckoutErrorCode, [number, ApiErrorCode]> = {
  unknown_product: [400, "bad_request"],
  mixed_currency: [400, "bad_request"],
  insufficient_stock: [409, "insufficient_stock"],
  payment_provider_unavailable: [502, "payment_provider_unavailable"],
  payment_provider_busy: [503, "payment_provider_busy"],
  payment_rejected: [502, "payment_rejected"],
  not_retryable: [409, "bad_request"],
  not_found: [404, "not_found"],
  order_too_large: [400, "bad_request"],
  too_much_reserved: [429, "rate_limited"],
};

/** Maps a domain error to its HTTP response; anything unexpected is logged and answered 500. */
export function responseForError(error: unknown): Response {
  if (error instanceof CheckoutError) {
    const [status, code] = CHECKOUT_STATUS[error.code];
    const headers = error.retryAfterS ? { "Retry-After": String(error.retryAfterS) } : undefined;
    return errorResponse(status, code, error.message, headers);
  }
  console.error("[api] unexpected error", error);
  return errorResponse(500, "internal_error", "Something went wrong on our side. Please try again.");
}
