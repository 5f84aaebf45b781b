import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { TEAM_TARGET } from '../../src/domain/lead.ts';
import type { SequenceTrigger } from '../../src/domain/sequences/sequence.ts';
import type {
  Enrolment,
  EnrolmentPatch,
  QuotaState,
  Repos,
  SequenceCounts,
  StepSend,
  StopReason,
} from '../../src/ports.ts';
import { leadTags, lineQuotaState, sequenceEnrolments, stepSends } from '../schema.ts';
import { type Executor, pgArray, rowsOf } from './executor.ts';
import { fromRawRow, type RawLeadRow } from './lead-repository.ts';

type EnrolmentRow = typeof sequenceEnrolments.$inferSelect;

function toEnrolment(row: EnrolmentRow): Enrolment {
  return {
    id: row.id,
    leadId: row.leadId,
    sequenceId: row.sequenceId,
    trigger: row.trigger as SequenceTrigger,
    state: row.state,
    stopReason: row.stopReason as StopReason | null,
    nextStep: row.nextStep,
    dueAt: row.dueAt,
    sendAt: row.sendAt,
    pausedAt: row.pausedAt,
    resumeAt: row.resumeAt,
    enrolledBy: row.enrolledBy,
    enrolledAt: row.enrolledAt,
    endedAt: row.endedAt,
  };
}

const date = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string);

/** An enrolment row from plain SQL (snake_case), prefixed by `e_` when joined with its lead. */
function fromRawEnrolment(row: Record<string, unknown>, prefix = ''): Enrolment {
  const get = (column: string) => row[`${prefix}${column}`];
  return {
    id: String(get('id')),
    leadId: String(get('lead_id')),
    sequenceId: String(get('sequence_id')),
    trigger: String(get('trigger')) as SequenceTrigger,
    state: String(get('state')) as Enrolment['state'],
    stopReason: (get('stop_reason') ?? null) as StopReason | null,
    nextStep: Number(get('next_step')),
    dueAt: date(get('due_at')),
    sendAt: date(get('send_at')),
    pausedAt: date(get('paused_at')),
    resumeAt: date(get('resume_at')),
    enrolledBy: String(get('enrolled_by')),
    enrolledAt: date(get('enrolled_at')) ?? new Date(0),
    endedAt: date(get('ended_at')),
  };
}

type StepSendRow = typeof stepSends.$inferSelect;

function toStepSend(row: StepSendRow): StepSend {
  return { ...row, status: row.status };
}

function fromRawStepSend(row: Record<string, unknown>, prefix = ''): StepSend {
  const get = (column: string) => row[`${prefix}${column}`];
  return {
    id: String(get('id')),
    enrolmentId: String(get('enrolment_id')),
    leadId: String(get('lead_id')),
    sequenceId: String(get('sequence_id')),
    stepIndex: Number(get('step_index')),
    status: String(get('status')) as StepSend['status'],
    retryKey: (get('retry_key') ?? null) as string | null,
    dispatchedAt: date(get('dispatched_at')) ?? new Date(0),
    sentAt: date(get('sent_at')),
    error: (get('error') ?? null) as string | null,
  };
}

/** The columns of a joined enrolment, as e_<column>, so the lead's own columns keep their names. */
const ENROLMENT_AS_PREFIXED = sql.raw(
  [
    'id',
    'lead_id',
    'sequence_id',
    'trigger',
    'state',
    'stop_reason',
    'next_step',
    'due_at',
    'send_at',
    'paused_at',
    'resume_at',
    'enrolled_by',
    'enrolled_at',
    'ended_at',
  ]
    .map((column) => `e.${column} as e_${column}`)
    .join(', '),
);

const STEP_SEND_AS_PREFIXED = sql.raw(
  [
    'id',
    'enrolment_id',
    'lead_id',
    'sequence_id',
    'step_index',
    'status',
    'retry_key',
    'dispatched_at',
    'sent_at',
    'error',
  ]
    .map((column) => `s.${column} as s_${column}`)
    .join(', '),
);

