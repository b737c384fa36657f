import type { TextItem } from '../../domain/text-item.js';
import type { FastDocument, FastPage } from './document.js';
import { type FastFont, loadFont } from './fonts.js';
import { EOF, Lexer, ObjectReader, PdfCmd, PdfDict, PdfName, PdfStream, type PdfValue, unsupported } from './syntax.js';

/**
 * Text items of one page's content stream, built the way pdfjs's `getTextContent` builds them (pdfjs 5.x,
 * `PartialEvaluator.getTextContent` with `disableNormalization`, horizontal writing): the same text state, the
 * same rules for when a run of glyphs becomes a new item or gets a space, the same arithmetic for positions and
 * widths. Operators it does not follow (form XObjects, inline images, fonts set from an ExtGState, unknown or
 * malformed operators) make it decline the page, and the document goes to pdfjs.
 *
 * Adapted from pdf.js (src/core/evaluator.js), Copyright Mozilla Foundation, Apache License 2.0.
 */

function contentUnsupported(reason: string): never {
  return unsupported(reason, 'content');
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

// pdfjs's factors (fractions of the font size).
const TRACKING_SPACE_FACTOR = 0.102;
const NOT_A_SPACE_FACTOR = 0.03;
const NEGATIVE_SPACE_FACTOR = -0.2;
const SPACE_IN_FLOW_MIN_FACTOR = 0.102;
const SPACE_IN_FLOW_MAX_FACTOR = 0.6;
const VERTICAL_SHIFT_RATIO = 0.25;
/** Glyph space to text space for every font the fast path accepts (pdfjs's FONT_IDENTITY_MATRIX[0]). */
const FONT_SCALE = 0.001;

/** pdfjs's Util.transform, same operation order. */
function transform(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0]! * m2[0]! + m1[2]! * m2[1]!,
    m1[1]! * m2[0]! + m1[3]! * m2[1]!,
    m1[0]! * m2[2]! + m1[2]! * m2[3]!,
    m1[1]! * m2[2]! + m1[3]! * m2[3]!,
    m1[0]! * m2[4]! + m1[2]! * m2[5]! + m1[4]!,
    m1[1]! * m2[4]! + m1[3]! * m2[5]! + m1[5]!,
  ];
}

class TextState {
  ctm: Matrix = [...IDENTITY];
  fontName: string | null = null;
  fontSize = 0;
  font: FastFont | null = null;
  textMatrix: Matrix = [...IDENTITY];
  textLineMatrix: Matrix = [...IDENTITY];
  charSpacing = 0;
  wordSpacing = 0;
  leading = 0;
  textHScale = 1;
  textRise = 0;

  clone(): TextState {
    const clone = Object.assign(new TextState(), this);
    clone.textMatrix = [...this.textMatrix];
    clone.textLineMatrix = [...this.textLineMatrix];
    return clone;
  }

