import { Type } from '@sinclair/typebox';

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Calendar date YYYY-MM-DD' });
export const IsoDateTime = Type.String({ format: 'date-time', description: 'ISO 8601 timestamp' });
export const Id = Type.String({ minLength: 1, maxLength: 200 });
/** Pharmacy identity: the Sobrus login e-mail, lower-cased. */
export const PharmacyId = Type.String({ minLength: 3, maxLength: 320, description: 'Pharmacy account e-mail' });
export const ClientKey = Type.String({ pattern: '^[0-9A-Za-z_-]{1,64}$', description: 'Sobrus customer id' });
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
export const CorrelationId = Type.Optional(
  Type.String({ maxLength: 200, description: 'Follows a job across services' }),
);
