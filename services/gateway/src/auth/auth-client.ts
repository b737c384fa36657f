import type { Principal } from '../plugins/auth.plugin.js';

export interface LoginInput {
  email: string;
  password: string;
  /** The caller's address, for the auth service's failure budget per address. */
  clientIp?: string;
}

export interface Session {
  token: string;
  principal: Principal;
  expiresAt: string;
}

/** What the gateway needs from the auth service: sessions in, principals out. */
export interface AuthClient {
  login(input: LoginInput): Promise<Session>;
  verify(token: string): Promise<Principal>;
  logout(token: string): Promise<void>;
}
