import {
  editExpectedReportsRpc,
  generateTreeRpc,
  listExpectedReportsRpc,
  listRegistryFilesRpc,
  registryCompletenessRpc,
  registrySummaryRpc,
  retryRegistryFilesRpc,
  startRegistryScanRpc,
} from '@pharma/shared/contracts';
import { ValidationError } from '@pharma/shared/errors';
import type { Log } from '@pharma/shared/logger';
import { type JobStore, type NatsContext, serveRpc } from '@pharma/shared/messaging';
import type { Config } from '../config.js';
import type { RegistryDb } from '../db/client.js';
import { formatMonth, parseMonthText, type ReportMonth } from '../domain/report-period.js';
import {
  addExpectedReports,
  expectedOfMonth,
  removeExpectedReports,
} from '../repositories/expected-reports.repository.js';
import { countFiles, type FileFilter, listFiles, retryFiles } from '../repositories/files.repository.js';
import { completenessOfMonth } from '../services/expected.service.js';
import { startScan } from '../services/scan-request.service.js';
import { generateTree } from '../services/tree.service.js';
import { toRegistryFile } from './registry-file.mapper.js';

export interface RpcDeps {
  nats: NatsContext;
  db: RegistryDb;
  jobs: JobStore;
  config: Config;
  logger: Log;
}

const month = (text: string): ReportMonth => {
  const parsed = parseMonthText(text);
  if (!parsed) throw new ValidationError(`"${text}" is not a month (YYYY-MM)`);
  return parsed;
};

const toFilter = (request: {
  status?: FileFilter['status'];
  dataProvider?: string;
  clientName?: string;
  reportType?: string;
  from?: string;
  to?: string;
}): FileFilter => ({
  status: request.status,
  dataProvider: request.dataProvider,
  clientName: request.clientName,
  reportType: request.reportType,
  from: request.from === undefined ? undefined : month(request.from),
  to: request.to === undefined ? undefined : month(request.to),
});

const toExpectedRow = (report: { dataProvider: string; clientName: string; reportType: string; month: string }) => {
  const period = month(report.month);
  return {
    dataProvider: report.dataProvider.normalize('NFC'),
    clientName: report.clientName.normalize('NFC'),
    reportType: report.reportType.normalize('NFC'),
    reportYear: period.year,
    reportMonth: period.month,
  };
};

/** The registry's request/reply API for the gateway. Returns the subscriptions for the caller to close. */
export function serveRegistryRpc({ nats, db, jobs, config, logger }: RpcDeps): ReturnType<typeof serveRpc>[] {
  return [
    serveRpc(nats, listRegistryFilesRpc, {
      logger,
      handler: async (request) => {
        const page = { limit: request.limit ?? 100, offset: request.offset ?? 0 };
        const { total, items } = await listFiles(db, toFilter(request), page);
        return { total, items: items.map(toRegistryFile) };
      },
    }),
    serveRpc(nats, registrySummaryRpc, { logger, handler: (request) => countFiles(db, toFilter(request)) }),
    serveRpc(nats, retryRegistryFilesRpc, {
      logger,
      handler: async (request) => ({ results: await retryFiles(db, [...new Set(request.ids)]) }),
    }),
    serveRpc(nats, registryCompletenessRpc, {
      logger,
      handler: (request) => completenessOfMonth(db, month(request.month), config.expected.lateAfterDay),
    }),
    serveRpc(nats, editExpectedReportsRpc, {
      logger,
      handler: async (request) => ({
        added: await addExpectedReports(db, (request.add ?? []).map(toExpectedRow)),
        removed: await removeExpectedReports(db, (request.remove ?? []).map(toExpectedRow)),
      }),
    }),
    serveRpc(nats, listExpectedReportsRpc, {
      logger,
      handler: async (request) => {
        const period = month(request.month);
        const rows = await expectedOfMonth(db, period);
        return { items: rows.map((row) => ({ ...row, month: formatMonth(period) })) };
      },
    }),
    serveRpc(nats, generateTreeRpc, {
      logger,
      handler: (request) =>
        generateTree({
          root: config.scanner.root,
          providers: config.scanner.providerFolders,
          spec: request.spec,
          dryRun: request.dryRun,
          db,
        }),
    }),
    serveRpc(nats, startRegistryScanRpc, { logger, handler: (request) => startScan({ nats, jobs }, request) }),
  ];
}
