/** PDF files written by hand for tests: a classic one-revision file, and an incremental update of one. */

/**
 * A one-revision PDF with a classic xref table; objects are numbered from 1 in order, the first is the catalog and
 * `info`, when given, the number of the document information dictionary.
 */
export function buildPdf(objects: string[], info?: number): Uint8Array {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const infoEntry = info === undefined ? '' : ` /Info ${info} 0 R`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${infoEntry} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The same document with an (empty) incremental update appended, as an editing tool would save it. */
export function appendEmptyUpdate(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const previous = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]);
  const trailer = /trailer\s*(<<[\s\S]*?>>)\s*startxref/.exec(text)![1]!.replace(/\/ID\s*\[[^\]]*\]/, '');
  const update = `xref\n0 0\ntrailer\n${trailer.replace(/>>$/, `/Prev ${previous} >>`)}\nstartxref\n${pdf.length}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
