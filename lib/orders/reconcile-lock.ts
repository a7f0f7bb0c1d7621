/**
 * The advisory lock that keeps reconciliation to one runner across all instances. On its own,
 * outside the server-only reconciler, so the chaos run can hold it too.
 */
export const RECONCILE_LOCK = 727_001;

/** The advisory lock that keeps payment deadlines (expiry, reminders) to one runner at a time. */
export const DEADLINES_LOCK = 727_002;
