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
