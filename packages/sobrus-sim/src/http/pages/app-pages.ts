import { escapeHtml, page, scriptJson } from './html.js';

/** The app's front door: one button that leads to the accounts origin, as on app.pharma.sobrus.com. */
export function landingPage(signInUrl: string): string {
  return page(
    'Sobrus Pharma',
    `<h1>Sobrus Pharma</h1>
<p>Connectez-vous pour accéder à votre pharmacie.</p>
<button type="button" data-testid="s'identifier" class="btn btn-primary">S'identifier</button>`,
    `document.querySelector('[data-testid="s\\'identifier"]').addEventListener('click', () => {
  window.location.href = ${scriptJson(signInUrl)};
});`,
  );
}

export function dashboardPage(pharmacyName: string): string {
  return page(
    'Tableau de bord',
    `<h1>${escapeHtml(pharmacyName)}</h1>
<nav><a href="/customers">Clients</a> · <a href="/logout">Déconnexion</a></nav>`,
  );
}

export function customerPage(pharmacyName: string, customer: { id: string; name: string }): string {
  return page(
    customer.name,
    `<p>${escapeHtml(pharmacyName)}</p>
<h1 class="customer-name">${escapeHtml(customer.name)}</h1>
<p>N° client : <span class="customer-id">${escapeHtml(customer.id)}</span></p>
<a href="/customers">Retour à la liste</a>`,
  );
}

export function notFoundPage(): string {
  return page('Introuvable', '<h1>Page introuvable</h1>');
}

/** The customer list: an empty table filled by script from the JSON endpoint, like the real single-page app. */
export function customersPage(pharmacyName: string, pageSize: number): string {
  return page(
    'Clients',
    `<p>${escapeHtml(pharmacyName)}</p>
<h1>Clients</h1>
<div class="sob-v2-table-total"></div>
<div class="sob-v2-table-error alert-danger hidden"></div>
<table class="sob-v2-table">
  <thead><tr><th>Nom</th><th>E-mail</th><th>Téléphone</th><th>Organisme</th><th>Immatriculation</th></tr></thead>
  <tbody></tbody>
</table>
<div class="sob-v2-table-pagination"><button type="button" class="sob-v2-TablePage__btn">‹</button><span class="sob-v2-TablePage"></span><button type="button" class="sob-v2-TablePage__btn">›</button></div>`,
    customersScript(pageSize),
  );
}

function customersScript(pageSize: number): string {
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
