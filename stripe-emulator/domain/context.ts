/** Which API request caused a change; copied into each event's `request` field. */
export interface RequestMeta {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** Changes made by the hosted page, the control API or timers have no API request. */
export const NO_REQUEST: RequestMeta = { requestId: null, idempotencyKey: null };

export type Json = Record<string, unknown>;
