import { readFile } from 'node:fs/promises';
import type { Command, CommandContext } from '../command.js';
import { usageError } from '../errors.js';
import { jsonCommand } from '../gateway-command.js';
import { countOption, monthOption, query, required } from '../option-values.js';
import { download } from './export.commands.js';

/** The JSON a `--body FILE` holds (`-` reads stdin): a tree spec, expected reports to add or remove, a schedule. */
async function jsonBody({ options }: CommandContext): Promise<unknown> {
  if (!options.body) throw usageError('Give --body FILE (JSON; - for stdin)');
  let text: string;
  if (options.body === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  } else
    text = await readFile(options.body, 'utf8').catch(() => {
      throw usageError(`Cannot read --body ${options.body}`);
    });
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`--body ${options.body} is not JSON`);
  }
}

const id = (context: CommandContext, what: string) => encodeURIComponent(required(context.args, what));

export const intakeCommands: Command[] = [
  jsonCommand(
    { name: 'registry attempts', usage: 'FILE_ID', summary: 'every attempt at a file: run, outcome, reason, timings' },
    async (context) => ({
      path: `/api/registry/files/${countOption(required(context.args, 'file id'), 'file id')}/attempts`,
    }),
  ),
  jsonCommand(
    { name: 'registry expected', usage: '--month YYYY-MM', summary: 'the expected (agreed) reports of a month' },
    async ({ options }) => {
      const month = monthOption(options.month, 'month');
      if (!month) throw usageError('Give --month YYYY-MM');
      return { path: `/api/registry/expected${query({ month })}` };
    },
  ),
  jsonCommand(
    {
      name: 'registry expected edit',
      usage: '--body FILE',
      summary: 'add and remove expected reports: { "add": [...], "remove": [...] }',
    },
    async (context) => ({ path: '/api/registry/expected', method: 'PATCH', body: await jsonBody(context) }),
  ),
  jsonCommand(
    {
      name: 'registry tree',
      usage: '--body FILE [--preview]',
      summary: 'generate the intake folder tree from a spec { "spec": ... }; --preview writes nothing',
    },
    async (context) => ({
      path: context.options.preview ? '/api/registry/tree/preview' : '/api/registry/tree',
      method: 'POST',
      body: await jsonBody(context),
    }),
  ),
  {
    name: 'sales rejects',
    usage: 'RUN_ID [--kind products|stores|sales] [--limit N] [--offset N] [--out FILE.csv]',
    summary: "an import's rejected rows with their reasons (--out: every one as CSV)",
    run: (context) => {
      const { options } = context;
      const run = id(context, 'import run id');
      if (options.out)
        return download(
          context,
          `/api/sales/imports/${run}/rejects.csv${query({ kind: options.kind, sep: options.sep })}`,
          {
            accept: 'text/csv',
            binary: false,
            describe: { runId: run },
          },
        );
      return jsonCommand({ name: '', summary: '' }, async () => ({
        path: `/api/sales/imports/${run}/rejects${query({
          kind: options.kind,
          offset: countOption(options.offset, 'offset'),
          limit: countOption(options.limit, 'limit'),
        })}`,
      })).run(context);
    },
  },
  jsonCommand({ name: 'sales schedules', summary: 'saved recurring imports with their next run' }, async () => ({
    path: '/api/sales/schedules',
  })),
  jsonCommand(
    {
      name: 'sales schedules add',
      usage: '--body FILE',
      summary: 'save a recurring import: { "name": ..., "cron": ..., "timezone"?: ..., "urls": {...} }',
    },
    async (context) => ({ path: '/api/sales/schedules', method: 'POST', body: await jsonBody(context) }),
  ),
  jsonCommand(
    { name: 'sales schedules remove', usage: 'SCHEDULE_ID', summary: 'stop and remove a recurring import' },
    async (context) => ({ path: `/api/sales/schedules/${id(context, 'schedule id')}`, method: 'DELETE' }),
  ),
  jsonCommand(
    { name: 'admin sync-now', usage: 'PHARMACY_ID', summary: "upload a pharmacy's database to S3 now (admin)" },
    async (context) => ({ path: `/api/admin/pharmacies/${id(context, 'pharmacy id')}/sync-now`, method: 'POST' }),
  ),
  jsonCommand(
    {
      name: 'admin restore',
      usage: 'PHARMACY_ID',
      summary: "restore a pharmacy's database from S3 when the local file is older (admin)",
    },
    async (context) => ({ path: `/api/admin/pharmacies/${id(context, 'pharmacy id')}/restore`, method: 'POST' }),
  ),
];
