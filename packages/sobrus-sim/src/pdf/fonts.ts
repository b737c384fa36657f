import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { withoutTables } from './font-tables.js';

/**
 * DejaVu Sans is embedded because the standard Helvetica (WinAnsi) cannot encode U+202F, the narrow no-break
 * space real statements use as a thousands separator.
 */
const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const LAYOUT_TABLES = ['GSUB', 'GPOS', 'GDEF'];

export type FontName = 'regular' | 'bold';

const FONT_FILES: Record<FontName, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** The parts of pdfkit's internals this module relies on (pdfkit 0.17). */
interface PdfKitInternals {
  _font: { constructor: EmbeddedFontClass; font: unknown };
  _fontFamilies: Record<string, unknown>;
  _fontCount: number;
}
type EmbeddedFontClass = new (document: PDFKit.PDFDocument, font: unknown, id: string) => unknown;

/**
 * pdfkit parses an embedded TrueType font again for every document, which costs ~30 ms per statement with
 * DejaVu. The fonts are parsed once here, and each document gets its own pdfkit font object (own subset,
 * widths and ToUnicode map) built on the shared parsed font. Rendering is synchronous, so sharing is safe.
 */
const parsed = (() => {
  const probe = new PDFDocument({ font: null } as unknown as PDFKit.PDFDocumentOptions);
  const fonts = {} as Record<FontName, unknown>;
  let embeddedFont: EmbeddedFontClass | undefined;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    probe.registerFont(name, withoutTables(readFileSync(join(fontDir, FONT_FILES[name])), LAYOUT_TABLES));
    probe.font(name);
    const internals = probe as unknown as PdfKitInternals;
    fonts[name] = internals._font.font;
    embeddedFont = internals._font.constructor;
  }
  if (!embeddedFont) throw new Error('no font registered');
  return { fonts, embeddedFont };
})();

/** Makes `doc.font('regular')` and `doc.font('bold')` use the shared parsed fonts. */
export function installStatementFonts(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as PdfKitInternals;
  for (const name of Object.keys(FONT_FILES) as FontName[]) {
    internals._fontCount += 1;
    internals._fontFamilies[name] = new parsed.embeddedFont(doc, parsed.fonts[name], `F${internals._fontCount}`);
  }
}
