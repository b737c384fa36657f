import { type FormEvent, useState } from 'react';
import { api, startJob } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { JobProgress } from '../components/JobProgress.js';
import { Status } from '../components/Status.js';
import { useAsync } from '../components/useAsync.js';
import { useI18n } from '../i18n/index.js';
import type { SalesAnalyses } from '../types.js';

const FILES = ['products', 'stores', 'sales'] as const;

export function SalesPage() {
  const { t, formatMoney } = useI18n();
  const [urls, setUrls] = useState<Record<string, string>>({ products: '', stores: '', sales: '' });
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<Error>();
  const analyses = useAsync(() => api<SalesAnalyses>('/api/sales/analyses'), []);
  const nothingYet = (analyses.error as { status?: number } | undefined)?.status === 404;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const chosen = Object.fromEntries(Object.entries(urls).filter(([, url]) => url.trim() !== ''));
    try {
      setJobId((await startJob('/api/sales/imports', { urls: chosen })).jobId);
    } catch (failure) {
      setError(failure as Error);
    }
  };

  const data = analyses.data;
  return (
    <main id="main">
      <h1>{t('sales.title')}</h1>
      <form className="import" onSubmit={submit} aria-labelledby="import-title">
        <h2 id="import-title">{t('sales.import')}</h2>
        {FILES.map((file) => (
          <label key={file}>
            {t(`sales.${file}`)}
            <input
              type="url"
              name={file}
              placeholder="https://…/file.csv"
              value={urls[file]}
              onChange={(e) => setUrls({ ...urls, [file]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit">{t('sales.submit')}</button>
      </form>
      <Status error={error} />
      <JobProgress jobId={jobId} onEnd={analyses.reload} />
      {nothingYet ? <p>{t('sales.nothing')}</p> : <Status loading={analyses.loading && !data} error={analyses.error} />}
      {data && (
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
    </main>
  );
}
