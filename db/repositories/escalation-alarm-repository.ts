import { and, eq, isNull } from 'drizzle-orm';
import type { EscalationAlarm, Repos } from '../../src/ports.ts';
import { escalationAlarms } from '../schema.ts';
import type { Executor } from './executor.ts';

type AlarmRow = typeof escalationAlarms.$inferSelect;

const toAlarm = (row: AlarmRow): EscalationAlarm => ({
  id: row.id,
  leadId: row.leadId,
  channelId: row.channelId,
  ts: row.ts,
  ownerId: row.ownerId,
  waitingSince: row.waitingSince,
  waitedMinutes: row.waitedMinutes,
  postedAt: row.postedAt,
  takenBy: row.takenBy,
  takenAt: row.takenAt,
  hintedAt: row.hintedAt,
});

export function escalationAlarmRepository(db: Executor): Repos['alarms'] {
  return {
    async insert(alarm) {
      await db
        .insert(escalationAlarms)
        .values(alarm)
        .onConflictDoNothing({ target: [escalationAlarms.channelId, escalationAlarms.ts] });
    },
    async get(id) {
      const [row] = await db.select().from(escalationAlarms).where(eq(escalationAlarms.id, id));
      return row ? toAlarm(row) : null;
    },
    async findByChannelTs(channelId, ts, opts) {
      const query = db
        .select()
        .from(escalationAlarms)
        .where(and(eq(escalationAlarms.channelId, channelId), eq(escalationAlarms.ts, ts)));
      const [row] = opts?.lock ? await query.for('update') : await query;
      return row ? toAlarm(row) : null;
    },
    async markTaken(id, by, at) {
      await db.update(escalationAlarms).set({ takenBy: by, takenAt: at }).where(eq(escalationAlarms.id, id));
    },
    async markHinted(id, at) {
      const rows = await db
        .update(escalationAlarms)
        .set({ hintedAt: at })
        .where(and(eq(escalationAlarms.id, id), isNull(escalationAlarms.hintedAt)))
        .returning({ id: escalationAlarms.id });
      return rows.length > 0;
    },
  };
}
