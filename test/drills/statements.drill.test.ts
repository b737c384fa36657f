import { type NatsContext, objectStoreLayout, openObjectStore } from '@pharma/shared/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumerBacklog,
  observe,
  type Platform,
  platformLogs,
  since,
  startDrillPlatform,
  waitReady,
} from './support/drill-platform.js';
import { DrillReport } from './support/drill-report.js';
import { GatewayUser } from './support/gateway-user.js';
import { type DbDump, describeDiff, diffDumps, dumpDatabase, rowCounts } from './support/pharmacy-db.js';
import { replicaDump, waitReplicated } from './support/replica.js';

// A full statements job of the simulator's demo pharmacy (259 customers, 2017-01-01 → yesterday) driven through
// the gateway like a user, first undisturbed, then while processes are killed and NATS and S3 stop. The pharmacy
// database after each disturbed run must equal the undisturbed one (see pharmacy-db.ts for what is compared).

const DEMO = { email: 'demo@pharmacie-demo.ma', password: 'demo1234', customers: 259 };
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.parse(today) - 86_400_000).toISOString().slice(0, 10);
const PERIOD = { from: '2017-01-01', to: yesterday };
// Statement PDFs answer this much later, so that a job lasts long enough for faults to land in the middle of it.
const STATEMENT_LATENCY_MS = 600;
// The pdf-processor sweeps the statements bucket often here, with the shortest grace period it accepts: an object
// whose event was lost (or taken for a duplicate) is removed within about 3 minutes instead of 30.
const SWEEP = { intervalMs: 10_000, graceMs: 180_000 };

const report = new DrillReport('statements job of 259 customers');
let platform: Platform;
let user: GatewayUser;
let nats: NatsContext;
let baseline: DbDump | undefined;
let run = 0;

/**
 * A pipeline as new for the next run: every service restarts on a NATS prefix of its own (new streams, so no
 * message id of an earlier run is taken for a duplicate) and storage-sync on a new folder and S3 prefix, so
 * the pharmacy's database starts empty. PostgreSQL (the login session), S3 and the simulator stay.
 */
async function freshPipeline(): Promise<void> {
  run += 1;
  const services = Object.values(platform.services);
  await Promise.all(services.map((service) => service.stop()));
  for (const service of services) service.setEnv({ NATS_PREFIX: `run${run}` });
  platform.services['storage-sync'].setEnv({
    STORAGE_SYNC_DATA_DIR: `${platform.dataDir}/storage-sync-run${run}`,
    STORAGE_SYNC_S3_PREFIX: `run${run}`,
  });
  await Promise.all(services.map((service) => service.start()));
  await waitReady(platform);
  await nats?.nc.close();
  nats = await observe(platform, `run${run}`);
}

