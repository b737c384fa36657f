import { createHash } from 'node:crypto';
import { toError } from '@pharma/shared/errors';
import type { JobRun } from '@pharma/shared/jobs';
import type { Log } from '@pharma/shared/logger';
import type { EventPayload, ObjectStore } from '@pharma/shared/messaging';
import { deleteObjectRevision, publishEvent } from '@pharma/shared/messaging';
import { forEachLimited } from '../domain/concurrency.js';
import type { CustomerRecord } from '../domain/customer-list.js';
import { checkPdf } from '../domain/pdf-check.js';
import type { SobrusHttp } from '../http/sobrus-http.js';
import { untilNatsAnswers } from '../jobs/nats-retry.js';
import { listCustomers, recordListing } from './customer-listing.js';
import { openSobrusJob, type SobrusJobDeps } from './sobrus-job.js';

export const STATEMENTS_BUCKET = 'statements';

export interface StatementsRefreshDeps extends SobrusJobDeps {
  store: () => Promise<ObjectStore>;
}

type Request = EventPayload<'sobrus.statements.refresh.requested'>;

export const statementUrl = (apiUrl: string, clientKey: string, from: string, to: string) =>
  `${apiUrl}/customers/export-customer-statement?type=advanced&start_date=${from}&end_date=${to}&customer_id=${encodeURIComponent(clientKey)}`;

/**
 * One name per job, customer and period, whatever bytes Sobrus serves: a job taken up again after a crash puts
 * its download over the one it left (a new version of the same object), never beside it under a second name.
 */
export const statementObjectName = (pharmacyId: string, clientKey: string, from: string, to: string, jobId: string) =>
  `${pharmacyId}/${clientKey}/${from}_${to}/${jobId}.pdf`;

/** The statements job: each customer's advanced statement PDF into the object store, one event per PDF. */
export async function refreshStatements(deps: StatementsRefreshDeps, request: Request): Promise<void> {
  const job = await openSobrusJob(deps, request, 'statements.refresh', 'customers');
  if (!job) return;
  const { pharmacyId, log, run, started, sessions, http } = job;
  let downloaded = 0;
  let failed = 0;
  let bytes = 0;
  try {
    const listing = await listCustomers(deps, sessions, http, {
      jobId: request.jobId,
      signal: run.signal,
      onPage: (done, total) => run.report(done, total, 'customers'),
    });
    const how = recordListing(run, listing);
    const targets = chooseCustomers(listing.customers, request.clientKeys, run);
    failed += (request.clientKeys?.length ?? 0) > 0 ? request.clientKeys!.length - targets.length : 0;
    const store = await deps.store();
    run.report(0, targets.length, 'statements');
    await forEachLimited(
      targets,
      deps.config.statements.concurrency,
      async (customer) => {
        try {
          const size = await downloadOne(deps, http, store, request, pharmacyId, customer, run.signal, log);
          downloaded += 1;
          bytes += size;
        } catch (thrown) {
          if (run.signal.aborted) return;
          failed += 1;
          const error = toError(thrown);
          const code = (error as { code?: string }).code ?? 'FAILED';
          run.addError(customer.clientKey, code, error.message);
          await untilNatsAnswers(
            () => publishDownloadFailure(deps, request, pharmacyId, customer.clientKey, code, error.message),
            { what: 'failure event', log, signal: run.signal },
          ).catch((publishError) =>
            log.warn({ err: publishError, clientKey: customer.clientKey }, 'failure event not published'),
          );
          if ((error as { code?: string }).code === 'SOBRUS_RELOGIN_REQUIRED') throw error;
        }
        run.report(downloaded + failed, targets.length, 'statements', customer.name);
      },
      run.signal,
    );
    const result = {
      customers: targets.length,
      list: how,
      downloaded,
      failed,
      bytes,
      from: request.from,
      to: request.to,
      wallMs: Date.now() - started,
      ...http.stats(),
    };
    if (run.signal.aborted) {
      await run.finish('cancelled', result);
      log.info(result, 'statements refresh cancelled');
      return;
    }
    // Item failures are listed in the job's errors; the job fails only when nothing could be downloaded.
    await run.finish(downloaded === 0 && failed > 0 ? 'failed' : 'succeeded', result);
    log.info(result, 'statements refreshed');
  } catch (thrown) {
    const error = toError(thrown);
    const result = { downloaded, failed, bytes, wallMs: Date.now() - started, ...http.stats() };
    if (run.signal.aborted) {
      await run.finish('cancelled', result);
      return;
    }
    run.addError('statements', (error as { code?: string }).code ?? 'FAILED', error.message);
    await run.finish('failed', result);
    log.warn({ reason: error.message }, 'statements refresh failed');
  } finally {
    run.stop();
  }
}

