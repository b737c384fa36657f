import { ValidationError } from '@pharma/shared/errors';

// What an e-mail may contain before it names a file: no path separators, no control characters.
const PHARMACY_ID = /^[a-z0-9!#$%&'*+=?^_`{|}~.-]+@[a-z0-9.-]+$/;

/** Lower-cased, trimmed pharmacy id; rejects anything that is not a plain e-mail address. */
export function normalisePharmacyId(pharmacyId: string): string {
  const id = pharmacyId.trim().toLowerCase();
  if (!PHARMACY_ID.test(id) || id.length > 320) throw new ValidationError(`Invalid pharmacy id: ${pharmacyId}`);
  return id;
}

/** `pharmacie_<email>` with `@` → `_at_` and `.` → `_`: the original tool's naming, kept for compatibility. */
export function pharmacyBaseName(pharmacyId: string): string {
  const id = normalisePharmacyId(pharmacyId);
  return `pharmacie_${id.replaceAll('@', '_at_').replaceAll('.', '_')}`;
}

export function pharmacyFileName(pharmacyId: string): string {
  return `${pharmacyBaseName(pharmacyId)}.db`;
}

/** NATS KV keys and S3 key segments allow fewer characters than e-mails do. */
export function pharmacyKey(pharmacyId: string): string {
  return pharmacyBaseName(pharmacyId).replace(/[^A-Za-z0-9_=-]/g, (c) => `=${c.charCodeAt(0).toString(16)}`);
}
