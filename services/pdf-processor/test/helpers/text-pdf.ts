import { buildPdf } from './pdf-file.js';

/** One line of text placed on the page: PDF points from the bottom-left, baseline at `y`. */
export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

/**
 * A one-page PDF written by hand with the standard Helvetica fonts (WinAnsi, not embedded) and a document
 * information dictionary naming its producer: a program none of our corpus producers is, printing what it likes.
 * Text is Latin-1 (French accents, no U+202F).
 */
export function textPdf(options: {
  lines: PlacedText[];
  producer: string;
  creator?: string;
  title?: string;
  page?: [number, number];
}): Uint8Array {
  const [width, height] = options.page ?? [595, 842];
  const content = options.lines
    .map(
      (line) => `BT /${line.bold ? 'F2' : 'F1'} ${line.size} Tf ${line.x} ${line.y} Td (${pdfString(line.text)}) Tj ET`,
    )
    .join('\n');
  const font = (base: string) => `<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`;
  const info = [
    `/Producer (${pdfString(options.producer)})`,
    options.creator ? `/Creator (${pdfString(options.creator)})` : '',
    options.title ? `/Title (${pdfString(options.title)})` : '',
  ].join(' ');
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>`,
      font('Helvetica'),
      font('Helvetica-Bold'),
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
      `<< ${info} >>`,
    ],
    7,
  );
}

function pdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}

/**
 * A customer's statement as a program we do not know prints it: the balance brought forward and the columns have
 * other names, so the parser finds neither its table nor its balances and rejects it (`NOT_A_STATEMENT`). The
 * customer's name, the pharmacy's and the amounts are on the page; `Date` and `Total` are words we keep.
 */
export function unknownProducerStatement(customer: string): Uint8Array {
  return textPdf({
    producer: 'Acme Reports 3.1',
    creator: 'ERP Export',
    title: `Relevé ${customer}`,
    lines: [
      { text: 'Relevé client détaillé', x: 40, y: 790, size: 14, bold: true },
      { text: 'Pharmacie Atlas Rabat', x: 40, y: 770, size: 9 },
      { text: `Client : ${customer}`, x: 40, y: 758, size: 9 },
      { text: 'Report au 2024-01-01 : 1 250,00', x: 40, y: 740, size: 9, bold: true },
      { text: 'Date', x: 40, y: 720, size: 9, bold: true },
      { text: 'Pièce', x: 110, y: 720, size: 9, bold: true },
      { text: 'Désignation', x: 200, y: 720, size: 9, bold: true },
      { text: 'Montant', x: 400, y: 720, size: 9, bold: true },
      { text: 'Cumul', x: 480, y: 720, size: 9, bold: true },
      { text: '2024-03-27', x: 40, y: 705, size: 9 },
      { text: 'V-000123', x: 110, y: 705, size: 9 },
      { text: `Vente ${customer}`, x: 200, y: 705, size: 9 },
      { text: '1 250,00', x: 400, y: 705, size: 9 },
      { text: '2 500,00', x: 480, y: 705, size: 9 },
      { text: 'Total : 1 250,00', x: 400, y: 680, size: 9, bold: true },
    ],
  });
}
