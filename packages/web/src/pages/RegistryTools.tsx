import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { Card } from '../components/Card.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { TextField } from '../components/Field.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useI18n } from '../i18n/index.js';
import type { OrchestratorTaskRun } from '../types.js';

/** Runs an action of the page under its error display (a started job's `attempt`). */
type Attempt = (action: () => Promise<unknown>) => Promise<void>;

/** Every attempt the orchestrator made at one file, oldest first, with its outcome, reason and timings. */
export function FileAttempts({ fileId }: { fileId: number }) {
  const { t, label, formatDateTime } = useI18n();
  const attempts = useAsync(
    () => api<{ items: OrchestratorTaskRun[] }>(`/api/registry/files/${fileId}/attempts`),
    [fileId],
  );
  const columns: Column<OrchestratorTaskRun>[] = [
    { header: 'registry.attempt', numeric: true, cell: (task) => task.attempt },
    { header: 'jobs.created', cell: (task) => formatDateTime(task.startedAt) },
    { header: 'common.status', cell: (task) => label('fileStatus', task.status) },
    { header: 'registry.reason', cell: (task) => [task.reason, task.detail].filter(Boolean).join(' · ') },
    { header: 'orchestrator.durationMs', numeric: true, cell: (task) => task.durationMs ?? '' },
  ];
  return (
    <div data-testid={`attempts-${fileId}`}>
      <Loaded state={attempts}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('registry.noAttempts')}</p>
          ) : (
            <DataTable bare columns={columns} rows={items} rowKey={(task) => task.id} />
          )
        }
      </Loaded>
    </div>
  );
}

/** Puts every file of a status (ERROR when none is chosen) back to NEW at once, and says how many were. */
export function BulkRetry({ status, attempt, onDone }: { status: string; attempt: Attempt; onDone(): void }) {
  const { t, label } = useI18n();
  const [retried, setRetried] = useState<number>();
  const chosen = status || 'ERROR';
  const retry = () =>
    attempt(async () => {
      const answer = await api<{ results: { outcome: string }[] }>('/api/registry/files/retry', {
        method: 'POST',
        body: { filter: { status: [chosen] } },
      });
      setRetried(answer.results.filter((result) => result.outcome === 'retried').length);
      onDone();
    });
  if (chosen === 'NEW' || chosen === 'DELETE') return null;
  return (
    <p className="bulk">
      <button type="button" className="secondary" onClick={retry}>
        {t('registry.retryAll', { status: label('fileStatus', chosen) })}
      </button>{' '}
      {retried !== undefined && <span role="status">{t('registry.retried', { files: retried })}</span>}
    </p>
  );
}

interface ReportKey {
  dataProvider: string;
  clientName: string;
  reportType: string;
}

