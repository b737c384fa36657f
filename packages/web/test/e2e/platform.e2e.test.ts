import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { buildApp as buildScraper } from '@pharma/scraper/dist/app.js';
import { loadConfig as loadScraperConfig } from '@pharma/scraper/dist/config.js';
import { DEMO_ACCOUNT, HISTORY_START, type RunningSimulator, startSimulator } from '@pharma/sobrus-sim';
import {
  captureLogs,
  createTestBucket,
  createTestDatabase,
  createTestNats,
  type TestBucket,
  type TestDatabase,
  type TestNats,
  testChromiumOptions,
} from '@pharma/testkit';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempRoot,
  putFile,
  registryEnv,
  startRegistry,
} from '../../../../services/file-registry/test/helpers.js';
import { startGateway } from '../../../../services/gateway/test/helpers.js';
import { buildApp as buildOrchestrator } from '../../../../services/orchestrator/src/app.js';
import { loadConfig as loadOrchestratorConfig } from '../../../../services/orchestrator/src/config.js';
import { createFolders, orchestratorEnv } from '../../../../services/orchestrator/test/helpers.js';
import { buildApp as buildPdfProcessor } from '../../../../services/pdf-processor/src/app.js';
import { loadConfig as loadPdfConfig } from '../../../../services/pdf-processor/src/config.js';
import { buildApp as buildSalesEtl } from '../../../../services/sales-etl/src/app.js';
import { loadConfig as loadSalesConfig } from '../../../../services/sales-etl/src/config.js';
import { type CsvServer, startCsvServer } from '../../../../services/sales-etl/test/helpers/csv-server.js';
import { PRODUCTS_CSV, SALES_CSV, STORES_CSV } from '../../../../services/sales-etl/test/helpers/fixtures.js';
import { startStorageSync, tempDir } from '../../../../services/storage-sync/test/helpers.js';
import { startAuthService } from './auth-service.js';
import { englishWordsIn } from './english-words.js';

const TODAY = '2025-06-30';
const SCREENSHOTS = resolve(import.meta.dirname, '../../../../test-results/e2e');
const PHARMACY = { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password };
const OPS = { email: 'ops@pharma.test', password: 'ops-secret-42', role: 'ops' as const };
const ADMIN = { email: 'admin@pharma.test', password: 'admin-secret-42', role: 'admin' as const };

