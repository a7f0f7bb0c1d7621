// No server-only marker: the proxy answers with these too.

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

/**
 * Every way the store turns a request down: its one HTTP status, and the code the API answers
 * with. Routes, domain errors, the webhook, admin actions and the proxy all name a problem
 * from here; none picks a status of its own.
 */
export const PROBLEMS = {
  bad_request: { status: 400, code: "bad_request" },
  unauthorized: { status: 401, code: "unauthorized" },
  forbidden: { status: 403, code: "forbidden" },
  not_found: { status: 404, code: "not_found" },
  /** What the request acts on is not in a state that allows it (or moved on meanwhile). */
  conflict: { status: 409, code: "bad_request" },
  insufficient_stock: { status: 409, code: "insufficient_stock" },
  /** A body sent without saying its length. */
  length_required: { status: 411, code: "bad_request" },
  payload_too_large: { status: 413, code: "payload_too_large" },
  unsupported_media_type: { status: 415, code: "unsupported_media_type" },
  rate_limited: { status: 429, code: "rate_limited" },
  internal_error: { status: 500, code: "internal_error" },
  payment_provider_unavailable: { status: 502, code: "payment_provider_unavailable" },
  payment_rejected: { status: 502, code: "payment_rejected" },
  payment_provider_busy: { status: 503, code: "payment_provider_busy" },
  /** This server has no room for another live stream right now. */
  server_busy: { status: 503, code: "rate_limited" },
} as const satisfies Record<string, { status: number; code: ApiErrorCode }>;

export type Problem = keyof typeof PROBLEMS;

/** The HTTP status of a problem. */
export type ProblemStatus<P extends Problem = Problem> = (typeof PROBLEMS)[P]["status"];

export function statusOf<P extends Problem>(problem: P): ProblemStatus<P> {
  return PROBLEMS[problem].status;
}

/** A failure to report to the client as `problem`, with a message fit for them. */
export class ProblemError extends Error {
  constructor(
    readonly problem: Problem,
    message: string,
    /** Seconds the client should wait before trying again, when that is known. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "ProblemError";
  }
}

/** A JSON error body in the API's one error shape: `{ error: { code, message } }`. */
export function errorResponse(problem: Problem, message: string, headers?: HeadersInit): Response {
  const { status, code } = PROBLEMS[problem];
  return Response.json({ error: { code, message } }, { status, headers });
}
