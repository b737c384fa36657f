import { API_TOKEN_PREFIX, hashToken, newToken } from '../crypto/tokens.js';
import type { Role } from '../db/schema.js';
import type { AuthRepository } from '../repositories/auth.repository.js';

export interface CreateApiTokenInput {
  name: string;
  role: Role;
  owner: string;
  pharmacyId?: string | undefined;
  expiresAt?: Date | undefined;
}

/** Creates a token and returns it once: only its hash is kept. */
export async function createApiToken(repository: AuthRepository, input: CreateApiTokenInput) {
  const token = newToken(API_TOKEN_PREFIX);
  const row = await repository.insertApiToken({
    tokenHash: hashToken(token),
    name: input.name,
    role: input.role,
    owner: input.owner.toLowerCase(),
    pharmacyId: input.pharmacyId?.toLowerCase() ?? null,
    expiresAt: input.expiresAt ?? null,
  });
  return { token, id: row.id };
}
