import type { Command } from '../command.js';
import { type Job, jobPath } from '../gateway-client.js';
import { gatewayCommand } from '../gateway-command.js';
import { followJob } from '../job-runner.js';
import { countOption, query, required } from '../option-values.js';
import { table } from '../output.js';

const describeJob = (job: Job) =>
  [
    `${job.id}  ${job.kind}  ${job.status}${job.cancelRequested && job.status !== 'cancelled' ? ' (cancel requested)' : ''}`,
    `progress ${job.progress.done}/${job.progress.total} ${job.progress.stage}${job.progress.message ? ` ${job.progress.message}` : ''}`,
    ...(job.result ? [`result ${JSON.stringify(job.result)}`] : []),
    ...job.errors.map((e) => `  ${e.item}: ${e.code} ${e.message}`),
  ].join('\n');

export const jobsCommands: Command[] = [
  gatewayCommand<{ items: Job[] }>(
    {
      name: 'jobs',
      usage: '[--status S]... [--kind K] [--limit N]',
      summary: 'recent jobs, newest first (yours; every job for staff)',
    },
    ({ options }) =>
      `/api/jobs${query({ status: options.status, kind: options.kind, limit: countOption(options.limit, 'limit') })}`,
    ({ items }) =>
      table(items, [
        ['ID', (j) => j.id],
        ['KIND', (j) => j.kind],
        ['STATUS', (j) => j.status],
        ['PROGRESS', (j) => `${j.progress.done}/${j.progress.total}`],
      ]),
    ({ items }) => items,
  ),
  gatewayCommand<Job>(
    { name: 'jobs show', usage: 'ID', summary: 'one job: status, progress, result and per-item errors' },
    ({ args }) => jobPath(required(args, 'job id')),
    describeJob,
  ),
  {
    name: 'jobs watch',
    usage: 'ID',
    summary: 'follow a job until it ends (Ctrl-C cancels it); exits as `pharma` does for the job it started',
    run: async ({ client, out, args }) => {
      const job = await client.json<Job>(jobPath(required(args, 'job id')));
      return followJob(client, out, job);
    },
  },
  gatewayCommand<Job>(
    { name: 'jobs cancel', usage: 'ID', summary: 'ask a job to stop (a queued job is cancelled at once)' },
    ({ args }) => ({ path: jobPath(required(args, 'job id')), method: 'DELETE' }),
    describeJob,
  ),
];
