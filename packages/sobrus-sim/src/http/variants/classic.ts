import type { SimContext } from '../context.js';
import { listPageSize, registerCustomersJson } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage, ROW_SCRIPT_HELPERS } from '../pages/list-page.js';
import type { ListVariant } from './list-variant.js';

/**
 * The first shape we guessed: `GET /api/customers?page=N&limit=L` on the app (and `/customers` on the api
 * origin) answering `{ items, total, page, limit, pages }`; `/customers?page=N` is honoured and kept in the URL.
 */
export const classic: ListVariant = {
  registerApp: (app, context) => registerCustomersJson(app, context, '/api/customers'),
  registerApi: (api, context) => registerCustomersJson(api, context, '/customers'),
  page: (context: SimContext, account, pharmacyName) =>
    listPage({ pharmacyName, total: { text: '' }, script: classicScript(listPageSize(context, account)) }),
};

function classicScript(pageSize: number): string {
  return `(() => {
  const limit = ${scriptJson(pageSize)};
  ${ROW_SCRIPT_HELPERS}
  const total = document.querySelector('.sob-v2-table-total');
  let state = { page: Number(new URLSearchParams(location.search).get('page')) || 1, pages: 1 };
  async function load(page) {
    const response = await fetchRows('/api/customers?page=' + page + '&limit=' + limit, { credentials: 'same-origin' });
    if (!response) return;
    const data = await response.json();
    state = { page: data.page, pages: data.pages };
    tbody.replaceChildren(...data.items.map((customer) => buildRow(
      customer.name,
      [customer.email, customer.phone, customer.organisme, customer.immatriculation],
      customer.id,
    )));
    current.textContent = String(data.page);
    total.textContent = data.total + ' clients';
    setButtons(data.page, data.pages);
    history.replaceState(null, '', '/customers?page=' + data.page);
  }
  prev.addEventListener('click', () => { if (state.page > 1) load(state.page - 1); });
  next.addEventListener('click', () => { if (state.page < state.pages) load(state.page + 1); });
  load(state.page);
})();`;
}
