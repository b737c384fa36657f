import type {
  Completeness,
  OrchestratorRuns,
  OrchestratorRunView,
  RegistryFileList,
  RegistrySummary,
  SalesImports,
} from '../api-types.js';
import type { CliOptions, Command } from '../command.js';
import { EXIT, usageError } from '../errors.js';
import { gatewayCommand } from '../gateway-command.js';
import { runJob } from '../job-runner.js';
import { countOption, monthOption, query, required } from '../option-values.js';
import { pageTable, table } from '../output.js';
import { guessSalesKind } from '../sales-urls.js';

interface RetryOutcome {
  id: number;
  outcome: string;
}

const counts = (label: string, rows: { key: string; count: number }[]) =>
  `${label}: ${rows.map((r) => `${r.key} ${r.count}`).join(', ') || '-'}`;

/** The registry's file filters as the gateway names them (files list and bulk retry). */
const fileFilter = (options: CliOptions) => ({
  status: options.status,
  dataProvider: options.provider,
  clientName: options['client-name'],
  reportType: options['report-type'],
  from: monthOption(options.from, 'from'),
  to: monthOption(options.to, 'to'),
});

export const staffCommands: Command[] = [
  {
    name: 'sales import',
    usage: '<url>... [--products U] [--stores U] [--sales U]',
    summary: 'import sales CSV files (a job; kind guessed from the file name)',
    run: ({ client, out, options, args, wait }) => {
      const urls: Record<string, string> = {};
      for (const kind of ['products', 'stores', 'sales'] as const) if (options[kind]) urls[kind] = options[kind];
      for (const given of args) {
        const kind = guessSalesKind(given);
        if (!kind)
          throw usageError(
            `Cannot tell whether ${given} holds products, stores or sales: use --products/--stores/--sales`,
          );
        urls[kind] = given;
      }
      if (Object.keys(urls).length === 0) throw usageError('Give at least one CSV URL');
      return runJob(client, out, { path: '/api/sales/imports', body: { urls } }, { wait });
    },
  },
  gatewayCommand<SalesImports>(
    { name: 'sales imports', usage: '[--limit N] [--offset N]', summary: 'past import runs, newest first' },
    ({ options }) =>
      `/api/sales/imports${query({ offset: countOption(options.offset, 'offset'), limit: countOption(options.limit, 'limit') })}`,
    (list) =>
      pageTable(
        list,
        [
          ['RUN', (r) => r.runId],
          ['TRIGGER', (r) => r.trigger],
          ['STATUS', (r) => r.status],
          ['STARTED', (r) => r.startedAt],
          ['ERROR', (r) => r.error],
        ],
        'run(s)',
      ),
  ),
  gatewayCommand<unknown>(
    { name: 'sales analyses', summary: 'analyses of the latest successful import (JSON)' },
    () => '/api/sales/analyses',
    (analyses) => JSON.stringify(analyses, null, 2),
  ),
  {
    name: 'registry scan',
    summary: 'scan the distributor intake tree (a job)',
    run: ({ client, out, wait }) => runJob(client, out, { path: '/api/registry/scans' }, { wait }),
  },
  gatewayCommand<RegistryFileList>(
    {
      name: 'registry files',
      usage: '[--status S]... [--provider P] [--client-name C] [--report-type T] [--from YYYY-MM --to YYYY-MM]',
      summary: 'registered files matching the filters, newest first',
    },
    ({ options }) =>
      `/api/registry/files${query({
        ...fileFilter(options),
        offset: countOption(options.offset, 'offset'),
        limit: countOption(options.limit, 'limit'),
      })}`,
    (list) =>
      pageTable(
        list,
        [
          ['ID', (f) => f.id],
          ['STATUS', (f) => f.status],
          ['PATH', (f) => f.filePath],
          ['ERROR', (f) => f.errorReason],
        ],
        'file(s)',
      ),
  ),
  gatewayCommand<RegistrySummary>(
    { name: 'registry summary', summary: 'counts of registered files by status, provider and report month' },
    () => '/api/registry/summary',
    (summary) =>
      [
        `${summary.total} file(s)`,
        counts('status', summary.byStatus),
        counts('provider', summary.byProvider),
        counts('month', summary.byMonth),
      ].join('\n'),
  ),
  gatewayCommand<Completeness>(
    {
      name: 'registry completeness',
      usage: '--month YYYY-MM',
      summary: "a month's expected versus received reports: missing, late, unexpected",
    },
    ({ options }) => {
      const month = monthOption(options.month, 'month');
      if (!month) throw usageError('Give --month YYYY-MM');
      return `/api/registry/completeness${query({ month })}`;
    },
    (view) => {
      const key = (r: { dataProvider: string; clientName: string; reportType: string }) =>
        `  ${r.dataProvider} / ${r.clientName} / ${r.reportType}`;
      return [
        `${view.month}: ${view.received.length} received of ${view.expected} expected, deadline ${view.deadline}${view.overdue ? ' (passed)' : ''}`,
        `missing ${view.missing.length}`,
        ...view.missing.map(key),
        `late ${view.late.length}`,
        ...view.late.map(key),
        `unexpected ${view.unexpected.length}`,
        ...view.unexpected.map(key),
      ].join('\n');
    },
  ),
  {
    name: 'registry retry',
    usage:
      'FILE_ID... | [--status S]... [--provider P] [--client-name C] [--report-type T] [--from YYYY-MM --to YYYY-MM]',
    summary:
      'put files back to NEW to be processed again: by id, or every file matching the filters (ERROR by default)',
    run: async ({ client, out, options, args }) => {
      const ids = args.map((arg) => countOption(arg, 'file id') as number);
      if (ids.length === 1) {
        const answer = await client.json<RetryOutcome>(`/api/registry/files/${ids[0]}/retry`, { method: 'POST' });
        out.result(answer, `file ${answer.id}: ${answer.outcome}`);
        return EXIT.ok;
      }
      const filter = Object.fromEntries(Object.entries(fileFilter(options)).filter(([, value]) => value !== undefined));
      if (ids.length === 0 && Object.keys(filter).length === 0) throw usageError('Give file ids or filters');
      const body = ids.length > 0 ? { ids } : { filter };
      const answer = await client.json<{ results: RetryOutcome[] }>('/api/registry/files/retry', {
        method: 'POST',
        body,
      });
      out.result(answer, answer.results.map((r) => `file ${r.id}: ${r.outcome}`).join('\n') || 'no file matched');
      return EXIT.ok;
    },
  },
  {
    name: 'orchestrator run',
    summary: 'run the pending conversion tasks (a job)',
    run: ({ client, out, wait }) => runJob(client, out, { path: '/api/orchestrator/runs' }, { wait }),
  },
  gatewayCommand<OrchestratorRuns>(
    { name: 'orchestrator runs', usage: '[--limit N]', summary: 'recent orchestrator runs with their counts' },
    ({ options }) => `/api/orchestrator/runs${query({ limit: countOption(options.limit, 'limit') })}`,
    (list) =>
      table(list.items, [
        ['RUN', (r) => r.id],
        ['TRIGGER', (r) => r.trigger],
        ['STATUS', (r) => r.status],
        ['STARTED', (r) => r.startedAt],
        ['COUNTS', (r) => JSON.stringify(r.counts)],
      ]),
  ),
  gatewayCommand<OrchestratorRunView>(
    { name: 'orchestrator show', usage: 'RUN_ID', summary: 'one run with its task runs (reasons, timings)' },
    ({ args }) => `/api/orchestrator/runs/${encodeURIComponent(required(args, 'run id'))}`,
    (view) => {
      const tasks = table(view.tasks, [
        ['FILE', (t) => t.fileId],
        ['ATTEMPT', (t) => t.attempt],
        ['STATUS', (t) => t.status],
        ['REASON', (t) => t.reason],
        ['MS', (t) => t.durationMs],
        ['PATH', (t) => t.filePath],
      ]);
      const { run } = view;
      return `${run.id}  ${run.trigger}  ${run.status}  ${JSON.stringify(run.counts)}\n${tasks}`;
    },
  ),
];
