#!/usr/bin/env node
import { createLogger } from '@pharma/shared/logger';
import { loadConfig } from './config.js';
import { DEMO_ACCOUNT } from './domain/accounts.js';
import { startSimulator } from './simulator.js';

const config = loadConfig();
const log = createLogger({ service: 'sobrus-sim', level: config.logLevel });
const simulator = await startSimulator({ ...config.simulator, log });
// Renders one statement so the first real request does not pay for compiling the PDF code path.
const [firstCustomer] = simulator.truth.customers(DEMO_ACCOUNT.email);
if (firstCustomer) {
  const period = { startDate: '2024-01-01', endDate: '2024-12-31' };
  await simulator.truth.statement({ account: DEMO_ACCOUNT.email, customerId: firstCustomer.clientKey, ...period });
}
log.info(
  {
    appUrl: simulator.appUrl,
    apiUrl: simulator.apiUrl,
    accountsUrl: simulator.accountsUrl,
    seed: config.simulator.seed,
    site: config.simulator.site,
  },
  'Sobrus simulator listening',
);
console.log(`Sobrus simulator: ${simulator.appUrl} (demo login ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password})`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'close failed');
        process.exit(1);
      },
    );
  });
}
