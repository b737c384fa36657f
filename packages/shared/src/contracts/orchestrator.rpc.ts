// NATS request/reply contracts of the orchestrator service (`services/orchestrator`).
import { type TSchema, Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';
import { Id, IsoDateTime } from './common.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const OrchestratorRunStatus = Type.Union([
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('locked'),
  Type.Literal('cancelled'),
]);

export const OrchestratorRun = Type.Object({
  id: Id,
  trigger: Type.String({ description: 'request, schedule or scan' }),
  lockScope: Type.String(),
  status: OrchestratorRunStatus,
  startedAt: IsoDateTime,
  completedAt: Nullable(IsoDateTime),
  counts: Type.Record(Type.String(), Type.Integer(), {
    description: 'Tasks per registry status written and per error reason',
  }),
  error: Nullable(Type.String()),
});

export const OrchestratorTaskRun = Type.Object({
  id: Type.Integer(),
  runId: Id,
  fileId: Type.Integer(),
  filePath: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  status: Type.String({ description: 'running, PROCESSING, CREATED, ERROR, or ABANDONED (its runner died)' }),
  reason: Nullable(Type.String()),
  detail: Nullable(Type.String({ description: 'e.g. the header difference of BAD_HEADER' })),
  script: Nullable(Type.String()),
  startedAt: IsoDateTime,
  finishedAt: Nullable(IsoDateTime),
  durationMs: Nullable(Type.Integer()),
  scriptMs: Nullable(Type.Integer()),
  exitCode: Nullable(Type.Integer()),
  outputFile: Nullable(Type.String()),
  readyFile: Nullable(Type.String()),
  rowsLoaded: Nullable(Type.Integer()),
  stdoutTail: Nullable(Type.String()),
  stderrTail: Nullable(Type.String()),
});

export const startOrchestratorRunRpc = defineRpc({
  subject: 'rpc.orchestrator.runs.start',
  request: Type.Object({
    requestedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    correlationId: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  response: Type.Object({ jobId: Id }),
  description: 'Starts a run as a job (kind orchestrator.run); the job id is the run id',
});

export const getOrchestratorRunRpc = defineRpc({
  subject: 'rpc.orchestrator.runs.get',
  request: Type.Object({
    runId: Id,
    taskLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 500 })),
  }),
  response: Type.Object({ run: OrchestratorRun, tasks: Type.Array(OrchestratorTaskRun) }),
  description: 'One run: status, counts and its task runs (404 if unknown)',
});

export const listOrchestratorRunsRpc = defineRpc({
  subject: 'rpc.orchestrator.runs.list',
  request: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }),
  response: Type.Object({ items: Type.Array(OrchestratorRun) }),
  description: 'Recent runs, newest first',
});

export const fileTaskRunsRpc = defineRpc({
  subject: 'rpc.orchestrator.files.task-runs',
  request: Type.Object({ fileId: Type.Integer({ minimum: 1 }) }),
  response: Type.Object({ fileId: Type.Integer(), items: Type.Array(OrchestratorTaskRun) }),
  description: 'Every attempt at one registry file, oldest first, with reasons, timings and output tails',
});
