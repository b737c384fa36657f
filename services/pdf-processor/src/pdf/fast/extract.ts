import type { PageText } from '../../domain/text-item.js';
import { FastDocument } from './document.js';
import { extractPageItems, type PageFonts } from './page-text.js';
import { type DeclineKind, FastPathUnsupported } from './syntax.js';

export type FastExtraction = { ok: true; pages: PageText[] } | { ok: false; reason: string; kind: DeclineKind };

/**
 * Text items of every page without pdfjs, for the PDFs the fast path fully understands; otherwise
 * `{ ok: false }` with the reason, and nothing is assumed about the document (it may still be perfectly valid).
 */
export function extractTextFast(data: Uint8Array): FastExtraction {
  try {
    const doc = new FastDocument(data);
    const fonts: PageFonts = { byObject: new Map() };
    const pages = doc.pages().map((page, index): PageText => {
      const [x0, y0, x1, y1] = page.view;
      return { page: index + 1, width: x1 - x0, height: y1 - y0, items: extractPageItems(doc, page, fonts) };
    });
    return { ok: true, pages };
  } catch (error) {
    if (error instanceof FastPathUnsupported) return { ok: false, reason: error.message, kind: error.kind };
    // Anything else (a RangeError on absurd input, …) is a reason to let pdfjs decide too.
    const message = String((error as Error)?.message ?? error).slice(0, 200);
    return { ok: false, reason: `fast path failed: ${message}`, kind: 'error' };
  }
}
