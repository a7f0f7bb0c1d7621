import "server-only";
import { parseEnv } from "./schema";

export type { Env } from "./schema";

/** The validated configuration; the only place the app reads process.env. */
export const env = parseEnv(process.env);
