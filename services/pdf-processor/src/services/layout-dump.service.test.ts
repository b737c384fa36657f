import { describe, expect, it } from 'vitest';
import type { Verdict } from '../domain/statement.types.js';
import type { ParseOutcome } from '../worker/parse-outcome.js';
import { wantsLayoutDump } from './layout-dump.service.js';

const parsed = (verdict: Verdict): ParseOutcome => ({
  ok: true,
  statement: {
    openingBalance: 0,
    closingBalance: 0,
    computedClosingBalance: 0,
    verdict,
    pages: 1,
    transactions: [],
    anomalies: [],
  },
});
const rejected = (code: Extract<ParseOutcome, { ok: false }>['code']): ParseOutcome => ({
  ok: false,
  code,
  reason: '',
});

describe('wantsLayoutDump', () => {
  it.each([
    ['a mismatch', parsed('mismatch'), true],
    ['a statement that reconciles', parsed('ok'), false],
    ['a statement with anomalies that reconciles', parsed('ok_with_anomalies'), false],
    ['a PDF without the statement', rejected('NOT_A_STATEMENT'), true],
    ['pages without text', rejected('EMPTY'), true],
    ['a structure pdfjs may still open', rejected('CORRUPT'), true],
    ['a parse over its time budget', rejected('TIMEOUT'), true],
    ['a parse over its memory budget', rejected('TOO_LARGE'), true],
    ['an HTML page', rejected('NOT_PDF'), false],
    ['a download cut short', rejected('TRUNCATED'), false],
    ['a password-protected PDF', rejected('ENCRYPTED'), false],
  ])('%s → %s', (_what, outcome, wanted) => {
    expect(wantsLayoutDump(outcome)).toBe(wanted);
  });
});
