import { asc, eq } from 'drizzle-orm';
import type { SalesDrizzle } from '../db/sales-database.js';
import { schedules } from '../db/schema.js';

export type ScheduleRow = typeof schedules.$inferSelect;

export function insertSchedule(db: SalesDrizzle, schedule: ScheduleRow): void {
  db.insert(schedules).values(schedule).run();
}

export function listSchedules(db: SalesDrizzle): ScheduleRow[] {
  return db.select().from(schedules).orderBy(asc(schedules.createdAt), asc(schedules.id)).all();
}

export function deleteSchedule(db: SalesDrizzle, id: string): boolean {
  return db.delete(schedules).where(eq(schedules.id, id)).run().changes === 1;
}

export function recordScheduleRun(db: SalesDrizzle, id: string, runId: string): void {
  db.update(schedules).set({ lastRunId: runId, lastRunAt: new Date().toISOString() }).where(eq(schedules.id, id)).run();
}
