import { UnavailableError } from '@pharma/shared/errors';
import type { AuthClient } from './auth-client.js';

const unavailable = () => new UnavailableError('AUTH_UNAVAILABLE', 'The auth service is not available');

/** Used when no auth service contract is available: every session operation answers 503. */
export function unavailableAuthClient(): AuthClient {
  return {
    login: async () => Promise.reject(unavailable()),
    verify: async () => Promise.reject(unavailable()),
    logout: async () => Promise.reject(unavailable()),
  };
}
