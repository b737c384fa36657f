import { inflateSync } from 'node:zlib';
import {
  EOF,
  isIndex,
  Lexer,
  latin1,
  ObjectReader,
  PdfCmd,
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  type PdfValue,
  unsupported,
} from './syntax.js';

function structureUnsupported(reason: string): never {
  return unsupported(reason, 'structure');
}

/** Decoded streams larger than this are left to pdfjs (and its memory budget). */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;
const MAX_PAGE_TREE_DEPTH = 32;

export interface FastPage {
  dict: PdfDict;
  resources: PdfDict | undefined;
  /** pdfjs's `page.view`: the MediaBox, or its intersection with the CropBox. */
  view: [number, number, number, number];
}

/**
 * A PDF read the simple way: one classic cross-reference table whose every entry points at its object, no
 * incremental updates, no encryption, no object or xref streams, no linearization. Anything else is declined
 * (FastPathUnsupported) and left to pdfjs.
 */
export class FastDocument {
  private readonly offsets = new Map<number, { offset: number; gen: number }>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly resolving = new Set<number>();
  readonly trailer: PdfDict;

  constructor(readonly data: Uint8Array) {
    const head = latin1(data, 0, Math.min(data.length, 1024));
    if (head.includes('/Linearized')) structureUnsupported('linearized');
    this.trailer = this.readXref();
    if (this.trailer.has('Encrypt')) unsupported('encrypted', 'encrypted');
    if (this.trailer.has('Prev') || this.trailer.has('XRefStm')) structureUnsupported('incremental update');
    this.checkOffsets();
  }

