import type { SimCustomer } from '../../domain/customers.js';
import { escapeHtml, page } from './html.js';

export interface ListPageParts {
  pharmacyName: string;
  /** Renders the `.sob-v2-table-total` element (filled by the script, or given here). */
  total?: { text: string };
  /** Server-rendered `<tr>`s; by default the script fills the table. */
  rowsHtml?: string;
  /** Attributes of the table, e.g. what a server-rendered page tells its script. */
  tableAttributes?: string;
  /** The pagination's inner HTML; by default prev, an empty current page and next. */
  paginationHtml?: string;
  script: string;
}

export const PREV_BUTTON = '<button type="button" class="sob-v2-TablePage__btn">‹</button>';
export const NEXT_BUTTON = '<button type="button" class="sob-v2-TablePage__btn">›</button>';

/**
 * The customer list as Sobrus's DOM has it, in every site variant: `table.sob-v2-table`, one `tbody tr` per
 * customer, `div.sob-v2-table-pagination` with prev/next buttons around `span.sob-v2-TablePage`.
 */
export function listPage(parts: ListPageParts): string {
  const pagination = parts.paginationHtml ?? `${PREV_BUTTON}<span class="sob-v2-TablePage"></span>${NEXT_BUTTON}`;
  return page(
    'Clients',
    `<p>${escapeHtml(parts.pharmacyName)}</p>
<h1>Clients</h1>
${parts.total ? `<div class="sob-v2-table-total">${escapeHtml(parts.total.text)}</div>\n` : ''}<div class="sob-v2-table-error alert-danger hidden"></div>
<table class="sob-v2-table"${parts.tableAttributes ? ` ${parts.tableAttributes}` : ''}>
  <thead><tr><th>Nom</th><th>E-mail</th><th>Téléphone</th><th>Organisme</th><th>Immatriculation</th></tr></thead>
  <tbody>${parts.rowsHtml ?? ''}</tbody>
</table>
<div class="sob-v2-table-pagination">${pagination}</div>`,
    parts.script,
  );
}

export type ListRow = Omit<SimCustomer, 'tier'>;

/** One server-rendered row; the id is only there for the click handler, as on a server-rendered list. */
export function rowHtml(row: ListRow): string {
  const cells = [row.email, row.phone, row.organisme, row.immatriculation].map(
    (text) => `<td>${escapeHtml(text)}</td>`,
  );
  return `<tr data-customer="${escapeHtml(row.id)}"><th><span>${escapeHtml(row.name)}</span></th>${cells.join('')}</tr>`;
}

/**
 * Script helpers shared by the page scripts that render rows from data: `buildRow(cells, id)`,
 * `showError(text)` / `hideError()` and `fetchRows(url, init)`. Row clicks are real navigations; rows have no href.
 */
export const ROW_SCRIPT_HELPERS = `const tbody = document.querySelector('table.sob-v2-table tbody');
  const pagination = document.querySelector('div.sob-v2-table-pagination');
  const prev = pagination.firstElementChild;
  const next = pagination.lastElementChild;
  const current = pagination.querySelector('span.sob-v2-TablePage');
  const error = document.querySelector('.sob-v2-table-error');
  const cell = (tag, text) => { const el = document.createElement(tag); el.textContent = text ?? ''; return el; };
  const buildRow = (name, others, id) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.appendChild(cell('span', name));
    row.append(th, ...others.map((text) => cell('td', text)));
    row.addEventListener('click', () => { location.href = '/customer/' + encodeURIComponent(id) + '/details'; });
    return row;
  };
  const showError = (text) => { error.textContent = text; error.classList.remove('hidden'); };
  const hideError = () => error.classList.add('hidden');
  // The list's answer; null once the page showed the error, or went to the login page on a 401.
  const fetchRows = async (url, init) => {
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) { showError('Erreur réseau'); return null; }
    if (response.status === 401) { location.href = '/login'; return null; }
    if (!response.ok) { showError('Erreur ' + response.status); return null; }
    hideError();
    return response;
  };
  const setButtons = (page, pages) => {
    prev.classList.toggle('sob-v2-TablePage__disabled', page <= 1);
    next.classList.toggle('sob-v2-TablePage__disabled', page >= pages);
  };`;
