/** Reduces several Lighthouse results for one page and form factor to medians and failing audits. */
import type { Result } from "lighthouse";

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The targets this store holds itself to; SEO is reported for information only. */
export const TARGETS: Partial<Record<Category, number>> = {
  performance: 95,
  accessibility: 100,
  "best-practices": 95,
};

const METRICS = {
  LCP: "largest-contentful-paint",
  TBT: "total-blocking-time",
  CLS: "cumulative-layout-shift",
} as const;

/** Audits listed under a category: accessibility and best practices must be perfect, performance hints below 0.9. */
const FAILING_BELOW: Partial<Record<Category, number>> = { accessibility: 1, "best-practices": 1, performance: 0.9 };

export type PageSummary = {
  scores: Record<Category, number>;
  metrics: { LCP: number; TBT: number; CLS: number };
  /** category → "audit id: title (detail)" → how many runs it failed in */
  failing: Map<Category, Map<string, number>>;
  runs: number;
  /** Each run's performance score and Total Blocking Time, in run order (the spread behind the median). */
  perRun: Array<{ performance: number; TBT: number }>;
  warnings: string[];
};

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A short hint at what failed: the first few offending elements, issues or console messages. */
function itemsOf(audit: Result["audits"][string]): string {
  const details = audit.details;
  if (!details || !("items" in details) || !Array.isArray(details.items)) return "";
  const hints = details.items.slice(0, 3).map((item: Record<string, unknown>) => {
    const node = item.node as { snippet?: string } | undefined;
    const text = [node?.snippet, item.issueType, item.description, item.source].find((v) => typeof v === "string");
    return (text ?? "").replace(/\s+/g, " ").slice(0, 120);
  });
  return hints.filter(Boolean).length ? ` — ${hints.filter(Boolean).join(" | ")}` : "";
}

function failingAudits(lhr: Result, category: Category, below: number): string[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  const out: string[] = [];
  for (const ref of refs) {
    const audit = lhr.audits[ref.id];
    if (!audit || audit.score === null || audit.score >= below) continue;
    // Metric audits are already shown as numbers; manual and not-applicable audits have no score.
    if (ref.group === "metrics") continue;
    const detail = audit.displayValue ? ` (${audit.displayValue})` : "";
    // Weight 0 audits are shown but do not lower the category score.
    const weight = ref.weight === 0 ? " [weight 0]" : "";
    const items = category === "performance" ? "" : itemsOf(audit);
    out.push(`${ref.id}: ${audit.title}${detail}${weight}${items}`);
  }
  return out;
}

export function summarise(results: Result[]): PageSummary {
  const score = (c: Category) => median(results.map((r) => (r.categories[c]?.score ?? Number.NaN) * 100));
  const metric = (id: string) => median(results.map((r) => r.audits[id]?.numericValue ?? Number.NaN));
  const failing = new Map<Category, Map<string, number>>();
  for (const [category, below] of Object.entries(FAILING_BELOW) as Array<[Category, number]>) {
    const counts = new Map<string, number>();
    for (const lhr of results) {
      for (const line of new Set(failingAudits(lhr, category, below))) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    failing.set(category, counts);
  }
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, score(c)])) as Record<Category, number>,
    metrics: { LCP: metric(METRICS.LCP), TBT: metric(METRICS.TBT), CLS: metric(METRICS.CLS) },
    failing,
    runs: results.length,
    perRun: results.map((r) => ({
      performance: Math.round((r.categories.performance?.score ?? Number.NaN) * 100),
      TBT: Math.round(r.audits[METRICS.TBT]?.numericValue ?? Number.NaN),
    })),
    warnings: [...new Set(results.flatMap((r) => r.runWarnings))],
  };
}

/** One line per page: scores with a ✗ where a target is missed, then the metrics. */
export function formatSummary(label: string, s: PageSummary, { targets = true } = {}): string[] {
  const scores = CATEGORIES.map((c) => {
    const target = targets ? TARGETS[c] : undefined;
    const mark = target === undefined ? "" : s.scores[c] >= target ? " ✓" : " ✗";
    return `${c} ${Math.round(s.scores[c])}${mark}`;
  }).join(", ");
  const lines = [
    `${label}: ${scores}; LCP ${(s.metrics.LCP / 1000).toFixed(2)} s, TBT ${Math.round(s.metrics.TBT)} ms, CLS ${s.metrics.CLS.toFixed(3)}`,
  ];
  if (s.perRun.length > 1) {
    const runs = s.perRun.map((r) => `${r.performance}/${r.TBT} ms`).join(", ");
    lines.push(`    runs (performance/TBT): ${runs}`);
  }
  // A reference page is measured, not judged: its failing audits are not the store's to fix.
  if (!targets) return lines;
  for (const [category, counts] of s.failing) {
    // Performance hints only matter on a page that misses its performance target.
    if (category === "performance" && s.scores.performance >= (TARGETS.performance ?? 0)) continue;
    for (const [line, count] of counts) lines.push(`    ${category} ✗ ${line} [${count}/${s.runs} runs]`);
  }
  for (const warning of s.warnings) lines.push(`    warning: ${warning}`);
  return lines;
}

/** True when every targeted category's median meets its target. */
export function meetsTargets(s: PageSummary): boolean {
  return (Object.entries(TARGETS) as Array<[Category, number]>).every(([c, target]) => s.scores[c] >= target);
}
