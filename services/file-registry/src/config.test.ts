import { ConfigError } from '@pharma/shared/config';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8086);
    expect(config.scanner).toMatchObject({
      root: '.data/file-registry/intake',
      providerFolders: { Сети: 'Сеть', Дистрибьюторы: 'Дистрибьютор' },
      extensions: ['csv', 'xls', 'xlsx'],
      stableAfterMs: 2_000,
      recheckUnstable: true,
      markDeleted: true,
    });
    expect(config.schedule).toEqual({ enabled: true, cron: '*/15 * * * *' });
    expect(config.expected.lateAfterDay).toBe(10);
  });

  it('reads the variables', () => {
    const config = loadConfig({
      REGISTRY_ROOT: '/srv/intake',
      REGISTRY_PROVIDER_FOLDERS: 'Chains=Chain',
      REGISTRY_EXTENSIONS: 'CSV,xlsb',
      REGISTRY_MARK_DELETED: 'false',
      REGISTRY_SCAN_CRON: '0 * * * *',
      REGISTRY_LATE_AFTER_DAY: '5',
    });
    expect(config.scanner).toMatchObject({
      root: '/srv/intake',
      providerFolders: { Chains: 'Chain' },
      extensions: ['csv', 'xlsb'],
      markDeleted: false,
    });
    expect(config.schedule.cron).toBe('0 * * * *');
    expect(config.expected.lateAfterDay).toBe(5);
  });

  it.each([
    ['REGISTRY_SCAN_CRON', 'every day'],
    ['REGISTRY_PROVIDER_FOLDERS', 'Сети'],
    ['REGISTRY_EXTENSIONS', '.csv;xls'],
    ['REGISTRY_LATE_AFTER_DAY', '31'],
    ['REGISTRY_STABLE_AFTER_MS', '-1'],
  ])('names %s when it is invalid', (variable, value) => {
    const error = (() => {
      try {
        loadConfig({ [variable]: value });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual([variable]);
  });
});
