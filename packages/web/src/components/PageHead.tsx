import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.js';

/** A page's title, with its main action as a button (start a refresh, a scan, a run) and any other controls. */
export function PageHead({
  title,
  values,
  action,
  children,
}: {
  title: MessageKey;
  values?: Record<string, string | number>;
  action?: { label: MessageKey; run(): void };
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <header className="page-head">
      <h1>{t(title, values)}</h1>
      {action && (
        <button type="button" onClick={() => action.run()}>
          {t(action.label)}
        </button>
      )}
      {children}
    </header>
  );
}
