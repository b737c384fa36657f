import { Id, listSalesRejectsRpc, SalesFileKind } from '@pharma/shared/contracts';
import { csvLine, UTF8_BOM } from '@pharma/shared/csv';
import { requestRpc } from '@pharma/shared/messaging';
import { Type } from '@sinclair/typebox';
import { allPages } from '../services/all-pages.js';
import { attachment, CSV_TYPE } from '../services/file-reply.js';
import type { RoutesPlugin } from './route-kit.js';
import { authErrors, FileBody } from './schemas.js';

const RunParams = Type.Object({ id: Id });
const Kind = { kind: Type.Optional(SalesFileKind) };
const CsvSeparator = Type.Union([Type.Literal(','), Type.Literal(';')], { default: ';' });
const HEADER = ['fichier', 'ligne', 'motif', 'message', 'contenu', 'url'];

/** The rows a sales import refused, with the reason of each: as a page to read, or as a CSV file to fix them in. */
export const salesRejectsRoutes: RoutesPlugin = async (app, options) => {
  app.get(
    '/api/sales/imports/:id/rejects',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Rejected rows of an import, in file order: line number, raw line, reason code and message',
        params: RunParams,
        querystring: Type.Object({
          ...Kind,
          offset: Type.Integer({ minimum: 0, default: 0 }),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
        }),
        response: { 200: listSalesRejectsRpc.response, ...authErrors },
      },
    },
    async (request) =>
      requestRpc(app.nats, listSalesRejectsRpc, { runId: request.params.id, ...request.query }, options.rpc),
  );

  app.get(
    '/api/sales/imports/:id/rejects.csv',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['sales'],
        summary: 'Every rejected row of an import as CSV (file, line, reason, message, raw line, URL)',
        params: RunParams,
        querystring: Type.Object({ ...Kind, sep: CsvSeparator }),
        produces: ['text/csv'],
        response: { 200: FileBody('CSV, UTF-8 with BOM'), ...authErrors },
      },
    },
    async (request, reply) => {
      const runId = request.params.id;
      const { kind, sep } = request.query;
      const rejects = await allPages((offset) =>
        requestRpc(app.nats, listSalesRejectsRpc, { runId, kind, offset, limit: 1000 }, options.rpc),
      );
      const lines = rejects.map((r) => csvLine([r.kind, r.lineNumber, r.reason, r.message, r.rawLine, r.url], sep));
      const text = [UTF8_BOM, csvLine(HEADER, sep), ...lines].join('');
      return attachment(reply, CSV_TYPE, `rejets_${runId}${kind ? `_${kind}` : ''}.csv`).send(text);
    },
  );
};
