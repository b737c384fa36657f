import { type Static, Type } from '@sinclair/typebox';
import type { SimCustomer } from '../../domain/customers.js';
import { type NumberedRow, shuffledRows } from '../../domain/list-orders.js';
import type { SimContext } from '../context.js';
import { listPageSize, registerListEndpoint } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage, ROW_SCRIPT_HELPERS } from '../pages/list-page.js';
import type { ListVariant } from './list-variant.js';

export const CLIENTS_PATH = '/v1/clients';
const MAX_COUNT = 1000;

const ClientsQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COUNT })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
});
type ClientsQuery = Static<typeof ClientsQuery>;

const shuffled = new WeakMap<readonly SimCustomer[], NumberedRow[]>();

/**
 * A REST list on the api origin, called cross-origin with credentials: `GET /v1/clients?offset&count&order`,
 * rows keyed by an internal row number while the customer id is `ref`, in a seeded shuffle. No page URLs;
 * the page shows "Total : N".
 */
export const offsetRest: ListVariant = {
  registerApi(api, context) {
    // The browser's preflight, should a caller add headers; the api origin's hook adds the allow-origin pair.
    api.options(CLIENTS_PATH, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, OPTIONS')
        .header('access-control-allow-headers', 'accept, content-type')
        .header('access-control-max-age', '600')
        .send(),
    );
    registerListEndpoint<{ Querystring: ClientsQuery }>(api, context, {
      method: 'GET',
      url: CLIENTS_PATH,
      schema: { querystring: ClientsQuery },
      unauthorized: (reply) => reply.send({ error: 'unauthorized', error_description: 'login required' }),
      answer: (request, session) => {
        const rows = rowsOf(context, session.account);
        const { offset = 0, order = 'asc' } = request.query;
        const count = request.query.count ?? listPageSize(context, session.account);
        const ordered = order === 'desc' ? [...rows].reverse() : rows;
        return {
          rows: ordered.slice(offset, offset + count).map(({ rowNumber, customer }) => ({
            id: rowNumber,
            ref: customer.id,
            label: customer.name,
            emailAddress: customer.email,
            phoneNumber: customer.phone,
            insurer: customer.organisme,
            insuranceNumber: customer.immatriculation,
          })),
          paging: { offset, count, total: rows.length },
        };
      },
    });
  },
  page: (context: SimContext, account, pharmacyName) =>
    listPage({
      pharmacyName,
      total: { text: '' },
      script: offsetScript(`${context.urls.api}${CLIENTS_PATH}`, listPageSize(context, account)),
    }),
};

function rowsOf(context: SimContext, account: string): NumberedRow[] {
  const customers = context.simulation.customers(account);
  let rows = shuffled.get(customers);
  if (!rows) {
    rows = shuffledRows(context.simulation.seed, account, customers);
    shuffled.set(customers, rows);
  }
  return rows;
}

function offsetScript(endpoint: string, count: number): string {
  return `(() => {
  const endpoint = ${scriptJson(endpoint)};
  const count = ${scriptJson(count)};
  ${ROW_SCRIPT_HELPERS}
  const total = document.querySelector('.sob-v2-table-total');
  let state = { offset: 0, total: 0 };
  async function load(offset) {
    const response = await fetchRows(endpoint + '?offset=' + offset + '&count=' + count + '&order=asc', { credentials: 'include' });
    if (!response) return;
    const body = await response.json();
    state = { offset: body.paging.offset, total: body.paging.total };
    tbody.replaceChildren(...body.rows.map((row) => buildRow(
      row.label, [row.emailAddress, row.phoneNumber, row.insurer, row.insuranceNumber], row.ref,
    )));
    const pages = Math.max(1, Math.ceil(state.total / count));
    const page = Math.floor(state.offset / count) + 1;
    current.textContent = String(page);
    total.textContent = 'Total : ' + state.total;
    setButtons(page, pages);
  }
  prev.addEventListener('click', () => { if (state.offset > 0) load(Math.max(0, state.offset - count)); });
  next.addEventListener('click', () => { if (state.offset + count < state.total) load(state.offset + count); });
  load(0);
})();`;
}
