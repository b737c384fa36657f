import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRun, markInterruptedRuns, startRun } from '../../src/repositories/runs.repository.js';
import { computeAnalyses } from '../../src/services/analyses.js';
import { type CsvServer, startCsvServer } from '../helpers/csv-server.js';
import { PRODUCTS_CSV, SALES_CSV, STORES_CSV } from '../helpers/fixtures.js';
import { countsOf, createImportHarness, type ImportHarness } from '../helpers/import-harness.js';

let server: CsvServer;
let harness: ImportHarness;

beforeAll(async () => {
  server = await startCsvServer();
  server.route('/produits.csv', { body: PRODUCTS_CSV });
  server.route('/magasins.csv', { body: STORES_CSV });
  server.route('/ventes.csv', { body: SALES_CSV });
  harness = createImportHarness();
});

afterAll(async () => {
  harness.close();
  await server.close();
});

const urls = () => ({
  products: server.url('/produits.csv'),
  stores: server.url('/magasins.csv'),
  sales: server.url('/ventes.csv'),
});

const countsOfAll = (result: Parameters<typeof countsOf>[0]) => ({
  products: countsOf(result, 'products'),
  stores: countsOf(result, 'stores'),
  sales: countsOf(result, 'sales'),
});

/** The counts of a file that was imported without a rejected row. */
const imported = (counts: { read: number; inserted?: number; duplicates?: number }) => ({
  outcome: 'imported',
  inserted: 0,
  duplicates: 0,
  rejected: 0,
  ...counts,
});

describe('import of clean files', () => {
  /** Imports the three clean files: it succeeds, every row of each counted as `counted`, and the tables hold them all. */
  const importCleanFiles = async (counted: 'inserted' | 'duplicates') => {
    const result = await harness.run(urls());
    expect(result.status).toBe('succeeded');
    expect(countsOfAll(result)).toEqual({
      products: imported({ read: 3, [counted]: 3 }),
      stores: imported({ read: 2, [counted]: 2 }),
      sales: imported({ read: 5, [counted]: 5 }),
    });
    expect(harness.tableCounts()).toEqual({ produits: 3, magasins: 2, ventes: 5 });
    return result;
  };

  it('inserts every row and computes the analyses', async () => {
    const result = await importCleanFiles('inserted');
    expect(harness.db.reader.prepare('SELECT * FROM ventes WHERE id_vente = 100').get()).toEqual({
      id_vente: 100,
      id_produit: 1,
      id_magasin: 10,
      date_vente: '2024-01-15',
      quantite: 4,
      chiffre_affaires: 10,
    });

    const analyses = computeAnalyses(harness.db.reader, result.runId);
    expect(analyses.totalRevenue).toBe(90.5);
    expect(analyses.salesCount).toBe(5);
    expect(analyses.revenuePerCity).toEqual([
      { ville: 'Casablanca', chiffreAffaires: 58, ventes: 3 },
      { ville: 'Rabat', chiffreAffaires: 32.5, ventes: 2 },
    ]);
    expect(analyses.revenuePerMonth).toEqual([
      { mois: '2024-01', chiffreAffaires: 18, quantite: 6 },
      { mois: '2024-02', chiffreAffaires: 32.5, quantite: 4 },
      { mois: '2024-03', chiffreAffaires: 40, quantite: 4 },
    ]);
    expect(analyses.quantityPerProduct).toEqual([
      { idProduit: 1, nom: 'Doliprane 1000', quantite: 5, chiffreAffaires: 12.5 },
      { idProduit: 2, nom: 'Vitamine C', quantite: 2, chiffreAffaires: 8 },
      { idProduit: 3, nom: 'Sérum', quantite: 7, chiffreAffaires: 70 },
    ]);
    expect(analyses.topProducts.map((row) => row.idProduit)).toEqual([3, 1, 2]);
    expect(analyses.averageBasketPerStore).toEqual([
      { idMagasin: 10, ville: 'Casablanca', ventes: 3, panierMoyen: 19.33 },
      { idMagasin: 20, ville: 'Rabat', ventes: 2, panierMoyen: 16.25 },
    ]);
  });

  it('treats a re-import of the same files as a no-op', async () => {
    await importCleanFiles('duplicates');
  });
});