function chooseCustomers(all: CustomerRecord[], keys: string[] | undefined, run: JobRun): CustomerRecord[] {
  if (!keys || keys.length === 0) return all;
  const byKey = new Map(all.map((customer) => [customer.clientKey, customer]));
  const chosen: CustomerRecord[] = [];
  for (const key of new Set(keys)) {
    const customer = byKey.get(key);
    if (customer) chosen.push(customer);
    else run.addError(key, 'UNKNOWN_CUSTOMER', 'no customer of this pharmacy has this client key');
  }
  return chosen;
}

async function downloadOne(
  deps: StatementsRefreshDeps,
  http: SobrusHttp,
  store: ObjectStore,
  request: Request,
  pharmacyId: string,
  customer: CustomerRecord,
  signal: AbortSignal,
  log: Log,
): Promise<number> {
  const response = await http.get(
    statementUrl(deps.config.sobrus.apiUrl, customer.clientKey, request.from, request.to),
    {
      signal,
      validate: (answer) =>
        checkPdf(
          answer.body,
          { contentType: answer.contentType, contentLength: answer.contentLength },
          deps.config.statements.maxPdfBytes,
        ),
    },
  );
  const sha256 = createHash('sha256').update(response.body).digest('hex');
  const name = statementObjectName(pharmacyId, customer.clientKey, request.from, request.to, request.jobId);
  // The PDF is in hand: from here on only NATS can fail, and an outage is waited out rather than losing it.
  const retry = { log: log.child({ clientKey: customer.clientKey }), signal };
  const earlier = await untilNatsAnswers(() => store.info(name), { ...retry, what: 'statement PDF lookup' });
  const stored = await untilNatsAnswers(() => store.putBlob({ name }, response.body), {
    ...retry,
    what: 'statement PDF put',
  });
  let uncertain = false;
  const published = await untilNatsAnswers(
    async () => {
      try {
        return await publishEvent(
          deps.nats,
          'sobrus.statement.pdf.ready',
          {
            jobId: request.jobId,
            pharmacyId,
            clientKey: customer.clientKey,
            customerName: customer.name,
            from: request.from,
            to: request.to,
            object: { bucket: STATEMENTS_BUCKET, name, size: response.body.length, sha256 },
            downloadedAt: new Date().toISOString(),
            ...(request.correlationId ? { correlationId: request.correlationId } : {}),
          },
          {
            msgId: `pdf-ready:${pharmacyId}:${customer.clientKey}:${request.from}:${request.to}:${sha256}`,
            correlationId: request.correlationId,
          },
        );
      } catch (error) {
        // It may have reached the stream all the same: a duplicate then can be this very event.
        uncertain = true;
        throw error;
      }
    },
    { ...retry, what: 'statement ready event' },
  );
  // The same PDF announced moments ago (a job taken up again after a crash) and already parsed: its object was
  // deleted before this put, so the version just put has no event to process it. Only that version is removed:
  // a later put of the name is left alone. When the earlier version was still there, its event may be about to
  // read this one and it stays; if it was parsed meanwhile, the pdf-processor's sweep removes it later.
  if (published.duplicate && !uncertain && (!earlier || earlier.deleted)) {
    await deleteObjectRevision(deps.nats, STATEMENTS_BUCKET, stored).catch((error) =>
      retry.log.warn({ err: error, object: name }, 'PDF not removed'),
    );
  }
  return response.body.length;
}

/** Downstream (the pharmacy's database) learns that this statement is missing for the period, and why. */
function publishDownloadFailure(
  deps: StatementsRefreshDeps,
  request: Request,
  pharmacyId: string,
  clientKey: string,
  code: string,
  reason: string,
) {
  return publishEvent(
    deps.nats,
    'sobrus.statement.failed',
    {
      jobId: request.jobId,
      pharmacyId,
      clientKey,
      from: request.from,
      to: request.to,
      code,
      reason,
      failedAt: new Date().toISOString(),
      ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    },
    { msgId: `download-failed:${request.jobId}:${clientKey}`, correlationId: request.correlationId },
  );
}
