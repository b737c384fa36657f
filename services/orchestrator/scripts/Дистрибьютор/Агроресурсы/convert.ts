// Агроресурсы monthly sales report → target columns. The report has a title block, its header on row 4,
// Russian month dates (`июн 20 2025 12:00AM`), client codes as `526275.00`, and rows with a zero quantity
// that carry no sale (dropped). The source is streamed with exceljs; the output is a CSV.
import { basename } from 'node:path';
import { isHeaderRow, mapRow, SOURCE_COLUMNS } from '../../_lib/agro.js';
import { outputPath, type Task, targetColumns, writeCsv, xlsxRows } from '../../_lib/task.js';

export default async function convert(task: Task): Promise<void> {
  const columns = await targetColumns(task.headerFile);
  const rows: Record<string, string>[] = [];
  let positions: Map<string, number> | undefined;
  for await (const cells of xlsxRows(task.file)) {
    if (!positions) {
      if (isHeaderRow(cells)) positions = new Map(cells.map((name, index) => [name.toLowerCase(), index]));
      continue;
    }
    const at = positions;
    const row = mapRow((column) => cells[at.get(column) ?? -1] ?? '', {
      provider: task.client,
      providerKind: 'Дистрибьютор',
      sourceFile: basename(task.file),
    });
    if (row) rows.push(row);
  }
  if (!positions) throw new Error(`no header row with ${SOURCE_COLUMNS.join(', ')} in ${basename(task.file)}`);
  await writeCsv(outputPath(task, 'csv'), columns, rows);
}
