/**
 * Rebuilds a TrueType font without some of its tables. Dropping the OpenType layout tables (GSUB, GPOS, GDEF)
 * makes fontkit skip complex shaping, which the Latin text of a statement never needs and which otherwise
 * dominates PDF generation time; widths then come from the hmtx and kern tables, as for a simple font.
 */
export function withoutTables(font: Buffer, dropped: readonly string[]): Buffer {
  const numTables = font.readUInt16BE(4);
  const records: { tag: string; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    const tag = font.toString('latin1', at, at + 4);
    if (dropped.includes(tag)) continue;
    const offset = font.readUInt32BE(at + 8);
    const length = font.readUInt32BE(at + 12);
    records.push({ tag, checksum: font.readUInt32BE(at + 4), data: font.subarray(offset, offset + length) });
  }
  const headerLength = 12 + records.length * 16;
  const padded = (length: number) => Math.ceil(length / 4) * 4;
  const total = records.reduce((sum, record) => sum + padded(record.data.length), headerLength);
  const out = Buffer.alloc(total);
  font.copy(out, 0, 0, 4);
  const entrySelector = Math.floor(Math.log2(records.length));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt16BE(records.length, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(records.length * 16 - searchRange, 10);
  let offset = headerLength;
  records.forEach((record, i) => {
    const at = 12 + i * 16;
    out.write(record.tag, at, 'latin1');
    out.writeUInt32BE(record.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(record.data.length, at + 12);
    record.data.copy(out, offset);
    offset += padded(record.data.length);
  });
  return out;
}
