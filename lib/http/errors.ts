import "server-only";
import { errorResponse, ProblemError } from "./respond";

/** Maps a domain error to its HTTP response; anything unexpected is logged and answered 500. */
export function responseForError(error: unknown): Response {
  if (error instanceof ProblemError) {
    const headers = error.retryAfterS ? { "Retry-After": String(error.retryAfterS) } : undefined;
    return errorResponse(error.problem, error.message, headers);
  }
  console.error("[api] unexpected error", error);
  return errorResponse("internal_error", "Something went wrong on our side. Please try again.");
}
