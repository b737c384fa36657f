import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { AuthDb } from '../db/client.js';
import { apiTokens, type Role, sessions, sobrusSessions, staffAccounts } from '../db/schema.js';

export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type StaffRow = typeof staffAccounts.$inferSelect;
export type SobrusSessionRow = typeof sobrusSessions.$inferSelect;

/** The row an insert or upsert gave back with `returning()`: there is always one. */
function writtenRow<T>([row]: T[], what: string): T {
  if (!row) throw new Error(`${what} not written`);
  return row;
}

/** Every query of the auth schema, by intent. */
export function createAuthRepository(db: AuthDb) {
  return {
    async insertSession(row: typeof sessions.$inferInsert): Promise<void> {
      await db.insert(sessions).values(row);
    },

    async activeSessionByHash(tokenHash: string, now: Date): Promise<SessionRow | undefined> {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return row;
    },

    async revokeSession(tokenHash: string, now: Date): Promise<SessionRow | undefined> {
      const [row] = await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
        .returning();
      return row;
    },

    async countActivePharmacySessions(pharmacyId: string, now: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(sessions)
        .where(and(eq(sessions.pharmacyId, pharmacyId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return row?.n ?? 0;
    },

    async activeApiTokenByHash(tokenHash: string, now: Date): Promise<ApiTokenRow | undefined> {
      const [row] = await db
        .select()
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.tokenHash, tokenHash),
            isNull(apiTokens.revokedAt),
            or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
          ),
        );
      return row;
    },

    async insertApiToken(row: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
      return writtenRow(await db.insert(apiTokens).values(row).returning(), 'api token');
    },

    async staffByEmail(email: string): Promise<StaffRow | undefined> {
      const [row] = await db.select().from(staffAccounts).where(eq(staffAccounts.email, email));
      return row;
    },

    async listStaff(): Promise<StaffRow[]> {
      return db.select().from(staffAccounts).orderBy(staffAccounts.email);
    },

    async upsertStaff(email: string, passwordHash: string, role: Role): Promise<StaffRow> {
      const rows = await db
        .insert(staffAccounts)
        .values({ email, passwordHash, role })
        .onConflictDoUpdate({ target: staffAccounts.email, set: { passwordHash, role, disabledAt: null } })
        .returning();
      return writtenRow(rows, 'staff account');
    },

    async sobrusSession(pharmacyId: string): Promise<SobrusSessionRow | undefined> {
      const [row] = await db.select().from(sobrusSessions).where(eq(sobrusSessions.pharmacyId, pharmacyId));
      return row;
    },

    /** Stores a new Sobrus session with the next version number. */
    async saveSobrusSession(pharmacyId: string, cookiesSealed: string, obtainedAt: Date): Promise<SobrusSessionRow> {
      const rows = await db
        .insert(sobrusSessions)
        .values({ pharmacyId, cookiesSealed, obtainedAt, version: 1 })
        .onConflictDoUpdate({
          target: sobrusSessions.pharmacyId,
          set: { cookiesSealed, obtainedAt, version: sql`${sobrusSessions.version} + 1` },
        })
        .returning();
      return writtenRow(rows, 'sobrus session');
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
