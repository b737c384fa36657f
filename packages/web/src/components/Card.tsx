import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.js';

/** One figure of a row of cards: a translated label, with a count when given, over its value. */
export function Card({
  label,
  count,
  danger = false,
  children,
}: {
  label: MessageKey;
  count?: number;
  danger?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className={danger ? 'card danger' : 'card'}>
      <span>{count === undefined ? t(label) : `${t(label)} (${count})`}</span>
      {children}
    </div>
  );
}