describe('the platform in a real browser', () => {
  let nats: TestNats;
  let db: TestDatabase;
  let authDb: TestDatabase;
  let auth: { close(): Promise<void> } | undefined;
  let bucket: TestBucket;
  let sim: RunningSimulator;
  let browser: Browser;
  let baseUrl: string;
  let intake: Awaited<ReturnType<typeof createTempRoot>>;
  const apps: FastifyInstance[] = [];
  const storageDir = tempDir('e2e-storage-');
  const salesDir = tempDir('e2e-sales-');
  let csvServer: CsvServer | undefined;
  let folders: Awaited<ReturnType<typeof createFolders>> | undefined;

  /** A screenshot of the page; on a French page of the app, also that no English word shows (the catalogues'). */
  async function shot(page: Page, name: string) {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    const french = (await page.evaluate(() => document.documentElement.lang)) === 'fr';
    if (french && !page.url().includes('/docs')) {
      expect(englishWordsIn(await page.locator('body').innerText()), `English words on ${name}`).toEqual([]);
    }
  }

  async function logIn(page: Page, email: string, password: string) {
    await page.goto(baseUrl);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(password);
    await shot(page, '01-login');
    await page.getByRole('button', { name: 'Se connecter' }).click();
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    nats = await createTestNats();
    db = await createTestDatabase();
    authDb = await createTestDatabase();
    bucket = await createTestBucket();
    // Not the classic shape: a sign-in hop, a POST JSON list and no page URLs, learned by the scraper at run time.
    sim = await startSimulator({ seed: 'e2e', today: TODAY, site: 'search-post' });
    intake = await createTempRoot();
    await putFile(intake.root, 'Сети/2025/05/Аптека А/Продажи/may.csv');
    await putFile(intake.root, 'Сети/2025/05/Аптека Б/Продажи/may.xlsx');
    await putFile(intake.root, 'Дистрибьюторы/2025/05/Аптека А/Остатки/may.csv');
    const logs = captureLogs('e2e');
    apps.push(
      await startStorageSync({
        natsUrl: nats.url,
        prefix: nats.prefix,
        s3: bucket.s3,
        bucket: bucket.bucket,
        dataDir: storageDir,
        logger: logs.logger,
      }),
    );
    const pdf = await buildPdfProcessor(
      loadPdfConfig({ NATS_URL: nats.url, NATS_PREFIX: nats.prefix, PDF_PROCESSOR_THREADS: '1' }),
      logs.logger,
    );
    await pdf.ready();
    apps.push(pdf);
    const registry = await startRegistry(registryEnv(db, nats, intake.root));
    await registry.ready();
    apps.push(registry);
    folders = await createFolders();
    const orchestrator = await buildOrchestrator(
      loadOrchestratorConfig(
        orchestratorEnv(db.url, folders, {
          NATS_URL: nats.url,
          NATS_PREFIX: nats.prefix,
          REGISTRY_ROOT: intake.root,
          ORCHESTRATOR_RUN_ON_SCAN: 'false',
          LOG_LEVEL: 'warn',
        }),
      ),
      logs.logger,
    );
    await orchestrator.ready();
    apps.push(orchestrator);
    csvServer = await startCsvServer();
    csvServer.route('/produits.csv', { body: PRODUCTS_CSV });
    csvServer.route('/magasins.csv', { body: STORES_CSV });
    csvServer.route('/ventes.csv', { body: SALES_CSV });
    const sales = await buildSalesEtl(
      loadSalesConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SALES_DATA_DIR: salesDir,
        SALES_ALLOW_PRIVATE_URLS: 'true',
        SALES_FETCH_RETRIES: '0',
      }),
      logs.logger,
    );
    await sales.ready();
    apps.push(sales);
    const scraper = await buildScraper(
      loadScraperConfig({
        NATS_URL: nats.url,
        NATS_PREFIX: nats.prefix,
        SOBRUS_APP_URL: sim.appUrl,
        SOBRUS_API_URL: sim.apiUrl,
      }),
      logs.logger,
    );
    await scraper.ready();
    apps.push(scraper);
    auth = await startAuthService({
      natsUrl: nats.url,
      prefix: nats.prefix,
      databaseUrl: authDb.url,
      sobrusAppUrl: sim.appUrl,
      logger: logs.logger,
      staff: [OPS, ADMIN],
    });
    const gateway = await startGateway({ natsUrl: nats.url, prefix: nats.prefix, logger: logs.logger });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    apps.push(gateway);
    baseUrl = `http://127.0.0.1:${(gateway.server.address() as AddressInfo).port}`;
    browser = await chromium.launch(testChromiumOptions());
  });

  afterAll(async () => {
    await browser?.close();
    for (const app of apps.reverse()) await app.close();
    await auth?.close();
    await sim?.close();
    await nats?.cleanup();
    await db?.drop();
    await authDb?.drop();
    bucket?.client.destroy();
    await intake?.remove();
    await csvServer?.close();
    rmSync(storageDir, { recursive: true, force: true });
    rmSync(salesDir, { recursive: true, force: true });
  });

  it('a pharmacy refreshes its customers and a statement, checks balances, exports CSV and logs out', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, PHARMACY.email, PHARMACY.password);
    // The auth service checks the password by logging in to Sobrus (the simulator) with a browser.
    await expect
      .poll(
        async () =>
          (await page
            .getByRole('alert')
            .textContent({ timeout: 100 })
            .catch(() => '')) || page.url(),
        {
          timeout: 60_000,
        },
      )
      .toContain('/clients');

    // A new pharmacy has no customers yet: the page says what to do, and offers every statement since 2017.
    await expect
      .poll(() => page.getByTestId('customers-empty').textContent())
      .toContain('Actualiser la liste depuis Sobrus');
    expect(await page.getByRole('button', { name: /^Télécharger tous les relevés \(01\/01\/2017 → / }).count()).toBe(1);
    await page.getByRole('button', { name: 'Actualiser la liste depuis Sobrus' }).click();
    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    // Progress moved: the page saw at least one state strictly between the start and the end.
    const seen = ((await progress.getAttribute('data-seen')) ?? '')
      .split(' ')
      .map((step) => step.split('/').map(Number));
    expect(seen.some(([done = 0, total = 0]) => done > 0 && done < total)).toBe(true);
    expect(await page.getByTestId('job-counter').textContent()).toContain('259 clients trouvés');
    await expect.poll(() => page.getByTestId('customer-total').textContent(), { timeout: 10_000 }).toContain('259');
    await shot(page, '02-customers');

    const customer = sim.truth.customers(PHARMACY.email)[3];
    if (!customer) throw new Error('the simulator has no fourth customer');
    await page.getByLabel('Nom, code, e-mail ou téléphone').fill(customer.clientKey);
    await page.getByRole('link', { name: customer.name }).first().click();
    await expect.poll(() => page.url()).toContain(`/clients/${customer.clientKey}`);
    await page.getByLabel('Du').fill(HISTORY_START);
    await page.getByLabel('Au').fill(TODAY);
    await page.getByRole('button', { name: 'Télécharger à nouveau ce relevé' }).click();
    await expect
      .poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');

    const truth = await sim.truth.statement({
      account: PHARMACY.email,
      customerId: customer.clientKey,
      startDate: HISTORY_START,
      endDate: TODAY,
    });
    // No reload: the page shows the statement once it is stored, after the job's end.
    await expect
      .poll(
        () =>
          page
            .getByTestId('closing-balance')
            .getAttribute('data-value', { timeout: 500 })
            .catch(() => null),
        { timeout: 30_000, interval: 500 },
      )
      .toBe(String(truth.closingBalance));
    expect(await page.getByTestId('statement-period').textContent()).toBe(`${HISTORY_START} → ${TODAY}`);
    expect(await page.locator('figure.line-chart svg').getAttribute('aria-label')).toMatch(/^Solde au fil du relevé: /);
    await expect.poll(() => page.getByTestId('statement-awaited').count()).toBe(0);
    expect(await page.getByTestId('opening-balance').textContent()).toBeTruthy();
    await shot(page, '03-statement');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Exporter en CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(csv).toHaveLength(truth.transactions.length + 1);
    const references = csv.slice(1).map((line) => line.split(';'));
    for (const transaction of truth.transactions) {
      expect(references.some((cells) => cells.includes(transaction.reference))).toBe(true);
    }

    await page.getByRole('link', { name: 'Soldes' }).click();
    const closing = page.locator(`[data-client="${customer.clientKey}"]`);
    await expect.poll(() => closing.getAttribute('data-closing')).toBe(String(truth.closingBalance));
    await expect.poll(() => page.getByTestId('ageing-over90').count()).toBe(1);
    await expect.poll(() => page.locator('figure.chart').count()).toBe(2);
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Balance âgée en Excel' }).click(),
    ]);
    expect(
      readFileSync(await workbook.path())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await shot(page, '04-balances');

    await page.getByRole('link', { name: 'Tâches' }).click();
    await expect.poll(() => page.getByTestId('jobs').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('jobs').getByRole('button').first().click();
    await expect.poll(() => page.getByTestId('job-log').locator('li').count()).toBeGreaterThan(0);
    // The customers refresh says how the list was read; the diagnostic bundle is for staff only.
    await page.getByTestId('jobs').locator('tbody tr', { hasText: 'Liste des clients' }).getByRole('button').click();
    await expect.poll(() => page.getByTestId('job-path').getAttribute('data-path')).toBe('api');
    expect(await page.getByTestId('job-path').textContent()).toContain('par l’API de Sobrus');
    expect(await page.getByTestId('job-diagnostics').count()).toBe(0);
    await shot(page, '05-jobs');

    // Every customer's statement in one click, followed live to the end.
    await page.getByRole('link', { name: 'Clients', exact: true }).click();
    await page.getByRole('button', { name: /^Télécharger tous les relevés/ }).click();
    const all = page.getByTestId('job-progress');
    await expect.poll(() => all.getAttribute('data-status'), { timeout: 180_000, interval: 500 }).toBe('succeeded');
    const steps = ((await all.getAttribute('data-seen')) ?? '').split(' ').map((step) => step.split('/').map(Number));
    expect(steps.some(([done = 0, total = 0]) => total === 259 && done > 0 && done < total)).toBe(true);
    expect(await page.getByTestId('job-counter').textContent()).toContain('259 / 259');

    await page.getByLabel('Langue').selectOption('ru');
    await expect.poll(() => page.getByRole('link', { name: 'Клиенты', exact: true }).count()).toBe(1);
    await page.getByLabel('Язык').selectOption('fr');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Se connecter' }).count()).toBe(1);
    expect((await page.request.get(`${baseUrl}/api/me`)).status()).toBe(401);
    await context.close();
  });

  it('a staff member runs a registry scan and sees the files by status', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // By keyboard only: the form submits on Enter from the password field.
    await page.goto(baseUrl);
    await page.getByLabel('E-mail').focus();
    await page.keyboard.type(OPS.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OPS.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('/registry');
    await page.getByRole('button', { name: 'Scanner maintenant' }).click();
    await expect
      .poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');
    const newCount = page.getByTestId('by-status').locator('tr[data-key="NEW"] td');
    await expect.poll(() => newCount.textContent(), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => page.getByTestId('registry-files').locator('tbody tr').count()).toBe(3);
    // Statuses are written in the page's language; the codes stay in the data attributes.
    expect(await page.getByTestId('by-status').locator('tr[data-key="NEW"] th').textContent()).toBe('Nouveau');
    expect(await page.getByTestId('registry-files').locator('tbody .badge').first().textContent()).toBe('Nouveau');
    await page.getByLabel('Mois').fill('2025-05');
    await expect.poll(() => page.getByTestId('completeness').count()).toBe(1);
    await shot(page, '06-registry');

    // A conversion run over the three new files: there is no conversion script for them, so each task reports
    // NO_SCRIPT_FOUND (the job lists the three) and the files wait in PROCESSING for a script.
    await page.getByRole('link', { name: 'Orchestrateur' }).click();
    await page.getByRole('button', { name: 'Lancer une exécution' }).click();
    await expect
      .poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 30_000 })
      .toMatch(/succeeded|failed/);
    expect(await page.getByTestId('job-progress').textContent()).toContain('NO_SCRIPT_FOUND');
    await expect.poll(() => page.getByTestId('run-tasks').locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.getByTestId('runs').locator('tbody tr').first().textContent()).toContain('Demande');
    await shot(page, '07-orchestrator');
    await page.getByRole('link', { name: 'Registre' }).click();
    const processing = page.getByTestId('by-status').locator('tr[data-key="PROCESSING"] td');
    await expect.poll(() => processing.textContent(), { timeout: 10_000 }).toBe('3');

    // A file's attempts, the month's expected reports edited, and the intake tree previewed then created.
    await page.getByTestId('registry-files').locator('tbody tr').first().getByRole('button').first().click();
    const attempts = page.locator('[data-testid^="attempts-"]');
    await expect.poll(() => attempts.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await attempts.textContent()).toContain('NO_SCRIPT_FOUND');
    const addExpected = page.getByRole('form', { name: 'Ajouter un rapport attendu' });
    await addExpected.getByLabel('Fournisseur').fill('Сеть');
    await addExpected.getByLabel('Client').fill('Аптека Б');
    await addExpected.getByLabel('Rapport').fill('Продажи');
    await addExpected.getByRole('button', { name: 'Ajouter un rapport attendu' }).click();
    await expect.poll(() => page.getByTestId('expected').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('expected').getByRole('button', { name: 'Supprimer' }).click();
    await expect.poll(() => page.getByTestId('expected').count()).toBe(0);
    const tree = page.getByRole('form', { name: 'Générer l’arborescence de dépôt' });
    await tree.getByLabel('Années').fill('2030');
    await tree.getByLabel('Fournisseur').fill('Сети');
    await tree.getByLabel('Clients (un par ligne)').fill('Аптека Б\nАптека В');
    await tree.getByLabel('Rapports (séparés par des virgules)').fill('Продажи, Остатки');
    await tree.getByRole('button', { name: 'Aperçu' }).click();
    const answer = page.getByTestId('tree-answer');
    await expect.poll(() => answer.getAttribute('data-dry-run')).toBe('true');
    expect(await answer.getAttribute('data-created')).toBe('48');
    await tree.getByRole('button', { name: 'Créer 48 dossiers' }).click();
    await expect.poll(() => answer.getAttribute('data-dry-run')).toBe('false');
    expect(await answer.getAttribute('data-created')).toBe('48');
    await shot(page, '06b-registry-tools');

    await page.getByRole('link', { name: 'Ventes' }).click();
    await page.getByLabel('URL des produits').fill(csvServer!.url('/produits.csv'));
    await page.getByLabel('URL des magasins').fill(csvServer!.url('/magasins.csv'));
    await page.getByLabel('URL des ventes').fill(csvServer!.url('/ventes.csv'));
    await page.getByRole('button', { name: 'Importer' }).click();
    await expect
      .poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('succeeded');
    // Three analyses and the imports-over-time chart.
    await expect.poll(() => page.locator('figure.chart').count(), { timeout: 10_000 }).toBe(4);
    expect(await page.getByText('Chiffre d’affaires total').textContent()).toContain('90,50');
    const imports = page.getByTestId('imports').locator('tbody tr');
    await expect.poll(() => imports.count()).toBe(1);
    expect(await imports.first().textContent()).toContain('Terminé');
    await imports.first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('rejects').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Toutes les lignes rejetées (CSV)' }).getAttribute('href')).toMatch(
      /^\/api\/sales\/imports\/[^/]+\/rejects\.csv\?sep=%3B$/,
    );
    await shot(page, '08-sales');

    // A recurring import of the same URLs, listed with its next run, then removed.
    await page.getByLabel('Nom').fill('chaque nuit');
    await page.getByRole('button', { name: 'Planifier l’import de ces URL' }).click();
    const schedules = page.getByTestId('schedules').locator('tbody tr');
    await expect.poll(() => schedules.count()).toBe(1);
    expect(await schedules.first().textContent()).toContain('0 3 * * *');
    await schedules.first().getByRole('button', { name: 'Supprimer' }).click();
    await expect.poll(() => schedules.count()).toBe(0);

    // The API documentation renders under the gateway's content security policy.
    await page.goto(`${baseUrl}/docs`);
    await expect.poll(() => page.getByText('Pharma data platform API').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('/api/clients/{key}/statement').count()).toBeGreaterThan(0);
    await shot(page, '09-api-docs');
    await context.close();
  });
  it('an administrator uploads a pharmacy database to S3 now and asks for a restore', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await logIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByLabel('Pharmacie (e-mail Sobrus)').fill(PHARMACY.email);
    // Statements of the last refresh may still be arriving: each upload answers the state right after it.
    const replication = page.getByTestId('replication');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Envoyer vers S3 maintenant' }).click();
          return replication.getAttribute('data-state', { timeout: 10_000 });
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe('synced');
    expect(await replication.textContent()).toContain('À jour dans S3');
    await page.getByRole('button', { name: 'Restaurer depuis S3' }).click();
    await expect.poll(() => page.getByTestId('restore').getAttribute('data-decision')).toBe('keep-local');
    await shot(page, '10-admin');
    await context.close();
  });
});