  private readXref(): PdfDict {
    const { data } = this;
    const tailStart = Math.max(0, data.length - 1024);
    const tail = latin1(data, tailStart, data.length);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) structureUnsupported('no startxref');
    const lexer = new Lexer(data, tailStart + at + 'startxref'.length);
    const offset = lexer.next();
    if (!isIndex(offset) || offset >= data.length) return structureUnsupported('bad startxref');
    lexer.pos = offset;
    const keyword = lexer.next();
    if (!(keyword instanceof PdfCmd) || keyword.cmd !== 'xref') return structureUnsupported('not a classic xref table');
    for (;;) {
      const first = lexer.next();
      if (first instanceof PdfCmd && first.cmd === 'trailer') break;
      const count = lexer.next();
      if (!isIndex(first) || !isIndex(count)) return structureUnsupported('malformed xref section');
      if (count > data.length / 18) return structureUnsupported('xref section larger than the file');
      for (let index = 0; index < count; index++) {
        const entryOffset = lexer.next();
        const gen = lexer.next();
        const kind = lexer.next();
        if (!isIndex(entryOffset) || !isIndex(gen) || !(kind instanceof PdfCmd)) {
          return structureUnsupported('malformed xref entry');
        }
        const num = first + index;
        if (kind.cmd === 'n') {
          if (this.offsets.has(num)) return structureUnsupported('object listed twice');
          this.offsets.set(num, { offset: entryOffset, gen });
        } else if (kind.cmd !== 'f') {
          return structureUnsupported('malformed xref entry');
        }
      }
    }
    const trailer = new ObjectReader(lexer, true).value();
    if (!(trailer instanceof PdfDict)) return structureUnsupported('trailer is not a dictionary');
    return trailer;
  }

  /** Every object the table lists must start where the table says: otherwise pdfjs would rebuild the table. */
  private checkOffsets(): void {
    const lexer = new Lexer(this.data);
    for (const [num, { offset, gen }] of this.offsets) {
      if (offset >= this.data.length) structureUnsupported('xref offset past the end');
      lexer.pos = offset;
      const n = lexer.next();
      const g = lexer.next();
      const obj = lexer.next();
      if (n !== num || g !== gen || !(obj instanceof PdfCmd) || obj.cmd !== 'obj') {
        structureUnsupported(`object ${num} is not where the xref table says`);
      }
    }
  }

  /** The object a reference points to (other values are returned as they are). */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    if (!(value instanceof PdfRef)) return value;
    const cached = this.cache.get(value.num);
    if (cached !== undefined) return cached;
    const entry = this.offsets.get(value.num);
    if (!entry || entry.gen !== value.gen) return structureUnsupported(`missing object ${value.num}`);
    if (this.resolving.has(value.num)) return structureUnsupported('circular reference');
    this.resolving.add(value.num);
    try {
      const object = this.parseObject(entry.offset);
      this.cache.set(value.num, object);
      return object;
    } finally {
      this.resolving.delete(value.num);
    }
  }

  get(dict: PdfDict, key: string): PdfValue | undefined {
    return this.resolve(dict.getRaw(key));
  }

  private parseObject(offset: number): PdfValue {
    const lexer = new Lexer(this.data, offset);
    lexer.next();
    lexer.next();
    lexer.next(); // n g obj, checked up front
    const reader = new ObjectReader(lexer, true);
    const value = reader.value();
    const after = lexer.next();
    if (after instanceof PdfCmd && after.cmd === 'endobj') return value;
    if (!(after instanceof PdfCmd) || after.cmd !== 'stream' || !(value instanceof PdfDict)) {
      return structureUnsupported('object without endobj');
    }
    // The data starts after the end of line following `stream`.
    let start = lexer.pos;
    if (this.data[start] === 0x0d) start++;
    if (this.data[start] !== 0x0a) return structureUnsupported('stream keyword not followed by an end of line');
    start++;
    const length = this.resolve(value.getRaw('Length'));
    if (!isIndex(length) || start + length > this.data.length) return structureUnsupported('bad stream length');
    lexer.pos = start + length;
    const endstream = lexer.next();
    const endobj = lexer.next();
    if (!(endstream instanceof PdfCmd) || endstream.cmd !== 'endstream')
      return structureUnsupported('stream length is off');
    if (!(endobj instanceof PdfCmd) || endobj.cmd !== 'endobj') return structureUnsupported('object without endobj');
    return new PdfStream(value, start, start + length);
  }

  /** The decoded bytes of a stream: no filter, or Flate without a predictor. */
  decode(stream: PdfStream): Uint8Array {
    const raw = this.data.subarray(stream.start, stream.end);
    let filter = this.get(stream.dict, 'Filter');
    if (Array.isArray(filter)) {
      if (filter.length > 1) return unsupported('filter chain', 'filter');
      filter = this.resolve(filter[0]);
    }
    if (filter === undefined) return raw;
    if (!(filter instanceof PdfName) || filter.name !== 'FlateDecode')
      return unsupported('filter other than Flate', 'filter');
    if (stream.dict.has('DecodeParms')) {
      let params = this.get(stream.dict, 'DecodeParms');
      if (Array.isArray(params)) params = this.resolve(params[0]);
      const predictor = params instanceof PdfDict ? this.get(params, 'Predictor') : undefined;
      if (params !== null && !(params instanceof PdfDict)) return unsupported('unusual decode parameters', 'filter');
      if (predictor !== undefined && predictor !== 1) return unsupported('Flate predictor', 'filter');
    }
    try {
      return inflateSync(raw, { maxOutputLength: MAX_DECODED_BYTES });
    } catch {
      // Damaged data (or a trailer pdfjs would tolerate): pdfjs decides.
      return unsupported('Flate data does not decode cleanly', 'filter');
    }
  }

  /** Pages in order, with what text extraction needs. */
  pages(): FastPage[] {
    const catalog = this.get(this.trailer, 'Root');
    if (!(catalog instanceof PdfDict)) return structureUnsupported('no catalog');
    const root = this.get(catalog, 'Pages');
    if (!(root instanceof PdfDict)) return structureUnsupported('no page tree');
    const count = this.get(root, 'Count');
    const pages: FastPage[] = [];
    // pdfjs finds inherited attributes by following /Parent: the root must have none.
    if (root.has('Parent')) return structureUnsupported('page tree root with a Parent');
    const seen = new Set<PdfDict>();
    this.walk(root, [root], pages, seen, 0);
    if (count !== pages.length || pages.length === 0) return structureUnsupported('page count does not match the tree');
    return pages;
  }

  private walk(node: PdfDict, chain: PdfDict[], pages: FastPage[], seen: Set<PdfDict>, depth: number): void {
    if (depth > MAX_PAGE_TREE_DEPTH || seen.has(node)) structureUnsupported('page tree cycle');
    seen.add(node);
    const type = this.get(node, 'Type');
    if (type instanceof PdfName && type.name === 'Page' && !node.has('Kids')) {
      pages.push(this.page(chain));
      return;
    }
    if (!(type instanceof PdfName) || type.name !== 'Pages') structureUnsupported('unusual page tree node');
    const kids = this.get(node, 'Kids');
    const count = this.get(node, 'Count');
    if (!Array.isArray(kids) || !isIndex(count)) structureUnsupported('unusual page tree node');
    const before = pages.length;
    for (const kid of kids) {
      if (!(kid instanceof PdfRef)) structureUnsupported('page tree kid is not a reference');
      const child = this.resolve(kid);
      if (!(child instanceof PdfDict)) structureUnsupported('page tree kid is not a dictionary');
      // The chain walked down must be the one pdfjs walks up.
      if (this.get(child, 'Parent') !== node) structureUnsupported('page tree kid whose Parent is another node');
      this.walk(child, [child, ...chain], pages, seen, depth + 1);
    }
    if (pages.length - before !== count) structureUnsupported('page count does not match the tree');
  }

  /** chain: the page first, then its ancestors (inheritable attributes). */
  private page(chain: PdfDict[]): FastPage {
    const dict = chain[0]!;
    const found = (key: string) => chain.filter((node) => node.has(key)).map((node) => this.get(node, key));
    const resources = found('Resources');
    if (!resources.every((value) => value instanceof PdfDict)) structureUnsupported('resources are not a dictionary');
    const mediaBox = normalRect(found('MediaBox')[0]);
    if (!mediaBox) return structureUnsupported('no usable MediaBox');
    const cropBoxes = found('CropBox');
    let view = mediaBox;
    if (cropBoxes.length > 0) {
      const cropBox = normalRect(cropBoxes[0]);
      if (!cropBox) return structureUnsupported('unusable CropBox');
      if (cropBox.some((value, index) => value !== mediaBox[index])) {
        const box: [number, number, number, number] = [
          Math.max(cropBox[0], mediaBox[0]),
          Math.max(cropBox[1], mediaBox[1]),
          Math.min(cropBox[2], mediaBox[2]),
          Math.min(cropBox[3], mediaBox[3]),
        ];
        if (!(box[2] - box[0] > 0 && box[3] - box[1] > 0)) return structureUnsupported('empty CropBox');
        view = box;
      }
    }
    return { dict, resources: mergeResources(resources as PdfDict[]), view };
  }

  /** The page's content, decoded (empty when the page has none). */
  content(page: FastPage): Uint8Array {
    let contents = this.get(page.dict, 'Contents');
    if (contents === undefined) return new Uint8Array(0);
    if (Array.isArray(contents)) {
      if (contents.length !== 1) return structureUnsupported('content in several streams');
      contents = this.resolve(contents[0]);
    }
    if (!(contents instanceof PdfStream)) return structureUnsupported('content is not a stream');
    if (contents.dict.has('Resources')) return structureUnsupported('resources on the content stream');
    return this.decode(contents);
  }
}

/**
 * pdfjs's Page.resources when /Resources is found on several levels (Dict.merge without mergeSubDicts): each key
 * from the nearest level that has it, sub-dictionaries not merged (LibreOffice repeats one dictionary on the page
 * and the page tree).
 */
function mergeResources(levels: PdfDict[]): PdfDict | undefined {
  if (levels.length <= 1) return levels[0];
  const entries = new Map<string, PdfValue>();
  for (const level of levels) {
    for (const [key, value] of level.entries) if (!entries.has(key)) entries.set(key, value);
  }
  return new PdfDict(entries);
}

/** pdfjs's lookupNormalRect, with a positive width and height required. */
function normalRect(value: PdfValue | undefined): [number, number, number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 4 || !value.every((n) => typeof n === 'number')) return undefined;
  const [a, b, c, d] = value as number[];
  const rect: [number, number, number, number] = [
    Math.min(a!, c!),
    Math.min(b!, d!),
    Math.max(a!, c!),
    Math.max(b!, d!),
  ];
  return rect[2] - rect[0] > 0 && rect[3] - rect[1] > 0 ? rect : undefined;
}

export { EOF };
