import { basename, extname } from 'node:path';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `{Client}_id{ID}_{source_basename}_{YYYYMMDD_HHMMSS}.xlsx|csv`, source basename without its extension. */
export function outputNamePattern(client: string, taskId: number, sourceFile: string): RegExp {
  const source = basename(sourceFile, extname(sourceFile));
  return new RegExp(
    `^${escapeRegExp(client.normalize('NFC'))}_id${taskId}_${escapeRegExp(source.normalize('NFC'))}_\\d{8}_\\d{6}\\.(xlsx|csv)$`,
    'i',
  );
}

export function outputName(
  client: string,
  taskId: number | string,
  sourceFile: string,
  at: Date,
  ext: 'xlsx' | 'csv',
): string {
  const source = basename(sourceFile, extname(sourceFile));
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `${client}_id${taskId}_${source}_${stamp}.${ext}`;
}

/** The task id an output file name belongs to, if it follows the naming rule. */
export function taskIdOfOutput(name: string): number | undefined {
  const match = /_id(\d+)_.*_\d{8}_\d{6}\.(xlsx|csv)$/i.exec(name);
  return match ? Number(match[1]) : undefined;
}
