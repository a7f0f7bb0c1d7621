const TONES = {
  amber: "bg-amber-100 text-amber-900",
  red: "bg-red-100 text-red-900",
  violet: "bg-violet-100 text-violet-900",
  emerald: "bg-emerald-100 text-emerald-900",
  sky: "bg-sky-100 text-sky-900",
  stone: "bg-stone-200 text-stone-800",
} as const;

const SIZES = {
  /** A small mark beside a table cell's text ("review", "disputed"). */
  mark: "rounded px-1.5 text-xs",
  sm: "rounded-full px-2 py-0.5 text-xs font-semibold",
  md: "rounded-full px-3 py-1 text-sm font-semibold",
} as const;

export type BadgeTone = keyof typeof TONES;

type Props = {
  /** No tone leaves the badge uncoloured. */
  tone?: BadgeTone;
  size?: keyof typeof SIZES;
  /** Extra classes, e.g. a margin. */
  className?: string;
  children: React.ReactNode;
};

/** A coloured label: an order's flags, a webhook's outcome. */
export function Badge({ tone, size = "md", className, children }: Props) {
  const classes = [className, SIZES[size], tone ? TONES[tone] : undefined].filter(Boolean).join(" ");
  return <span className={classes}>{children}</span>;
}
