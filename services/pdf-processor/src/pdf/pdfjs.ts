import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installFastTextChunkClone } from './fast-text-clone.js';

// The main build needs browser globals (DOMMatrix); the legacy build runs on plain Node.
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfJsDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

let pdfjs: Promise<PdfJs> | undefined;

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
const standardFontDataUrl = `${pathToFileURL(join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')).href}/`;

/**
 * Opens a PDF with pdfjs as every reader here opens it (no system fonts, no eval, silent), hands the document to
 * `use`, and frees it afterwards.
 */
export async function withPdfJsDocument<T>(data: Uint8Array, use: (doc: PdfJsDocument) => Promise<T>): Promise<T> {
  pdfjs ??= importKeepingNativePush();
  const { getDocument } = await pdfjs;
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
    return await use(await task.promise);
  } finally {
    await task.destroy();
  }
}
