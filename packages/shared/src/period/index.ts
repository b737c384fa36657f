/**
 * The default period of everything that takes one (statements refresh, exports), as the original tool had it:
 * the whole history, from its first day up to yesterday. The gateway, the CLI and the web app all take it from
 * here, so the three never disagree. No dependencies: the web app may bundle it.
 */

/** First day of the history the original tool downloaded statements from. */
export const HISTORY_START = '2017-01-01';

export interface Period {
  from: string;
  to: string;
}

const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** 2017-01-01 → the local day before `today`. */
export function defaultPeriod(today: Date = new Date()): Period {
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  return { from: HISTORY_START, to: isoDay(yesterday) };
}

/** The period asked for, each missing bound taken from {@link defaultPeriod}. */
export function periodOrDefault(asked: { from?: string; to?: string }, today: Date = new Date()): Period {
  const fallback = defaultPeriod(today);
  return { from: asked.from ?? fallback.from, to: asked.to ?? fallback.to };
}
