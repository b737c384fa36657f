/** Seeded mutations of a PDF for fuzzing: the same seed always gives the same corpus. */

export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

type Random = ReturnType<typeof createRandom>;

export type Mutation = 'flip' | 'truncate' | 'shuffle-objects' | 'splice' | 'zero-range';
export const MUTATIONS: Mutation[] = ['flip', 'truncate', 'shuffle-objects', 'splice', 'zero-range'];

export function mutatePdf(source: Uint8Array, mutation: Mutation, random: Random): Uint8Array {
  const data = new Uint8Array(source);
  switch (mutation) {
    case 'flip': {
      const flips = random.int(1, 40);
      for (let count = 0; count < flips; count++) {
        const index = random.int(0, data.length - 1);
        data[index] = (data[index]! ^ (1 << random.int(0, 7))) & 0xff;
      }
      return data;
    }
    case 'truncate':
      return data.subarray(0, random.int(0, data.length - 1));
    case 'shuffle-objects':
      return shuffleObjects(data, random);
    case 'splice': {
      const from = random.int(0, data.length - 1);
      const length = random.int(1, Math.min(4096, data.length - from));
      const to = random.int(0, data.length - 1);
      const chunk = data.slice(from, from + length);
      return concat(data.subarray(0, to), chunk, data.subarray(to));
    }
    case 'zero-range': {
      const from = random.int(0, data.length - 1);
      data.fill(0, from, Math.min(data.length, from + random.int(1, 2048)));
      return data;
    }
  }
}

/** Reorders the `n 0 obj … endobj` blocks, leaving the xref table pointing at the old offsets. */
function shuffleObjects(data: Uint8Array, random: Random): Uint8Array {
  const text = Buffer.from(data).toString('latin1');
  const blocks: { start: number; end: number }[] = [];
  const pattern = /\d+ \d+ obj[\s\S]*?endobj\s*/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    blocks.push({ start: match.index, end: match.index + match[0].length });
  }
  if (blocks.length < 2) return data;
  const first = blocks[0]!.start;
  const last = blocks.at(-1)!.end;
  const pieces = blocks.map((block) => text.slice(block.start, block.end));
  for (let index = pieces.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [pieces[index], pieces[other]] = [pieces[other]!, pieces[index]!];
  }
  return Buffer.from(text.slice(0, first) + pieces.join('') + text.slice(last), 'latin1');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
