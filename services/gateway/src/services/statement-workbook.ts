import type { storageStatementRpc } from '@pharma/shared/contracts';
import type { Static } from '@sinclair/typebox';
import ExcelJS from 'exceljs';

type StatementView = Static<typeof storageStatementRpc.response>;

const MONEY = '#,##0.00';

/** A column of amounts, as wide as any amount of a statement. */
const money = (header: string, key: string) => ({ header, key, width: 14, style: { numFmt: MONEY } });

/** One workbook per statement: a summary, the transactions and their product lines. */
export async function statementWorkbook(view: StatementView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Pharma platform';
  const { customer, statement } = view;

  const summary = workbook.addWorksheet('Relevé');
  summary.columns = [
    { header: 'Champ', key: 'field', width: 32 },
    { header: 'Valeur', key: 'value', width: 28 },
  ];
  summary.addRows([
    { field: 'Client', value: customer.name },
    { field: 'Code client', value: customer.clientKey },
    { field: 'Du', value: statement.from },
    { field: 'Au', value: statement.to },
    { field: 'Solde initial', value: statement.openingBalance },
    { field: 'Solde final (imprimé)', value: statement.closingBalance },
    { field: 'Solde final (calculé)', value: statement.computedClosingBalance },
    { field: 'Écart', value: statement.difference },
    { field: 'Contrôle', value: statement.verdict },
  ]);
  summary.getColumn('value').numFmt = MONEY;

  const transactions = workbook.addWorksheet('Opérations');
  transactions.columns = [
    { header: 'Date', key: 'date', width: 12 },
    { header: 'Référence', key: 'reference', width: 18 },
    { header: 'Libellé', key: 'label', width: 36 },
    { header: 'Type', key: 'kind', width: 12 },
    money('Montant', 'total'),
    money('Effet', 'effect'),
    money('Solde', 'balance'),
    { header: 'Page', key: 'page', width: 6 },
  ];
  transactions.addRows(view.transactions.map(({ lines: _lines, seq: _seq, ...row }) => row));

  const lines = workbook.addWorksheet('Produits');
  lines.columns = [
    { header: 'Référence', key: 'reference', width: 18 },
    { header: 'Date', key: 'date', width: 12 },
    { header: 'Produit', key: 'product', width: 40 },
    { header: 'Quantité', key: 'quantity', width: 10 },
    money('Prix unitaire', 'unitPrice'),
    { header: 'Remise', key: 'discount', width: 10 },
    money('Prix remisé', 'discountedUnitPrice'),
    money('Total', 'total'),
  ];
  for (const transaction of view.transactions) {
    for (const line of transaction.lines) {
      lines.addRow({ reference: transaction.reference, date: transaction.date, ...line });
    }
  }
  for (const sheet of [summary, transactions, lines]) sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
