import { type Static, Type } from '@sinclair/typebox';
import type { SimCustomer } from '../../domain/customers.js';
import { pageCount } from '../../domain/list-orders.js';
import type { SimContext } from '../context.js';
import { listPageSize, registerListEndpoint } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage, NEXT_BUTTON, rowHtml } from '../pages/list-page.js';
import type { ListVariant } from './list-variant.js';

export const ROWS_PATH = '/customers/rows';
/** Time the page takes to "re-render" after a fragment arrived: the table is stale until then. */
export const SWAP_DELAY_MS = 150;

const RowsQuery = Type.Object({ p: Type.Optional(Type.Integer({ minimum: 1 })) });
type RowsQuery = Static<typeof RowsQuery>;

const DISABLED_PREV = '<button type="button" class="sob-v2-TablePage__btn sob-v2-TablePage__disabled">‹</button>';

/**
 * A server-rendered list with no JSON at all: page 1 comes in the HTML, "next"/"prev" fetch `<tr>` fragments
 * (`GET /customers/rows?p=N`) and swap the tbody after a delay. On the last page "next" leaves the DOM.
 */
export const htmlOnly: ListVariant = {
  registerApp(app, context) {
    registerListEndpoint<{ Querystring: RowsQuery }>(app, context, {
      method: 'GET',
      url: ROWS_PATH,
      schema: { querystring: RowsQuery },
      unauthorized: (reply) => reply.type('text/html').send('<p>Session expirée</p>'),
      answer: (request, session, reply) => {
        const size = listPageSize(context, session.account);
        const rows = pageRows(context.simulation.customers(session.account), request.query.p ?? 1, size);
        return reply.type('text/html').send(rows);
      },
    });
  },
  page(context: SimContext, account, pharmacyName) {
    const customers = context.simulation.customers(account);
    const size = listPageSize(context, account);
    const pages = pageCount(customers.length, size);
    return listPage({
      pharmacyName,
      rowsHtml: pageRows(customers, 1, size),
      tableAttributes: `data-pages="${pages}"`,
      paginationHtml: `${DISABLED_PREV}<span class="sob-v2-TablePage">1</span>${pages > 1 ? NEXT_BUTTON : ''}`,
      script: htmlOnlyScript(),
    });
  },
};

function pageRows(customers: readonly SimCustomer[], page: number, size: number): string {
  return customers
    .slice((page - 1) * size, page * size)
    .map((customer) => rowHtml(customer))
    .join('\n');
}

function htmlOnlyScript(): string {
  return `(() => {
  const table = document.querySelector('table.sob-v2-table');
  const tbody = table.querySelector('tbody');
  const pagination = document.querySelector('div.sob-v2-table-pagination');
  const prev = pagination.firstElementChild;
  const current = pagination.querySelector('span.sob-v2-TablePage');
  const error = document.querySelector('.sob-v2-table-error');
  const pages = Number(table.dataset.pages) || 1;
  let page = 1;
  let next = pages > 1 ? pagination.lastElementChild : null;
  const makeNext = () => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sob-v2-TablePage__btn';
    button.textContent = '›';
    button.addEventListener('click', () => { if (page < pages) go(page + 1); });
    return button;
  };
  if (next) { next.remove(); next = makeNext(); pagination.append(next); }
  tbody.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-customer]');
    if (row) location.href = '/customer/' + encodeURIComponent(row.dataset.customer) + '/details';
  });
  async function go(target) {
    let response;
    try {
      response = await fetch(${scriptJson(ROWS_PATH)} + '?p=' + target, { credentials: 'same-origin', headers: { accept: 'text/html' } });
    } catch (e) { error.textContent = 'Erreur réseau'; error.classList.remove('hidden'); return; }
    if (response.status === 401) { location.href = '/login'; return; }
    if (!response.ok) { error.textContent = 'Erreur ' + response.status; error.classList.remove('hidden'); return; }
    const html = await response.text();
    setTimeout(() => {
      error.classList.add('hidden');
      tbody.innerHTML = html;
      page = target;
      current.textContent = String(page);
      prev.classList.toggle('sob-v2-TablePage__disabled', page <= 1);
      if (page >= pages && next) { next.remove(); next = null; }
      if (page < pages && !next) { next = makeNext(); pagination.append(next); }
    }, ${SWAP_DELAY_MS});
  }
  prev.addEventListener('click', () => { if (page > 1) go(page - 1); });
})();`;
}