describe('duplicates', () => {
  it('counts rows already stored and rows repeated in the file, keeping the first', async () => {
    server.route('/ventes-dup.csv', {
      body: [
        'id_vente;id_produit;id_magasin;date_vente;quantite;chiffre_affaires',
        '100;1;10;2024-01-15;4;10,00',
        '300;1;10;2024-05-01;2;5,00',
        '300;2;20;2024-05-02;1;4,00',
        '301;2;20;2024-05-02;1;4,00',
      ].join('\r\n'),
    });
    const result = await harness.run({ sales: server.url('/ventes-dup.csv') });
    expect(countsOf(result, 'sales')).toEqual({
      outcome: 'imported',
      read: 4,
      inserted: 2,
      duplicates: 2,
      rejected: 0,
    });
    expect(harness.db.reader.prepare('SELECT id_produit FROM ventes WHERE id_vente = 300').get()).toEqual({
      id_produit: 1,
    });
    expect(harness.tableCounts().ventes).toBe(7);
  });
});

describe('corrupt rows', () => {
  it('stores each rejected row with its line, raw text and reason, and imports the rest', async () => {
    const lines = [
      'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires',
      '400,1,10,2024-04-01,2,5.00',
      '401,1,10,2024-04-01,2',
      ',1,10,2024-04-01,2,5',
      'abc,1,10,2024-04-01,2,5',
      '403,1,10,2024-13-01,2,5',
      '404,1,10,2024-04-01,deux,5',
      '405,1,10,2024-04-01,-2,-5',
      '406,9,10,2024-04-01,2,5',
      '407,1,99,2024-04-01,2,5',
      '408,1,10,2024-04-01,2,7.00',
      '409,1,10,01/04/2024,2,"5,00"',
      '410,1,10,2024-04-01,2,"5.00',
    ];
    server.route('/ventes-corrupt.csv', { body: `${lines.join('\n')}\n` });
    const result = await harness.run({ sales: server.url('/ventes-corrupt.csv') });
    expect(result.status).toBe('succeeded');
    expect(countsOf(result, 'sales')).toEqual({
      outcome: 'imported',
      read: 12,
      inserted: 2,
      duplicates: 0,
      rejected: 10,
    });
    expect(harness.rejectsOf(result.runId)).toEqual([
      { line: 3, raw: lines[2], reason: 'COLUMN_COUNT', message: '5 fields where the header has 6' },
      { line: 4, raw: lines[3], reason: 'MISSING_FIELD', message: 'id_vente is empty' },
      { line: 5, raw: lines[4], reason: 'INVALID_ID', message: 'id_vente "abc" is not a positive integer' },
      { line: 6, raw: lines[5], reason: 'INVALID_DATE', message: 'date_vente "2024-13-01" is not a date' },
      { line: 7, raw: lines[6], reason: 'INVALID_NUMBER', message: 'quantite "deux" is not a number' },
      { line: 8, raw: lines[7], reason: 'NEGATIVE_VALUE', message: 'quantite -2 is negative' },
      { line: 9, raw: lines[8], reason: 'UNKNOWN_PRODUCT', message: 'id_produit 9 is not a known product' },
      { line: 10, raw: lines[9], reason: 'UNKNOWN_STORE', message: 'id_magasin 99 is not a known store' },
      {
        line: 11,
        raw: lines[10],
        reason: 'REVENUE_MISMATCH',
        message: 'chiffre_affaires 7 differs from quantite × prix = 2 × 2.5 = 5',
      },
      { line: 13, raw: lines[12], reason: 'MALFORMED_CSV', message: expect.stringContaining('Quote Not Closed') },
    ]);
    expect(harness.db.reader.prepare('SELECT date_vente FROM ventes WHERE id_vente = 409').get()).toEqual({
      date_vente: '2024-04-01',
    });
  });

  it('fails the whole import when a header lacks a column, changing nothing', async () => {
    const before = harness.tableCounts();
    server.route('/magasins-bad.csv', { body: 'id_magasin,pays\n30,Maroc\n' });
    server.route('/produits-new.csv', { body: 'id_produit,nom,prix\n50,Nouveau,1\n' });
    const result = await harness.run({
      products: server.url('/produits-new.csv'),
      stores: server.url('/magasins-bad.csv'),
    });
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({
      code: 'INVALID_FILE',
      message: 'stores file header "id_magasin,pays": missing column ville',
    });
    expect(countsOf(result, 'products')?.outcome).toBe('rolled_back');
    expect(harness.tableCounts()).toEqual(before);
  });
});

