import { periodOrDefault } from '@pharma/shared/period';
import type { AgeingView, BalanceList, CustomerList, StatementView } from '../api-types.js';
import type { Command, CommandContext } from '../command.js';
import { findCustomer } from '../customer-lookup.js';
import { usageError } from '../errors.js';
import { gatewayCommand } from '../gateway-command.js';
import { runJob } from '../job-runner.js';
import { countOption, dateOption, query } from '../option-values.js';
import { pageTable, table } from '../output.js';

const money = (value: number | null) => (value === null ? null : value.toFixed(2));

/** A list of customers, those matching `search` when it gives a text. */
const clientsCommand = (command: Omit<Command, 'run'>, search: (context: CommandContext) => string | undefined) =>
  gatewayCommand<CustomerList>(
    command,
    (context) => {
      const { options } = context;
      return `/api/clients${query({ search: search(context), offset: countOption(options.offset, 'offset'), limit: countOption(options.limit, 'limit') })}`;
    },
    (page) =>
      pageTable(
        page,
        [
          ['KEY', (c) => c.clientKey],
          ['NAME', (c) => c.name],
          ['BALANCE', (c) => money(c.balance)],
          ['VERDICT', (c) => c.verdict],
          ['LAST PAYMENT', (c) => c.lastPaymentDate],
        ],
        'customer(s)',
      ),
  );

/** The one customer `--client` names. */
function oneClient(names: string[] | undefined): string {
  if (!names?.length) throw usageError('Give --client NAME (or its key)');
  if (names.length > 1) throw usageError('Give one --client');
  return names[0] as string;
}

export const pharmacyCommands: Command[] = [
  clientsCommand(
    {
      name: 'clients',
      usage: '[--search TEXT] [--limit N] [--offset N]',
      summary: 'list customers with balance, verdict and last payment',
    },
    ({ options }) => options.search,
  ),
  clientsCommand(
    {
      name: 'clients search',
      usage: 'TEXT [--limit N] [--offset N]',
      summary: 'customers whose name, key, e-mail or phone contains TEXT',
    },
    ({ args }) => {
      const text = args.join(' ').trim();
      if (!text) throw usageError('Give the text to search for');
      return text;
    },
  ),
  {
    name: 'clients refresh',
    summary: 'collect the customer list from Sobrus again (a job)',
    run: ({ client, out, wait }) => runJob(client, out, { path: '/api/clients/refresh' }, { wait }),
  },
  {
    name: 'statements refresh',
    usage: '[--from D] [--to D] [--client NAME]...',
    summary: 'download and parse statements (a job); default period 2017-01-01 to yesterday',
    help: 'Every customer unless --client names some (key or name). Dates are YYYY-MM-DD.',
    run: async ({ client, out, options, wait }) => {
      const { from, to } = periodOrDefault({
        from: dateOption(options.from, 'from'),
        to: dateOption(options.to, 'to'),
      });
      if (from > to) throw usageError('--from must not be after --to');
      const clientKeys = [];
      for (const name of options.client ?? []) clientKeys.push((await findCustomer(client, name)).clientKey);
      out.info(`statements from ${from} to ${to}`);
      const body = { from, to, ...(clientKeys.length ? { clientKeys } : {}) };
      return runJob(client, out, { path: '/api/statements/refresh', body }, { wait });
    },
  },
  gatewayCommand<StatementView>(
    {
      name: 'statement',
      usage: '--client NAME [--from D --to D]',
      summary: "a customer's statement: balances, verdict, transactions (the latest period by default)",
    },
    async ({ client, options }) => {
      const customer = await findCustomer(client, oneClient(options.client));
      const from = dateOption(options.from, 'from');
      const to = dateOption(options.to, 'to');
      return `/api/clients/${encodeURIComponent(customer.clientKey)}/statement${query({ from, to })}`;
    },
    (view) => {
      const { statement: s } = view;
      const head = [
        `${view.customer.name} (${view.customer.clientKey})  ${s.from} → ${s.to}`,
        `opening ${money(s.openingBalance)}  closing ${money(s.closingBalance)}  computed ${money(s.computedClosingBalance)}  difference ${money(s.difference)}  verdict ${s.verdict}`,
      ];
      const rows = table(view.transactions, [
        ['DATE', (t) => t.date],
        ['REFERENCE', (t) => t.reference],
        ['KIND', (t) => t.kind],
        ['TOTAL', (t) => money(t.total)],
        ['BALANCE', (t) => money(t.balance)],
        ['LABEL', (t) => t.label],
      ]);
      const anomalies = view.anomalies.map((a) => `  ${a.kind}: ${a.message}`).join('\n');
      return [...head, rows, ...(anomalies ? [`anomalies:\n${anomalies}`] : [])].join('\n');
    },
  ),
  gatewayCommand<BalanceList>(
    {
      name: 'balances',
      usage: '[--all] [--limit N] [--offset N]',
      summary: "every customer's balances and verdict, discrepancies first (--all: in name order)",
    },
    ({ options }) =>
      `/api/balances${query({
        discrepanciesFirst: !options.all,
        offset: countOption(options.offset, 'offset'),
        limit: countOption(options.limit, 'limit'),
      })}`,
    (list) => {
      const rows = table(list.items, [
        ['KEY', (b) => b.clientKey],
        ['NAME', (b) => b.name],
        ['CLOSING', (b) => money(b.closingBalance)],
        ['COMPUTED', (b) => money(b.computedClosingBalance)],
        ['DIFFERENCE', (b) => money(b.difference)],
        ['VERDICT', (b) => b.verdict],
      ]);
      const { ok, ok_with_anomalies, mismatch, none } = list.verdicts;
      return `${rows}\n${list.total} customer(s): ${ok} ok, ${ok_with_anomalies} ok with anomalies, ${mismatch} mismatch, ${none} without statement`;
    },
  ),
  gatewayCommand<AgeingView>(
    {
      name: 'ageing',
      usage: '[--as-of D] [--limit N] [--offset N]',
      summary: 'receivables ageing (0-30, 31-60, 61-90, >90 days) per customer and overall',
    },
    ({ options }) =>
      `/api/receivables/ageing${query({
        asOf: dateOption(options['as-of'], 'as-of'),
        offset: countOption(options.offset, 'offset'),
        limit: countOption(options.limit, 'limit'),
      })}`,
    (view) => {
      type Figures = AgeingView['overall'] & { name?: string };
      const rows = table<Figures>(
        [...view.customers, view.overall],
        [
          ['NAME', (c) => c.name ?? 'ALL'],
          ['0-30', (c) => money(c.days0to30)],
          ['31-60', (c) => money(c.days31to60)],
          ['61-90', (c) => money(c.days61to90)],
          ['>90', (c) => money(c.over90)],
          ['OUTSTANDING', (c) => money(c.outstanding)],
        ],
      );
      return `as of ${view.asOf}\n${rows}\n${view.total} customer(s) with something outstanding or in credit`;
    },
  ),
];
