import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Staff } from '../../src/domain/staff.ts';
import type { Repos } from '../../src/ports.ts';
import { staff } from '../schema.ts';
import type { Executor } from './executor.ts';

type StaffRow = typeof staff.$inferSelect;

const toStaff = (row: StaffRow): Staff => ({
  slackUserId: row.slackUserId,
  role: row.role,
  active: row.active,
  displayName: row.displayName,
});

export function staffRepository(db: Executor): Repos['staff'] {
  return {
    async get(slackUserId) {
      const [row] = await db.select().from(staff).where(eq(staff.slackUserId, slackUserId));
      return row ? toStaff(row) : null;
    },
    async displayNames(slackUserIds) {
      if (slackUserIds.length === 0) return new Map();
      const rows = await db
        .select({ id: staff.slackUserId, name: staff.displayName })
        .from(staff)
        .where(inArray(staff.slackUserId, slackUserIds));
      return new Map(rows.flatMap((row) => (row.name?.trim() ? [[row.id, row.name] as const] : [])));
    },
    async upsert({ slackUserId, role, displayName, at }) {
      const [row] = await db
        .insert(staff)
        .values({ slackUserId, role, displayName, active: true, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({
          target: staff.slackUserId,
          set: {
            role,
            active: true,
            updatedAt: at,
            displayName: sql`coalesce(${displayName}::text, ${staff.displayName})`,
          },
        })
        .returning();
      if (!row) throw new Error('staff upsert returned nothing');
      return toStaff(row);
    },
    async ensureManager(slackUserId, at) {
      await db
        .insert(staff)
        .values({ slackUserId, role: 'manager', active: true, createdAt: at, updatedAt: at })
        .onConflictDoNothing({ target: staff.slackUserId });
    },
    async deactivate(slackUserId, at) {
      const rows = await db
        .update(staff)
        .set({ active: false, updatedAt: at })
        .where(and(eq(staff.slackUserId, slackUserId), eq(staff.active, true)))
        .returning({ id: staff.slackUserId });
      return rows.length > 0;
    },
    async setDisplayName(slackUserId, displayName, at) {
      await db.update(staff).set({ displayName, updatedAt: at }).where(eq(staff.slackUserId, slackUserId));
    },
    async listActive() {
      const rows = await db
        .select()
        .from(staff)
        .where(eq(staff.active, true))
        .orderBy(asc(staff.role), asc(staff.createdAt));
      return rows.map(toStaff);
    },
    async takeNextRep(at, excluding) {
      const eligible = and(
        eq(staff.active, true),
        eq(staff.role, 'rep'),
        excluding ? ne(staff.slackUserId, excluding) : undefined,
      );
      const order = [
        sql`${staff.lastAssignedAt} asc nulls first`,
        asc(staff.createdAt),
        asc(staff.slackUserId),
      ];
      // SKIP LOCKED spreads concurrent new leads over different reps instead of queueing on one row.
      let [row] = await db
        .select()
        .from(staff)
        .where(eligible)
        .orderBy(...order)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row)
        [row] = await db
          .select()
          .from(staff)
          .where(eligible)
          .orderBy(...order)
          .limit(1)
          .for('update');
      if (!row) return null;
      await db.update(staff).set({ lastAssignedAt: at }).where(eq(staff.slackUserId, row.slackUserId));
      return toStaff(row);
    },
  };
}
