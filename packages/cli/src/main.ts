#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { exportCsv } from './commands/export-csv.js';
import { login, logout } from './commands/login.js';
import { findCustomer } from './customer-lookup.js';
import { CliError, EXIT, usageError } from './errors.js';
import { GatewayClient, type Job } from './gateway-client.js';
import { runJob } from './job-runner.js';
import { createOutput, type Output } from './output.js';
import { guessSalesKind } from './sales-urls.js';
import { loadSession } from './session-store.js';
import { USAGE } from './usage.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      email: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      client: { type: 'string', multiple: true },
      out: { type: 'string', short: 'o' },
      sep: { type: 'string', default: ';' },
      lines: { type: 'boolean', default: false },
      products: { type: 'string' },
      stores: { type: 'string' },
      sales: { type: 'string' },
      status: { type: 'string' },
    },
  });
  const out: Output = createOutput(values.json);
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const session = await loadSession();
  const url = values.url ?? process.env.PHARMA_URL ?? session?.url ?? 'http://127.0.0.1:8080';
  if (command === 'login') return login(url, out, { email: values.email, passwordStdin: values['password-stdin'] });
  const client = new GatewayClient(url, session?.token);
  const wait = { wait: !values['no-wait'] };

  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'logout':
      return logout(client, out);
    case 'whoami': {
      const me = await client.json<{ owner: string; role: string }>('/api/me');
      out.result(me, `${me.owner} (${me.role})`);
      return EXIT.ok;
    }
    case 'clients refresh':
      return runJob(client, out, { path: '/api/clients/refresh' }, wait);
    case 'statements refresh': {
      const { from, to } = values;
      if (!from || !to || !DATE.test(from) || !DATE.test(to)) throw usageError('Give --from and --to as YYYY-MM-DD');
      const names = values.client ?? [];
      const clientKeys = [];
      for (const name of names) clientKeys.push((await findCustomer(client, name)).clientKey);
      const body = { from, to, ...(clientKeys.length ? { clientKeys } : {}) };
      return runJob(client, out, { path: '/api/statements/refresh', body }, wait);
    }
    case 'export csv': {
      const name = values.client?.[0];
      if (!name) throw usageError('Give --client NAME (or its key)');
      if (values.sep !== ';' && values.sep !== ',') throw usageError('--sep must be ; or ,');
      return exportCsv(client, out, { client: name, out: values.out, separator: values.sep, lines: values.lines });
    }
    case 'sales import': {
      const urls: Record<string, string> = {};
      for (const kind of ['products', 'stores', 'sales'] as const) if (values[kind]) urls[kind] = values[kind];
      for (const given of rest) {
        const kind = guessSalesKind(given);
        if (!kind)
          throw usageError(
            `Cannot tell whether ${given} holds products, stores or sales: use --products/--stores/--sales`,
          );
        urls[kind] = given;
      }
      if (Object.keys(urls).length === 0) throw usageError('Give at least one CSV URL');
      return runJob(client, out, { path: '/api/sales/imports', body: { urls } }, wait);
    }
    case 'registry scan':
      return runJob(client, out, { path: '/api/registry/scans' }, wait);
    case 'orchestrator run':
      return runJob(client, out, { path: '/api/orchestrator/runs' }, wait);
    case 'jobs': {
      const { items } = await client.json<{ items: Job[] }>(
        `/api/jobs${values.status ? `?status=${values.status}` : ''}`,
      );
      out.result(
        items,
        items
          .map((j) => `${j.id}  ${j.kind.padEnd(18)} ${j.status.padEnd(9)} ${j.progress.done}/${j.progress.total}`)
          .join('\n'),
      );
      return EXIT.ok;
    }
    default:
      throw usageError(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`pharma: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`pharma: ${(error as Error).message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    process.stderr.write(`pharma: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT.jobFailed;
  }
}
