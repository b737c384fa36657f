import { useEffect, useState } from 'react';
import { logout, me } from './api.js';
import { Field } from './components/Field.js';
import type { MessageKey } from './i18n/fr.js';
import { LANGUAGES, type Language, useI18n } from './i18n/index.js';
import { AdminPage } from './pages/AdminPage.js';
import { BalancesPage } from './pages/BalancesPage.js';
import { CustomersPage } from './pages/CustomersPage.js';
import { JobsMain } from './pages/JobsPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { OrchestratorPage } from './pages/OrchestratorPage.js';
import { RegistryPage } from './pages/RegistryPage.js';
import { SalesPage } from './pages/SalesPage.js';
import { StatementPage } from './pages/StatementPage.js';
import { Link, navigate, useLocation } from './router.js';
import type { Principal } from './types.js';

const PHARMACY_NAV: [string, MessageKey][] = [
  ['/clients', 'nav.customers'],
  ['/balances', 'nav.balances'],
  ['/jobs', 'nav.jobs'],
];
const STAFF_NAV: [string, MessageKey][] = [
  ['/registry', 'nav.registry'],
  ['/orchestrator', 'nav.orchestrator'],
  ['/sales', 'nav.sales'],
  ['/jobs', 'nav.jobs'],
];
const ADMIN_NAV: [string, MessageKey][] = [...STAFF_NAV, ['/admin', 'nav.admin']];

function LanguageSwitcher() {
  const { language, setLanguage } = useI18n();
  return (
    <Field label="app.language" className="language">
      <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} name="language">
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Page({ principal, path }: { principal: Principal; path: string }) {
  const statement = /^\/clients\/([^/]+)$/.exec(path);
  if (principal.kind === 'pharmacy') {
    if (statement?.[1]) {
      const clientKey = decodeURIComponent(statement[1]);
      return <StatementPage key={clientKey} clientKey={clientKey} />;
    }
    if (path === '/balances') return <BalancesPage />;
    if (path === '/jobs') return <JobsMain />;
    return <CustomersPage />;
  }
  if (path === '/orchestrator') return <OrchestratorPage />;
  if (path === '/sales') return <SalesPage />;
  if (path === '/jobs') return <JobsMain staff />;
  if (path === '/admin' && principal.role === 'admin') return <AdminPage />;
  return <RegistryPage />;
}

export function App() {
  const { t } = useI18n();
  const { path } = useLocation();
  const [principal, setPrincipal] = useState<Principal | null>();
  useEffect(() => {
    me().then(setPrincipal, () => setPrincipal(null));
  }, []);

  if (principal === undefined) return <p>{t('common.loading')}</p>;
  const nav = principal?.kind !== 'staff' ? PHARMACY_NAV : principal.role === 'admin' ? ADMIN_NAV : STAFF_NAV;
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <strong className="brand">{t('app.title')}</strong>
        {principal && (
          <nav aria-label={t('app.navigation')}>
            {nav.map(([href, key]) => (
              <Link key={href} href={href} aria-current={path.startsWith(href) ? 'page' : undefined}>
                {t(key)}
              </Link>
            ))}
          </nav>
        )}
        <div className="top-right">
          <LanguageSwitcher />
          {principal && (
            <>
              <span className="who">{principal.owner}</span>
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  await logout().catch(() => {});
                  setPrincipal(null);
                  navigate('/');
                }}
              >
                {t('nav.logout')}
              </button>
            </>
          )}
        </div>
      </header>
      {principal ? (
        <Page principal={principal} path={path} />
      ) : (
        <LoginPage
          onLogin={(who) => {
            setPrincipal(who);
            navigate(who.kind === 'staff' ? '/registry' : '/clients');
          }}
        />
      )}
    </>
  );
}
