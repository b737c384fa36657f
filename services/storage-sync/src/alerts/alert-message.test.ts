import { describe, expect, it } from 'vitest';
import { buildAlertMessage, formatAmount } from './alert-message.js';
import type { AlertContent } from './alert-outbox.js';

const alert: AlertContent = {
  clientKey: '77',
  customerName: 'Sara <Alami>',
  from: '2024-01-01',
  to: '2024-12-31',
  verdict: 'ok_with_anomalies',
  openingBalance: 0,
  closingBalance: 12_345.5,
  computedClosingBalance: 12_345.5,
  anomalies: [
    { kind: 'effect_differs_from_total', message: 'paiement égal à un retour', page: 2, reference: 'P-1' },
    { kind: 'unknown_label', message: 'libellé inconnu' },
  ],
  sourceSha256: 'a'.repeat(64),
};

describe('buildAlertMessage', () => {
  it('names the anomalies with their place, and a zero discrepancy when balances agree', () => {
    const message = buildAlertMessage('pharmacie@example.ma', alert);
    expect(message.subject).toBe('Relevé de Sara <Alami> (77) du 01/01/2024 au 31/12/2024 : 2 anomalie(s)');
    expect(message.text).toContain('Solde final imprimé : 12 345,50');
    expect(message.text).toContain('Écart (imprimé − recalculé) : 0,00');
    expect(message.text).toContain('- [effect_differs_from_total] paiement égal à un retour (page 2, réf. P-1)');
    expect(message.text).toContain('- [unknown_label] libellé inconnu\n');
  });

  it('escapes customer data in the HTML part', () => {
    const { html } = buildAlertMessage('pharmacie@example.ma', alert);
    expect(html).toContain('Sara &lt;Alami&gt; (77)');
    expect(html).not.toContain('<Alami>');
  });

  it('formats amounts the French way with plain spaces', () => {
    expect(formatAmount(-1_234_567.891)).toBe('-1 234 567,89');
  });
});
