import { errorResponse } from "@/lib/http/respond";

export function POST() {
  return errorResponse(
    501,
    "not_implemented",
    "Checkout is not available yet: payments are not set up in this build of the store.",
  );
}
