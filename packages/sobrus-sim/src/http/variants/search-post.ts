import { type Static, Type } from '@sinclair/typebox';
import type { SimCustomer } from '../../domain/customers.js';
import { createdAt, pageCount, sortedByName } from '../../domain/list-orders.js';
import type { SimContext } from '../context.js';
import { listPageSize, registerListEndpoint } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage, ROW_SCRIPT_HELPERS } from '../pages/list-page.js';
import type { ListVariant } from './list-variant.js';

export const SEARCH_PATH = '/bff/v2/patients/search';
export const CLIENT_HEADER = { name: 'x-app-client', value: 'sobrus-web' } as const;
const MAX_PER_PAGE = 1000;

const SearchBody = Type.Object({
  filters: Type.Optional(Type.Object({ q: Type.Optional(Type.String()) })),
  paging: Type.Object({
    pageIndex: Type.Integer({ minimum: 0 }),
    perPage: Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE }),
  }),
  sort: Type.Optional(Type.Union([Type.Literal('fullName'), Type.Literal('-fullName')])),
});
type SearchBody = Static<typeof SearchBody>;

const sorted = new WeakMap<readonly SimCustomer[], SimCustomer[]>();
/** Sorted once per account's (cached, never mutated) customer list. */
function byName(customers: readonly SimCustomer[]): SimCustomer[] {
  let list = sorted.get(customers);
  if (!list) {
    list = sortedByName(customers);
    sorted.set(customers, list);
  }
  return list;
}

const failure = (code: string, message: string) => ({ status: 'error', error: { code, message } });

/**
 * A "backend for frontend" search: `POST /bff/v2/patients/search` with a JSON body (0-based page index) and a
 * client header the page always sends; rows sorted by name, so ids are out of order. No page URLs, no total.
 */
export const searchPost: ListVariant = {
  registerApp(app, context) {
    registerListEndpoint<{ Body: SearchBody }>(app, context, {
      method: 'POST',
      url: SEARCH_PATH,
      schema: { body: SearchBody },
      refuse: (request, reply) =>
        request.headers[CLIENT_HEADER.name] === CLIENT_HEADER.value
          ? undefined
          : reply.code(400).send(failure('UNKNOWN_CLIENT', `missing ${CLIENT_HEADER.name} header`)),
      unauthorized: (reply) => reply.send(failure('UNAUTHENTICATED', 'Session expirée')),
      answer: (request, session) => {
        const { filters, paging, sort = 'fullName' } = request.body;
        const query = filters?.q?.trim().toLowerCase() ?? '';
        let customers = byName(context.simulation.customers(session.account));
        if (sort === '-fullName') customers = [...customers].reverse();
        if (query) customers = customers.filter((customer) => customer.name.toLowerCase().includes(query));
        const start = paging.pageIndex * paging.perPage;
        const results = customers.slice(start, start + paging.perPage).map((customer) => ({
          customerRef: Number(customer.id),
          fullName: customer.name,
          contact: { mail: customer.email || null, tel: customer.phone || null },
          insurance: { org: customer.organisme || null, number: customer.immatriculation || null },
          createdAt: createdAt(context.simulation.seed, session.account, customer.id, context.simulation.today),
        }));
        const meta = {
          totalCount: customers.length,
          pageCount: pageCount(customers.length, paging.perPage),
          perPage: paging.perPage,
        };
        return { status: 'ok', data: { results, meta } };
      },
    });
  },
  page: (context: SimContext, account, pharmacyName) =>
    listPage({ pharmacyName, script: searchScript(listPageSize(context, account)) }),
};

function searchScript(perPage: number): string {
  return `(() => {
  const perPage = ${scriptJson(perPage)};
  ${ROW_SCRIPT_HELPERS}
  let state = { pageIndex: 0, pageCount: 1 };
  async function load(pageIndex) {
    const response = await fetchRows(${scriptJson(SEARCH_PATH)}, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ${scriptJson(CLIENT_HEADER.name)}: ${scriptJson(CLIENT_HEADER.value)} },
      body: JSON.stringify({ filters: { q: '' }, paging: { pageIndex, perPage }, sort: 'fullName' }),
    });
    if (!response) return;
    const { data } = await response.json();
    state = { pageIndex, pageCount: data.meta.pageCount };
    tbody.replaceChildren(...data.results.map((patient) => buildRow(
      patient.fullName,
      [patient.contact.mail, patient.contact.tel, patient.insurance.org, patient.insurance.number],
      String(patient.customerRef),
    )));
    current.textContent = String(pageIndex + 1);
    setButtons(pageIndex + 1, data.meta.pageCount);
  }
  prev.addEventListener('click', () => { if (state.pageIndex > 0) load(state.pageIndex - 1); });
  next.addEventListener('click', () => { if (state.pageIndex + 1 < state.pageCount) load(state.pageIndex + 1); });
  load(0);
})();`;
}
