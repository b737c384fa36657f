import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PageText, TextItem } from '../domain/text-item.js';
import { extractTextFast } from './fast/extract.js';
import type { DeclineKind } from './fast/syntax.js';
import { installFastTextChunkClone } from './fast-text-clone.js';

// The main build needs browser globals (DOMMatrix); the legacy build runs on plain Node.
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => {
  pdfjs ??= importKeepingNativePush();
  return pdfjs;
};

/**
 * The legacy build bundles core-js, which replaces Array.prototype.push for the whole thread with a polyfill
 * (for an edge case of arrays near 2^32 elements) that makes every push several times slower; text extraction
 * pushes hundreds of thousands of times. Both halves of pdfjs (the API and the in-thread "fake worker", which
 * would otherwise be imported later, on first use) are loaded here, then the native push is put back.
 */
// Untyped module: imported by a variable name so that no declaration is needed.
const WORKER_MODULE: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

async function importKeepingNativePush(): Promise<PdfJs> {
  const nativePush = Object.getOwnPropertyDescriptor(Array.prototype, 'push')!;
  try {
    const [api, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import(WORKER_MODULE)]);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    installFastTextChunkClone();
    return api;
  } finally {
    Object.defineProperty(Array.prototype, 'push', nativePush);
  }
}

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = `${pathToFileURL(join(pdfjsRoot, 'standard_fonts')).href}/`;

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
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    // pdfjs takes ownership of (and detaches) the buffer it is given.
    data: new Uint8Array(data),
    standardFontDataUrl,
    useSystemFonts: false,
    disableFontFace: true,
    isEvalSupported: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
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
    return { pages, via: 'pdfjs' };
  } finally {
    await task.destroy();
  }
}
