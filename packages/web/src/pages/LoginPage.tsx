import { type FormEvent, useState } from 'react';
import { login } from '../api.js';
import { TextField } from '../components/Field.js';
import { useI18n } from '../i18n/index.js';
import type { Principal } from '../types.js';

// The input's type is its name; the browser's password manager keys on the autocomplete tokens.
const FIELDS = [
  { name: 'email', label: 'login.email', autoComplete: 'username' },
  { name: 'password', label: 'login.password', autoComplete: 'current-password' },
] as const;

export function LoginPage({ onLogin }: { onLogin(principal: Principal): void }) {
  const { t } = useI18n();
  const [credentials, setCredentials] = useState({ email: '', password: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { principal } = await login(credentials.email, credentials.password);
      onLogin(principal);
    } catch (failure) {
      setError(`${t('login.failed')}: ${(failure as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="hint">{t('login.hint')}</p>
        {FIELDS.map(({ name, label, autoComplete }) => (
          <TextField
            key={name}
            label={label}
            name={name}
            type={name}
            autoComplete={autoComplete}
            required
            value={credentials[name]}
            onChange={(value) => setCredentials({ ...credentials, [name]: value })}
          />
        ))}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
