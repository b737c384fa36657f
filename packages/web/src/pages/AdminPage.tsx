import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { Card } from '../components/Card.js';
import { TextField } from '../components/Field.js';
import { PageHead } from '../components/PageHead.js';
import { Status } from '../components/Status.js';
import { useI18n } from '../i18n/index.js';
import type { StorageReplication, StorageRestore } from '../types.js';

type Answer = { kind: 'sync'; state: StorageReplication } | { kind: 'restore'; restore: StorageRestore };

/** An administrator's hold on one pharmacy's database: upload it to S3 now, or restore it from S3. */
export function AdminPage() {
  const { t, label, formatDateTime } = useI18n();
  const [pharmacyId, setPharmacyId] = useState('');
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<Error>();
  const act = async (action: 'sync-now' | 'restore') => {
    setError(undefined);
    setAnswer(undefined);
    try {
      const path = `/api/admin/pharmacies/${encodeURIComponent(pharmacyId.trim())}/${action}`;
      setAnswer(
        action === 'sync-now'
          ? { kind: 'sync', state: await api<StorageReplication>(path, { method: 'POST' }) }
          : { kind: 'restore', restore: await api<StorageRestore>(path, { method: 'POST' }) },
      );
    } catch (failure) {
      setError(failure as Error);
    }
  };
  const syncNow = (event: FormEvent) => {
    event.preventDefault();
    return act('sync-now');
  };
  return (
    <main id="main">
      <PageHead title="admin.title" />
      <form className="period" onSubmit={syncNow} aria-label={t('admin.title')}>
        <TextField
          label="admin.pharmacy"
          type="email"
          name="pharmacy"
          required
          value={pharmacyId}
          onChange={setPharmacyId}
        />
        <button type="submit">{t('admin.syncNow')}</button>
        <button type="button" className="secondary" disabled={!pharmacyId.trim()} onClick={() => act('restore')}>
          {t('admin.restore')}
        </button>
      </form>
      <Status error={error} />
      {answer?.kind === 'sync' && (
        <section className="cards" data-testid="replication" data-state={answer.state.state}>
          <Card label="admin.state">
            <strong>{label('replication', answer.state.state)}</strong>
          </Card>
          <Card label="admin.generation">
            <strong>{answer.state.generation}</strong>
          </Card>
          <Card label="admin.lastUpload">
            <strong>{answer.state.lastUploadAt ? formatDateTime(answer.state.lastUploadAt) : '—'}</strong>
          </Card>
          <Card label="admin.lastError" danger={Boolean(answer.state.lastError)}>
            <strong>{answer.state.lastError ?? '—'}</strong>
          </Card>
        </section>
      )}
      {answer?.kind === 'restore' && (
        <p role="status" data-testid="restore" data-decision={answer.restore.decision}>
          {label('restore', answer.restore.decision)}
          {answer.restore.generation !== undefined ? ` (${t('admin.generation')} ${answer.restore.generation})` : ''}
        </p>
      )}
    </main>
  );
}
