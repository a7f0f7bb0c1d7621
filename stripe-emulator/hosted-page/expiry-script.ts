/**
 * Formats the card expiry as the shopper types ("1234" → "12 / 34"), as Checkout does. The page
 * works without it: the server accepts "12/34", "12 / 34" and "1234" alike (parseExpiry).
 * Allowed by its hash in the page's Content-Security-Policy, so no inline script else runs.
 */
import { createHash } from "node:crypto";

export const EXPIRY_SCRIPT = `(function(){var f=document.getElementById("card_expiry");if(!f)return;
f.addEventListener("input",function(){var d=f.value.replace(/\\D/g,"").slice(0,4);
if(d.length===1&&d>"1")d="0"+d;f.value=d.length>2?d.slice(0,2)+" / "+d.slice(2):d;});})();`;

/** The CSP source that allows exactly EXPIRY_SCRIPT. */
export const EXPIRY_SCRIPT_SOURCE = `'sha256-${createHash("sha256").update(EXPIRY_SCRIPT).digest("base64")}'`;
