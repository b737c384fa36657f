import { JOB_STAGES, JobStatus } from '@pharma/shared/contracts';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';

/** Names, formats and product words the French pages use as they are. */
const SHARED = new Set(['sobrus', 'excel', 'sqlite', 'cron', 'pharma', 'mail', 'https', 'http', 'file', 'csv']);

const words = (text: string) =>
  text
    // Codes (NO_SCRIPT_FOUND, HTTP_500) and message keys are not words of a language.
    .replace(/\b[A-Z0-9]+(?:_[A-Z0-9]+)+\b|\b[A-Z]{2,}\b/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length >= 4);

const frenchWords = new Set(Object.values(fr).flatMap(words));

/**
 * Words an English page would show and a French one must not: every word of the English catalogue, and the codes
 * services send (job statuses and stages), that no French message uses.
 */
export const ENGLISH_ONLY = new Set(
  [
    ...Object.values(en).flatMap(words),
    ...JobStatus.anyOf.map((status) => String(status.const)),
    ...Object.keys(JOB_STAGES).flatMap((stage) => stage.split(/(?=[A-Z])/).map((part) => part.toLowerCase())),
  ].filter((word) => word.length >= 4 && !frenchWords.has(word) && !SHARED.has(word)),
);

/** The English-only words of a page's text, each once. */
export function englishWordsIn(text: string): string[] {
  return [...new Set(words(text).filter((word) => ENGLISH_ONLY.has(word)))];
}
