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
  /** Rows that may not be selected (their checkbox is disabled); all may by default. */
  canSelect?: (row: T) => boolean;
  /** How a row is named in its checkbox's label ("Select c000042"); its id by default. */
  rowLabel?: (row: T) => string;
  empty?: ReactNode;
}

/** A table of rows (TanStack Table for the model and selection; the markup and styles are ours). */
export function DataTable<T extends RowData>({ label, rows, columns, rowId, selectable, selection, onSelectionChange, canSelect, rowLabel, empty }: Props<T>) {
  const [own, setOwn] = useState<RowSelectionState>({});
  const rowSelection = selection ?? own;
  const setSelection = onSelectionChange ?? setOwn;
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (r: T) => rowId(r),
    enableRowSelection: selectable ? (canSelect ? (row) => canSelect(row.original) : true) : false,
    state: { rowSelection },
    onRowSelectionChange: (u) => setSelection(typeof u === 'function' ? u(rowSelection) : u),
  });
  const selectableRows = canSelect ? rows.filter(canSelect) : rows;
  const allSelected = selectableRows.length > 0 && selectableRows.every((r) => rowSelection[rowId(r)]);
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
                  disabled={selectableRows.length === 0}
                  onChange={(e) => setSelection(e.target.checked ? Object.fromEntries(selectableRows.map((r) => [rowId(r), true])) : {})}
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
                <input
                  type="checkbox"
                  aria-label={`Select ${rowLabel ? rowLabel(row.original) : row.id}`}
                  checked={!!rowSelection[row.id]}
                  disabled={!row.getCanSelect()}
                  onChange={row.getToggleSelectedHandler()}
                />
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
