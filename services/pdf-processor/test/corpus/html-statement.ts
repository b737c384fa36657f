import type { CorpusStatement } from './statements.js';

/** How an HTML statement is styled: each one lays the same table out differently on the page. */
export interface HtmlVariant {
  name: string;
  headerAlign: 'left' | 'center' | 'right';
  /** Cell alignment of amounts; text cells stay left-aligned. */
  amountAlign: 'right' | 'left' | 'center';
  verticalAlign: 'top' | 'middle' | 'bottom';
  /** Padding of the main table's cells (default 3 pt above and below, 4 pt on the sides). */
  cellPaddingPt?: number;
  font: string;
  fontSizePt: number;
  page: 'A4' | 'Letter';
  /** Column widths of Date, Transaction N°, Libellé, Total, Solde in % of the table. */
  widths: [number, number, number, number, number];
  /** Whether the table header is a repeating `thead` (or a plain first row, printed once). */
  repeatHeader: boolean;
  /**
   * Product lines as a table nested under their row: sized to its content with its own header each time, or
   * with fixed columns and the product header printed only above the first transaction's lines.
   */
  products: 'nested' | 'fixed-once';
  /**
   * Product tables nested in the main table under an empty first cell, or as tables of their own between two
   * parts of the main table (LibreOffice's HTML import mislays nested tables).
   */
  productPlacement?: 'nested' | 'between';
  minus: '-' | '\u2212';
  /** Letter spacing makes some producers write every glyph as its own positioned run. */
  letterSpacingPt?: number;
}

const SEPARATORS = [' ', '\u00a0', '\u202f', '\u2009'] as const;

/** French amount with the thousands separator rotating through the four seen in the wild. */
export function frenchAmount(cents: number, position: number, minus: string): string {
  const separator = SEPARATORS[position % SEPARATORS.length]!;
  const absolute = Math.abs(cents);
  const units = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return `${cents < 0 ? minus : ''}${units},${String(absolute % 100).padStart(2, '0')}`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

/** The statement as an HTML page in the Sobrus layout, styled by the variant. */
export function statementHtml(
  statement: CorpusStatement,
  variant: HtmlVariant,
  options: { css?: boolean } = {},
): string {
  const amount = (cents: number, position: number) => escapeHtml(frenchAmount(cents, position, variant.minus));
  const [date, reference, label, total, balance] = variant.widths;
  const align = `text-align:${variant.amountAlign}`;
  const valign = variant.verticalAlign;
  const cell = (text: string, style = '') => `<td valign="${valign}" style="${style}">${text}</td>`;
  const th = (text: string, width: number) =>
    `<th width="${width}%" align="${variant.headerAlign}" valign="${valign}" style="text-align:${variant.headerAlign};width:${width}%">${text}</th>`;
  const amountCell = (text: string) =>
    `<td valign="${valign}" align="${variant.amountAlign}" nowrap style="${align};white-space:nowrap">${text}</td>`;
  const productHeader = `<tr>${['Produit', 'Qté', 'P.U.', 'Remise', 'P.U. remisé', 'Total']
    .map((text, index) => th(text, index === 0 ? 40 : 12))
    .join('')}</tr>`;
  const productCells = (line: CorpusStatement['rows'][number]['lines'][number], position: number) =>
    [
      cell(escapeHtml(line.product)),
      amountCell(String(line.quantity)),
      amountCell(amount(line.unitPriceCents, position)),
      amountCell(`${line.discount} %`),
      amountCell(amount(line.discountedUnitPriceCents, position + 1)),
      amountCell(amount(line.totalCents, position + 2)),
    ].join('');
  const colgroup = `<colgroup>${variant.widths.map((width) => `<col width="${width}%">`).join('')}</colgroup>`;
  const mainTable = `<table class="main" width="100%" cellpadding="3">${colgroup}`;
  const productRow = (table: string) =>
    variant.productPlacement === 'between'
      ? `</tbody></table><div class="between">${table}</div>${mainTable}<tbody>`
      : `<tr><td></td><td colspan="4">${table}</td></tr>`;
  const firstWithLines = statement.rows.findIndex((row) => row.lines.length > 0);
  const rows = statement.rows
    .map((row, index) => {
      const main = `<tr class="row">${cell(row.date, 'white-space:nowrap')}${cell(escapeHtml(row.reference))}${cell(escapeHtml(row.label))}${amountCell(amount(row.totalCents, index))}${amountCell(amount(row.balanceCents, index + 1))}</tr>`;
      if (row.lines.length === 0) return main;
      if (variant.products === 'nested') {
        const lines = row.lines.map((line, lineIndex) => `<tr>${productCells(line, index + lineIndex)}</tr>`).join('');
        return `${main}${productRow(`<table class="products" width="100%">${productHeader}${lines}</table>`)}`;
      }
      const lines = row.lines.map((line, lineIndex) => `<tr>${productCells(line, index + lineIndex)}</tr>`).join('');
      const header = index === firstWithLines ? productHeader : '';
      return `${main}${productRow(`<table class="products fixed" width="100%">${header}${lines}</table>`)}`;
    })
    .join('\n');
  const header = `<tr>${th('Date', date)}${th('Transaction N°', reference)}${th('Libellé', label)}${th('Total', total)}${th('Solde', balance)}</tr>`;
  const css = `
    @page { size: ${variant.page}; margin: 14mm 12mm 16mm 12mm; }
    body { font-family: '${variant.font}'; font-size: ${variant.fontSizePt}pt; ${variant.letterSpacingPt ? `letter-spacing: ${variant.letterSpacingPt}pt;` : ''} }
    h1 { font-size: ${variant.fontSizePt + 5}pt; margin: 0 0 6pt; }
    p { margin: 2pt 0; }
    table.main { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 6pt 0; }
    table.main > thead > tr > th, table.main > tbody > tr > th { border-bottom: 0.8pt solid #333; padding: 3pt 4pt; }
    table.main > tbody > tr.row > td { border-top: 0.4pt solid #bbb; padding: ${variant.cellPaddingPt === undefined ? '3pt 4pt' : `${variant.cellPaddingPt}pt ${Math.max(2, variant.cellPaddingPt)}pt`}; }
    table.products { width: 100%; border-collapse: collapse; font-size: ${variant.fontSizePt - 1}pt; }
    table.products th, table.products td { padding: 1pt 4pt; }
    table.products.fixed { table-layout: fixed; }
    table.products.fixed td:first-child, table.products.fixed th:first-child { width: 40%; }
    div.between { margin-left: 14%; }
    .balance { font-weight: bold; margin: 6pt 0; }`;
  const body = variant.repeatHeader
    ? `<thead>${header}</thead><tbody>${rows}</tbody>`
    : `<tbody>${header}${rows}</tbody>`;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Relevé client détaillé</title>${options.css === false ? '' : `<style>${css}</style>`}</head>
<body>
<h1>Relevé client détaillé</h1>
<p>${escapeHtml(statement.pharmacyName)}</p>
<p>Client : ${escapeHtml(statement.customerName)}</p>
<p>Période : du ${statement.startDate} au ${statement.endDate}</p>
<p class="balance"><b>Solde initial : ${amount(statement.openingCents, 2)}</b></p>
${mainTable}
${body}
</table>
<p class="balance"><b>Solde final : ${amount(statement.closingCents, 3)}</b></p>
</body></html>`;
}
