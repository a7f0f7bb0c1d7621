/**
 * The advisory lock that keeps reconciliation to one runner across all instances. On its own,
 * outside the server-only reconciler, so the chaos run can hold it too.
 */
export const RECONCILE_LOCK = 727_001;
