import { escapeHtml, page } from './html.js';

export interface SignInState {
  redirectUri: string;
  login?: string;
  error?: string;
}

/**
 * Two steps on one page, like Sobrus's sign-in: the e-mail and a first click on `button.btn-signup` reveal
 * `input[name=password]`; the second click submits both.
 */
export function signInPage(state: SignInState): string {
  const passwordStep = state.error !== undefined;
  return page(
    'Sobrus — Connexion',
    `<h1>Connexion</h1>
<form method="post" action="/signin" class="signin-form">
  <input type="hidden" name="redirect_uri" value="${escapeHtml(state.redirectUri)}">
  ${state.error ? `<div class="alert alert-danger" role="alert">${escapeHtml(state.error)}</div>` : ''}
  <label>Adresse e-mail <input type="email" name="login" value="${escapeHtml(state.login ?? '')}" autocomplete="username"></label>
  <div class="password-step${passwordStep ? '' : ' hidden'}">
    <label>Mot de passe <input type="password" name="password" autocomplete="current-password" ${passwordStep ? '' : 'disabled'}></label>
  </div>
  <button type="submit" class="btn btn-signup">${passwordStep ? 'Se connecter' : 'Suivant'}</button>
</form>`,
    `(() => {
  const form = document.querySelector('form.signin-form');
  const step = document.querySelector('.password-step');
  const password = document.querySelector('input[name=password]');
  const button = document.querySelector('button.btn-signup');
  form.addEventListener('submit', (event) => {
    if (!step.classList.contains('hidden')) return;
    event.preventDefault();
    if (!form.login.value.trim()) return;
    step.classList.remove('hidden');
    password.disabled = false;
    button.textContent = 'Se connecter';
    password.focus();
  });
})();`,
  );
}
