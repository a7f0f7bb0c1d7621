import bcrypt from "bcryptjs";

/** bcrypt cost: ~250 ms per check on a small server, which makes guessing expensive. */
export const BCRYPT_ROUNDS = 12;

export const MIN_PASSWORD_LENGTH = 12;

/** Hashes a password for storage. */
export function hashPassword(password: string, rounds = BCRYPT_ROUNDS): Promise<string> {
  return bcrypt.hash(password, rounds);
}

/** Compares a password with a stored hash (bcrypt compares in constant time). */
export function passwordMatches(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Checked when no user or no password exists, so a wrong email costs as long as a wrong password.
const DECOY_HASH = "$2b$12$7GawFe.2udGzHafNjTPt4u0bsvbz57NL7DlkcbT/cyay3ocmquq1a";

/** Spends the time of one password check, for requests that have no hash to check against. */
export async function spendPasswordCheck(password: string): Promise<void> {
  await bcrypt.compare(password, DECOY_HASH);
}
