const MAGIC = Buffer.from('%PDF-', 'latin1');
const TRAILER = Buffer.from('%%EOF', 'latin1');

export type PdfProblem = { code: 'NOT_PDF' | 'TRUNCATED' | 'TOO_LARGE' | 'EMPTY'; message: string };

/**
 * A body is a statement only if it is a whole PDF: the announced length arrived, it starts with `%PDF-` and
 * ends (within the last 1 KiB, as readers allow) with `%%EOF`.
 */
export function checkPdf(
  body: Uint8Array,
  headers: { contentType: string | null; contentLength: string | null },
  maxBytes: number,
): PdfProblem | undefined {
  const data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (data.length === 0) return { code: 'EMPTY', message: 'the answer has no body' };
  if (data.length > maxBytes) return { code: 'TOO_LARGE', message: `${data.length} bytes, over ${maxBytes}` };
  if (headers.contentLength !== null && Number(headers.contentLength) !== data.length) {
    return { code: 'TRUNCATED', message: `received ${data.length} of ${headers.contentLength} bytes` };
  }
  const type = headers.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/pdf' && type !== 'application/octet-stream') {
    return { code: 'NOT_PDF', message: `content type ${type}` };
  }
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return { code: 'NOT_PDF', message: 'no %PDF- header' };
  if (data.subarray(Math.max(0, data.length - 1024)).lastIndexOf(TRAILER) < 0) {
    return { code: 'TRUNCATED', message: 'no %%EOF trailer' };
  }
  return undefined;
}
