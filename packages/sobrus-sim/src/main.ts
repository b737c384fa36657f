#!/usr/bin/env node
import { createLogger } from '@pharma/shared/logger';
import { loadConfig } from './config.js';
import { DEMO_ACCOUNT } from './domain/accounts.js';
import { startSimulator } from './simulator.js';

const config = loadConfig();
const log = createLogger({ service: 'sobrus-sim', level: config.logLevel });
const simulator = await startSimulator({ ...config.simulator, log });
log.info(
  {
    appUrl: simulator.appUrl,
    apiUrl: simulator.apiUrl,
    accountsUrl: simulator.accountsUrl,
    seed: config.simulator.seed,
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
