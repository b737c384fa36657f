import { describe, expect, it } from 'vitest';
import { CredentialVault } from './credential-vault.js';

describe('CredentialVault', () => {
  it('reveals a password until its platform session ends, then forgets it', () => {
    let now = 1000;
    const vault = new CredentialVault(() => now);
    vault.remember('a@x', 'pw-1', new Date(2000));
    expect(vault.reveal('a@x')).toBe('pw-1');
    expect(vault.reveal('b@x')).toBeUndefined();
    now = 2000;
    expect(vault.reveal('a@x')).toBeUndefined();
  });

  it('keeps the latest password with the longest lifetime, and forgets on demand', () => {
    const vault = new CredentialVault(() => 0);
    vault.remember('a@x', 'old', new Date(5000));
    vault.remember('a@x', 'new', new Date(100));
    expect(vault.reveal('a@x')).toBe('new');
    vault.forget('a@x');
    expect(vault.reveal('a@x')).toBeUndefined();
  });
});
