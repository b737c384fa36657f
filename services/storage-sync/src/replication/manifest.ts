import { type Static, Type } from '@sinclair/typebox';

/** Written last, after the generation it points to is uploaded and verified: readers trust only what it names. */
export const Manifest = Type.Object({
  formatVersion: Type.Literal(1),
  pharmacyId: Type.String(),
  generation: Type.Integer({ minimum: 1 }),
  key: Type.String(),
  compression: Type.Literal('gzip'),
  /** SHA-256 and size of the compressed object. */
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  size: Type.Integer({ minimum: 0 }),
  /** SHA-256 and size of the SQLite file once decompressed. */
  dbSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  dbSize: Type.Integer({ minimum: 0 }),
  schemaVersion: Type.Integer({ minimum: 0 }),
  changeSeq: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  writer: Type.String(),
});

export type Manifest = Static<typeof Manifest>;
