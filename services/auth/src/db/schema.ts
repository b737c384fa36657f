import { sql } from 'drizzle-orm';
import { check, index, integer, pgSchema, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const auth = pgSchema('auth');

export const ROLES = ['pharmacy', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Local accounts of the platform's own staff (scrypt hashes, never the password). */
export const staffAccounts = auth.table(
  'staff_accounts',
  {
    id: serial('id').primaryKey(),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<Role>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [check('staff_accounts_role_check', sql`${t.role} IN ('pharmacy', 'ops', 'admin')`)],
);

/** Long-lived tokens for scripts and integrations; only the SHA-256 of the token is stored. */
export const apiTokens = auth.table(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    owner: text('owner').notNull(),
    pharmacyId: text('pharmacy_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [check('api_tokens_role_check', sql`${t.role} IN ('pharmacy', 'ops', 'admin')`)],
);

/** Platform sessions: opaque random tokens, stored as SHA-256 only. */
export const sessions = auth.table(
  'sessions',
  {
    id: serial('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind').$type<'pharmacy' | 'staff'>().notNull(),
    subjectId: text('subject_id').notNull(),
    email: text('email').notNull(),
    role: text('role').$type<Role>().notNull(),
    pharmacyId: text('pharmacy_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_pharmacy_idx').on(t.pharmacyId)],
);

/** The current Sobrus session of each pharmacy: cookies sealed with AES-256-GCM (never stored in clear). */
export const sobrusSessions = auth.table('sobrus_sessions', {
  pharmacyId: text('pharmacy_id').primaryKey(),
  cookiesSealed: text('cookies_sealed').notNull(),
  version: integer('version').notNull(),
  obtainedAt: timestamp('obtained_at', { withTimezone: true }).notNull(),
});
