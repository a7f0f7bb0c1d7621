type Props = {
  /** Read by screen readers only. */
  caption: string;
  /** The header row's cells, usually HeaderCells. */
  head: React.ReactNode;
  /** How many columns the table has, for the empty row. */
  columns: number;
  /** Shown in a single row when `empty`. */
  emptyText: string;
  empty: boolean;
  /** The body rows. */
  children: React.ReactNode;
};

/** A bordered, horizontally scrolling table with a header row and a message when nothing matches. */
export function DataTable({ caption, head, columns, emptyText, empty, children }: Props) {
  return (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-stone-200 bg-stone-50">
          <tr>{head}</tr>
        </thead>
        <tbody>
          {empty ? (
            <tr>
              <td colSpan={columns} className="px-3 py-6 text-center text-muted">
                {emptyText}
              </td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** A column header; `sort` says how the column is sorted, when it can be. */
export function HeaderCell({
  sort,
  children,
}: {
  sort?: "ascending" | "descending" | "none";
  children: React.ReactNode;
}) {
  return (
    <th scope="col" aria-sort={sort} className="px-3 py-2">
      {children}
    </th>
  );
}
