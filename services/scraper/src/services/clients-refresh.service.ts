import { toError } from '@pharma/shared/errors';
import type { EventPayload } from '@pharma/shared/messaging';
import { publishEvent } from '@pharma/shared/messaging';
import { CountMismatchError } from '../domain/customer-list.js';
import { untilNatsAnswers } from '../jobs/nats-retry.js';
import { listCustomers, recordListing } from './customer-listing.js';
import { openSobrusJob, type SobrusJobDeps } from './sobrus-job.js';

export type ClientsRefreshDeps = SobrusJobDeps;

type Request = EventPayload<'sobrus.clients.refresh.requested'>;

/** The customers refresh job: every customer with its client key, published as `sobrus.clients.extracted`. */
export async function refreshClients(deps: ClientsRefreshDeps, request: Request): Promise<void> {
  const job = await openSobrusJob(deps, request, 'clients.refresh', 'login');
  if (!job) return;
  const { pharmacyId, log, run, started, sessions, http } = job;
  try {
    await sessions.current();
    const listing = await listCustomers(deps, sessions, http, {
      jobId: request.jobId,
      signal: run.signal,
      onPage: (done, total) => run.report(done, total, 'pages'),
    });
    const extracted = () =>
      publishEvent(
        deps.nats,
        'sobrus.clients.extracted',
        {
          jobId: request.jobId,
          pharmacyId,
          extractedAt: new Date().toISOString(),
          siteTotal: listing.siteTotal,
          customers: listing.customers,
          ...(request.correlationId ? { correlationId: request.correlationId } : {}),
        },
        { msgId: `clients-extracted:${request.jobId}`, correlationId: request.correlationId },
      );
    await untilNatsAnswers(extracted, { what: 'customer list event', log, signal: run.signal });
    const how = recordListing(run, listing);
    const customers = listing.customers.length;
    run.report(listing.pages, listing.pages, 'customersFound', undefined, { customers });
    const result = {
      customers: listing.customers.length,
      siteTotal: listing.siteTotal,
      pages: listing.pages,
      ...how,
      wallMs: Date.now() - started,
      ...http.stats(),
    };
    await run.finish('succeeded', result);
    log.info(result, 'customers refreshed');
  } catch (thrown) {
    const error = toError(thrown);
    if (run.signal.aborted) {
      await run.finish('cancelled', { wallMs: Date.now() - started });
      log.info({ jobId: request.jobId }, 'customers refresh cancelled');
      return;
    }
    const code =
      error instanceof CountMismatchError ? 'COUNT_MISMATCH' : ((error as { code?: string }).code ?? 'FAILED');
    run.addError('customers', code, error.message);
    await run.finish('failed', { wallMs: Date.now() - started, ...http.stats() });
    log.warn({ code, reason: error.message }, 'customers refresh failed');
  } finally {
    run.stop();
  }
}
