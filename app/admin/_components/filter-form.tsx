import Link from "next/link";

const FIELD = "flex flex-col gap-1 text-sm font-medium";
const CONTROL = "rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

type FormProps = {
  /** Names the form for assistive technology. */
  label: string;
  /** "search" makes the form a search landmark. */
  role?: "search";
  /** Where the Clear link goes: the page without filters. */
  clearHref: string;
  children: React.ReactNode;
};

/** A GET form of filters with an Apply button and a Clear link. */
export function FilterForm({ label, role, clearHref, children }: FormProps) {
  return (
    <form
      role={role}
      aria-label={label}
      className="flex flex-wrap items-end gap-3 rounded-xl border border-stone-200 bg-white p-4"
    >
      {children}
      <button
        type="submit"
        className="rounded-md bg-accent px-4 py-1.5 text-sm font-semibold text-white hover:bg-accent-strong"
      >
        Apply
      </button>
      <Link href={clearHref} className="text-sm underline underline-offset-2">
        Clear
      </Link>
    </form>
  );
}

/** A labelled filter control; the label text comes first. */
export function FilterField({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className={FIELD}>
      {label}
      {children}
    </label>
  );
}

/** A labelled text or date input; `className` adds to the control's own classes (a width). */
export function FilterInput({ label, className, ...input }: { label: string } & React.ComponentProps<"input">) {
  return (
    <FilterField label={label}>
      <input {...input} className={className ? `${CONTROL} ${className}` : CONTROL} />
    </FilterField>
  );
}

/** A labelled select whose first option, "Any", means no filter. */
export function FilterSelect({
  label,
  name,
  defaultValue,
  children,
}: {
  label: string;
  name: string;
  defaultValue: string;
  /** The options after "Any". */
  children: React.ReactNode;
}) {
  return (
    <FilterField label={label}>
      <select name={name} defaultValue={defaultValue} className={CONTROL}>
        <option value="">Any</option>
        {children}
      </select>
    </FilterField>
  );
}

/** The alert shown when the query string could not be read as filters. */
export function FiltersNotUnderstood({ reason, showing }: { reason?: string; showing: string }) {
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
      Some filters were not understood{reason === undefined ? "" : ` (${reason})`}; showing {showing}.
    </p>
  );
}