describe('encodings', () => {
  it('reads Windows-1252, Windows-1251 and UTF-8 with BOM back exactly', async () => {
    server.route('/produits-1252.csv', {
      body: iconv.encode(
        "ID Produit;Nom;Prix\n60;Crème hydratante été;12,50\n61;Pâte à l'aloé;1 200,00\n",
        'windows-1252',
      ),
      contentType: 'text/csv',
    });
    server.route('/magasins-1251.csv', {
      body: iconv.encode('Id_Magasin,Ville\n60,Москва\n61,Санкт-Петербург\n', 'windows-1251'),
    });
    server.route('/ventes-bom.csv', {
      body: Buffer.from(
        '\ufeffID Vente;ID Produit;ID Magasin;Date;Quantité;Chiffre d’affaires\n600;60;61;15/06/2024;2;25,00\n',
      ),
      contentType: 'text/csv; charset=utf-8',
    });
    const result = await harness.run({
      products: server.url('/produits-1252.csv'),
      stores: server.url('/magasins-1251.csv'),
      sales: server.url('/ventes-bom.csv'),
    });
    expect(result.status).toBe('succeeded');
    expect(result.files.map((file) => [file.kind, file.encoding, file.delimiter, file.inserted])).toEqual([
      ['products', 'windows-1252', ';', 2],
      ['stores', 'windows-1251', ',', 2],
      ['sales', 'utf-8', ';', 1],
    ]);
    expect(harness.db.reader.prepare('SELECT nom, prix FROM produits WHERE id_produit >= 60 ORDER BY 1').all()).toEqual(
      [
        { nom: 'Crème hydratante été', prix: 12.5 },
        { nom: "Pâte à l'aloé", prix: 1200 },
      ],
    );
    expect(harness.db.reader.prepare('SELECT ville FROM magasins WHERE id_magasin >= 60 ORDER BY 1').all()).toEqual([
      { ville: 'Москва' },
      { ville: 'Санкт-Петербург' },
    ]);
  });
});

