import { readFile } from 'node:fs/promises';
import { TreeSpec } from '@pharma/shared/contracts';
import { validatorFor } from '@pharma/shared/messaging';
import { parse as parseYaml } from 'yaml';
import type { TreeSpecInput } from '../domain/tree-spec.js';

/** Reads a tree spec from a .json, .yaml or .yml file and validates it against the contract. */
export async function readTreeSpec(file: string): Promise<TreeSpecInput> {
  const text = await readFile(file, 'utf8');
  const data: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  return validatorFor(TreeSpec).assert(data, `tree spec ${file}`);
}

/** `1-12`, `1,2,3` or `2024,2025` → numbers. */
export function parseNumberList(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map((n) => Number(n.trim()));
    if (from === undefined || !Number.isInteger(from)) throw new Error(`"${part}" is not a number or range`);
    if (to === undefined) return [from];
    if (!Number.isInteger(to) || to < from) throw new Error(`"${part}" is not a range`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

export const parseNameList = (text: string): string[] =>
  text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
