import { usageError } from './errors.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A `YYYY-MM-DD` option, or undefined when not given. */
export function dateOption(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !DATE.test(value)) throw usageError(`Give --${name} as YYYY-MM-DD`);
  return value;
}

export function monthOption(value: string | undefined, name: string): string | undefined {
  if (value !== undefined && !MONTH.test(value)) throw usageError(`Give --${name} as YYYY-MM`);
  return value;
}

export function countOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`--${name} must be a whole number`);
  return Number(value);
}

/** The positional a command needs (a job id, a run id…). */
export function required(args: readonly string[], what: string): string {
  const value = args[0];
  if (!value) throw usageError(`Give the ${what}`);
  return value;
}

/** `?a=1&b=x&b=y` from the given values; undefined ones are left out. */
export function query(values: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
