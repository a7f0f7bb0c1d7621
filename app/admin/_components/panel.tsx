type Props = {
  /** Names the heading `${id}-heading`, which labels the section. */
  id: string;
  title: React.ReactNode;
  /** Extra classes for the section (grid placement, layout). */
  className?: string;
  /** Extra classes for the heading. */
  headingClassName?: string;
  children: React.ReactNode;
};

/** A white card headed by an h2 that names it as a region. */
export function Panel({ id, title, className, headingClassName, children }: Props) {
  const heading = `${id}-heading`;
  return (
    <section
      aria-labelledby={heading}
      className={["rounded-xl border border-stone-200 bg-white p-5", className].filter(Boolean).join(" ")}
    >
      <h2 id={heading} className={["text-lg font-semibold", headingClassName].filter(Boolean).join(" ")}>
        {title}
      </h2>
      {children}
    </section>
  );
}
