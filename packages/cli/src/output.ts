import type { Job } from './gateway-client.js';

export interface Output {
  json: boolean;
  /** The command's result: JSON for scripts, text for people. */
  result(value: unknown, text: string): void;
  info(text: string): void;
  progress(job: Job): void;
  endProgress(): void;
}

const BAR_WIDTH = 30;

export function createOutput(
  json: boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  let drawn = false;
  return {
    json,
    result(value, text) {
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
    },
    info(text) {
      if (!json) stderr.write(`${text}\n`);
    },
    progress(job) {
      if (json) return;
      const { done, total, stage, message, params } = job.progress;
      const values = Object.entries(params ?? {}).map(([name, value]) => ` ${name}=${value}`);
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${job.status} ${stage}${values.join('')}${message ? ` ${message}` : ''}`;
      if (stderr.isTTY) {
        stderr.write(`\r${bar.slice(0, (stderr.columns ?? 120) - 1).padEnd(Math.min(stderr.columns ?? 120, 120) - 1)}`);
        drawn = true;
      } else {
        stderr.write(`${bar}\n`);
      }
    },
    endProgress() {
      if (drawn) stderr.write('\n');
      drawn = false;
    },
  };
}

/** Rows as aligned text columns, for the read commands' text output. */
export function table<T>(rows: readonly T[], columns: readonly [header: string, cell: (row: T) => unknown][]): string {
  const text = (value: unknown) => (value === null || value === undefined ? '-' : String(value));
  const cells = rows.map((row) => columns.map(([, cell]) => text(cell(row))));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([header]) => header)), ...cells.map(line)].join('\n');
}

/** A page of a list as a table, then how many of how many `things` it shows. */
export function pageTable<T>(
  page: { items: readonly T[]; total: number },
  columns: readonly [header: string, cell: (row: T) => unknown][],
  things: string,
): string {
  return `${table(page.items, columns)}\n${page.items.length} of ${page.total} ${things}`;
}
