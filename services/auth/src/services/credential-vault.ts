import { SecretBox } from '../crypto/secret-box.js';

interface Entry {
  sealed: string;
  until: number;
}

/**
 * Sobrus passwords kept only in this process's memory, sealed with a key that is itself never written
 * anywhere, for as long as a platform session of the pharmacy lasts. After a restart the vault is empty and
 * the pharmacy must log in again to renew its Sobrus session.
 */
export class CredentialVault {
  private readonly box = SecretBox.random();
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  remember(pharmacyId: string, password: string, until: Date): void {
    const previous = this.entries.get(pharmacyId);
    this.entries.set(pharmacyId, {
      sealed: this.box.seal(password, pharmacyId),
      until: Math.max(until.getTime(), previous?.until ?? 0),
    });
  }

  /** The password, or undefined when none is held (never logged in since the start, or expired). */
  reveal(pharmacyId: string): string | undefined {
    const entry = this.entries.get(pharmacyId);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(pharmacyId);
      return undefined;
    }
    return this.box.openText(entry.sealed, pharmacyId);
  }

  forget(pharmacyId: string): void {
    this.entries.delete(pharmacyId);
  }
}
