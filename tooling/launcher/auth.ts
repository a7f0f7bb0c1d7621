/** Session-signing secret for a store running on the embedded database, kept beside it in .data. */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "./database";

const SECRET_FILE = path.join(PROJECT_ROOT, ".data", "auth-secret");

/**
 * The secret local instances share (so a session from one works on another); created once with
 * 256 random bits. Production sets AUTH_SECRET instead.
 */
export async function localAuthSecret(): Promise<string> {
  const existing = await readFile(SECRET_FILE, "utf8").catch(() => "");
  if (existing.trim().length >= 32) return existing.trim();
  await mkdir(path.dirname(SECRET_FILE), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // "wx" fails if another launcher wrote it first; then use theirs.
  await writeFile(SECRET_FILE, secret, { mode: 0o600, flag: "wx" }).catch(() => undefined);
  return (await readFile(SECRET_FILE, "utf8")).trim();
}
