import type { AlertContent } from './alert-outbox.js';

export interface AlertMessage {
  subject: string;
  text: string;
  html: string;
}

const VERDICTS: Record<AlertContent['verdict'], string> = {
  mismatch: 'écart entre le solde imprimé et le solde recalculé',
  ok_with_anomalies: 'solde cohérent, avec anomalies',
};

const amountFormat = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** French amount with two decimals; grouping spaces are plain so the text reads the same everywhere. */
export function formatAmount(value: number): string {
  return amountFormat.format(value).replace(/[\u202f\u00a0]/g, ' ');
}

/** 2025-01-09 → 09/01/2025 */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

export function discrepancyOf(alert: AlertContent): number {
  return Math.round((alert.closingBalance - alert.computedClosingBalance) * 100) / 100;
}

function where(anomaly: AlertContent['anomalies'][number]): string {
  const parts = [
    anomaly.page !== undefined ? `page ${anomaly.page}` : undefined,
    anomaly.line !== undefined ? `ligne ${anomaly.line}` : undefined,
    anomaly.reference ? `réf. ${anomaly.reference}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.join(', ');
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The mail telling a pharmacy that a customer's statement does not reconcile cleanly. */
export function buildAlertMessage(pharmacyId: string, alert: AlertContent): AlertMessage {
  const customer = `${alert.customerName} (${alert.clientKey})`;
  const period = `du ${formatDate(alert.from)} au ${formatDate(alert.to)}`;
  const discrepancy = formatAmount(discrepancyOf(alert));
  const subject =
    alert.verdict === 'mismatch'
      ? `Relevé de ${customer} ${period} : écart de ${discrepancy}`
      : `Relevé de ${customer} ${period} : ${alert.anomalies.length} anomalie(s)`;
  const facts: [string, string][] = [
    ['Pharmacie', pharmacyId],
    ['Client', customer],
    ['Période', period],
    ['Verdict', VERDICTS[alert.verdict]],
    ['Solde initial', formatAmount(alert.openingBalance)],
    ['Solde final imprimé', formatAmount(alert.closingBalance)],
    ['Solde final recalculé', formatAmount(alert.computedClosingBalance)],
    ['Écart (imprimé − recalculé)', discrepancy],
  ];
  const anomalies = alert.anomalies.map((a) => ({ kind: a.kind, message: a.message, where: where(a) }));

  const text = [
    'Bonjour,',
    '',
    `Le relevé du client ${customer} ${period} ne se rapproche pas sans réserve.`,
    '',
    ...facts.map(([label, value]) => `${label} : ${value}`),
    '',
    anomalies.length > 0 ? `Anomalies (${anomalies.length}) :` : 'Aucune anomalie relevée ligne à ligne.',
    ...anomalies.map((a) => `- [${a.kind}] ${a.message}${a.where ? ` (${a.where})` : ''}`),
    '',
    `Fichier source (SHA-256) : ${alert.sourceSha256}`,
    '',
    'Ce message est envoyé une seule fois pour cette version du relevé.',
  ].join('\n');

  const rows = facts
    .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const list =
    anomalies.length > 0
      ? `<p>Anomalies (${anomalies.length}) :</p><ul>${anomalies
          .map(
            (a) =>
              `<li><code>${escapeHtml(a.kind)}</code> ${escapeHtml(a.message)}${a.where ? ` (${escapeHtml(a.where)})` : ''}</li>`,
          )
          .join('')}</ul>`
      : '<p>Aucune anomalie relevée ligne à ligne.</p>';
  const html = [
    '<!doctype html><html lang="fr"><body>',
    '<p>Bonjour,</p>',
    `<p>Le relevé du client <strong>${escapeHtml(customer)}</strong> ${escapeHtml(period)} ne se rapproche pas sans réserve.</p>`,
    `<table cellpadding="4">${rows}</table>`,
    list,
    `<p><small>Fichier source (SHA-256) : ${escapeHtml(alert.sourceSha256)}<br>`,
    'Ce message est envoyé une seule fois pour cette version du relevé.</small></p>',
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}
