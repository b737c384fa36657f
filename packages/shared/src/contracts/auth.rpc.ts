// NATS request/reply contracts of the auth service.
import { Type } from '@sinclair/typebox';
import { defineRpc } from '../messaging/rpc.js';
import { IsoDateTime, PharmacyId } from './common.js';

export const Role = Type.Union([Type.Literal('pharmacy'), Type.Literal('ops'), Type.Literal('admin')]);

/** Who holds a token: a pharmacy (its Sobrus e-mail) or a staff account. */
export const Principal = Type.Object({
  kind: Type.Union([Type.Literal('pharmacy'), Type.Literal('staff')]),
  /** Stable id: the pharmacy e-mail, or `staff:<n>` / `token:<n>` for staff accounts and API tokens. */
  id: Type.String(),
  email: Type.String(),
  role: Role,
  /** Owner key of jobs and data (the pharmacy e-mail or the staff e-mail). */
  owner: Type.String(),
  /** Set for pharmacies: the only pharmacy whose data the caller may see. */
  pharmacyId: Type.Optional(PharmacyId),
});

export const authLoginRpc = defineRpc({
  subject: 'rpc.auth.login',
  request: Type.Object({
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    /** `staff` checks a local account; `pharmacy` logs in to Sobrus; unset: staff when such an account exists. */
    kind: Type.Optional(Type.Union([Type.Literal('pharmacy'), Type.Literal('staff')])),
    /** Address of the client as seen by the gateway, for rate limiting. */
    clientIp: Type.Optional(Type.String({ maxLength: 100 })),
  }),
  response: Type.Object({ token: Type.String(), expiresAt: IsoDateTime, principal: Principal }),
  description: 'Log in with Sobrus credentials (pharmacy) or a local password (staff); returns a platform token',
});

export const authVerifyRpc = defineRpc({
  subject: 'rpc.auth.verify',
  request: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
  response: Type.Object({ principal: Principal, expiresAt: Type.Optional(IsoDateTime) }),
  description: 'Resolve a platform session token or API token to its principal (401 when unknown or expired)',
});

export const authLogoutRpc = defineRpc({
  subject: 'rpc.auth.logout',
  request: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
  response: Type.Object({ loggedOut: Type.Boolean() }),
  description: 'End a platform session (its in-memory Sobrus credentials are forgotten with the last session)',
});

export const SobrusCookie = Type.Object({
  name: Type.String(),
  value: Type.String(),
  domain: Type.String(),
  path: Type.String(),
  expires: Type.Number({ description: 'Unix seconds, -1 for a session cookie' }),
  httpOnly: Type.Boolean(),
  secure: Type.Boolean(),
  sameSite: Type.Union([Type.Literal('Strict'), Type.Literal('Lax'), Type.Literal('None')]),
});

export const authSobrusSessionRpc = defineRpc({
  subject: 'rpc.auth.sobrus-session',
  request: Type.Object({
    pharmacyId: PharmacyId,
    /** Log in to Sobrus again even if the stored session looks valid (Sobrus said it expired). */
    forceRefresh: Type.Optional(Type.Boolean()),
    /** With forceRefresh: the version the caller saw fail; a newer stored session is returned without a login. */
    staleVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  response: Type.Object({
    pharmacyId: PharmacyId,
    cookies: Type.Array(SobrusCookie),
    /** Increases with every new Sobrus login of the pharmacy. */
    version: Type.Integer({ minimum: 0 }),
    obtainedAt: IsoDateTime,
  }),
  description:
    'A valid Sobrus session (cookies) for a pharmacy, logging in again with the in-memory credentials when it is too old or reported expired (401 SOBRUS_RELOGIN_REQUIRED when that is impossible)',
});
