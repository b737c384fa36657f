import { fileURLToPath } from 'node:url';
import type { TargetHeader } from '../services/run.types.js';
import { readHeader } from './table-reader.js';

/** The target header shipped with the service (copied from the original report_header.xlsx). */
export const REPORT_HEADER_FILE = fileURLToPath(new URL('../../assets/report_header.xlsx', import.meta.url));

export async function loadTargetHeader(file = REPORT_HEADER_FILE): Promise<TargetHeader> {
  const columns = (await readHeader(file)).filter((name) => name !== '');
  if (columns.length === 0) throw new Error(`no columns in the target header ${file}`);
  return { file, columns };
}
