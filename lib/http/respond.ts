import "server-only";

/** Stable, documented error codes of the public HTTP API. */
export type ApiErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "unsupported_media_type"
  | "payload_too_large"
  | "rate_limited"
  | "insufficient_stock"
  | "payment_provider_unavailable"
  | "payment_provider_busy"
  | "payment_rejected"
  | "not_implemented"
  | "internal_error";

/** A JSON error body in the API's one error shape: `{ error: { code, message } }`. */
export function errorResponse(status: number, code: ApiErrorCode, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}
