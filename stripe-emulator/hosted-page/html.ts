/** Minimal, safe HTML building: every interpolated value goes through `escapeHtml`. */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Only http(s) links are rendered, so a stored URL can never become `javascript:`. */
export function safeHref(url: string | null): string | null {
  if (url === null || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.toString() : null;
}

/** `script`: an inline script, which the response's CSP must allow by its hash (see expiry-script.ts). */
export function documentHtml(title: string, css: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${css}</style>
</head>
<body>
${body}${script ? `\n<script>${script}</script>` : ""}
</body>
</html>
`;
}