  translateTextMatrix(x: number, y: number): void {
    const m = this.textMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  translateTextLineMatrix(x: number, y: number): void {
    const m = this.textLineMatrix;
    m[4] = m[0] * x + m[2] * y + m[4];
    m[5] = m[1] * x + m[3] * y + m[5];
  }

  carriageReturn(): void {
    this.translateTextLineMatrix(0, -this.leading);
    this.textMatrix = [...this.textLineMatrix];
  }
}

/** Operand counts of the operators pdfjs knows (fixed counts; `-1`: variable, up to 33). */
// biome-ignore format: a table
const OPERAND_COUNTS = new Map<string, number>(Object.entries({
  w: 1, J: 1, j: 1, M: 1, d: 2, ri: 1, i: 1, gs: 1, q: 0, Q: 0, cm: 6,
  m: 2, l: 2, c: 6, v: 4, y: 4, h: 0, re: 4, S: 0, s: 0, f: 0, F: 0, 'f*': 0, B: 0, 'B*': 0, b: 0, 'b*': 0, n: 0,
  W: 0, 'W*': 0, BT: 0, ET: 0, Tc: 1, Tw: 1, Tz: 1, TL: 1, Tf: 2, Tr: 1, Ts: 1, Td: 2, TD: 2, Tm: 6, 'T*': 0,
  Tj: 1, TJ: 1, "'": 1, '"': 3, d0: 2, d1: 6, CS: 1, cs: 1, SC: -1, SCN: -1, sc: -1, scn: -1, G: 1, g: 1,
  RG: 3, rg: 3, K: 4, k: 4, sh: 1, Do: 1, MP: 1, DP: 2, BMC: 1, BDC: 2, EMC: 0, BX: 0, EX: 0,
}));

export interface PageFonts {
  /** Fonts of the document by the object they were loaded from (shared by pages). */
  byObject: Map<unknown, FastFont>;
}

export function extractPageItems(doc: FastDocument, page: FastPage, fonts: PageFonts): TextItem[] {
  const content = doc.content(page);
  const resources = page.resources;
  const viewBox = page.view;
  const items: TextItem[] = [];

  const fontResources = resources ? doc.get(resources, 'Font') : undefined;
  const fontFor = (name: string): FastFont => {
    if (!(fontResources instanceof PdfDict)) return unsupported('no font resources', 'font');
    const raw = fontResources.getRaw(name);
    if (raw === undefined) return unsupported(`font ${name} not in the resources`, 'font');
    const key = raw instanceof Object ? doc.resolve(raw) : raw;
    let font = fonts.byObject.get(key);
    if (!font) {
      font = loadFont(doc, raw);
      // pdfjs may make two such fonts one (aliases by a hash of some of their entries): not followed here.
      for (const other of fonts.byObject.values()) {
        if (other.descriptor === font.descriptor) unsupported('fonts sharing a descriptor', 'font');
      }
      fonts.byObject.set(key, font);
    }
    return font;
  };

  // The item being built (pdfjs's textContentItem), horizontal writing only.
  const item = {
    initialized: false,
    str: '',
    totalWidth: 0,
    totalHeight: 0,
    width: 0,
    height: 0,
    /** pdfjs keeps the last glyph's transform across items; `hasPrev` is false until the first glyph. */
    prevTransform: [0, 0, 0, 0, 0, 0] as Matrix,
    hasPrev: false,
    prevTextRise: 0,
    textAdvanceScale: 0,
    spaceInFlowMin: 0,
    spaceInFlowMax: 0,
    trackingSpaceMin: Number.POSITIVE_INFINITY,
    negativeSpaceMax: Number.NEGATIVE_INFINITY,
    notASpace: Number.NEGATIVE_INFINITY,
    transform: [0, 0, 0, 0, 0, 0] as Matrix,
  };
  const twoLastChars = [' ', ' '];
  let twoLastCharsPos = 0;
  const saveLastChar = (char: string): boolean => {
    const nextPos = (twoLastCharsPos + 1) % 2;
    const ret = twoLastChars[twoLastCharsPos] !== ' ' && twoLastChars[nextPos] === ' ';
    twoLastChars[twoLastCharsPos] = char;
    twoLastCharsPos = nextPos;
    return ret;
  };
  const shouldAddWhitespace = () =>
    twoLastChars[twoLastCharsPos] !== ' ' && twoLastChars[(twoLastCharsPos + 1) % 2] === ' ';
  const resetLastChars = () => {
    twoLastChars[0] = twoLastChars[1] = ' ';
    twoLastCharsPos = 0;
  };

  const stack: TextState[] = [];
  let textState = new TextState();
  // pdfjs's currentTextState: the font and size of the item being built. It starts as a copy of the state
  // at the first operator (no font yet).
  let current: { fontSize: number; fontName: string | null; font: FastFont | null } | null = null;

  // pdfjs's getCurrentTextTransform() = ctm × (textMatrix × [fontSize·hScale 0 0 fontSize 0 rise]), computed
  // here into `trm` without allocating (it runs twice per glyph), with the same operations in the same order
  // (the zero terms included) so that every coordinate is the same double as pdfjs's.
  const trm: Matrix = [0, 0, 0, 0, 0, 0];
  const updateTextTransform = (): Matrix => {
    const tm = textState.textMatrix;
    const c = textState.ctm;
    const fsh = textState.fontSize * textState.textHScale;
    const fs = textState.fontSize;
    const rise = textState.textRise;
    const t0 = tm[0] * fsh + tm[2] * 0;
    const t1 = tm[1] * fsh + tm[3] * 0;
    const t2 = tm[0] * 0 + tm[2] * fs;
    const t3 = tm[1] * 0 + tm[3] * fs;
    const t4 = tm[0] * 0 + tm[2] * rise + tm[4];
    const t5 = tm[1] * 0 + tm[3] * rise + tm[5];
    trm[0] = c[0] * t0 + c[2] * t1;
    trm[1] = c[1] * t0 + c[3] * t1;
    trm[2] = c[0] * t2 + c[2] * t3;
    trm[3] = c[1] * t2 + c[3] * t3;
    trm[4] = c[0] * t4 + c[2] * t5 + c[4];
    trm[5] = c[1] * t4 + c[3] * t5 + c[5];
    return trm;
  };

  const ensureTextContentItem = () => {
    if (item.initialized) return item;
    const trm = copyInto(item.transform, updateTextTransform());
    item.width = item.totalWidth = 0;
    item.height = item.totalHeight = Math.hypot(trm[2], trm[3]);
    const scaleLineX = Math.hypot(textState.textLineMatrix[0], textState.textLineMatrix[1]);
    const scaleCtmX = Math.hypot(textState.ctm[0], textState.ctm[1]);
    item.textAdvanceScale = scaleCtmX * scaleLineX;
    const { fontSize } = textState;
    item.trackingSpaceMin = fontSize * TRACKING_SPACE_FACTOR;
    item.notASpace = fontSize * NOT_A_SPACE_FACTOR;
    item.negativeSpaceMax = fontSize * NEGATIVE_SPACE_FACTOR;
    item.spaceInFlowMin = fontSize * SPACE_IN_FLOW_MIN_FACTOR;
    item.spaceInFlowMax = fontSize * SPACE_IN_FLOW_MAX_FACTOR;
    item.initialized = true;
    return item;
  };

  const updateAdvanceScale = () => {
    if (!item.initialized) return;
    const scaleLineX = Math.hypot(textState.textLineMatrix[0], textState.textLineMatrix[1]);
    const scaleCtmX = Math.hypot(textState.ctm[0], textState.ctm[1]);
    const scaleFactor = scaleCtmX * scaleLineX;
    if (scaleFactor === item.textAdvanceScale) return;
    item.totalWidth += item.width * item.textAdvanceScale;
    item.width = 0;
    item.textAdvanceScale = scaleFactor;
  };

  const flushTextContentItem = () => {
    if (!item.initialized) return;
    item.totalWidth += item.width * item.textAdvanceScale;
    const str = item.str;
    // Whitespace-only items are of no use to the parser (pdfjs's output is filtered the same way).
    if (str.trim() !== '') {
      // pdfjs reorders right-to-left text (bidi); such text is left to pdfjs.
      if (RTL.test(str)) contentUnsupported('right-to-left text');
      const transformMatrix = item.transform;
      const height = Math.abs(item.totalHeight);
      items.push({
        str,
        x: transformMatrix[4],
        y: transformMatrix[5],
        width: Math.abs(item.totalWidth),
        height: height || Math.hypot(transformMatrix[0], transformMatrix[1]),
      });
    }
    item.initialized = false;
    item.str = '';
  };

  const appendEOL = () => {
    resetLastChars();
    if (item.initialized) flushTextContentItem();
  };

  const addFakeSpaces = (width: number, textOrientation: number): boolean => {
    if (textOrientation * item.spaceInFlowMin <= width && width <= textOrientation * item.spaceInFlowMax) {
      if (item.initialized) {
        resetLastChars();
        item.str += ' ';
      }
      return false;
    }
    flushTextContentItem();
    resetLastChars();
    return true; // pdfjs pushes a whitespace item here: dropped.
  };

  const compareWithLastPosition = (glyphWidth: number): boolean => {
    const currentTransform = updateTextTransform();
    let posX = currentTransform[4];
    let posY = currentTransform[5];
    if (posX + glyphWidth < viewBox[0] || posX > viewBox[2] || posY < viewBox[1] || posY > viewBox[3]) return false;
    if (!textState.font || !item.hasPrev) return true;
    let lastPosX = item.prevTransform[4];
    let lastPosY = item.prevTransform[5];
    if (lastPosX === posX && lastPosY === posY) return true;
    let rotate = -1;
    if (currentTransform[0] && currentTransform[1] === 0 && currentTransform[2] === 0) {
      rotate = currentTransform[0] > 0 ? 0 : 180;
    } else if (currentTransform[1] && currentTransform[0] === 0 && currentTransform[3] === 0) {
      rotate = currentTransform[1] > 0 ? 90 : 270;
    }
    switch (rotate) {
      case 0:
        break;
      case 90:
        [posX, posY] = [posY, posX];
        [lastPosX, lastPosY] = [lastPosY, lastPosX];
        break;
      case 180:
        [posX, posY, lastPosX, lastPosY] = [-posX, -posY, -lastPosX, -lastPosY];
        break;
      case 270:
        [posX, posY] = [-posY, -posX];
        [lastPosX, lastPosY] = [-lastPosY, -lastPosX];
        break;
      default:
        [posX, posY] = applyInverseRotation(posX, posY, currentTransform);
        [lastPosX, lastPosY] = applyInverseRotation(lastPosX, lastPosY, item.prevTransform);
    }
    const advanceX = (posX - lastPosX) / item.textAdvanceScale;
    const advanceY = posY - lastPosY;
    const textOrientation = Math.sign(item.width || item.totalWidth);
    if (advanceX < textOrientation * item.negativeSpaceMax) {
      if (Math.abs(advanceY) > 0.5 * item.height) {
        appendEOL();
        return true;
      }
      resetLastChars();
      flushTextContentItem();
      return true;
    }
    const textRiseDelta = textState.textRise - item.prevTextRise;
    const advanceYCorrected =
      textRiseDelta === 0 ? advanceY : advanceY - (currentTransform[3] / textState.fontSize) * textRiseDelta;
    if (Math.abs(advanceYCorrected) > item.height) {
      appendEOL();
      return true;
    }
    if (advanceX <= textOrientation * item.notASpace) resetLastChars();
    if (advanceX <= textOrientation * item.trackingSpaceMin) {
      if (shouldAddWhitespace()) {
        resetLastChars();
        flushTextContentItem();
        // (pdfjs pushes a whitespace item here: dropped.)
      } else {
        item.width += advanceX;
      }
    } else if (!addFakeSpaces(advanceX, textOrientation)) {
      if (item.str === '') {
        resetLastChars();
      } else {
        item.width += advanceX;
      }
    }
    if (Math.abs(advanceY) > item.height * VERTICAL_SHIFT_RATIO) flushTextContentItem();
    return true;
  };

  const buildTextContentItem = (chars: string, extraSpacing: number) => {
    const font = textState.font!;
    if (
      current!.fontSize !== textState.fontSize ||
      (current!.fontName !== textState.fontName &&
        (current!.font ?? unsupported('font compared before any was set', 'font')).name !== font.name)
    ) {
      flushTextContentItem();
      current = { fontSize: textState.fontSize, fontName: textState.fontName, font: textState.font };
    }
    const baseCharSpacing = textState.charSpacing;
    if (!chars) {
      const charSpacing = baseCharSpacing + extraSpacing;
      if (charSpacing) textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
      return;
    }
    const scale = FONT_SCALE * textState.fontSize;
    for (let i = 0, ii = font.glyphCount(chars); i < ii; i++) {
      const glyph = font.glyphAt(chars, i);
      if (glyph.isInvisibleFormatMark) continue;
      let charSpacing = baseCharSpacing + (i + 1 === ii ? extraSpacing : 0);
      let scaledDim = glyph.width * scale;
      if (glyph.code === 0x20) charSpacing += textState.wordSpacing;
      if (glyph.isWhitespace) {
        charSpacing += scaledDim;
        textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
        saveLastChar(' ');
        continue;
      }
      if (!glyph.isZeroWidthDiacritic && !compareWithLastPosition(scaledDim)) {
        textState.translateTextMatrix(scaledDim * textState.textHScale, 0);
        continue;
      }
      const textChunk = ensureTextContentItem();
      if (glyph.isZeroWidthDiacritic) scaledDim = 0;
      scaledDim *= textState.textHScale;
      textState.translateTextMatrix(scaledDim, 0);
      textChunk.width += scaledDim;
      if (scaledDim) {
        copyInto(textChunk.prevTransform, updateTextTransform());
        textChunk.hasPrev = true;
        textChunk.prevTextRise = textState.textRise;
      }
      if (saveLastChar(glyph.unicode)) textChunk.str += ' ';
      textChunk.str += glyph.unicode;
      if (charSpacing) textState.translateTextMatrix(charSpacing * textState.textHScale, 0);
    }
  };

  const number = (value: PdfValue | undefined): number =>
    typeof value === 'number' ? value : contentUnsupported('operand is not a number');
  const text = (value: PdfValue | undefined): string =>
    typeof value === 'string' ? value : contentUnsupported('operand is not a string');
  const requireFont = () => {
    if (!textState.font) contentUnsupported('text shown before a font was set');
  };

  const reader = new ObjectReader(new Lexer(content), false);
  const args: PdfValue[] = [];
  for (;;) {
    const token = reader.read();
    if (token === EOF) break;
    if (!(token instanceof PdfCmd)) {
      if (token === null) return contentUnsupported('null operand');
      args.push(token);
      if (args.length > 33) return contentUnsupported('too many operands');
      continue;
    }
    const op = token.cmd;
    const count = OPERAND_COUNTS.get(op);
    if (count === undefined) return contentUnsupported(`operator ${op.slice(0, 20)}`);
    if (count >= 0 && args.length !== count) return contentUnsupported(`operator ${op} with ${args.length} operands`);
    // pdfjs's preprocessor (q, Q, cm), then the text state.
    switch (op) {
      case 'q':
        stack.push(textState);
        textState = textState.clone();
        break;
      case 'Q': {
        const previous = stack.pop();
        if (previous) textState = previous;
        break;
      }
      case 'cm':
        textState.ctm = transform(textState.ctm, args.map(number));
        break;
    }
    current ??= { fontSize: textState.fontSize, fontName: textState.fontName, font: textState.font };
    switch (op) {
      case 'Tf': {
        const name = args[0];
        if (!(name instanceof PdfName)) return contentUnsupported('Tf without a font name');
        const size = number(args[1]);
        if (textState.font && name.name === textState.fontName && size === textState.fontSize) break;
        textState.fontName = name.name;
        textState.fontSize = size;
        textState.font = fontFor(name.name);
        break;
      }
      case 'Ts':
        textState.textRise = number(args[0]);
        break;
      case 'Tz':
        textState.textHScale = number(args[0]) / 100;
        break;
      case 'TL':
        textState.leading = number(args[0]);
        break;
      case 'Td':
        textState.translateTextLineMatrix(number(args[0]), number(args[1]));
        textState.textMatrix = [...textState.textLineMatrix];
        break;
      case 'TD':
        textState.leading = -number(args[1]);
        textState.translateTextLineMatrix(number(args[0]), number(args[1]));
        textState.textMatrix = [...textState.textLineMatrix];
        break;
      case 'T*':
        textState.carriageReturn();
        break;
      case 'Tm': {
        const [a, b, c, d, e, f] = args.map(number) as Matrix;
        textState.textMatrix = [a, b, c, d, e, f];
        textState.textLineMatrix = [a, b, c, d, e, f];
        updateAdvanceScale();
        break;
      }
      case 'Tc':
        textState.charSpacing = number(args[0]);
        break;
      case 'Tw':
        textState.wordSpacing = number(args[0]);
        break;
      case 'BT':
        textState.textMatrix = [...IDENTITY];
        textState.textLineMatrix = [...IDENTITY];
        break;
      case 'TJ': {
        requireFont();
        const elements = args[0];
        if (!Array.isArray(elements)) return contentUnsupported('TJ without an array');
        const spaceFactor = (-1 * textState.fontSize) / 1000;
        let buffer = '';
        let buffered = false;
        for (const element of elements) {
          if (typeof element === 'string') {
            buffer += element;
            buffered = true;
          } else if (typeof element === 'number' && element !== 0) {
            const chars = buffer;
            buffer = '';
            buffered = false;
            buildTextContentItem(chars, element * spaceFactor);
          }
        }
        if (buffered) buildTextContentItem(buffer, 0);
        break;
      }
      case 'Tj':
        requireFont();
        buildTextContentItem(text(args[0]), 0);
        break;
      case "'":
        requireFont();
        textState.carriageReturn();
        buildTextContentItem(text(args[0]), 0);
        break;
      case '"':
        requireFont();
        textState.wordSpacing = number(args[0]);
        textState.charSpacing = number(args[1]);
        textState.carriageReturn();
        buildTextContentItem(text(args[2]), 0);
        break;
      case 'Do': {
        flushTextContentItem();
        const name = args[0];
        const xobjects = resources ? doc.get(resources, 'XObject') : undefined;
        const xobject =
          name instanceof PdfName && xobjects instanceof PdfDict ? doc.get(xobjects, name.name) : undefined;
        const subtype = xobject instanceof PdfStream ? doc.get(xobject.dict, 'Subtype') : undefined;
        if (!(subtype instanceof PdfName) || subtype.name !== 'Image')
          return contentUnsupported('XObject other than an image');
        break;
      }
      case 'gs': {
        const name = args[0];
        const states = resources ? doc.get(resources, 'ExtGState') : undefined;
        const state = name instanceof PdfName && states instanceof PdfDict ? doc.get(states, name.name) : undefined;
        if (!(state instanceof PdfDict) || state.has('Font'))
          return contentUnsupported('ExtGState missing or setting a font');
        break;
      }
      case 'BMC':
      case 'BDC':
      case 'EMC':
        flushTextContentItem();
        break;
    }
    args.length = 0;
  }
  if (args.length > 0) return contentUnsupported('operands after the last operator');
  flushTextContentItem();
  return items;
}

function copyInto(target: Matrix, source: Matrix): Matrix {
  for (let i = 0; i < 6; i++) target[i] = source[i]!;
  return target;
}

function applyInverseRotation(x: number, y: number, matrix: readonly number[]): [number, number] {
  const scale = Math.hypot(matrix[0]!, matrix[1]!);
  return [(matrix[0]! * x + matrix[1]! * y) / scale, (matrix[2]! * x + matrix[3]! * y) / scale];
}

/** Characters for which pdfjs's bidi() would not return the text unchanged. */
const RTL = /[\u0590-\u08ac]/;
