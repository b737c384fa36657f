import { redactLayoutText } from '../domain/layout-redaction.js';
import { extractTextFast } from './fast/extract.js';
import { withPdfJsDocument } from './pdfjs.js';

/**
 * How a statement PDF lays out its text, without its data: what staff need to see how a producer we cannot read
 * prints a statement. Positions are PDF points from the page's bottom-left, rounded to 0.01.
 */
export interface LayoutDump {
  kind: 'statement-layout';
  version: 1;
  /** Which text reader the parser used on this file, and why the fast path left it to pdfjs. */
  reader: { via: 'fast' | 'pdfjs'; fastPathDeclined?: string };
  /** From the PDF's metadata (document information, else XMP). */
  producer?: string;
  creator?: string;
  pdfVersion?: string;
  /** Fonts the text items use: the font's own name (`BaseFont`, with its subset tag). */
  fonts: LayoutFont[];
  pages: LayoutPage[];
  /** Items past `MAX_DUMP_ITEMS` were left out. */
  truncated?: true;
}

export interface LayoutFont {
  id: string;
  /** `unknown` when pdfjs could not load it. */
  name: string;
  /** False when the PDF does not embed it (the reader substituted a font); absent when unknown. */
  embedded?: boolean;
  type3?: true;
}

export interface LayoutPage {
  page: number;
  width: number;
  height: number;
  /** Page rotation in degrees, when not 0. */
  rotate?: number;
  items: LayoutItem[];
}

export interface LayoutItem {
  /** Redacted text (`redactLayoutText`). */
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  width: number;
  /** Font size as drawn. */
  size: number;
  /** `LayoutFont.id`. */
  font: string;
  /** Text direction in degrees, when not horizontal. */
  angle?: number;
}

/** A dump stays readable: a pathological PDF with millions of text runs is cut here. */
export const MAX_DUMP_ITEMS = 100_000;
const MAX_META_CHARS = 200;

const round = (value: number) => Math.round(value * 100) / 100;
const clip = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_META_CHARS) : undefined;

interface PdfJsFont {
  name?: string;
  missingFile?: boolean;
  isType3Font?: boolean;
}

/**
 * Reads the PDF again with pdfjs and returns its redacted layout. Throws when pdfjs cannot open it at all (then
 * there is nothing to show). Cost is no concern: this runs only for statements we could not read.
 */
export async function buildLayoutDump(data: Uint8Array): Promise<LayoutDump> {
  const fast = extractTextFast(data);
  const reader: LayoutDump['reader'] = fast.ok ? { via: 'fast' } : { via: 'pdfjs', fastPathDeclined: fast.reason };
  return withPdfJsDocument(data, async (doc) => {
    const { info, metadata } = await doc.getMetadata().catch(() => ({ info: {}, metadata: null }));
    const fields = info as { Producer?: unknown; Creator?: unknown; PDFFormatVersion?: unknown };
    const producer = clip(fields.Producer) ?? clip(metadata?.get('pdf:producer'));
    const creator = clip(fields.Creator) ?? clip(metadata?.get('xmp:creatortool'));
    const pdfVersion = clip(fields.PDFFormatVersion);

    const fonts = new Map<string, LayoutFont>();
    const pages: LayoutPage[] = [];
    let budget = MAX_DUMP_ITEMS;
    let truncated = false;
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
      const content = await page.getTextContent({ disableNormalization: true });
      // The operator list loads the page's fonts into commonObjs, where their real names are.
      const fontsLoaded = await page.getOperatorList().then(
        () => true,
        () => false,
      );
      const items: LayoutItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        if (budget === 0) {
          truncated = true;
          break;
        }
        budget -= 1;
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform as number[];
        const angle = round((Math.atan2(b, a) * 180) / Math.PI);
        items.push({
          text: redactLayoutText(item.str),
          x: round(e),
          y: round(f),
          width: round(item.width),
          size: round(Math.hypot(c, d) || item.height),
          font: fontOf(item.fontName, fonts, fontsLoaded ? page.commonObjs : undefined),
          ...(angle !== 0 ? { angle } : {}),
        });
      }
      pages.push({
        page: number,
        width: round(x1 - x0),
        height: round(y1 - y0),
        ...(page.rotate ? { rotate: page.rotate } : {}),
        items,
      });
      page.cleanup();
    }
    return {
      kind: 'statement-layout',
      version: 1,
      reader,
      ...(producer ? { producer } : {}),
      ...(creator ? { creator } : {}),
      ...(pdfVersion ? { pdfVersion } : {}),
      fonts: [...fonts.values()],
      pages,
      ...(truncated ? { truncated: true as const } : {}),
    };
  });
}

/** Our own short id for a pdfjs font id, the font described once in the dump's font table. */
function fontOf(
  pdfjsId: string,
  fonts: Map<string, LayoutFont>,
  commonObjs: { has(id: string): boolean; get(id: string): unknown } | undefined,
): string {
  const known = fonts.get(pdfjsId);
  if (known) return known.id;
  let font: PdfJsFont | undefined;
  try {
    if (commonObjs?.has(pdfjsId)) font = commonObjs.get(pdfjsId) as PdfJsFont;
  } catch {
    font = undefined;
  }
  const entry: LayoutFont = {
    id: `F${fonts.size + 1}`,
    name: clip(font?.name) ?? 'unknown',
    ...(font ? { embedded: font.missingFile !== true } : {}),
    ...(font?.isType3Font ? { type3: true as const } : {}),
  };
  fonts.set(pdfjsId, entry);
  return entry.id;
}
