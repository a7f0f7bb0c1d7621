import { createHmac } from "node:crypto";

/**
 * Stripe's webhook signature: HMAC-SHA256 keyed with the whole `whsec_…` string over
 * "<timestamp>.<raw body>". Timestamps are real time because receivers check them
 * against their own clock (the SDK's default tolerance is five minutes).
 */
export function signatureHeader(secret: string, payload: string, timestampSeconds: number): string {
  const signature = createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${signature}`;
}
