import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const { simulator } = loadConfig({});
    expect(simulator).toMatchObject({ appPort: 9080, apiPort: 9081, accountsPort: 9082, customers: 259, pageSize: 20 });
    expect(simulator.faults).toEqual({});
  });

  it('reads faults from SIM_FAULTS and SIM_LATENCY_MS', () => {
    const { simulator } = loadConfig({
      SIM_FAULTS: '{"http500Rate":0.5,"latencyMs":{"statement":300}}',
      SIM_LATENCY_MS: '20',
      SIM_CUSTOMERS: '12',
    });
    expect(simulator.customers).toBe(12);
    expect(simulator.faults).toEqual({ http500Rate: 0.5, latencyMs: { all: 20, statement: 300 } });
  });

  it('serves the classic site unless SIM_SITE names another, with the page size of that site by default', () => {
    expect(loadConfig({}).simulator.site).toBe('classic');
    expect(loadConfig({ SIM_SITE: 'offset-rest' }).simulator).toMatchObject({ site: 'offset-rest', pageSize: 50 });
    expect(loadConfig({ SIM_SITE: 'search-post', SIM_PAGE_SIZE: '7' }).simulator).toMatchObject({ pageSize: 7 });
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ SIM_APP_PORT: 'x' })).toThrow(/SIM_APP_PORT/);
    expect(() => loadConfig({ SIM_SITE: 'graphql' })).toThrow(/SIM_SITE/);
    expect(() => loadConfig({ SIM_FAULTS: '{"dropRate":3}' })).toThrow(/SIM_FAULTS/);
  });
});
