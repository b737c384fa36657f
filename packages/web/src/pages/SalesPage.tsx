import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { TextField } from '../components/Field.js';
import { StartedJobProgress } from '../components/JobProgress.js';
import { Loaded } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useStartJob } from '../components/useStartJob.js';
import { useI18n } from '../i18n/index.js';
import type { SalesAnalyses, SalesImportRun } from '../types.js';
import { SalesImports, SalesSchedules } from './SalesHistory.js';

const FILES = ['products', 'stores', 'sales'] as const;

export function SalesPage() {
  const { t, formatMoney } = useI18n();
  const [urls, setUrls] = useState<Record<(typeof FILES)[number], string>>({ products: '', stores: '', sales: '' });
  const importing = useStartJob('/api/sales/imports');
  const analyses = useAsync(() => api<SalesAnalyses>('/api/sales/analyses'), []);
  const imports = useAsync(
    () => api<{ total: number; items: SalesImportRun[] }>(`/api/sales/imports${query({ limit: 50 })}`),
    [],
  );
  const importEnded = () => {
    analyses.reload();
    imports.reload();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.entries(urls).filter(([, url]) => url.trim() !== ''));
    return importing.start({ urls: chosen });
  };

  return (
    <main id="main">
      <h1>{t('sales.title')}</h1>
      <form className="import" onSubmit={submit} aria-labelledby="import-title">
        <h2 id="import-title">{t('sales.import')}</h2>
        {FILES.map((file) => (
          <TextField
            key={file}
            label={`sales.${file}`}
            type="url"
            name={file}
            placeholder="https://…/file.csv"
            value={urls[file]}
            onChange={(url) => setUrls({ ...urls, [file]: url })}
          />
        ))}
        <button type="submit">{t('sales.submit')}</button>
      </form>
      <StartedJobProgress starter={importing} onEnd={importEnded} />
      <SalesSchedules urls={urls} attempt={importing.attempt} />
      <Loaded state={analyses} empty="sales.nothing">
        {(data) => (
          <>
            <p>{t('sales.total', { amount: formatMoney(data.totalRevenue) })}</p>
            <div className="charts">
              <BarChart
                title={t('sales.perCity')}
                format={formatMoney}
                bars={data.revenuePerCity.slice(0, 15).map((r) => ({ label: r.ville, value: r.chiffreAffaires }))}
              />
              <BarChart
                title={t('sales.perProduct')}
                format={formatMoney}
                bars={[...data.quantityPerProduct]
                  .sort((a, b) => b.chiffreAffaires - a.chiffreAffaires)
                  .slice(0, 15)
                  .map((r) => ({ label: r.nom, value: r.chiffreAffaires }))}
              />
              <BarChart
                title={t('sales.perMonth')}
                format={formatMoney}
                bars={data.revenuePerMonth.slice(-24).map((r) => ({ label: r.mois, value: r.chiffreAffaires }))}
              />
            </div>
          </>
        )}
      </Loaded>
      <SalesImports imports={imports} />
    </main>
  );
}
