import { localDate } from '../../domain/business-calendar.ts';
import { leadOrderKey } from '../../domain/lead.ts';
import { parseTag, type TagProblem } from '../../domain/sequences/lead-tag.ts';
import { canActOnLead } from '../../domain/staff.ts';
import type { Clock, Enrolment, OutboxEntry, Store } from '../../ports.ts';
import { type Duplicate, transactOnce } from '../transact-once.ts';
import { onTagAdded } from './enrolments.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

export type TagChange =
  /** Tags as typed or picked: each is trimmed and checked (parseTag). */
  { kind: 'add'; tags: string[] } | { kind: 'remove'; tag: string };

export type TagChangeResult =
  /** `started`: the names of `trigger: tag` sequences the added tags started. */
  | { kind: 'done'; added: string[]; removed: string[]; started: string[] }
  | Duplicate
  | { kind: 'no_such_lead' }
  | { kind: 'forbidden' }
  | { kind: 'invalid'; problem: TagProblem }
  /** The lead already had every tag added, or did not have the one removed. */
  | { kind: 'unchanged' };

const isLive = (e: Enrolment) => e.state === 'active' || e.state === 'paused';

/**
 * Adds or removes a lead's tags (趣味・関心) from its card, with the rules of every lead action
 * (owner or manager, checked with the lead's row locked; once per Slack delivery; no effect, no
 * notice). An added tag starts the `trigger: tag` sequences that name it, and the thread is told.
 */
export async function changeLeadTags(
  deps: { store: Store; clock: Clock; sequences: SequenceSettings },
  input: { actorId: string; leadId: string; change: TagChange; idempotencyKey?: string },
): Promise<TagChangeResult> {
  const now = deps.clock.now();
  const settings = deps.sequences;
  const { change } = input;
  const tags: string[] = [];
  for (const text of change.kind === 'add' ? change.tags : [change.tag]) {
    const parsed = parseTag(text);
    if (!parsed.ok) return { kind: 'invalid', problem: parsed.problem };
    if (!tags.includes(parsed.tag)) tags.push(parsed.tag);
  }
  if (tags.length === 0) return { kind: 'invalid', problem: 'empty' };
  const once = { key: input.idempotencyKey, at: now, tookEffect: (r: TagChangeResult) => r.kind === 'done' };
  return transactOnce(deps.store, once, async (tx): Promise<TagChangeResult> => {
    const lead = await tx.leads.get(input.leadId, { lock: true });
    if (!lead || lead.erasedAt) return { kind: 'no_such_lead' };
    if (!canActOnLead(await tx.staff.get(input.actorId), lead)) return { kind: 'forbidden' };
    const added: string[] = [];
    const removed: string[] = [];
    const started: Enrolment[] = [];
    if (change.kind === 'remove') {
      for (const tag of tags) if (await tx.tags.remove(lead.id, tag)) removed.push(tag);
    } else {
      const today = localDate(now, settings.rules.timezone);
      for (const tag of tags) {
        if (!(await tx.tags.add(lead.id, tag, input.actorId, now))) continue;
        added.push(tag);
        const before = new Set((await tx.enrolments.listForLead(lead.id)).filter(isLive).map((e) => e.id));
        await onTagAdded(tx, settings, lead, tag, today, now, input.actorId);
        const after = (await tx.enrolments.listForLead(lead.id)).filter(isLive);
        started.push(...after.filter((e) => !before.has(e.id)));
      }
    }
    if (added.length === 0 && removed.length === 0) return { kind: 'unchanged' };
    const key = leadOrderKey(lead.id);
    const names = started.map((e) => sequenceById(settings, e.sequenceId)?.name ?? e.sequenceId);
    const entries: OutboxEntry[] = [
      ...names.map(
        (name): OutboxEntry => ({
          job: {
            kind: 'slack.notice',
            leadId: lead.id,
            notice: { key: 'sequence_enrolled', sequenceName: name, by: input.actorId },
          },
          orderKey: key,
        }),
      ),
      {
        job: {
          kind: 'slack.notice',
          leadId: lead.id,
          notice: { key: 'tags_changed', added, removed, by: input.actorId },
        },
        orderKey: key,
      },
      { job: { kind: 'slack.card', leadId: lead.id }, orderKey: key },
    ];
    await tx.outbox.enqueue(entries);
    return { kind: 'done', added, removed, started: names };
  });
}
