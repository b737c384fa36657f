import { ConfigError } from '@pharma/shared/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('sweeps the statements bucket every 10 minutes, removing what is unreferenced for 30', () => {
    expect(loadConfig({}).sweep).toEqual({ intervalMs: 600_000, graceMs: 1_800_000 });
  });

  it('reads the sweep variables', () => {
    const config = loadConfig({ PDF_PROCESSOR_SWEEP_INTERVAL_MS: '15000', PDF_PROCESSOR_SWEEP_GRACE_MS: '180000' });
    expect(config.sweep).toEqual({ intervalMs: 15_000, graceMs: 180_000 });
  });

  it.each([
    ['PDF_PROCESSOR_SWEEP_INTERVAL_MS', '0'],
    ['PDF_PROCESSOR_SWEEP_INTERVAL_MS', 'often'],
    // Shorter than the scraper may take between its put and its event.
    ['PDF_PROCESSOR_SWEEP_GRACE_MS', '60000'],
    ['PDF_PROCESSOR_SWEEP_GRACE_MS', '-1'],
  ])('rejects %s=%s, naming it', (variable, value) => {
    const load = () => loadConfig({ [variable]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(variable);
  });
});