/** Each patchable field's column and its PostgreSQL type, for updateMany's unnest. */
const ENROLMENT_PATCH_COLUMNS = {
  state: ['state', 'text'],
  stopReason: ['stop_reason', 'text'],
  nextStep: ['next_step', 'int'],
  dueAt: ['due_at', 'timestamptz'],
  sendAt: ['send_at', 'timestamptz'],
  pausedAt: ['paused_at', 'timestamptz'],
  resumeAt: ['resume_at', 'timestamptz'],
  endedAt: ['ended_at', 'timestamptz'],
} as const satisfies Record<keyof EnrolmentPatch, readonly [string, string]>;

/** The fields a patch sets (undefined ones are left alone, as drizzle's set() does), in a fixed order. */
function patchFields(patch: EnrolmentPatch): (keyof EnrolmentPatch)[] {
  return (Object.keys(ENROLMENT_PATCH_COLUMNS) as (keyof EnrolmentPatch)[]).filter(
    (field) => patch[field] !== undefined,
  );
}

function patchValue(value: EnrolmentPatch[keyof EnrolmentPatch]): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

export function enrolmentRepository(db: Executor): Repos['enrolments'] {
  return {
    async insert(enrolment) {
      const [row] = await db
        .insert(sequenceEnrolments)
        .values({ ...enrolment, state: 'active', updatedAt: enrolment.enrolledAt })
        .onConflictDoNothing()
        .returning();
      return row ? toEnrolment(row) : null;
    },
    async insertMany(enrolments) {
      let inserted = 0;
      // Chunks keep each statement's parameter count well inside PostgreSQL's limit.
      for (let i = 0; i < enrolments.length; i += 1000) {
        const chunk = enrolments.slice(i, i + 1000);
        const rows = await db
          .insert(sequenceEnrolments)
          .values(chunk.map((e) => ({ ...e, state: 'active' as const, updatedAt: e.enrolledAt })))
          .onConflictDoNothing()
          .returning({ id: sequenceEnrolments.id });
        inserted += rows.length;
      }
      return inserted;
    },
    async get(id, opts) {
      const query = db.select().from(sequenceEnrolments).where(eq(sequenceEnrolments.id, id));
      const [row] = opts?.lock ? await query.for('update') : await query;
      return row ? toEnrolment(row) : null;
    },
    async listForLead(leadId) {
      const rows = await db
        .select()
        .from(sequenceEnrolments)
        .where(eq(sequenceEnrolments.leadId, leadId))
        .orderBy(
          sql`case when ${sequenceEnrolments.state} in ('active', 'paused') then 0 else 1 end`,
          desc(sequenceEnrolments.enrolledAt),
        );
      return rows.map(toEnrolment);
    },
    async lockLive(leadId) {
      const rows = await db
        .select()
        .from(sequenceEnrolments)
        .where(
          and(eq(sequenceEnrolments.leadId, leadId), inArray(sequenceEnrolments.state, ['active', 'paused'])),
        )
        .orderBy(asc(sequenceEnrolments.id))
        .for('update');
      return rows.map(toEnrolment);
    },
    async update(id, patch, at) {
      await db
        .update(sequenceEnrolments)
        .set({ ...patch, updatedAt: at })
        .where(eq(sequenceEnrolments.id, id));
    },
    async updateMany(updates, at) {
      // One statement per shape of patch (a dispatch batch has two or three), not one per row.
      const shapes = new Map<string, { id: string; patch: EnrolmentPatch }[]>();
      for (const update of updates) {
        const fields = patchFields(update.patch).join(',');
        shapes.set(fields, [...(shapes.get(fields) ?? []), update]);
      }
      for (const group of shapes.values()) {
        const fields = patchFields(group[0]?.patch ?? {});
        const columns = fields.map((field) => ENROLMENT_PATCH_COLUMNS[field]);
        await db.execute(sql`
          update sequence_enrolments e
          set ${sql.join(
            [
              ...columns.map(([column]) => sql.raw(`${column} = u.${column}`)),
              sql`updated_at = ${at.toISOString()}::timestamptz`,
            ],
            sql`, `,
          )}
          from unnest(${sql.join(
            [
              sql`${pgArray(group.map((update) => update.id))}::uuid[]`,
              ...fields.map((field, i) => {
                const type = (columns[i] as (typeof columns)[number])[1];
                const values = group.map((update) => patchValue(update.patch[field]));
                return sql`${pgArray(values)}::${sql.raw(type)}[]`;
              }),
            ],
            sql`, `,
          )}) as u(${sql.raw(['id', ...columns.map(([column]) => column)].join(', '))})
          where e.id = u.id`);
      }
    },
    async claimDue(now, limit) {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          with due as (
            select * from sequence_enrolments
            where state = 'active' and send_at <= ${now.toISOString()}::timestamptz
            -- By send_at alone, the order of sequence_enrolments_send_idx: with an id tie-break
            -- each claim would sort every due row (100,000 due at once made a dispatch quadratic).
            order by send_at
            limit ${limit}
            for update skip locked)
          select ${ENROLMENT_AS_PREFIXED}, l.*
          from due e join leads l on l.id = e.lead_id
          order by e.send_at, e.id`),
      );
      return rows.map((row) => ({
        enrolment: fromRawEnrolment(row, 'e_'),
        lead: fromRawRow(row as RawLeadRow),
      }));
    },
    async claimResumable(now, limit) {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select * from sequence_enrolments
          where state = 'paused' and resume_at <= ${now.toISOString()}::timestamptz
          order by resume_at
          limit ${limit}
          for update skip locked`),
      );
      return rows.map((row) => fromRawEnrolment(row));
    },
    async pauseForLeads(leads, at) {
      if (leads.length === 0) return [];
      const ids = leads.map((l) => l.leadId);
      const resumes = leads.map((l) => l.resumeAt.toISOString());
      // Active ones become paused; paused ones only have their resume moved later.
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          with input as (
            select * from unnest(${pgArray(ids)}::uuid[], ${pgArray(resumes)}::timestamptz[]) as i(lead_id, resume_at)),
          before as (
            select e.id, e.state as old_state from sequence_enrolments e join input i on i.lead_id = e.lead_id
            where e.state in ('active', 'paused') order by e.id for update of e)
          update sequence_enrolments e
          set state = 'paused',
              paused_at = case when b.old_state = 'active' then ${at.toISOString()}::timestamptz else e.paused_at end,
              resume_at = greatest(coalesce(e.resume_at, i.resume_at), i.resume_at),
              send_at = null,
              updated_at = ${at.toISOString()}::timestamptz
          from before b, input i
          where e.id = b.id and i.lead_id = e.lead_id
          returning e.*, b.old_state`),
      );
      return rows.filter((row) => row.old_state === 'active').map((row) => fromRawEnrolment(row));
    },
    async listLive(sequenceId, limit) {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select ${ENROLMENT_AS_PREFIXED}, l.*, count(*) over () as live_total
          from sequence_enrolments e join leads l on l.id = e.lead_id
          where e.sequence_id = ${sequenceId} and e.state in ('active', 'paused')
          order by e.state, e.send_at nulls last, e.id
          limit ${limit}`),
      );
      return {
        members: rows.map((row) => ({
          enrolment: fromRawEnrolment(row, 'e_'),
          lead: fromRawRow(row as RawLeadRow),
        })),
        total: Number(rows[0]?.live_total ?? 0),
      };
    },
    async counts(monthStart) {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select e.sequence_id,
            count(*)::int as enrolled,
            count(*) filter (where e.state = 'active')::int as active,
            count(*) filter (where e.state = 'paused')::int as paused,
            count(*) filter (where e.state = 'completed')::int as completed,
            count(*) filter (where e.state = 'stopped')::int as stopped,
            coalesce((select count(*) from step_sends s
              where s.sequence_id = e.sequence_id and s.status = 'sent'
                and s.sent_at >= ${monthStart.toISOString()}::timestamptz), 0)::int as sent_this_month
          from sequence_enrolments e
          group by e.sequence_id`),
      );
      return rows.map(
        (row): SequenceCounts => ({
          sequenceId: String(row.sequence_id),
          enrolled: Number(row.enrolled),
          active: Number(row.active),
          paused: Number(row.paused),
          completed: Number(row.completed),
          stopped: Number(row.stopped),
          sentThisMonth: Number(row.sent_this_month),
        }),
      );
    },
  };
}

export function stepSendRepository(db: Executor): Repos['stepSends'] {
  return {
    async insertMany(sends) {
      if (sends.length === 0) return;
      // One statement with a fixed number of parameters (unnest), whatever the batch's size.
      await db.execute(sql`
        insert into step_sends (id, enrolment_id, lead_id, sequence_id, step_index, status, retry_key, dispatched_at)
        select * from unnest(
          ${pgArray(sends.map((s) => s.id))}::uuid[],
          ${pgArray(sends.map((s) => s.enrolmentId))}::uuid[],
          ${pgArray(sends.map((s) => s.leadId))}::uuid[],
          ${pgArray(sends.map((s) => s.sequenceId))}::text[],
          ${pgArray(sends.map((s) => String(s.stepIndex)))}::int[],
          ${pgArray(sends.map((s) => s.status))}::text[],
          ${pgArray(sends.map((s) => s.retryKey))}::uuid[],
          ${pgArray(sends.map((s) => s.dispatchedAt.toISOString()))}::timestamptz[])`);
    },
    async get(id) {
      const [row] = await db.select().from(stepSends).where(eq(stepSends.id, id));
      return row ? toStepSend(row) : null;
    },
    async getManyWithLeads(ids) {
      if (ids.length === 0) return [];
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          select ${STEP_SEND_AS_PREFIXED}, l.*, t.channel_id as t_channel_id, t.thread_ts as t_thread_ts
          from step_sends s join leads l on l.id = s.lead_id
          left join lead_threads t on t.lead_id = l.id and t.target = coalesce(l.owner_id, ${TEAM_TARGET})
          where s.id = any(${pgArray(ids)}::uuid[])`),
      );
      return rows.map((row) => ({
        send: fromRawStepSend(row, 's_'),
        lead: fromRawRow(row as RawLeadRow),
        thread:
          typeof row.t_channel_id === 'string' && typeof row.t_thread_ts === 'string'
            ? { channelId: row.t_channel_id, threadTs: row.t_thread_ts }
            : null,
      }));
    },
    async recentForLeads(leadIds, since) {
      const out = new Map<string, Date[]>();
      if (leadIds.length === 0) return out;
      const rows = rowsOf<{ lead_id: string; dispatched_at: unknown }>(
        await db.execute(sql`
          select lead_id, dispatched_at from step_sends
          where lead_id = any(${pgArray(leadIds)}::uuid[])
            and dispatched_at > ${since.toISOString()}::timestamptz
            and status in ('queued', 'sent', 'held')`),
      );
      for (const row of rows) {
        const list = out.get(row.lead_id) ?? [];
        list.push(new Date(row.dispatched_at as string));
        out.set(row.lead_id, list);
      }
      return out;
    },
    async listForLead(leadId) {
      const rows = await db
        .select()
        .from(stepSends)
        .where(eq(stepSends.leadId, leadId))
        .orderBy(asc(stepSends.dispatchedAt));
      return rows.map(toStepSend);
    },
    async markSent(ids, at) {
      if (ids.length === 0) return;
      await db
        .update(stepSends)
        .set({ status: 'sent', sentAt: at, error: null })
        .where(inArray(stepSends.id, ids));
    },
    async markFailed(ids, error) {
      if (ids.length === 0) return;
      await db.update(stepSends).set({ status: 'failed', error }).where(inArray(stepSends.id, ids));
    },
    async markHeld(ids) {
      if (ids.length === 0) return;
      await db.update(stepSends).set({ status: 'held' }).where(inArray(stepSends.id, ids));
    },
    async claimHeld(limit) {
      const rows = rowsOf<Record<string, unknown>>(
        await db.execute(sql`
          with held as (
            select * from step_sends where status = 'held'
            order by dispatched_at limit ${limit}
            for update skip locked)
          select ${STEP_SEND_AS_PREFIXED}, l.*
          from held s join leads l on l.id = s.lead_id
          order by s.dispatched_at, s.id`),
      );
      return rows.map((row) => ({ send: fromRawStepSend(row, 's_'), lead: fromRawRow(row as RawLeadRow) }));
    },
    async setQueued(ids, at) {
      if (ids.length === 0) return;
      await db
        .update(stepSends)
        .set({ status: 'queued', dispatchedAt: at })
        .where(inArray(stepSends.id, ids));
    },
  };
}