/** A month's agreed reports: listed, removed one by one, added from a provider, a client and a report type. */
export function ExpectedReports({ month, attempt, onChange }: { month: string; attempt: Attempt; onChange(): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ReportKey>({ dataProvider: '', clientName: '', reportType: '' });
  const expected = useAsync(
    () => api<{ items: (ReportKey & { month: string })[] }>(`/api/registry/expected${query({ month })}`),
    [month],
  );
  const edit = (change: { add?: unknown[]; remove?: unknown[] }) =>
    attempt(async () => {
      await api('/api/registry/expected', { method: 'PATCH', body: change });
      expected.reload();
      onChange();
    });
  const add = (event: FormEvent) => {
    event.preventDefault();
    return edit({ add: [{ ...draft, month }] });
  };
  const columns: Column<ReportKey & { month: string }>[] = [
    { header: 'registry.provider', cell: (report) => report.dataProvider },
    { header: 'registry.client', cell: (report) => report.clientName },
    { header: 'registry.reportType', cell: (report) => report.reportType },
    {
      cell: (report) => (
        <button type="button" className="secondary" onClick={() => edit({ remove: [report] })}>
          {t('sales.remove')}
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="expected-title">
      <h3 id="expected-title">{t('registry.expected', { month })}</h3>
      <form className="period" onSubmit={add} aria-label={t('registry.addExpected')}>
        {(['dataProvider', 'clientName', 'reportType'] as const).map((field) => (
          <TextField
            key={field}
            label={
              field === 'dataProvider'
                ? 'registry.provider'
                : field === 'clientName'
                  ? 'registry.client'
                  : 'registry.reportType'
            }
            name={field}
            required
            value={draft[field]}
            onChange={(value) => setDraft({ ...draft, [field]: value })}
          />
        ))}
        <button type="submit">{t('registry.addExpected')}</button>
      </form>
      <Loaded state={expected}>
        {({ items }) =>
          items.length === 0 ? (
            <p>{t('registry.noExpected')}</p>
          ) : (
            <DataTable
              testId="expected"
              columns={columns}
              rows={items}
              rowKey={(report) => `${report.dataProvider}/${report.clientName}/${report.reportType}`}
            />
          )
        }
      </Loaded>
    </section>
  );
}

interface TreeAnswer {
  dryRun: boolean;
  folders: number;
  created: number;
  existing: number;
  expectedSeeded: number;
  sample: string[];
}

const list = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The intake folder tree of a provider: what it would create first (writes nothing), then created on demand. */
export function TreeGenerator({ attempt }: { attempt: Attempt }) {
  const { t, formatNumber } = useI18n();
  const [draft, setDraft] = useState({ years: String(new Date().getFullYear()), folder: '', clients: '', types: '' });
  const [answer, setAnswer] = useState<TreeAnswer>();
  const spec = () => ({
    years: list(draft.years).map(Number),
    providers: [{ folder: draft.folder.trim(), clients: list(draft.clients), reportTypes: list(draft.types) }],
  });
  const run = (path: string) =>
    attempt(async () => setAnswer(await api<TreeAnswer>(path, { method: 'POST', body: { spec: spec() } })));
  const preview = (event: FormEvent) => {
    event.preventDefault();
    return run('/api/registry/tree/preview');
  };
  return (
    <section aria-labelledby="tree-title">
      <h2 id="tree-title">{t('registry.tree')}</h2>
      <form className="tree" onSubmit={preview} aria-label={t('registry.tree')}>
        <TextField
          label="registry.years"
          name="years"
          required
          value={draft.years}
          onChange={(years) => setDraft({ ...draft, years })}
        />
        <TextField
          label="registry.provider"
          name="folder"
          required
          value={draft.folder}
          onChange={(folder) => setDraft({ ...draft, folder })}
        />
        <label>
          {t('registry.clients')}
          <textarea
            name="clients"
            required
            rows={4}
            value={draft.clients}
            onChange={(e) => setDraft({ ...draft, clients: e.target.value })}
          />
        </label>
        <TextField
          label="registry.reportTypes"
          name="types"
          required
          value={draft.types}
          onChange={(types) => setDraft({ ...draft, types })}
        />
        <button type="submit" className="secondary">
          {t('registry.preview')}
        </button>
        {answer?.dryRun && answer.created > 0 && (
          <button type="button" onClick={() => run('/api/registry/tree')}>
            {t('registry.create', { folders: answer.created })}
          </button>
        )}
      </form>
      {answer && (
        <div data-testid="tree-answer" data-dry-run={answer.dryRun} data-created={answer.created}>
          <div className="cards">
            <Card label="registry.treeFolders">
              <strong>{formatNumber(answer.folders)}</strong>
            </Card>
            <Card label={answer.dryRun ? 'registry.treeToCreate' : 'registry.treeCreated'}>
              <strong>{formatNumber(answer.created)}</strong>
            </Card>
            <Card label="registry.treeExisting">
              <strong>{formatNumber(answer.existing)}</strong>
            </Card>
          </div>
          <ul className="sample">
            {answer.sample.map((folder) => (
              <li key={folder}>{folder}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
