import { useState } from 'react';
import { api, query } from '../api.js';
import { ListTable, type TableSpec } from '../components/DataTable.js';
import { Field, TextField } from '../components/Field.js';
import { StartedJobProgress } from '../components/JobProgress.js';
import { PageHead } from '../components/PageHead.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useStartJob } from '../components/useStartJob.js';
import { useI18n } from '../i18n/index.js';
import type { Completeness, Count, RegistryFile, RegistryFileList, RegistrySummary, ReportKey } from '../types.js';
import { BulkRetry, ExpectedReports, FileAttempts, TreeGenerator } from './RegistryTools.js';

const LIMIT = 50;
// The filter's options, kept by the contract's type to statuses that exist.
const STATUSES: readonly RegistryFile['status'][] = ['NEW', 'PROCESSING', 'CREATED', 'ERROR', 'DELETE'];

function previousMonth(): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return date.toISOString().slice(0, 7);
}

function CountTable({
  title,
  counts,
  testId,
  labelOf,
}: {
  title: string;
  counts: Count[];
  testId: string;
  labelOf?: (key: string) => string;
}) {
  const { t } = useI18n();
  return (
    <section className="count-table">
      <h3>{title}</h3>
      <table data-testid={testId}>
        <tbody>
          {counts.map((count) => (
            <tr key={count.key} data-key={count.key}>
              <th scope="row">{labelOf ? labelOf(count.key) : count.key}</th>
              <td className="num">{count.count}</td>
            </tr>
          ))}
          {counts.length === 0 && (
            <tr>
              <td>{t('common.none')}</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

type CellState = 'received' | 'late' | 'missing';

function CompletenessMatrix({ data }: { data: Completeness }) {
  const { t } = useI18n();
  const cells = new Map<string, CellState>();
  const keyOf = (report: ReportKey) => `${report.dataProvider} / ${report.clientName}`;
  for (const report of data.received) cells.set(`${keyOf(report)}|${report.reportType}`, 'received');
  for (const report of data.late) cells.set(`${keyOf(report)}|${report.reportType}`, 'late');
  for (const report of data.missing) cells.set(`${keyOf(report)}|${report.reportType}`, 'missing');
  const all = [...data.received, ...data.late, ...data.missing];
  const rows = [...new Set(all.map(keyOf))].sort();
  const columns = [...new Set(all.map((report) => report.reportType))].sort();
  return (
    <div className="table-wrap">
      <p>
        {t('registry.deadline', { date: data.deadline })} · {t('registry.missing')}: {data.missing.length} ·{' '}
        {t('registry.late')}: {data.late.length}
      </p>
      <table className="matrix" data-testid="completeness">
        <thead>
          <tr>
            <th scope="col">{t('registry.client')}</th>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row}>
              <th scope="row">{row}</th>
              {columns.map((column) => {
                const state = cells.get(`${row}|${column}`);
                return (
                  <td key={column} className={state ? `cell-${state}` : ''}>
                    {state ? t(`registry.${state}`) : ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RegistryPage() {
  const { t, label } = useI18n();
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const [month, setMonth] = useState(previousMonth);
  const [opened, setOpened] = useState<number>();
  const scan = useStartJob('/api/registry/scans');
  const summary = useAsync(() => api<RegistrySummary>('/api/registry/summary'), []);
  const files = useAsync(
    () => api<RegistryFileList>(`/api/registry/files${query({ status, offset, limit: LIMIT })}`),
    [status, offset],
  );
  const completeness = useAsync(() => api<Completeness>(`/api/registry/completeness?month=${month}`), [month]);
  const reload = () => {
    summary.reload();
    files.reload();
    completeness.reload();
  };
  const table: TableSpec<RegistryFile> = {
    testId: 'registry-files',
    rowKey: (file) => file.id,
    rowClassName: (file) => (file.status === 'ERROR' ? 'anomaly' : ''),
    detail: (file) => opened === file.id && <FileAttempts fileId={file.id} />,
    columns: [
      {
        header: 'registry.path',
        className: 'path',
        cell: (file) => (
          <button
            type="button"
            className="link"
            aria-expanded={opened === file.id}
            title={t('registry.attempts')}
            onClick={() => setOpened(opened === file.id ? undefined : file.id)}
          >
            {file.filePath}
          </button>
        ),
      },
      {
        header: 'common.status',
        cell: (file) => <span className={`badge status-${file.status}`}>{label('fileStatus', file.status)}</span>,
      },
      { header: 'registry.provider', cell: (file) => file.dataProvider },
      {
        header: 'registry.month',
        cell: (file) => (
          <>
            {file.reportYear}-{String(file.reportMonth ?? '').padStart(2, '0')}
          </>
        ),
      },
      { header: 'registry.reason', cell: (file) => file.errorReason },
      {
        cell: (file) =>
          file.status === 'ERROR' && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                scan.attempt(async () => {
                  await api(`/api/registry/files/${file.id}/retry`, { method: 'POST' });
                  reload();
                })
              }
            >
              {t('common.retry')}
            </button>
          ),
      },
    ],
  };

  return (
    <main id="main">
      <PageHead title="registry.title" action={{ label: 'registry.scan', run: scan.start }} />
      <StartedJobProgress starter={scan} onEnd={reload} />
      <Loaded state={summary}>
        {({ byStatus, byProvider, byMonth }) => (
          <div className="counts">
            <CountTable
              title={t('registry.byStatus')}
              counts={byStatus}
              testId="by-status"
              labelOf={(key) => label('fileStatus', key)}
            />
            <CountTable title={t('registry.byProvider')} counts={byProvider} testId="by-provider" />
            <CountTable title={t('registry.byMonth')} counts={byMonth.slice(-24)} testId="by-month" />
          </div>
        )}
      </Loaded>
      <section aria-labelledby="files-title">
        <h2 id="files-title">{t('registry.files')}</h2>
        <Field label="registry.statusFilter">
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('registry.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label('fileStatus', s)}
              </option>
            ))}
          </select>
        </Field>
        <BulkRetry status={status} attempt={scan.attempt} onDone={reload} />
        <ListTable state={files} table={table} paging={{ offset, limit: LIMIT, onChange: setOffset }} />
      </section>
      <section aria-labelledby="completeness-title">
        <h2 id="completeness-title">{t('registry.completeness')}</h2>
        <TextField label="registry.month" type="month" value={month} onChange={(value) => value && setMonth(value)} />
        <Loaded state={completeness}>{(data) => <CompletenessMatrix data={data} />}</Loaded>
        <ExpectedReports month={month} attempt={scan.attempt} onChange={completeness.reload} />
      </section>
      <TreeGenerator attempt={scan.attempt} />
    </main>
  );
}