export function tagRepository(db: Executor): Repos['tags'] {
  return {
    async add(leadId, tag, addedBy, at) {
      const rows = await db
        .insert(leadTags)
        .values({ leadId, tag, addedBy, addedAt: at })
        .onConflictDoNothing()
        .returning({ tag: leadTags.tag });
      return rows.length > 0;
    },
    async remove(leadId, tag) {
      const rows = await db
        .delete(leadTags)
        .where(and(eq(leadTags.leadId, leadId), eq(leadTags.tag, tag)))
        .returning({ tag: leadTags.tag });
      return rows.length > 0;
    },
    async listForLead(leadId) {
      const rows = await db
        .select({ tag: leadTags.tag })
        .from(leadTags)
        .where(eq(leadTags.leadId, leadId))
        .orderBy(asc(leadTags.addedAt), asc(leadTags.tag));
      return rows.map((row) => row.tag);
    },
    async listForLeads(leadIds) {
      const out = new Map<string, string[]>();
      if (leadIds.length === 0) return out;
      const rows = rowsOf<{ lead_id: string; tag: string }>(
        await db.execute(sql`
          select lead_id, tag from lead_tags where lead_id = any(${pgArray(leadIds)}::uuid[])
          order by added_at, tag`),
      );
      for (const row of rows) out.set(row.lead_id, [...(out.get(row.lead_id) ?? []), row.tag]);
      return out;
    },
  };
}

