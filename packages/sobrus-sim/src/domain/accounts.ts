import { createRandom } from './prng.js';

export interface Account {
  email: string;
  password: string;
  pharmacyName: string;
  customerCount: number;
}

export const DEMO_ACCOUNT = { email: 'demo@pharmacie-demo.ma', password: 'demo1234', pharmacyName: 'Pharmacie Démo' };

/**
 * The demo account and pharmacie01 have the configured customer count; pharmacie02..19 have seeded counts
 * between 1 and 120; pharmacie20 has no customer at all (the empty list case).
 */
export function defaultAccounts(seed: string, customerCount: number): Account[] {
  const random = createRandom(seed, 'accounts');
  const accounts: Account[] = [{ ...DEMO_ACCOUNT, customerCount }];
  for (let n = 1; n <= 20; n++) {
    const id = n.toString().padStart(2, '0');
    const count = n === 1 ? customerCount : n === 20 ? 0 : random.int(1, 120);
    accounts.push({
      email: `pharmacie${id}@sim.test`,
      password: `sim-pass-${id}`,
      pharmacyName: `Pharmacie Simulée ${id}`,
      customerCount: count,
    });
  }
  return accounts;
}