describe('failed downloads leave the database as it was', () => {
  it('rolls back a truncated download, after trying it again', async () => {
    const before = harness.tableCounts();
    const body = Buffer.from(
      [
        'id_vente,id_produit,id_magasin,date_vente,quantite,chiffre_affaires',
        ...Array.from({ length: 2_000 }, (_, i) => `${10_000 + i},1,10,2024-07-01,1,2.50`),
      ].join('\n'),
    );
    server.route('/ventes-cut.csv', { body, cutAfterBytes: Math.floor(body.length / 2) });
    server.route('/produits-more.csv', { body: 'id_produit,nom,prix\n70,Autre,3\n' });
    const result = await harness.run({
      products: server.url('/produits-more.csv'),
      sales: server.url('/ventes-cut.csv'),
    });
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('TRUNCATED');
    expect(server.requests('/ventes-cut.csv')).toHaveLength(2);
    expect(countsOf(result, 'products')).toEqual({
      outcome: 'rolled_back',
      read: 1,
      inserted: 1,
      duplicates: 0,
      rejected: 0,
    });
    expect(countsOf(result, 'sales')?.outcome).toBe('failed');
    expect(harness.tableCounts()).toEqual(before);
    expect(harness.rejectsOf(result.runId)).toEqual([]);
    const run = harness.db.reader.prepare('SELECT status, error FROM import_runs WHERE id = ?').get(result.runId);
    expect(run).toEqual({ status: 'failed', error: expect.stringMatching(/^TRUNCATED: download of .* broke off/) });
  });

  it('rolls back on a 404', async () => {
    const before = harness.tableCounts();
    const result = await harness.run({ products: server.url('/produits-more.csv'), sales: server.url('/missing.csv') });
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ code: 'HTTP_STATUS', message: `HTTP 404 from ${server.url('/missing.csv')}` });
    expect(server.requests('/missing.csv')).toHaveLength(1);
    expect(harness.tableCounts()).toEqual(before);
  });

  it('refuses HTML, oversized bodies and redirects to other schemes', async () => {
    server.route('/page.html', { body: '<html></html>', contentType: 'text/html; charset=utf-8' });
    server.route('/elsewhere.csv', { location: 'ftp://example.com/ventes.csv' });
    const html = await harness.run({ sales: server.url('/page.html') });
    expect(html.error?.code).toBe('UNSUPPORTED_CONTENT_TYPE');
    const redirected = await harness.run({ sales: server.url('/elsewhere.csv') });
    expect(redirected.error).toEqual({
      code: 'URL_REFUSED',
      message: 'scheme ftp: is not allowed (http and https only)',
    });
    const small = createImportHarness({ maxBytes: 50 });
    try {
      const tooLarge = await small.run({ sales: server.url('/ventes.csv') });
      expect(tooLarge.error?.code).toBe('TOO_LARGE');
    } finally {
      small.close();
    }
  });
});

describe('conditional runs', () => {
  it('skips files the server reports unchanged and records it', async () => {
    server.route('/produits-etag.csv', { body: PRODUCTS_CSV, etag: '"v1"' });
    server.route('/magasins-lm.csv', { body: STORES_CSV, lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    const request = { products: server.url('/produits-etag.csv'), stores: server.url('/magasins-lm.csv') };
    const first = await harness.run(request, { conditional: true });
    expect(first.files.map((file) => file.outcome)).toEqual(['imported', 'imported']);
    const second = await harness.run(request, { conditional: true });
    expect(second.status).toBe('succeeded');
    expect(second.files.map((file) => [file.kind, file.outcome, file.read])).toEqual([
      ['products', 'unchanged', 0],
      ['stores', 'unchanged', 0],
    ]);
    expect(server.requests('/produits-etag.csv')[1]?.['if-none-match']).toBe('"v1"');
    expect(server.requests('/magasins-lm.csv')[1]?.['if-modified-since']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    const recorded = harness.db.reader
      .prepare('SELECT kind, outcome FROM import_files WHERE run_id = ? ORDER BY kind')
      .all(second.runId);
    expect(recorded).toEqual([
      { kind: 'products', outcome: 'unchanged' },
      { kind: 'stores', outcome: 'unchanged' },
    ]);

    server.route('/produits-etag.csv', { body: `${PRODUCTS_CSV}\n80,Nouveau,5`, etag: '"v2"' });
    const third = await harness.run(request, { conditional: true });
    expect(countsOf(third, 'products')).toEqual({
      outcome: 'imported',
      read: 4,
      inserted: 1,
      duplicates: 3,
      rejected: 0,
    });
  });
});

describe('runs interrupted by a stop', () => {
  it('are marked failed at start so a redelivery can run them again', async () => {
    startRun(harness.db.write, {
      id: 'crashed',
      importId: 'crashed',
      trigger: 'request',
      status: 'running',
      urls: {},
      startedAt: new Date().toISOString(),
    });
    expect(markInterruptedRuns(harness.db.write)).toBe(1);
    expect(findRun(harness.db.read, 'crashed')).toMatchObject({
      status: 'failed',
      error: 'INTERRUPTED: the service stopped during the import',
    });
    const again = await harness.run({ sales: server.url('/ventes.csv') }, { runId: 'crashed', importId: 'crashed' });
    expect(again.status).toBe('succeeded');
    expect(findRun(harness.db.read, 'crashed')).toMatchObject({ status: 'succeeded', error: null });
  });
});