async function setStatementLatency(ms: number): Promise<void> {
  const response = await fetch(`${platform.simulator?.appUrl}/__sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: { statement: ms } }),
  });
  expect(response.ok).toBe(true);
}

/** Statements stored so far (customers with a verdict), or undefined while the answer cannot be had. */
async function storedStatements(): Promise<number | undefined> {
  try {
    const balances = await user.balances();
    return balances.total - balances.verdicts.none;
  } catch {
    return undefined;
  }
}

/**
 * Waits until every statement is stored and nothing is left in flight: the job ended, each customer has a
 * verdict, and no consumer of the statements pipeline holds a message (twice in a row, a second apart).
 */
async function waitSettled(jobId: string) {
  const job = await user.waitJob(jobId, 600_000);
  let idleChecks = 0;
  await user.until(
    'every statement stored and the pipeline idle',
    async () => ({
      balances: await user.balances(),
      backlog: await consumerBacklog(nats, 'SOBRUS'),
    }),
    ({ balances, backlog }) => {
      const idle =
        balances.total === DEMO.customers &&
        balances.verdicts.none === 0 &&
        Object.values(backlog).every((count) => count === 0);
      idleChecks = idle ? idleChecks + 1 : 0;
      return idleChecks >= 2;
    },
    { timeoutMs: 600_000, intervalMs: 1_000 },
  );
  return job;
}

/** Runs the customers refresh, then starts the statements job; answers its id and start time. */
async function startStatementsJob(): Promise<{ jobId: string; started: number }> {
  const clients = await user.waitJob(await user.startClientsRefresh());
  expect(clients.status, JSON.stringify(clients)).toBe('succeeded');
  return { jobId: await user.startStatementsRefresh(PERIOD.from, PERIOD.to), started: Date.now() };
}

/** The job's progress, or undefined while the gateway cannot answer. */
async function progress(jobId: string) {
  try {
    return (await user.job(jobId)).progress;
  } catch {
    return undefined;
  }
}

/** Statement PDFs in the bucket, and chunk sets in its stream (a put cut short leaves chunks no listing shows). */
async function bucketContents(): Promise<{ objects: string[]; chunkSets: number }> {
  const objects = (await (await openObjectStore(nats, 'statements')).list()).map((object) => object.name);
  const layout = objectStoreLayout(nats, 'statements');
  const info = await nats.jsm.streams.info(layout.stream, { subjects_filter: layout.allChunks });
  return { objects, chunkSets: Object.keys(info.state.subjects ?? {}).length };
}

/**
 * Waits for the pdf-processor's sweep to leave the bucket empty: an object whose event was lost goes once it is
 * older than the grace period and no pending message names it. Answers what is left when the time is up.
 */
async function bucketSwept(): Promise<{
  objects: string[];
  chunkSets: number;
  atEnd: { objects: number; chunkSets: number };
  waitS: number;
}> {
  const started = Date.now();
  const deadline = started + SWEEP.graceMs + 3 * SWEEP.intervalMs + 30_000;
  let atEnd: { objects: number; chunkSets: number } | undefined;
  for (;;) {
    const contents = await bucketContents().catch(() => undefined);
    if (contents) {
      atEnd ??= { objects: contents.objects.length, chunkSets: contents.chunkSets };
      const empty = contents.objects.length === 0 && contents.chunkSets === 0;
      if (empty || Date.now() > deadline) return { ...contents, atEnd, waitS: since(started) };
    } else if (Date.now() > deadline) {
      throw new Error('the statements bucket could not be read');
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

function withLogs<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((error: Error) => {
    error.message = `${error.message}\n${platformLogs(platform)}`;
    throw error;
  });
}

beforeAll(async () => {
  platform = await startDrillPlatform({
    services: ['gateway', 'auth', 'scraper', 'pdf-processor', 'storage-sync'],
    simulator: { env: { SIM_TODAY: today } },
    serviceEnv: {
      'pdf-processor': {
        PDF_PROCESSOR_SWEEP_INTERVAL_MS: String(SWEEP.intervalMs),
        PDF_PROCESSOR_SWEEP_GRACE_MS: String(SWEEP.graceMs),
      },
    },
  });
  await waitReady(platform);
  nats = await observe(platform, platform.infra.natsPrefix);
  user = new GatewayUser(platform.gatewayUrl, DEMO.email, DEMO.password);
  await user.login();
});

afterAll(async () => {
  await nats?.nc.close();
  await platform?.stop();
  console.log(report.render());
});

describe('failure drills: statements job', () => {
  it('an undisturbed run stores every statement (the reference database)', async () => {
    const drill = 'undisturbed run';
    await setStatementLatency(0);
    const { jobId, started } = await startStatementsJob();
    const job = await withLogs(waitSettled(jobId));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.errors).toEqual([]);
    baseline = dumpDatabase(await user.pharmacyDb());
    const counts = rowCounts(baseline);
    expect(counts).toMatchObject({
      customers: DEMO.customers,
      statements: DEMO.customers,
      solde_final: DEMO.customers,
    });
    expect(counts.transactions).toBeGreaterThan(DEMO.customers);
    report.outcome({
      drill,
      durationS: since(started),
      outcome: `job ${job.status}, ${JSON.stringify(counts)}`,
      finalDiff: '(reference)',
    });
  });

  it('kill -9 of scraper, storage-sync, pdf-processor and gateway, NATS down 10 s and S3 down 30 s, all mid-job: the job completes with the same database, and the S3 replica catches up', async () => {
    const drill = 'faults during one job';
    expect(baseline, 'the reference run must have passed').toBeDefined();
    await freshPipeline();
    await setStatementLatency(STATEMENT_LATENCY_MS);
    const { jobId, started } = await startStatementsJob();
    const at = () => since(started);
    const { s3, nats: natsServer } = platform;
    if (!s3 || !natsServer) throw new Error('the drill platform runs its own NATS and S3');
    const storedNow = async () => `${(await storedStatements()) ?? '?'} statements stored`;
    /** Waits until more statements are stored than `before`: the pipeline moves again. */
    const storingAgain = (what: string, before: number) =>
      withLogs(user.until(what, storedStatements, (n) => (n ?? 0) > before, { timeoutMs: 300_000 }));

    // 1. scraper, once 40 statements are downloaded. The job's request is redelivered to the restarted scraper,
    //    which starts the downloads over: recovered when the job's progress is seen starting again.
    const killedAt = (
      await withLogs(
        user.until(
          '40 downloaded',
          () => progress(jobId),
          (p) => (p?.done ?? 0) >= 40,
        ),
      )
    )?.done as number;
    let fault = Date.now();
    await platform.services.scraper.kill('SIGKILL');
    const scraperEvent = report.event({
      drill,
      action: 'kill -9 scraper, restart',
      atS: at(),
      context: `${killedAt}/${DEMO.customers} downloaded, ${await storedNow()}`,
    });
    await platform.services.scraper.start();
    const scraperFault = fault;
    const resumed = withLogs(
      user.until(
        'the restarted scraper to take the job up again',
        () => progress(jobId),
        (p) => (p?.done ?? killedAt) < killedAt,
        {
          timeoutMs: 300_000,
          intervalMs: 100,
        },
      ),
    ).then(() => {
      scraperEvent.recoveryS = since(scraperFault);
      scraperEvent.recovery = 'job taken up again (downloads start over)';
    });

    // 2. S3, once statements are being stored: down for 30 s, meanwhile the rest goes on.
    await withLogs(user.until('20 statements stored', storedStatements, (n) => (n ?? 0) >= 20));
    await s3.stop();
    const s3Stopped = Date.now();
    const s3Event = report.event({
      drill,
      action: 'S3 server stopped for 30 s',
      atS: at(),
      context: await storedNow(),
    });
    const s3Back = new Promise((resolve) => setTimeout(resolve, 30_000)).then(async () => {
      await s3.start();
      s3Event.context += `; started again at t+${at().toFixed(1)} s`;
    });

    // 3. storage-sync, once 40 statements are stored: recovered when it stores again.
    let stored = (await withLogs(user.until('40 statements stored', storedStatements, (n) => (n ?? 0) >= 40))) ?? 0;
    fault = Date.now();
    await platform.services['storage-sync'].kill('SIGKILL');
    const storageEvent = report.event({
      drill,
      action: 'kill -9 storage-sync, restart',
      atS: at(),
      context: `${stored} statements stored`,
    });
    await platform.services['storage-sync'].start();
    stored = (await storingAgain('storage-sync to store again', stored)) ?? 0;
    storageEvent.recoveryS = since(fault);
    storageEvent.recovery = 'storing again';

    // 4. pdf-processor, right after: the PDFs it held come back to it after their ack wait.
    const beforePdf = await storedNow();
    fault = Date.now();
    await platform.services['pdf-processor'].kill('SIGKILL');
    const pdfEvent = report.event({
      drill,
      action: 'kill -9 pdf-processor, restart',
      atS: at(),
      context: beforePdf,
    });
    await platform.services['pdf-processor'].start();
    await storingAgain('parsed statements stored again', (await storedStatements()) ?? 0);
    pdfEvent.recoveryS = since(fault);
    pdfEvent.recovery = 'parsed statements stored again';

    // 5. gateway: the user's next call waits for it.
    const beforeGateway = await storedNow();
    fault = Date.now();
    await platform.services.gateway.kill('SIGKILL');
    const gatewayEvent = report.event({
      drill,
      action: 'kill -9 gateway, restart',
      atS: at(),
      context: beforeGateway,
    });
    await platform.services.gateway.start();
    await withLogs(
      user.until(
        'the gateway to answer',
        () => user.job(jobId),
        () => true,
      ),
    );
    gatewayEvent.recoveryS = since(fault);
    gatewayEvent.recovery = 'gateway answering the job again';

    // 6. NATS, for 10 s.
    const context = await storedNow();
    await natsServer.stop();
    const natsStopped = Date.now();
    const natsEvent = report.event({ drill, action: 'NATS stopped for 10 s', atS: at(), context });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await natsServer.start();
    await storingAgain('the pipeline to move again after NATS', (await storedStatements()) ?? 0);
    natsEvent.recoveryS = since(natsStopped);
    natsEvent.recovery = 'statements stored again (from the stop)';

    await resumed;
    await s3Back;
    const job = await withLogs(waitSettled(jobId));
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.errors).toEqual([]);
    expect(job.result).toMatchObject({ downloaded: DEMO.customers, failed: 0 });
    const diff = describeDiff(diffDumps(baseline as DbDump, dumpDatabase(await user.pharmacyDb())));
    // Every PDF put in the object store was parsed and deleted, or, when its event was lost to a restart, swept
    // by the pdf-processor: none is left behind for good.
    const swept = bucketSwept();
    swept.catch(() => {}); // awaited below, after the replica

    await withLogs(waitReplicated(nats, DEMO.email));
    s3Event.recoveryS = since(s3Stopped);
    s3Event.recovery = 'S3 replica up to date (from the stop)';
    const replica = await replicaDump(platform, `run${run}`);
    const replicaDiff = describeDiff(diffDumps(dumpDatabase(await user.pharmacyDb(), { exact: true }), replica));
    const bucket = await swept;
    report.outcome({
      drill,
      durationS: at(),
      outcome: `job ${job.status} (${JSON.stringify(job.result?.downloaded)} downloaded; object store when the job settled: ${bucket.atEnd.objects} PDF(s) and ${bucket.atEnd.chunkSets} chunk set(s), ${bucket.objects.length} and ${bucket.chunkSets} left ${bucket.waitS.toFixed(0)} s later); S3 replica vs local database: ${replicaDiff === 'none' ? 'equal' : `DIFFERENT\n${replicaDiff}`}`,
      finalDiff: diff,
    });
    expect(diff, 'pharmacy database differs from the undisturbed run').toBe('none');
    expect(replicaDiff, 'S3 replica differs from the local database').toBe('none');
    expect(bucket.objects, 'statement PDFs left in the object store').toEqual([]);
    expect(bucket.chunkSets, 'chunk sets left in the object store').toBe(0);
  });
});
