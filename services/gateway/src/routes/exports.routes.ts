import { IsoDate, storageAgeingRpc, storageBalancesRpc, storageCustomersRpc } from '@pharma/shared/contracts';
import { requestRpc } from '@pharma/shared/messaging';
import { type TObject, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allPages } from '../services/all-pages.js';
import { attachment, CSV_TYPE, sendStorageCsv, XLSX_TYPE } from '../services/file-reply.js';
import { tableWorkbook, type WorkbookColumn } from '../services/table-workbook.js';
import { pharmacyOf, type RoutesPlugin } from './route-kit.js';
import { authErrors, FileBody } from './schemas.js';

const CsvSeparator = Type.Union([Type.Literal(','), Type.Literal(';')], { default: ';' });
const AsOf = { asOf: Type.Optional(IsoDate) };
const PAGE = 1000;

/**
 * The pharmacy's whole lists as files to save: customers, balances and receivables ageing, each in CSV (streamed
 * from storage-sync, the same columns as its own export) and Excel. The pharmacy is the session's, never the query's.
 */
export const exportsRoutes: RoutesPlugin = async (app, options) => {
  const { rpc } = options;
  const pharmacyOnly = app.requireRole('pharmacy');
  const fileRoute = <Query extends TObject>(summary: string, querystring: Query, produces: string) => ({
    preValidation: pharmacyOnly,
    schema: {
      tags: ['exports'],
      summary,
      querystring,
      produces: [produces],
      response: { 200: FileBody(produces === CSV_TYPE ? 'CSV, UTF-8 with BOM' : 'xlsx workbook'), ...authErrors },
    },
  });

  /** Every row of the pharmacy's paged list, answered as one sheet of an Excel file. */
  const sendWorkbook = async <Row extends object>(
    request: FastifyRequest,
    reply: FastifyReply,
    file: { name: string; sheet: string },
    page: (pharmacyId: string, offset: number) => Promise<{ total: number; items: Row[] }>,
    columns: WorkbookColumn<Row>[],
  ) => {
    const pharmacyId = pharmacyOf(request);
    const rows = await allPages((offset) => page(pharmacyId, offset));
    return attachment(reply, XLSX_TYPE, file.name).send(await tableWorkbook(file.sheet, columns, rows));
  };

  for (const [dataset, what] of [
    ['customers', 'Every customer (contact, balance, verdict, last payment)'],
    ['balances', "Every customer's balances and verdict, discrepancies first"],
    ['ageing', 'Receivables ageing per customer (0-30, 31-60, 61-90, >90 days)'],
  ] as const) {
    app.get(
      `/api/exports/${dataset}.csv`,
      fileRoute(`${what}, as CSV`, Type.Object({ sep: CsvSeparator, ...AsOf }), CSV_TYPE),
      async (request, reply) => {
        const { sep, asOf } = request.query;
        return sendStorageCsv(app, reply, { pharmacyId: pharmacyOf(request), dataset, separator: sep, asOf }, rpc);
      },
    );
  }

  app.get(
    '/api/exports/customers.xlsx',
    fileRoute('Every customer (contact, balance, verdict, last payment), as Excel', Type.Object({}), XLSX_TYPE),
    async (request, reply) =>
      sendWorkbook(
        request,
        reply,
        { name: 'clients.xlsx', sheet: 'Clients' },
        (pharmacyId, offset) => requestRpc(app.nats, storageCustomersRpc, { pharmacyId, offset, limit: PAGE }, rpc),
        [
          { header: 'Code client', key: 'clientKey' },
          { header: 'Nom', key: 'name', width: 36 },
          { header: 'E-mail', key: 'email', width: 28 },
          { header: 'Téléphone', key: 'phone' },
          { header: 'Organisme', key: 'organisme' },
          { header: 'Immatriculation', key: 'immatriculation' },
          { header: 'Solde', key: 'balance', money: true },
          { header: 'Contrôle', key: 'verdict' },
          { header: 'Dernier paiement', key: 'lastPaymentDate' },
        ],
      ),
  );

  app.get(
    '/api/exports/balances.xlsx',
    fileRoute("Every customer's balances and verdict, discrepancies first, as Excel", Type.Object({}), XLSX_TYPE),
    async (request, reply) =>
      sendWorkbook(
        request,
        reply,
        { name: 'soldes.xlsx', sheet: 'Soldes' },
        (pharmacyId, offset) =>
          requestRpc(app.nats, storageBalancesRpc, { pharmacyId, discrepanciesFirst: true, offset, limit: PAGE }, rpc),
        [
          { header: 'Code client', key: 'clientKey' },
          { header: 'Nom', key: 'name', width: 36 },
          { header: 'Du', key: 'from', width: 12 },
          { header: 'Au', key: 'to', width: 12 },
          { header: 'Solde initial', key: 'openingBalance', money: true },
          { header: 'Solde final (imprimé)', key: 'closingBalance', money: true },
          { header: 'Solde final (calculé)', key: 'computedClosingBalance', money: true },
          { header: 'Écart', key: 'difference', money: true },
          { header: 'Contrôle', key: 'verdict' },
        ],
      ),
  );

  app.get(
    '/api/exports/ageing.xlsx',
    fileRoute('Receivables ageing per customer (0-30, 31-60, 61-90, >90 days), as Excel', Type.Object(AsOf), XLSX_TYPE),
    async (request, reply) =>
      sendWorkbook(
        request,
        reply,
        { name: 'anciennete.xlsx', sheet: 'Ancienneté' },
        async (pharmacyId, offset) => {
          const { asOf } = request.query;
          const page = await requestRpc(app.nats, storageAgeingRpc, { pharmacyId, asOf, offset, limit: PAGE }, rpc);
          return { total: page.total, items: page.customers };
        },
        [
          { header: 'Code client', key: 'clientKey' },
          { header: 'Nom', key: 'name', width: 36 },
          { header: '0-30 jours', key: 'days0to30', money: true },
          { header: '31-60 jours', key: 'days31to60', money: true },
          { header: '61-90 jours', key: 'days61to90', money: true },
          { header: '> 90 jours', key: 'over90', money: true },
          { header: 'Impayé', key: 'outstanding', money: true },
          { header: 'Crédit non affecté', key: 'unappliedCredit', money: true },
          { header: 'Solde', key: 'balance', money: true },
        ],
      ),
  );
};
