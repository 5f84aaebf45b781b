import { isErased, type Lead, leadOrderKey } from '../../domain/lead.ts';
import { canReceiveSteps, namesLead, namesOwner } from '../../domain/sequences/audience.ts';
import type { LineMessage } from '../../domain/sequences/line-message-schema.ts';
import { renderMessages } from '../../domain/sequences/message-variables.ts';
import type { Staff } from '../../domain/staff.ts';
import { DeliveryError } from '../../errors.ts';
import type { OutboxEntry, OutboxItem, StepSend } from '../../ports.ts';
import { leadAnswerMessages } from '../sequences/lead-answers.ts';
import { sequenceById } from '../sequences/sequence-settings.ts';
import {
  alertTeam,
  alertTeamAboutLead,
  type DeliveryDeps,
  nothingToTell,
  type OutboxHandlers,
} from './outbox-handler.ts';

/** LINE documents a reply token as usable for about a minute; stay clear of the edge. */
const REPLY_TOKEN_TTL_MS = 50_000;

/** Pushes of one row in flight at once: a row's burst stays small beside LINE's 2,000 a second. */
const PUSHES_AT_ONCE = 8;

type Step = NonNullable<ReturnType<typeof sequenceById>>['steps'][number];

/** Runs `work` over `items`, at most `limit` at once; the outcomes in the items' order. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<PromiseSettledResult<void>[]> {
  const outcomes: PromiseSettledResult<void>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await work(items[index] as T);
        outcomes[index] = { status: 'fulfilled', value: undefined };
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return outcomes;
}

/** The lead's name for a step: a new friend's greeting can go before the profile job has named them. */
async function leadName(deps: DeliveryDeps, lead: Lead, step: Step): Promise<string | null> {
  if (lead.displayName !== null || !namesLead(step)) return lead.displayName;
  const profile = await deps.line.getProfile(lead.lineUserId);
  if (!profile) return null;
  await deps.store.leads.setProfile(lead.id, profile, deps.clock.now());
  return profile.displayName;
}

/** Why a lead gets no step now (checked again right before each send). */
function unsendableReason(lead: Lead | null): string | null {
  if (!lead || isErased(lead)) return 'the lead was erased';
  if (lead.status === 'blocked') return 'the lead blocked the account';
  if (lead.optedOutAt) return 'the lead opted out of step messages';
  return null;
}

/**
 * The thread's collapsed line for a step that went out, naming the lead's thread when it is known
 * so that posting it reads nothing more (a run of 100,000 steps posts 100,000 of these), and the
 * card's next step redrawn.
 *
 * Only jobs in the lead's own order may open its thread (post the card): two openers running at
 * once would each post a card, and the rep would answer in a thread that leads nowhere. So a line
 * for a lead without a thread yet (a new friend's greeting) waits in the lead's order; a line for
 * a thread that exists goes on its own order, in the slowest lane (after every relay, reply and
 * step send that is due), and never holds up the lead's relay.
 */
function stepLine(
  deps: DeliveryDeps,
  send: StepSend,
  thread: { channelId: string; threadTs: string } | null,
): OutboxEntry[] {
  const sequence = sequenceById(deps.sequences.settings, send.sequenceId);
  if (!sequence) return [];
  const { orderKey, lane } = thread
    ? { orderKey: `step-line:${send.leadId}`, lane: 'step_lines' as const }
    : { orderKey: leadOrderKey(send.leadId), lane: 'conversation' as const };
  return [
    {
      job: {
        kind: 'slack.notice',
        leadId: send.leadId,
        notice: {
          key: 'step_sent',
          sequenceName: sequence.name,
          step: send.stepIndex + 1,
          steps: sequence.steps.length,
        },
        ...(thread ?? {}),
      },
      orderKey,
      lane,
    },
    { job: { kind: 'slack.card', leadId: send.leadId }, orderKey, lane },
  ];
}

/**
 * Sends by the reply token when it is fresh and this is the first attempt (free of quota), else by
 * push with the row's retry key. A refused token (400) falls back to the push at once.
 */
async function replyOrPush(
  deps: DeliveryDeps,
  item: OutboxItem,
  input: { to: string; messages: LineMessage[]; replyToken: string | null | undefined; receivedAt?: string },
): Promise<void> {
  const fresh =
    input.receivedAt !== undefined &&
    deps.clock.now().getTime() - new Date(input.receivedAt).getTime() < REPLY_TOKEN_TTL_MS;
  if (input.replyToken && fresh && item.attempts === 1) {
    try {
      await deps.line.replyMessages({ replyToken: input.replyToken, messages: input.messages });
      return;
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.retry === 'later') throw error;
    }
  }
  if (!item.retryKey) throw new DeliveryError('never', 'the LINE message has no retry key');
  await deps.line.pushMessages({ to: input.to, messages: input.messages, retryKey: item.retryKey });
}

