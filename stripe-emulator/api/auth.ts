/** API key checks, accepting both Bearer auth (SDK) and Basic auth with the key as username. */
import { authenticationFailed } from "./errors";

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

export function authenticate(header: string | undefined): string {
  const value = header?.trim() ?? "";
  if (value === "") throw authenticationFailed(NO_KEY);
  // The credential is everything after the scheme: a key with a space in it is a wrong key,
  // not a key followed by something to ignore.
  const [, scheme = "", credential = ""] = /^(\S+)(?:\s+([\s\S]*))?$/.exec(value) ?? [];
  let key: string;
  if (scheme.toLowerCase() === "bearer") {
    key = credential;
  } else if (scheme.toLowerCase() === "basic") {
    key = Buffer.from(credential, "base64").toString("utf8").split(":")[0] ?? "";
  } else {
    throw authenticationFailed(
      "Invalid API Key provided. Use 'Authorization: Bearer sk_test_…' or Basic auth with the key as the username.",
    );
  }
  if (key === "") throw authenticationFailed(NO_KEY);
  if (key.startsWith("pk_")) {
    throw authenticationFailed("This API call cannot be made with a publishable API key. Please use a secret API key.");
  }
  if (!/^(sk|rk)_test_[A-Za-z0-9_]+$/.test(key)) throw authenticationFailed(`Invalid API Key provided: ${mask(key)}`);
  return key;
}

/** Stripe never echoes a full key back; neither do we. */
function mask(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 3)}*****`;
  return `${key.slice(0, 8)}${"*".repeat(Math.min(24, key.length - 12))}${key.slice(-4)}`;
}
