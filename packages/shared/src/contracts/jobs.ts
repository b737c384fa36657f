import { Type } from '@sinclair/typebox';
import { Id, IsoDateTime } from './common.js';

/**
 * `partial`: the work finished but some of its items failed (listed in `errors`). Final, like `succeeded`,
 * `failed` and `cancelled`. It came later than the others: a reader should take any status but `queued` and
 * `running` as final.
 */
export const JobStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('partial'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const JobKind = Type.Union([
  Type.Literal('clients.refresh'),
  Type.Literal('statements.refresh'),
  Type.Literal('sales.import'),
  Type.Literal('registry.scan'),
  Type.Literal('orchestrator.run'),
]);

export const JobItemError = Type.Object({
  item: Type.String(),
  code: Type.String(),
  message: Type.String(),
});

/**
 * Every code a job's `progress.stage` takes, with the `params` it comes with: clients translate these (the web app's
 * dictionaries hold each one). A stage outside this list is shown as it is.
 */
export const JOB_STAGES = {
  queued: [],
  running: [],
  login: [],
  customers: [],
  pages: [],
  statements: [],
  walking: [],
  checking: ['files'],
  registering: ['files'],
  publishing: ['files'],
  starting: [],
  importing: ['kind'],
  reading: ['kind', 'mib'],
  done: [],
  customersFound: ['customers'],
  succeeded: [],
  partial: [],
  failed: [],
  stopped: [],
  cancelled: [],
} as const satisfies Record<string, readonly string[]>;

export type JobStage = keyof typeof JOB_STAGES;

export const Job = Type.Object({
  id: Id,
  kind: JobKind,
  /** Pharmacy e-mail or staff account that started it: the only one who sees it (besides staff). */
  owner: Type.String(),
  status: JobStatus,
  progress: Type.Object({
    done: Type.Integer({ minimum: 0 }),
    total: Type.Integer({ minimum: 0 }),
    stage: Type.String({
      description: 'What the job is doing, as a code (see JOB_STAGES): clients write it in their language',
    }),
    message: Type.Optional(
      Type.String({ description: 'The item at hand (a customer name, a URL, a folder) or an error, shown as it is' }),
    ),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
        description: "The values of the stage's words (counts, a kind): with them a client writes the whole line",
      }),
    ),
  }),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  errors: Type.Array(JobItemError),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  cancelRequested: Type.Optional(Type.Boolean()),
  correlationId: Type.Optional(Type.String()),
});

/** Object store bucket of the scraper's diagnostic bundles (masked, kept 30 days). */
export const DIAGNOSTICS_BUCKET = 'scraper-diagnostics';

/** Where a job's diagnostic bundle is: `result.diagnostics` of a customers refresh that could not learn the list. */
export const JobDiagnostics = Type.Object({
  bucket: Type.Literal(DIAGNOSTICS_BUCKET),
  name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,200}$' }),
  size: Type.Integer({ minimum: 0 }),
});