export function quotaRepository(db: Executor): Repos['quota'] {
  const ensure = async (month: string, at: Date) => {
    await db.insert(lineQuotaState).values({ month, updatedAt: at }).onConflictDoNothing();
  };
  return {
    async get(month) {
      const [row] = await db.select().from(lineQuotaState).where(eq(lineQuotaState.month, month));
      if (!row) return null;
      const state: QuotaState = {
        month: row.month,
        heldSince: row.heldSince,
        warned80At: row.warned80At,
        warned100At: row.warned100At,
      };
      return state;
    },
    async hold(month, at) {
      await ensure(month, at);
      const rows = await db
        .update(lineQuotaState)
        .set({ heldSince: at, updatedAt: at })
        .where(and(eq(lineQuotaState.month, month), sql`${lineQuotaState.heldSince} is null`))
        .returning({ month: lineQuotaState.month });
      return rows.length > 0;
    },
    async release(at) {
      const rows = await db
        .update(lineQuotaState)
        .set({ heldSince: null, updatedAt: at })
        .where(sql`${lineQuotaState.heldSince} is not null`)
        .returning({ month: lineQuotaState.month });
      return rows.length > 0;
    },
    async warnOnce(month, percent, at) {
      await ensure(month, at);
      const column = percent === 80 ? lineQuotaState.warned80At : lineQuotaState.warned100At;
      const rows = await db
        .update(lineQuotaState)
        .set(percent === 80 ? { warned80At: at, updatedAt: at } : { warned100At: at, updatedAt: at })
        .where(and(eq(lineQuotaState.month, month), sql`${column} is null`))
        .returning({ month: lineQuotaState.month });
      return rows.length > 0;
    },
  };
}
