/**
 * zod for code that runs in the browser: the tree-shakable `zod/mini` build, about 13 kB
 * (gzip) less per shop page than the classic one. Classic zod probes `new Function` to compile
 * fast object parsers; our Content-Security-Policy forbids it (no `unsafe-eval`), so the
 * browser reported a CSP violation on every page that parsed anything. The mini build does not
 * compile parsers, and `jitless` keeps any zod code on this path from trying. Client modules
 * import from here (`import * as z from "@/lib/validation/browser-zod"`), never from "zod"; a
 * test walks the client import graph to hold that. Only what the client uses is re-exported:
 * a re-exported namespace object would defeat tree-shaking and ship every locale with it.
 */
import { config } from "zod/mini";

config({ jitless: true });

export {
  array,
  int,
  length,
  maximum,
  maxLength,
  minimum,
  minLength,
  nonnegative,
  nullable,
  object,
  optional,
  string,
  url,
} from "zod/mini";
export type { infer } from "zod/mini";
