/**
 * The "corrupt PDF" fault: keeps the `%PDF-` header so the response still looks like a PDF, then cuts the file
 * to 60 % of its length and flips every 97th byte. Deterministic, so the same statement is always broken the same way.
 */
export function corruptPdf(pdf: Buffer): Buffer {
  const cut = Buffer.from(pdf.subarray(0, Math.max(16, Math.floor(pdf.length * 0.6))));
  for (let i = 16; i < cut.length; i += 97) cut[i] = (cut[i] ?? 0) ^ 0x5a;
  return cut;
}
