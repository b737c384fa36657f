import { Readable } from 'node:stream';
import {
  ClientKey,
  IsoDate,
  IsoDateTime,
  LAYOUT_DUMPS_BUCKET,
  LAYOUT_DUMPS_KEEP_DAYS,
  layoutDumpName,
} from '@pharma/shared/contracts';
import { NotFoundError } from '@pharma/shared/errors';
import { type JobStore, lazyObjectStore, ttlOfDays } from '@pharma/shared/messaging';
import { type Static, Type } from '@sinclair/typebox';
import type { RoutesPlugin } from './route-kit.js';
import { authErrorsWith404, FileBody, JobParams } from './schemas.js';

const DumpParams = Type.Object({ ...JobParams.properties, clientKey: ClientKey, from: IsoDate, to: IsoDate });

const LayoutDumpSummary = Type.Object({
  clientKey: Type.String(),
  from: IsoDate,
  to: IsoDate,
  /** The rejection code, or `mismatch`. */
  outcome: Type.String(),
  /** Which text reader the parser used: `fast` or `pdfjs`. */
  via: Type.Optional(Type.String()),
  /** The producer named in the PDF's metadata. */
  producer: Type.Optional(Type.String()),
  size: Type.Integer({ minimum: 0 }),
  keptAt: IsoDateTime,
  /** Where to download it. */
  url: Type.String(),
});

const NAME = /^([0-9A-Za-z_-]{1,64})\/(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})\.json$/;

/**
 * Staff only: the redacted layout dumps the pdf-processor kept for a statements job's PDFs it could not read
 * (rejected, or parsed with balances that do not add up). Found by the job, which staff see in the jobs list; a
 * dump outlives its job (30 days against 7), so the routes read the bucket, not the job.
 */
export const layoutDumpsRoutes: RoutesPlugin<{ jobs: JobStore }> = async (app, options) => {
  // Opened with the bucket's expiry: whoever creates the bucket first, its objects go after 30 days.
  const dumps = lazyObjectStore(app.nats, LAYOUT_DUMPS_BUCKET, { ttl: ttlOfDays(LAYOUT_DUMPS_KEEP_DAYS) });

  app.get(
    '/api/jobs/:id/layout-dumps',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['jobs'],
        summary: "Staff only: the layout dumps kept for a statements job's PDFs that could not be read",
        description:
          'One per customer and period whose PDF was rejected or parsed with the verdict `mismatch`, kept 30 days. ' +
          '404 when neither the job nor any dump of it exists.',
        params: JobParams,
        response: { 200: Type.Object({ items: Type.Array(LayoutDumpSummary) }), ...authErrorsWith404 },
      },
    },
    async (request) => {
      const { id } = request.params;
      const prefix = `${id}/`;
      const items: Static<typeof LayoutDumpSummary>[] = [];
      for (const info of await (await dumps()).list()) {
        if (info.deleted || !info.name.startsWith(prefix)) continue;
        const match = NAME.exec(info.name.slice(prefix.length));
        if (!match) continue;
        const [, clientKey, from, to] = match as unknown as [string, string, string, string];
        const metadata = info.metadata ?? {};
        items.push({
          clientKey,
          from,
          to,
          outcome: metadata.outcome ?? 'unknown',
          ...(metadata.via ? { via: metadata.via } : {}),
          ...(metadata.producer ? { producer: metadata.producer } : {}),
          size: info.size,
          keptAt: new Date(info.mtime).toISOString(),
          url: `/api/jobs/${encodeURIComponent(id)}/layout-dumps/${clientKey}/${from}/${to}`,
        });
      }
      if (items.length === 0 && !(await options.jobs.get(id))) throw new NotFoundError(`Job ${id} does not exist`);
      items.sort((a, b) => a.clientKey.localeCompare(b.clientKey) || a.from.localeCompare(b.from));
      return { items };
    },
  );

  app.get(
    '/api/jobs/:id/layout-dumps/:clientKey/:from/:to',
    {
      preValidation: app.staffOnly,
      schema: {
        tags: ['jobs'],
        summary: "Staff only: one statement PDF's redacted layout dump (JSON)",
        description:
          'Text items with their position, width, font and size (digits as 9, letters as x, except the ' +
          "statement's header and balance words), page sizes, the fonts' real names, the text reader the parser " +
          "used and the PDF's producer and creator. It holds no name, amount, date or reference of the statement.",
        params: DumpParams,
        produces: ['application/json'],
        response: { 200: FileBody('The dump (JSON)'), ...authErrorsWith404 },
      },
    },
    async (request, reply) => {
      const { id, clientKey, from, to } = request.params;
      const object = await (await dumps()).get(layoutDumpName({ jobId: id, clientKey, from, to }));
      if (!object) throw new NotFoundError('No layout dump of this statement (none was kept, or it expired)');
      const file = `layout-${id.replace(/[^\w.-]/g, '')}-${clientKey}-${from}_${to}.json`;
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`);
      return reply.send(Readable.fromWeb(object.data as never));
    },
  );
};
