import { useI18n } from '../i18n/index.js';

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
