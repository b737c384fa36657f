import { useI18n } from '../i18n/index.js';
import type { Verdict } from '../types.js';

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  const { t } = useI18n();
  return (
    <span className={`badge verdict-${verdict ?? 'none'}`} data-verdict={verdict ?? 'none'}>
      {t(`verdict.${verdict ?? 'none'}`)}
    </span>
  );
}
