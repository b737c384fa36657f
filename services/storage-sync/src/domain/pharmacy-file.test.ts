import { describe, expect, it } from 'vitest';
import { normalisePharmacyId, pharmacyFileName, pharmacyKey } from './pharmacy-file.js';

describe('pharmacy file naming', () => {
  it.each([
    ['pharmacie.centrale@gmail.com', 'pharmacie_pharmacie_centrale_at_gmail_com.db'],
    ['Owner@Example.MA', 'pharmacie_owner_at_example_ma.db'],
    ['a.b.c@d.e.f', 'pharmacie_a_b_c_at_d_e_f.db'],
    ['x+tag@host.com', 'pharmacie_x+tag_at_host_com.db'],
  ])('%s → %s', (id, file) => {
    expect(pharmacyFileName(id)).toBe(file);
  });

  it('keeps lease and object keys to safe characters', () => {
    expect(pharmacyKey('x+tag@host.com')).toBe('pharmacie_x=2btag_at_host_com');
    expect(pharmacyKey('a.b@c.d')).toBe('pharmacie_a_b_at_c_d');
  });

  it.each(['../etc/passwd', 'no-at-sign', 'a/b@c.d', 'a@b/c', '', 'a b@c.d'])('rejects %j', (id) => {
    expect(() => normalisePharmacyId(id)).toThrow(/Invalid pharmacy id/);
  });
});
