import { Fragment, type ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { Pager } from './Pager.js';
import { Loaded } from './Status.js';
import type { AsyncState } from './useAsync.js';

/**
 * One column of a {@link DataTable}: its header is a message key (none for a column of actions), translated here,
 * and its cell is either any content or an amount, formatted here in the language's number format.
 */
export type Column<Row> = {
  header?: MessageKey;
  /** Right-aligned, tabular figures; implied by `money`. */
  numeric?: boolean;
  /** The cell's class (e.g. `path`) when it is not a figure. */
  className?: string;
  /** Attributes the tests read on the cell (`data-client`, …). */
  data?(row: Row): Record<`data-${string}`, string | number>;
} & ({ cell(row: Row): ReactNode } | { money(row: Row): number | null | undefined });

export interface DataTableProps<Row> {
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey(row: Row, index: number): string | number;
  rowClassName?(row: Row): string;
  /** What opens under a row (a transaction's product lines), or nothing. */
  detail?(row: Row): ReactNode;
  testId?: string;
  /** Without the scrolling frame, for a table inside another table. */
  bare?: boolean;
}

/** A table with a row of column headers and a row per item; the same markup on every page. */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  rowClassName,
  detail,
  testId,
  bare = false,
}: DataTableProps<Row>) {
  const { t, formatMoney } = useI18n();
  const numeric = (column: Column<Row>) => column.numeric || 'money' in column;
  const table = (
    <table data-testid={testId}>
      <thead>
        <tr>
          {columns.map((column, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns of a table are fixed
            <th key={index} scope="col" className={numeric(column) ? 'num' : undefined}>
              {column.header ? t(column.header) : null}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, rowIndex) => {
          const more = detail?.(row);
          return (
            <Fragment key={rowKey(row, rowIndex)}>
              <tr className={rowClassName?.(row)}>
                {columns.map((column, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the columns of a table are fixed
                  <td key={index} className={numeric(column) ? 'num' : column.className} {...column.data?.(row)}>
                    {'money' in column ? formatMoney(column.money(row)) : column.cell(row)}
                  </td>
                ))}
              </tr>
              {more ? (
                <tr className="lines">
                  <td colSpan={columns.length}>{more}</td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
  return bare ? table : <div className="table-wrap">{table}</div>;
}

/** What a table shows of each item, apart from the items: its columns, row keys and highlighted rows. */
export type TableSpec<Row> = Omit<DataTableProps<Row>, 'rows' | 'bare'>;

/**
 * A list as the gateway answers it (`{ items, total }`), through its loading and error states, as the table `table`
 * describes; with `paging`, the pager under it (the total counts every item, not only this page's).
 */
export function ListTable<Row>({
  state,
  table,
  paging,
}: {
  state: AsyncState<{ items: Row[]; total?: number }>;
  table: TableSpec<Row>;
  paging?: { offset: number; limit: number; onChange(offset: number): void };
}) {
  return (
    <Loaded state={state}>
      {({ items, total }) => (
        <>
          <DataTable {...table} rows={items} />
          {paging && <Pager {...paging} total={total ?? items.length} />}
        </>
      )}
    </Loaded>
  );
}

/** The moment a row was made, as the button that selects the row (jobs, runs). */
export function DateTimeButton({ at, onClick }: { at: string; onClick(): void }) {
  const { formatDateTime } = useI18n();
  return (
    <button type="button" className="link" onClick={onClick}>
      {formatDateTime(at)}
    </button>
  );
}
