import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientsEvent, statementEvent } from '../../test/factories.js';
import { openPharmacyDatabase, type PharmacyDatabase, readMetaNumber } from '../db/pharmacy-database.js';
import { csvChunk } from '../services/csv-export.service.js';
import { storeCustomers } from './customers.repository.js';
import { storeStatement } from './statements.repository.js';

const PHARMACY = 'unit@example.ma';

describe('pharmacy database writes', () => {
  let dir: string;
  let pdb: PharmacyDatabase;
  const rows = (sql: string) => pdb.sqlite.prepare(sql).all();
  const one = (sql: string) => pdb.sqlite.prepare(sql).get();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'storage-unit-'));
    pdb = openPharmacyDatabase(join(dir, 'pharmacie_unit_at_example_ma.db'), PHARMACY);
  });
  afterEach(() => {
    pdb.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces only that customer and period, in one transaction', () => {
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 6, seed: 1 }));
    storeStatement(
      pdb.sqlite,
      statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 3, from: '2024-01-01', to: '2024-06-30' }),
    );
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '2', count: 5, seed: 2 }));
    const newer = statementEvent({
      pharmacyId: PHARMACY,
      clientKey: '1',
      count: 2,
      seed: 7,
      downloadedAt: '2025-02-01T00:00:00Z',
    });
    expect(storeStatement(pdb.sqlite, newer).outcome).toBe('replace');
    expect(
      rows(
        "SELECT period_from, period_to, COUNT(*) AS n FROM transactions t JOIN statements s ON s.id = t.statement_id WHERE s.client_key = '1' GROUP BY s.id ORDER BY period_from",
      ),
    ).toEqual([
      { period_from: '2017-01-01', period_to: '2025-01-09', n: 2 },
      { period_from: '2024-01-01', period_to: '2024-06-30', n: 3 },
    ]);
    expect(one("SELECT COUNT(*) AS n FROM transactions WHERE client_key = '2'")).toEqual({ n: 5 });
    // The seed tables carry the current (latest, widest) statement only.
    expect(one("SELECT COUNT(*) AS n FROM simple_transactions WHERE nom = 'Client 1'")).toEqual({ n: 2 });
    expect(one("SELECT solde FROM solde_final WHERE nom = 'Client 1'")).toEqual({
      solde: newer.statement.closingBalance,
    });
  });

  it('changes nothing on a redelivery or an older parse', () => {
    const stored = statementEvent({ pharmacyId: PHARMACY, clientKey: '1', downloadedAt: '2025-01-10T00:00:00Z' });
    storeStatement(pdb.sqlite, stored);
    const seq = readMetaNumber(pdb.sqlite, 'change_seq');
    expect(storeStatement(pdb.sqlite, stored).outcome).toBe('duplicate');
    const older = statementEvent({
      pharmacyId: PHARMACY,
      clientKey: '1',
      seed: 5,
      count: 1,
      downloadedAt: '2025-01-09T00:00:00Z',
    });
    expect(storeStatement(pdb.sqlite, older).outcome).toBe('stale');
    expect(readMetaNumber(pdb.sqlite, 'change_seq')).toBe(seq);
    expect(one("SELECT source_sha256 AS sha FROM statements WHERE client_key = '1'")).toEqual({
      sha: stored.sourceSha256,
    });
  });

  it('renames seed rows when a homonym appears, never mixing two customers', () => {
    storeCustomers(pdb.sqlite, clientsEvent(PHARMACY, [{ clientKey: '10', name: 'Amine Tazi' }]));
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '10', count: 4 }));
    expect(rows('SELECT nom FROM client_keys')).toEqual([{ nom: 'Amine Tazi' }]);

    // A second "Amine Tazi" arrives through its statement, before any customer list names it.
    storeStatement(
      pdb.sqlite,
      statementEvent({ pharmacyId: PHARMACY, clientKey: '11', count: 2, customerName: 'Amine Tazi' }),
    );
    expect(rows('SELECT nom, client_key FROM client_keys ORDER BY nom')).toEqual([
      { nom: 'Amine Tazi (10)', client_key: '10' },
      { nom: 'Amine Tazi (11)', client_key: '11' },
    ]);
    expect(rows('SELECT nom, COUNT(*) AS n FROM simple_transactions GROUP BY nom ORDER BY nom')).toEqual([
      { nom: 'Amine Tazi (10)', n: 4 },
      { nom: 'Amine Tazi (11)', n: 2 },
    ]);
    expect(one("SELECT COUNT(*) AS n FROM simple_transactions WHERE nom = 'Amine Tazi'")).toEqual({ n: 0 });
  });

  it('keeps customer details from the newest list and never drops a customer', () => {
    storeCustomers(
      pdb.sqlite,
      clientsEvent(PHARMACY, [{ clientKey: '1', name: 'A', phone: 'new' }], '2025-01-10T00:00:00Z'),
    );
    const older = storeCustomers(
      pdb.sqlite,
      clientsEvent(
        PHARMACY,
        [
          { clientKey: '1', name: 'A', phone: 'old' },
          { clientKey: '2', name: 'B' },
        ],
        '2025-01-01T00:00:00Z',
      ),
    );
    expect(older).toMatchObject({ inserted: 1, stale: 1 });
    storeCustomers(pdb.sqlite, clientsEvent(PHARMACY, [{ clientKey: '2', name: 'B' }], '2025-01-11T00:00:00Z'));
    expect(rows('SELECT client_key, phone FROM customers ORDER BY client_key')).toEqual([
      { client_key: '1', phone: 'new' },
      { client_key: '2', phone: null },
    ]);
  });

  it('exports CSV in chunks that concatenate to the whole file', () => {
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 7 }));
    const request = { dataset: 'transactions' as const, separator: ';' as const, asOf: '2025-01-09', cursor: 0 };
    const whole = csvChunk(pdb.sqlite, request, 'base');
    expect(whole.nextCursor).toBeUndefined();
    let text = '';
    let cursor: number | undefined = 0;
    let chunks = 0;
    while (cursor !== undefined) {
      const chunk = csvChunk(pdb.sqlite, { ...request, cursor }, 'base', 3);
      text += chunk.text;
      cursor = chunk.nextCursor;
      chunks++;
    }
    expect(chunks).toBe(3);
    expect(text).toBe(whole.text);
    expect(text.split('\r\n')).toHaveLength(1 + 7 + 1);
    expect(whole.fileName).toBe('base_transactions.csv');
  });

  it("exports the transactions of the statement of the period asked, not the current one's", () => {
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 3, to: '2024-12-31' }));
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 7 }));
    const request = { dataset: 'transactions' as const, separator: ';' as const, asOf: '2025-01-09', cursor: 0 };
    const lines = (chunk: { text: string }) => chunk.text.split('\r\n').length - 2;
    expect(lines(csvChunk(pdb.sqlite, { ...request, clientKey: '1' }, 'base'))).toBe(7);
    const older = csvChunk(
      pdb.sqlite,
      { ...request, clientKey: '1', period: { from: '2017-01-01', to: '2024-12-31' } },
      'base',
    );
    expect(lines(older)).toBe(3);
    expect(older.fileName).toBe('base_transactions_1_2017-01-01_2024-12-31.csv');
    const lineRequest = {
      ...request,
      dataset: 'product-lines' as const,
      period: { from: '2017-01-01', to: '2024-12-31' },
    };
    expect(lines(csvChunk(pdb.sqlite, lineRequest, 'base'))).toBeLessThan(
      lines(csvChunk(pdb.sqlite, { ...lineRequest, period: undefined }, 'base')),
    );
  });

  it('exports customers, balances and ageing with their headers, a row per customer', () => {
    storeCustomers(pdb.sqlite, clientsEvent(PHARMACY, [{ clientKey: '1', name: 'Amine; Tazi', phone: '0600' }]));
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '1', count: 7, opening: 12.5 }));
    storeStatement(pdb.sqlite, statementEvent({ pharmacyId: PHARMACY, clientKey: '2', count: 3, seed: 2 }));
    const csv = (dataset: 'customers' | 'balances' | 'ageing') =>
      csvChunk(pdb.sqlite, { dataset, separator: ';', asOf: '2025-01-09', cursor: 0 }, 'base').text;
    expect(csv('customers')).toMatchInlineSnapshot(`
      "﻿client_key;nom;email;telephone;organisme;immatriculation;solde;verdict;dernier_paiement
      1;"Amine; Tazi";;0600;;;229,02;ok;2024-06-28
      2;Client 2;;;;;340,54;ok;2024-06-10
      "
    `);
    expect(csv('balances')).toMatchInlineSnapshot(`
      "﻿client_key;nom;du;au;solde_initial;solde_final;solde_calcule;ecart;verdict
      1;"Amine; Tazi";2017-01-01;2025-01-09;12,5;229,02;229,02;0;ok
      2;Client 2;2017-01-01;2025-01-09;0;340,54;340,54;0;ok
      "
    `);
    expect(csv('ageing')).toMatchInlineSnapshot(`
      "﻿client_key;nom;0_30_jours;31_60_jours;61_90_jours;plus_90_jours;impaye;credit_non_affecte;solde
      2;Client 2;0;0;0;340,54;340,54;0;340,54
      1;"Amine; Tazi";0;0;0;229,02;229,02;0;229,02
      "
    `);
  });
});
