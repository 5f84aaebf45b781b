// Many due step-sequence steps at once, for the step-dispatch benchmark and the crash and replica
// tests: a sequences file with one personalised step (by push) and one identical step (by
// multicast), leads with owners and threads written in bulk, and their enrolments due now.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FakeLineApi } from '../../adapters/line/fake/fake-line-api.ts';
import type { Db } from '../../db/client.ts';
import { pgArray, rowsOf } from '../../db/repositories/executor.ts';
import type { Store } from '../../src/ports.ts';

export const PERSONAL_SEQUENCE = 'due-personal';
export const IDENTICAL_SEQUENCE = 'due-identical';
/** The personal step reads 「{name}様、<this>」: it names the lead, so it goes by push. */
export const PERSONAL_TEXT = '家づくりの資金計画の基本をまとめました。';
/** The same for everyone, so it goes by multicast. */
export const IDENTICAL_TEXT = '見学会のご案内をお届けします。ご都合のよいときにご覧ください。';

/** One sequence per path, each a single step due at once; enrolled by hand (`trigger: manual`). */
export const DUE_STEPS_YAML = `sequences:
  - id: ${PERSONAL_SEQUENCE}
    name: 個別のお知らせ
    trigger: manual
    steps:
      - after: 0m
        messages:
          - type: text
            text: "{name}様、${PERSONAL_TEXT}"
  - id: ${IDENTICAL_SEQUENCE}
    name: 一斉のお知らせ
    trigger: manual
    steps:
      - after: 0m
        messages:
          - type: text
            text: "${IDENTICAL_TEXT}"
`;

/**
 * The environment that lets every due step go at once: no quiet hours, every day (the default),
 * and a weekly cap no lead reaches. SEQUENCES_FILE names the file written by writeDueStepsFile.
 */
export function dueStepsEnv(sequencesFile: string): Record<string, string> {
  return {
    SEQUENCES_FILE: sequencesFile,
    QUIET_HOURS: '',
    STEP_WEEKLY_CAP: '1000',
  };
}

export async function writeDueStepsFile(dir: string): Promise<string> {
  const file = join(dir, 'sequences.yml');
  await writeFile(file, DUE_STEPS_YAML);
  return file;
}

/** A LINE user id (`^U[0-9a-f]{32}$`) for lead `i` of a batch, as the SQL below builds it. */
export function dueLeadUserId(prefix: string, i: number): string {
  return `U${prefix}${i.toString(16).padStart(32 - prefix.length, '0')}`;
}

export interface DueLead {
  id: string;
  lineUserId: string;
  ownerId: string;
}

/**
 * Writes `count` active leads (display name 見込み客<i>, LINE user ids dueLeadUserId(prefix, i) for
 * i from 0), owned round-robin by `reps` (who must exist), each with a thread in its owner's DM, in
 * a few statements. Returns them in `i` order. The prefix keeps batches apart. `thread` gives
 * each lead's thread (say, a card posted in the fake Slack); by default a made-up ts in the
 * owner's DM, which the fake Slack takes as a thread it does not show.
 */
export async function seedDueLeads(
  db: Db,
  opts: {
    count: number;
    prefix: string;
    reps: readonly string[];
    at?: Date;
    thread?: (lead: DueLead) => { channelId: string; threadTs: string };
  },
): Promise<DueLead[]> {
  const at = (opts.at ?? new Date()).toISOString();
  const width = 32 - opts.prefix.length;
  await db.execute(sql`
    insert into leads (line_user_id, display_name, status, source, owner_id, stage, followed_at,
      created_at, updated_at)
    select 'U' || ${opts.prefix} || lpad(to_hex(i), ${width}, '0'), '見込み客' || i, 'active', 'follow',
      (${`{${opts.reps.join(',')}}`}::text[])[1 + i % ${opts.reps.length}], 'nurture',
      ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
    from generate_series(0, ${opts.count - 1}) i`);
  const leads = rowsOf<{ id: string; line_user_id: string; owner_id: string }>(
    await db.execute(sql`
      select id, line_user_id, owner_id from leads where line_user_id like ${`U${opts.prefix}%`}
      order by line_user_id`),
  ).map((row): DueLead => ({ id: row.id, lineUserId: row.line_user_id, ownerId: row.owner_id }));
  // The fake Slack's DM channel id is the user id with a D.
  const thread =
    opts.thread ??
    ((lead: DueLead) => ({
      channelId: `D${lead.ownerId.slice(1)}`,
      threadTs: `1600000000.${lead.lineUserId.slice(1)}`,
    }));
  const threads = leads.map((lead) => ({ lead, ...thread(lead) }));
  await db.execute(sql`
    insert into lead_threads (lead_id, target, channel_id, thread_ts, created_at)
    select lead_id, target, channel_id, thread_ts, ${at}::timestamptz from unnest(
      ${pgArray(threads.map((t) => t.lead.id))}::uuid[],
      ${pgArray(threads.map((t) => t.lead.ownerId))}::text[],
      ${pgArray(threads.map((t) => t.channelId))}::text[],
      ${pgArray(threads.map((t) => t.threadTs))}::text[]) as u(lead_id, target, channel_id, thread_ts)`);
  return leads;
}

/** Enrols each lead in `sequenceId` with its first step due at `dueAt`, through the repository. */
export async function enrolDue(store: Store, leadIds: readonly string[], sequenceId: string, dueAt: Date) {
  return store.enrolments.insertMany(
    leadIds.map((leadId) => ({
      leadId,
      sequenceId,
      trigger: 'manual',
      dueAt,
      sendAt: dueAt,
      enrolledBy: 'system',
      enrolledAt: dueAt,
    })),
  );
}

/** How often each LINE user received a step, as the fake LINE accepted it (pushes and multicasts). */
export function stepDeliveries(line: FakeLineApi): {
  personal: Map<string, number>;
  identical: Map<string, number>;
} {
  const personal = new Map<string, number>();
  const identical = new Map<string, number>();
  const textOf = (messages: Array<Record<string, unknown>>) => String(messages[0]?.text ?? '');
  for (const push of line.pushes) {
    const text = textOf(push.messages);
    if (text.endsWith(PERSONAL_TEXT)) personal.set(push.to, (personal.get(push.to) ?? 0) + 1);
    // A multicast of one is sent as a push.
    if (text === IDENTICAL_TEXT) identical.set(push.to, (identical.get(push.to) ?? 0) + 1);
  }
  for (const multicast of line.multicasts) {
    if (textOf(multicast.messages) !== IDENTICAL_TEXT) continue;
    for (const to of multicast.to) identical.set(to, (identical.get(to) ?? 0) + 1);
  }
  return { personal, identical };
}

/** Recipients that got a step more than once, and expected recipients that never got it. */
export function duplicatesAndMisses(received: Map<string, number>, expected: readonly string[]) {
  let duplicates = 0;
  let misses = 0;
  for (const count of received.values()) if (count > 1) duplicates += count - 1;
  for (const userId of expected) if (!received.has(userId)) misses += 1;
  const wanted = new Set(expected);
  const strangers = [...received.keys()].filter((userId) => !wanted.has(userId)).length;
  return { duplicates, misses, strangers };
}
