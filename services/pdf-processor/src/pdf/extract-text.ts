import type { PageText, TextItem } from '../domain/text-item.js';
import { extractTextFast } from './fast/extract.js';
import type { DeclineKind } from './fast/syntax.js';
import { withPdfJsDocument } from './pdfjs.js';

/** Which reader read a document, and why the fast path left it to pdfjs. */
export interface TextReader {
  /** Which reader produced the items. */
  via: 'fast' | 'pdfjs';
  /** Why the fast path left the document to pdfjs (when it was tried). */
  fastPathDeclined?: string;
  /** The same, as one of a few classes (for metrics). */
  fastPathDeclinedKind?: DeclineKind;
}

export interface ExtractedDocument extends TextReader {
  pages: PageText[];
}

export interface ExtractOptions {
  /** Try the fast text path first (default true); false: pdfjs only. */
  fastPath?: boolean;
  /** Told which reader reads the document as soon as that is decided, so also when pdfjs then fails. */
  onReader?: (reader: TextReader) => void;
}

/**
 * Text items of every page with their geometry; whitespace-only items (pdfjs column fillers) are dropped.
 * PDFs the fast path fully understands are read by it (same items as pdfjs, several times faster); every other
 * PDF, and any PDF on which the fast path meets something unexpected, is read by pdfjs.
 */
export async function extractText(data: Uint8Array, options: ExtractOptions = {}): Promise<ExtractedDocument> {
  if (options.fastPath === false) {
    options.onReader?.({ via: 'pdfjs' });
    return extractTextWithPdfJs(data);
  }
  const fast = extractTextFast(data);
  if (fast.ok) {
    options.onReader?.({ via: 'fast' });
    return { pages: fast.pages, via: 'fast' };
  }
  const reader: TextReader = { via: 'pdfjs', fastPathDeclined: fast.reason, fastPathDeclinedKind: fast.kind };
  options.onReader?.(reader);
  return { ...(await extractTextWithPdfJs(data)), ...reader };
}

/** Text items through pdfjs's getTextContent. */
export async function extractTextWithPdfJs(data: Uint8Array): Promise<ExtractedDocument> {
  return withPdfJsDocument(data, async (doc) => {
    const pages: PageText[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      // Normalization (NFKC) would turn printed characters into others (µ → μ): keep what the page says.
      const content = await page.getTextContent({ disableNormalization: true });
      const items: TextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a = 0, b = 0, , , e = 0, f = 0] = item.transform as number[];
        items.push({ str: item.str, x: e, y: f, width: item.width, height: item.height || Math.hypot(a, b) });
      }
      pages.push({ page: number, width: x1 - x0, height: y1 - y0, items });
      page.cleanup();
    }
    return { pages, via: 'pdfjs' as const };
  });
}
