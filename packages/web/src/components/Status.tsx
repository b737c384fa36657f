import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.js';
import type { AsyncState } from './useAsync.js';

export function Status({ loading, error }: { loading?: boolean; error?: Error }) {
  const { t } = useI18n();
  if (error)
    return (
      <p role="alert" className="error">
        {t('common.error')}: {error.message}
      </p>
    );
  if (loading) return <p aria-live="polite">{t('common.loading')}</p>;
  return null;
}

/**
 * The states of one load in one place: the loading message until the first data, the error, then `children` with
 * the data. With `empty`, a 404 is not an error but that message (nothing there yet).
 */
export function Loaded<T>({
  state,
  empty,
  children,
}: {
  state: AsyncState<T>;
  empty?: MessageKey;
  children(data: T): ReactNode;
}) {
  const { t } = useI18n();
  const nothing = empty && (state.error as { status?: number } | undefined)?.status === 404;
  return (
    <>
      {nothing ? <p>{t(empty)}</p> : <Status loading={state.loading && !state.data} error={state.error} />}
      {state.data !== undefined && children(state.data)}
    </>
  );
}
