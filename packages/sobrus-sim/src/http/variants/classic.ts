import type { SimContext } from '../context.js';
import { listPageSize, registerCustomersJson } from '../customers.routes.js';
import { scriptJson } from '../pages/html.js';
import { listPage } from '../pages/list-page.js';
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
  const tbody = document.querySelector('table.sob-v2-table tbody');
  const pagination = document.querySelector('div.sob-v2-table-pagination');
  const prev = pagination.firstElementChild;
  const next = pagination.lastElementChild;
  const current = pagination.querySelector('span.sob-v2-TablePage');
  const total = document.querySelector('.sob-v2-table-total');
  const error = document.querySelector('.sob-v2-table-error');
  let state = { page: Number(new URLSearchParams(location.search).get('page')) || 1, pages: 1 };
  const cell = (tag, text) => { const el = document.createElement(tag); el.textContent = text; return el; };
  async function load(page) {
    let response;
    try {
      response = await fetch('/api/customers?page=' + page + '&limit=' + limit, { credentials: 'same-origin' });
    } catch (e) {
      error.textContent = 'Erreur réseau'; error.classList.remove('hidden'); return;
    }
    if (response.status === 401) { location.href = '/login'; return; }
    if (!response.ok) { error.textContent = 'Erreur ' + response.status; error.classList.remove('hidden'); return; }
    error.classList.add('hidden');
    const data = await response.json();
    state = { page: data.page, pages: data.pages };
    tbody.replaceChildren(...data.items.map((customer) => {
      const row = document.createElement('tr');
      const name = document.createElement('th');
      name.appendChild(cell('span', customer.name));
      row.append(name, cell('td', customer.email), cell('td', customer.phone), cell('td', customer.organisme), cell('td', customer.immatriculation));
      row.addEventListener('click', () => { location.href = '/customer/' + encodeURIComponent(customer.id) + '/details'; });
      return row;
    }));
    current.textContent = String(data.page);
    total.textContent = data.total + ' clients';
    prev.classList.toggle('sob-v2-TablePage__disabled', data.page <= 1);
    next.classList.toggle('sob-v2-TablePage__disabled', data.page >= data.pages);
    history.replaceState(null, '', '/customers?page=' + data.page);
  }
  prev.addEventListener('click', () => { if (state.page > 1) load(state.page - 1); });
  next.addEventListener('click', () => { if (state.page < state.pages) load(state.page + 1); });
  load(state.page);
})();`;
}