/** Step sequences' deliveries: steps by push or multicast, answers to the lead, quota notices. */
export const sequenceHandlers: OutboxHandlers<
  'line.step' | 'line.step_pushes' | 'line.step_multicast' | 'line.lead_answer' | 'slack.quota'
> = {
  'line.step': {
    async deliver(deps, item, job) {
      const { store } = deps;
      // The step and its lead in one read: this runs once per push, 2,000 times a second at LINE's limit.
      const [row] = await store.stepSends.getManyWithLeads([job.stepSendId]);
      const send = row?.send;
      const lead = row?.lead ?? null;
      const thread = row?.thread ?? null;
      // Sent by an attempt that died before its row was settled: only the thread line is left.
      if (send?.status === 'sent') return stepLine(deps, send, thread);
      if (send?.status !== 'queued') return [];
      const unsendable = unsendableReason(lead);
      const step = sequenceById(deps.sequences.settings, send.sequenceId)?.steps[send.stepIndex];
      if (unsendable || !lead || !step) {
        // Nothing goes out after an unfollow, an opt-out or an erasure commits.
        await store.stepSends.markFailed(
          [send.id],
          unsendable ?? 'the step is no longer in the sequences file',
        );
        return [];
      }
      const owner = lead.ownerId && namesOwner(step) ? await store.staff.get(lead.ownerId) : null;
      const name = await leadName(deps, lead, step);
      const messages = renderMessages(step.messages, {
        name,
        owner: owner?.displayName ?? null,
        company: deps.sequences.settings.companyName,
      });
      try {
        await replyOrPush(deps, item, {
          to: lead.lineUserId,
          messages,
          replyToken: job.replyToken,
          ...(job.receivedAt ? { receivedAt: job.receivedAt } : {}),
        });
      } catch (error) {
        if (error instanceof DeliveryError && error.monthlyLimit) {
          return store.transaction((tx) => deps.sequences.quota.hold(tx, [send.id]));
        }
        throw error;
      }
      await store.stepSends.markSent([send.id], deps.clock.now());
      return stepLine(deps, send, thread);
    },
    async onGivenUp(tx, _item, job, error) {
      await tx.stepSends.markFailed([job.stepSendId], error);
      return alertTeam(job.kind, job.leadId, error);
    },
  },

  'line.step_pushes': {
    async deliver(deps, _item, job) {
      const { store } = deps;
      const rows = await store.stepSends.getManyWithLeads(job.stepSendIds);
      // Sent by an attempt that failed or died before its row was settled: only the lines are left.
      const linesBefore = rows
        .filter((row) => row.send.status === 'sent')
        .flatMap((row) => stepLine(deps, row.send, row.thread));
      const ready: { row: (typeof rows)[number]; step: Step }[] = [];
      const dropped = new Map<string, string[]>();
      for (const row of rows.filter((r) => r.send.status === 'queued')) {
        const step = sequenceById(deps.sequences.settings, row.send.sequenceId)?.steps[row.send.stepIndex];
        const reason =
          unsendableReason(row.lead) ?? (step ? null : 'the step is no longer in the sequences file');
        if (reason !== null) dropped.set(reason, [...(dropped.get(reason) ?? []), row.send.id]);
        else if (step) ready.push({ row, step });
      }
      // Nothing goes out after an unfollow, an opt-out or an erasure commits.
      for (const [reason, ids] of dropped) await store.stepSends.markFailed(ids, reason);

      const owners = new Map<string, Promise<Staff | null>>();
      const ownerOf = (id: string) => {
        const known = owners.get(id) ?? store.staff.get(id);
        owners.set(id, known);
        return known;
      };
      const outcomes = await eachLimited(ready, PUSHES_AT_ONCE, async ({ row, step }) => {
        const { lead, send } = row;
        if (!send.retryKey) throw new DeliveryError('never', 'the step has no retry key');
        const owner = lead.ownerId && namesOwner(step) ? await ownerOf(lead.ownerId) : null;
        const name = await leadName(deps, lead, step);
        const messages = renderMessages(step.messages, {
          name,
          owner: owner?.displayName ?? null,
          company: deps.sequences.settings.companyName,
        });
        await deps.sequences.pushGate.take();
        await deps.line.pushMessages({ to: lead.lineUserId, messages, retryKey: send.retryKey });
      });
      const sent = ready.filter((_, i) => outcomes[i]?.status === 'fulfilled').map(({ row }) => row);
      await store.stepSends.markSent(
        sent.map((row) => row.send.id),
        deps.clock.now(),
      );
      const failed = ready.flatMap(({ row }, i) => {
        const outcome = outcomes[i];
        return outcome?.status === 'rejected' ? [{ row, error: outcome.reason as unknown }] : [];
      });
      const overQuota = failed.filter(({ error }) => error instanceof DeliveryError && error.monthlyLimit);
      const refused = failed.filter(
        ({ error }) => error instanceof DeliveryError && error.retry === 'never' && !error.monthlyLimit,
      );
      const transient = failed.filter((f) => !overQuota.includes(f) && !refused.includes(f));
      for (const { row, error } of refused) await store.stepSends.markFailed([row.send.id], String(error));
      const held =
        overQuota.length > 0
          ? await store.transaction((tx) =>
              deps.sequences.quota.hold(
                tx,
                overQuota.map(({ row }) => row.send.id),
              ),
            )
          : [];
      // The row is tried again for these alone (the others are recorded); their lines come with it.
      if (transient[0]) throw transient[0].error;
      return [...linesBefore, ...sent.flatMap((row) => stepLine(deps, row.send, row.thread)), ...held];
    },
    async onGivenUp(tx, _item, job, error) {
      const rows = await tx.stepSends.getManyWithLeads(job.stepSendIds);
      await tx.stepSends.markFailed(
        rows.filter((row) => row.send.status === 'queued').map((row) => row.send.id),
        error,
      );
      return alertTeam(job.kind, null, error);
    },
  },

  'line.step_multicast': {
    async deliver(deps, item, job) {
      const { store } = deps;
      const all = await store.stepSends.getManyWithLeads(job.stepSendIds);
      const rows = all.filter((row) => row.send.status === 'queued');
      // Sent by an attempt that died before its row was settled: only the thread lines are left.
      const sentBefore = all
        .filter((row) => row.send.status === 'sent')
        .flatMap((row) => stepLine(deps, row.send, row.thread));
      const step = sequenceById(deps.sequences.settings, job.sequenceId)?.steps[job.stepIndex];
      const receivers = rows.filter((row) => step && canReceiveSteps(row.lead));
      const dropped = rows.filter((row) => !receivers.includes(row));
      if (dropped.length > 0) {
        await store.stepSends.markFailed(
          dropped.map((row) => row.send.id),
          step
            ? 'the lead can no longer receive step messages'
            : 'the step is no longer in the sequences file',
        );
      }
      if (!step || receivers.length === 0) return sentBefore;
      if (!item.retryKey) throw new DeliveryError('never', 'the multicast has no retry key');
      // The same for every recipient: only {company} may appear (a step naming the lead goes by push).
      const messages = renderMessages(step.messages, {
        name: null,
        owner: null,
        company: deps.sequences.settings.companyName,
      });
      try {
        await deps.line.multicast({
          to: receivers.map((row) => row.lead.lineUserId),
          messages,
          retryKey: item.retryKey,
        });
      } catch (error) {
        if (error instanceof DeliveryError && error.monthlyLimit) {
          return store.transaction((tx) =>
            deps.sequences.quota.hold(
              tx,
              receivers.map((row) => row.send.id),
            ),
          );
        }
        throw error;
      }
      await store.stepSends.markSent(
        receivers.map((row) => row.send.id),
        deps.clock.now(),
      );
      return [...sentBefore, ...receivers.flatMap((row) => stepLine(deps, row.send, row.thread))];
    },
    async onGivenUp(tx, _item, job, error) {
      await tx.stepSends.markFailed(job.stepSendIds, error);
      return alertTeam(job.kind, null, error);
    },
  },

  'line.lead_answer': {
    async deliver(deps, item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      // Opt-out confirmations still go to an opted-out lead; nothing goes to a blocked or erased one.
      if (!lead || isErased(lead) || lead.status === 'blocked') return [];
      const { settings, leadWords } = deps.sequences;
      const messages = leadAnswerMessages(leadWords, job.message, {
        interests: settings.file.interests,
        optInKeyword: settings.keywords.optIn[0] ?? '',
      });
      await replyOrPush(deps, item, {
        to: lead.lineUserId,
        messages,
        replyToken: job.replyToken,
        receivedAt: job.receivedAt,
      });
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.quota': {
    async deliver(deps, _item, job) {
      const staff = await deps.store.staff.get(job.to);
      if (!staff?.active) return [];
      await deps.slack.postQuotaNotice(job.to, job.notice);
      return [];
    },
    onGivenUp: nothingToTell,
  },
};
