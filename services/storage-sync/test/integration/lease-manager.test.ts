import { captureLogs, createTestNats, type TestNats } from '@pharma/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseManager } from '../../src/pharmacies/lease-manager.js';

describe('pharmacy leases (real NATS KV)', () => {
  let nats: TestNats;
  const logs = captureLogs('storage-sync');

  beforeAll(async () => {
    nats = await createTestNats();
  });
  afterAll(() => nats.cleanup());

  it('a lease released while it is being renewed is free at once for another instance', async () => {
    const options = { ttlMs: 60_000, logger: logs.logger };
    const a = await LeaseManager.open(nats.ctx, { ...options, instanceId: 'a' });
    const b = await LeaseManager.open(nats.ctx, { ...options, instanceId: 'b' });
    try {
      for (let round = 0; round < 5; round++) {
        const key = `pharmacy-${round}`;
        expect(await a.acquire(key)).toEqual({ owned: true });
        const renewing = a.renew();
        await a.release(key);
        await renewing;
        expect(await b.acquire(key)).toEqual({ owned: true });
        expect(await a.acquire(key)).toEqual({ owned: false, owner: 'b' });
      }
      // Stopping releases what is held, a renewal under way or not.
      expect(await a.acquire('pharmacy-stop')).toEqual({ owned: true });
      void a.renew();
      await a.stop();
      expect(await b.acquire('pharmacy-stop')).toEqual({ owned: true });
      expect(logs.text()).not.toMatch(/lease release failed/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
