import { useState, type ReactNode } from 'react';
import { rowSelectionFeature, tableFeatures, useTable, type ColumnDef, type RowData, type RowSelectionState } from '@tanstack/react-table';

const features = tableFeatures({ rowSelectionFeature });
export type Features = typeof features;
export type Column<T extends RowData> = ColumnDef<Features, T, any>;

interface Props<T extends RowData> {
  /** What the table lists, for screen readers ("Segments"). */
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowId: (row: T) => string;
  /** With a selection column: the selected ids, and what to do with them. */
  selectable?: boolean;
  selection?: RowSelectionState;
  onSelectionChange?: (s: RowSelectionState) => void;
  empty?: ReactNode;
}

/** A table of rows (TanStack Table for the model and selection; the markup and styles are ours). */
export function DataTable<T extends RowData>({ label, rows, columns, rowId, selectable, selection, onSelectionChange, empty }: Props<T>) {
  const [own, setOwn] = useState<RowSelectionState>({});
  const rowSelection = selection ?? own;
  const setSelection = onSelectionChange ?? setOwn;
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (r: T) => rowId(r),
    enableRowSelection: !!selectable,
    state: { rowSelection },
    onRowSelectionChange: (u) => setSelection(typeof u === 'function' ? u(rowSelection) : u),
  });
  const allSelected = rows.length > 0 && rows.every((r) => rowSelection[rowId(r)]);
  return (
    <table className="data-table" aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {selectable && (
              <th className="select-col">
                <input
                  type="checkbox"
                  aria-label={`Select all ${label.toLowerCase()} on this page`}
                  checked={allSelected}
                  onChange={(e) => setSelection(e.target.checked ? Object.fromEntries(rows.map((r) => [rowId(r), true])) : {})}
                />
              </th>
            )}
            {group.headers.map((header) => (
              <th key={header.id} scope="col">
                {header.isPlaceholder ? null : <table.FlexRender header={header} />}
              </th>
            ))}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} className={rowSelection[row.id] ? 'selected' : undefined}>
            {selectable && (
              <td className="select-col">
                <input type="checkbox" aria-label={`Select ${row.id}`} checked={!!rowSelection[row.id]} onChange={row.getToggleSelectedHandler()} />
              </td>
            )}
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={columns.length + (selectable ? 1 : 0)} className="empty-cell">
              {empty ?? 'Nothing here yet.'}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
